"""Engine benchmark (run by hand; prints figures, asserts nothing).

    .venv/bin/python bench/engine.py [--cards 1000000] [--dir /tmp/quiz-bench] [--rebuild]

Builds (once, cached in --dir) a store of 1,000,000 cards in 10 decks with review history:
30% new, 0.05% learning (today's steps), ~70% review with dues spread over the past month and next year, two log
rows per reviewed card. Then, in a fresh process, measures: opening the store, the next card +
today's counts (over all 10 decks through the queue, and through a StudySession on one deck),
grade-commit latency p50/p95 over 200 grades (synchronous=NORMAL, the default, and FULL), stats
over everything, peak RSS, and the first open of a day (full integrity check + daily backup).
Goals on 2 cores: next card + counts <= 50 ms, grade p95 <= 5 ms, peak RSS <= 200 MB.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

DECKS = 10
DAY_US = 86_400_000_000


def deck_items(deck_no: int, n: int):  # type: ignore[no-untyped-def]
    from quiz.decks.model import Deck, Item

    items = tuple(
        Item(id=f"d{deck_no}-item-{k}", type="basic", question="Q?", answer="A", fact=f"d{deck_no}-fact-{k // 2}")
        for k in range(n)
    )
    return Deck(id=f"bench-{deck_no}", name=f"Bench deck {deck_no}", items=items)


def build(path: Path, cards: int) -> None:
    from quiz.card_state import to_us
    from quiz.storage.store import Store, deck_signature

    rng = random.Random(1)
    now = to_us(datetime.now(timezone.utc))
    per_deck = cards // DECKS
    t0 = time.perf_counter()
    store = Store.open(path)
    c = store._conn
    c.execute("PRAGMA synchronous = OFF")
    c.execute("BEGIN")
    card_id = 0
    for d in range(DECKS):
        deck = deck_items(d, per_deck)
        c.execute(
            "INSERT INTO decks (id, name, signature) VALUES (?, ?, ?)", (deck.id, deck.name, deck_signature(deck))
        )
        rows, logs = [], []
        for pos, it in enumerate(deck.items):
            card_id += 1
            u = rng.random()
            if u < 0.30:
                rows.append((card_id, deck.id, it.id, it.fact, pos, 0, None, None, None, None, None, 0, 0))
                continue
            # Learning cards are the ones in their minute-to-hour steps today: a few hundred.
            state = 2 if u < 0.9995 else rng.choice((1, 3))
            stab = rng.uniform(0.5, 400.0) if state == 2 else rng.uniform(0.5, 5.0)
            diff = rng.uniform(1.0, 10.0)
            if state == 2:
                due = now + int(rng.uniform(-30, 365) * DAY_US)
                last = min(due - int(stab * DAY_US), now - int(rng.uniform(1, 30) * DAY_US))
            else:
                due = now + int(rng.uniform(-2, 2) * 3_600_000_000)
                last = due - 600_000_000
            reps, lapses = rng.randint(2, 12), rng.randint(0, 3)
            rows.append(
                (
                    card_id,
                    deck.id,
                    it.id,
                    it.fact,
                    pos,
                    state,
                    0 if state != 2 else None,
                    stab,
                    diff,
                    due,
                    last,
                    reps,
                    lapses,
                )
            )
            snap = json.dumps(
                {
                    "card_id": card_id,
                    "state": state,
                    "step": None,
                    "stability": stab,
                    "difficulty": diff,
                    "due": due,
                    "last_review": last,
                    "reps": reps,
                    "lapses": lapses,
                },
                separators=(",", ":"),
            )
            for back in (2, 1):
                t = last - back * DAY_US * rng.randint(1, 30)
                logs.append((card_id, deck.id, t, rng.choice((1, 3, 3, 3, 4)), rng.randrange(20000), 2, 2, snap, snap))
        c.executemany(
            "INSERT INTO cards (id, deck_id, item_id, fact, position, state, step, stability, difficulty, due, "
            "last_review, reps, lapses) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            rows,
        )
        c.executemany(
            "INSERT INTO revlog (card_id, deck_id, time, rating, duration_ms, state_before, state_after, before, "
            "after) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            logs,
        )
    # A sync gives every new card its own rank in the interleaved order; a bench store with all
    # ranks equal would make SQLite sort a whole deck's new cards on every pick.
    c.execute("UPDATE cards SET mixed = position")
    c.execute("COMMIT")
    c.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    c.execute("ANALYZE")
    store.close()
    print(f"built {cards:,} cards in {time.perf_counter() - t0:.1f} s: {path} ({path.stat().st_size / 1e6:.0f} MB)")


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


def measure(path: Path, cards: int) -> None:
    from quiz.study.queue import Queue
    from quiz.settings import Settings
    from quiz.study.stats import compute_stats
    from quiz.storage.store import Store
    from quiz.collection import Collection

    settings = Settings()
    t = time.perf_counter()
    store = Store.open(path)
    print(f"open store ({path.stat().st_size / 1e6:.0f} MB):       {ms(time.perf_counter() - t)}")

    deck_ids = [f"bench-{d}" for d in range(DECKS)]
    q = Queue(store, deck_ids, settings)
    runs = []
    for _ in range(21):
        t = time.perf_counter()
        now = datetime.now(timezone.utc)
        cands = q.candidates(now)
        counts = q.counts(now)
        runs.append(time.perf_counter() - t)
    print(
        f"next card + counts, all {cards:,} cards in {DECKS} decks: first {ms(runs[0])}, "
        f"median {ms(statistics.median(runs[1:]))}, max {ms(max(runs[1:]))}  "
        f"(counts: new {counts.new}, learning {counts.learning}, review {counts.review}; next {cands[0].item_id})"
    )

    t = time.perf_counter()
    deck = deck_items(0, cards // DECKS)
    build_s = time.perf_counter() - t
    t = time.perf_counter()
    unlimited = Settings(new_per_day=10**6, reviews_per_day=10**6)
    session = Collection(store, [deck], unlimited).study([deck])  # syncs the deck, as the app does
    print(
        f"StudySession on one deck of {len(deck.items):,} items: start {ms(time.perf_counter() - t)} "
        f"(building the Deck in memory: {ms(build_s)})"
    )
    runs = []
    for _ in range(21):
        t = time.perf_counter()
        session.next_card()
        session.counts()
        runs.append(time.perf_counter() - t)
    print(f"session next_card() + counts(): median {ms(statistics.median(runs[1:]))}, max {ms(max(runs[1:]))}")

    for mode in ("NORMAL", "FULL"):
        store._conn.execute(f"PRAGMA synchronous = {mode}")
        lat = []
        for k in range(200):
            card = session.next_card()
            assert card is not None
            session.preview(card)
            t = time.perf_counter()
            session.grade(card, (1, 3, 3, 4)[k % 4], duration_ms=3000)
            lat.append(time.perf_counter() - t)
        lat.sort()
        print(f"grade commit ({mode:6}) over 200 grades: p50 {ms(lat[100])}, p95 {ms(lat[189])}, max {ms(lat[-1])}")
    store._conn.execute("PRAGMA synchronous = NORMAL")

    t = time.perf_counter()
    compute_stats(store, [], settings, datetime.now(timezone.utc), include_store_decks=True)
    print(f"quiz stats over everything:             {ms(time.perf_counter() - t)}")
    store.close()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS of this (measuring) process:   {peak:.0f} MB")

    from quiz.storage.backup import daily_path, open_with_daily_backup

    t = time.perf_counter()
    Store.open(path).close()
    print(f"any open (quick_check of every page):   {ms(time.perf_counter() - t)}")
    daily_path(path).unlink(missing_ok=True)
    t = time.perf_counter()
    open_with_daily_backup(path).close()
    print(f"first open of a day (+ daily backup, integrity_check of the copy): {ms(time.perf_counter() - t)}")
    daily_path(path).unlink(missing_ok=True)  # keep the bench dir small


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--cards", type=int, default=1_000_000)
    ap.add_argument("--dir", type=Path, default=Path("/tmp/quiz-bench"))
    ap.add_argument("--rebuild", action="store_true")
    ap.add_argument("--phase", choices=("build", "measure"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    path = args.dir / f"quiz-{args.cards}.sqlite3"
    os.environ["QUIZ_HOME"] = str(args.dir)  # never the user's real store
    if args.phase == "build":
        build(path, args.cards)
        return
    if args.phase == "measure":
        measure(path, args.cards)
        return
    if args.rebuild or not path.exists():
        args.dir.mkdir(parents=True, exist_ok=True)
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        # Separate processes: building's memory must not count in the measured peak RSS.
        subprocess.run(
            [sys.executable, __file__, "--phase", "build", "--cards", str(args.cards), "--dir", str(args.dir)],
            check=True,
        )
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} CPUs, load {os.getloadavg()[0]:.1f}")
    subprocess.run(
        [sys.executable, __file__, "--phase", "measure", "--cards", str(args.cards), "--dir", str(args.dir)], check=True
    )


if __name__ == "__main__":
    main()
