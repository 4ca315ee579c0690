"""Durability: a studying process killed (SIGKILL) at random points loses no acknowledged grade,
and two processes grading one store at once lose nothing.

This file is also the helper process:
``python tests/test_durability.py worker HOME DECK N LIMIT easy|mixed`` studies deck DECK (N cards;
LIMIT grades, 0 = until killed) in the store at HOME and prints ``ACK <review id>`` after each
grade() returns, i.e. after the grade is committed.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

HERE = Path(__file__).resolve()
KILLS = 200


def worker(home: str, deck_id: str, n: int, limit: int, easy: bool) -> None:
    os.environ["QUIZ_HOME"] = home
    sys.path.insert(0, str(HERE.parent))
    from test_study_support import make_deck, study_session

    from quiz.settings import Settings
    from quiz.storage.store import Store
    from quiz.study.session import StudySession

    rng = random.Random()
    ahead = [timedelta(0)]  # the study clock runs ahead whenever nothing is due, so it never idles

    def clock() -> datetime:
        return datetime.now(timezone.utc) + ahead[0]

    with Store.open() as store:
        settings = Settings(new_per_day=100_000, reviews_per_day=100_000)
        s = study_session(store, [make_deck(n, deck_id)], settings, clock)
        print("READY", flush=True)
        if limit:  # wait for the go-ahead, so both concurrent workers really overlap
            sys.stdin.readline()
        done = 0
        while not limit or done < limit:
            card = s.next_card()
            if card is None:
                ahead[0] += timedelta(days=1)
                continue
            s.preview(card)
            s.grade(card, 4 if easy else rng.choice((1, 2, 3, 3, 4)), duration_ms=rng.randrange(5000))
            done += 1
            print(f"ACK {s.last_review_id}", flush=True)


def spawn(home: Path, deck_id: str, n: int, limit: int = 0, easy: bool = False) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, str(HERE), "worker", str(home), deck_id, str(n), str(limit), "easy" if easy else "mixed"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=HERE.parent.parent,
    )


def acks(output: str) -> list[int]:
    # A kill can cut the last line short: only whole "ACK n" lines count as acknowledged.
    return [
        int(line[4:]) for line in output.splitlines(keepends=True) if line.startswith("ACK ") and line.endswith("\n")
    ]


def check_store(home: Path, acknowledged: set[int]) -> int:
    """The store opens cleanly (integrity check included), holds every acknowledged review, and
    each card's counters match its log (card update and log row were one transaction)."""
    from quiz.storage.store import Store

    with Store.open(home / "quiz.sqlite3") as store:
        assert store.query("PRAGMA integrity_check")[0][0] == "ok"
        ids = {r[0] for r in store.query("SELECT id FROM revlog")}
        missing = acknowledged - ids
        assert not missing, f"acknowledged reviews lost: {sorted(missing)[:10]}"
        mismatched = store.query(
            "SELECT c.id, c.reps, COUNT(r.id) FROM cards c LEFT JOIN revlog r ON r.card_id = c.id AND r.undone = 0 "
            "GROUP BY c.id HAVING c.reps != COUNT(r.id)"
        )
        assert not mismatched, mismatched[:5]
        return len(ids)


@pytest.mark.slow
def test_sigkill_at_random_points_loses_no_acknowledged_grade(quiz_home: Path) -> None:
    rng = random.Random(20260302)
    acknowledged: set[int] = set()
    killed_after_acks = 0
    for _ in range(KILLS):
        p = spawn(quiz_home, "crash", 3000)
        # A quarter of the kills land anywhere from start-up on (opening, creating, syncing,
        # backing up); the rest while it studies.
        if rng.random() < 0.25:
            time.sleep(rng.uniform(0.0, 0.4))
        else:
            assert p.stdout is not None and p.stdout.readline() == "READY\n"
            time.sleep(rng.uniform(0.0, 0.15))
        p.send_signal(signal.SIGKILL)
        out, err = p.communicate(timeout=30)
        assert p.returncode == -signal.SIGKILL, err  # it was still studying, not crashed on its own
        got = acks(out)
        killed_after_acks += bool(got)
        acknowledged.update(got)
        check_store(quiz_home, acknowledged)
    assert killed_after_acks >= KILLS // 2  # most kills really interrupted a studying process
    assert len(acknowledged) > KILLS


@pytest.mark.slow
def test_two_processes_grading_one_store_lose_nothing(quiz_home: Path) -> None:
    procs = [spawn(quiz_home, f"proc{k}", 500, limit=500, easy=True) for k in range(2)]
    for p in procs:
        assert p.stdout is not None and p.stdout.readline() == "READY\n"
    for p in procs:  # both are open on the store: start them together
        assert p.stdin is not None
        p.stdin.write("go\n")
        p.stdin.flush()
    outs = [p.communicate(timeout=300) for p in procs]
    for p, (out, err) in zip(procs, outs):
        assert p.returncode == 0, err
        assert len(acks(out)) == 500
    acknowledged = {i for out, _ in outs for i in acks(out)}
    assert len(acknowledged) == 1000
    assert check_store(quiz_home, acknowledged) == 1000
    from quiz.storage.store import Store

    with Store.open(quiz_home / "quiz.sqlite3") as store:
        per_deck = dict(
            store.query("SELECT c.deck_id, COUNT(*) FROM revlog r JOIN cards c ON c.id = r.card_id GROUP BY 1")
        )
        assert per_deck == {"proc0": 500, "proc1": 500}
        assert store.query("SELECT MIN(reps), MAX(reps) FROM cards")[0] == (1, 1)


@pytest.mark.slow
def test_two_processes_on_the_same_cards_lose_no_update(quiz_home: Path) -> None:
    # Both study one deck: often the same card at once. Each grade reads the card inside its
    # write transaction, so the second builds on the first; no grade overwrites another.
    procs = [spawn(quiz_home, "shared", 50, limit=300) for _ in range(2)]
    for p in procs:
        assert p.stdout is not None and p.stdout.readline() == "READY\n"
    for p in procs:
        assert p.stdin is not None
        p.stdin.write("go\n")
        p.stdin.flush()
    outs = [p.communicate(timeout=300) for p in procs]
    assert all(p.returncode == 0 for p in procs), [e for _, e in outs]
    acknowledged = {i for out, _ in outs for i in acks(out)}
    assert len(acknowledged) == 600
    assert check_store(quiz_home, acknowledged) == 600
    from quiz.storage.store import Store

    with Store.open(quiz_home / "quiz.sqlite3") as store:
        cards_of = dict(store.query("SELECT id, card_id FROM revlog"))
    first, second = ({cards_of[i] for i in acks(out)} for out, _ in outs)
    assert first & second  # they really did grade the same cards


if __name__ == "__main__" and sys.argv[1:2] == ["worker"]:
    worker(sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5]), sys.argv[6] == "easy")
