"""Study-app speed, by hand: `python bench/startup.py` prints figures (nothing is asserted).

1. Launch to first paint, side by side: `quiz study DECK` on an existing store until the first
   card is painted, vs a bare Textual hello-world app until its first paint. Both run in a
   pseudo-terminal of 80x24 and report through the same tiny hook: when the env var
   QUIZ_BENCH_FIRST_PAINT names a file, the app writes time.time() into it right after the
   first card's refresh and exits (quiz/tui/app.py, ReviewScreen._after_paint). Goal <= 1.5x.
2. Grade -> next card painted, p50/p95, on a 100,000-card store (a long-used collection: 90%
   review cards due from 5 days ago to a year ahead, 10% new; default daily limits), measured
   inside the process: from the grade action to the end of the next refresh
   (app.grade_timings). Headless driver, so terminal output is not included. Goal p95 <= 16 ms.
   Also the engine calls on that path, timed alone, to show where the time goes.
3. `quiz --help` and `quiz validate` do not import Textual.
"""

from __future__ import annotations

import asyncio
import fcntl
import os
import pty
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import threading
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

RUNS = 7
HELLO = """\
import os, time
from textual.app import App
from textual.widgets import Static

class Hello(App):
    def compose(self):
        yield Static("Hello, world")

    def on_mount(self):
        self.call_after_refresh(self.done)

    def done(self):
        with open(os.environ["QUIZ_BENCH_FIRST_PAINT"], "w") as f:
            f.write(repr(time.time()))
        self.exit()

Hello().run()
"""


def write_deck(path: Path, n: int) -> Path:
    lines = ["deck:", "  id: bench", "  name: Bench deck", "items:"]
    for i in range(n):
        lines += [f"  - id: item-{i}", "    type: basic", f"    question: Question number {i}?", f"    answer: Answer {i}"]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def first_paint(argv: list[str], env: dict[str, str]) -> float:
    """Seconds from spawning ``argv`` in an 80x24 pty to the time the app wrote as painted."""
    mark = Path(tempfile.mkstemp(suffix=".mark")[1])
    mark.unlink()
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    drain = threading.Thread(target=_drain, args=(master,), daemon=True)
    drain.start()
    start = time.time()
    proc = subprocess.Popen(argv, stdin=slave, stdout=slave, stderr=slave, env={**env, "QUIZ_BENCH_FIRST_PAINT": str(mark),
                            "TERM": "xterm-256color"}, start_new_session=True)
    os.close(slave)
    proc.wait(timeout=60)
    os.close(master)
    if not mark.exists():
        raise SystemExit(f"{argv}: exited {proc.returncode} without painting")
    painted = float(mark.read_text())
    mark.unlink()
    return painted - start


def _drain(fd: int) -> None:
    try:
        while os.read(fd, 65536):
            pass
    except OSError:
        pass


def startup(home: Path) -> None:
    from quiz.decks.library import builtin_deck_paths

    # The built-in decks as a user would start them; a generated deck if there are none yet.
    names = [p.stem for p in builtin_deck_paths()] or [str(write_deck(home / "bench.yaml", 100))]
    env = {**os.environ, "QUIZ_HOME": str(home), "TEXTUAL_ANIMATIONS": "none"}
    quiz = [sys.executable, "-m", "quiz", "study", *names]
    hello_py = home / "hello.py"
    hello_py.write_text(HELLO)
    hello = [sys.executable, str(hello_py)]
    first_paint(quiz, env)  # creates the store, syncs the deck: later runs open an existing store
    first_paint(hello, env)  # warm the OS caches for both
    q, h = [], []
    for _ in range(RUNS):  # interleaved, so both see the same machine state
        q.append(first_paint(quiz, env))
        h.append(first_paint(hello, env))
    qm, hm = statistics.median(q), statistics.median(h)
    print(f"launch -> first paint, median of {RUNS} (80x24 pty):")
    print(f"  quiz study {' '.join(Path(n).stem for n in names)[:30]:<30} {qm * 1000:5.0f} ms   (min {min(q) * 1000:.0f})")
    print(f"  {'bare Textual hello world':<41} {hm * 1000:5.0f} ms   (min {min(h) * 1000:.0f})")
    print(f"  {'ratio':<41} {qm / hm:5.2f} x    (goal <= 1.5)")


def grade_path(home: Path, cards: int = 100_000, grades: int = 300) -> None:
    from quiz.decks.model import Deck, Item
    from quiz.card_state import to_us
    from quiz.settings import Settings
    from quiz.collection import Collection
    from quiz.storage.store import Store
    from quiz.tui.app import QuizApp

    t0 = time.perf_counter()
    items = tuple(Item(id=f"c{i}", type="basic", question=f"Question number {i}?", answer=f"Answer {i}") for i in range(cards))
    deck = Deck(id="big", name="Big deck", items=items)
    store = Store.open(home / "big.sqlite3")
    store.sync_deck(deck)
    now = datetime.now(timezone.utc)
    rows = []
    for i in range(cards):
        if i % 10:  # review cards, due spread from 5 days ago to a year ahead
            due = now + timedelta(days=(i * 7919) % 370 - 5, seconds=i % 86400)
            stability = 1.0 + (i % 300)
            rows.append((stability, to_us(due), to_us(due - timedelta(days=stability)), f"c{i}"))
    with store.transaction() as c:
        c.executemany(
            "UPDATE cards SET state = 2, stability = ?, difficulty = 5.0, due = ?, last_review = ?, reps = 3 "
            "WHERE deck_id = 'big' AND item_id = ?",
            rows,
        )
    print(f"\n{cards:,}-card store built in {time.perf_counter() - t0:.1f} s")

    settings = Settings(reviews_per_day=9999)  # enough due reviews that the session never runs dry
    session = Collection(store, [deck], settings).study([deck])
    calls: dict[str, list[float]] = {"next_card": [], "counts": []}
    for _ in range(30):
        for name in calls:
            t = time.perf_counter()
            getattr(session, name)()
            calls[name].append(time.perf_counter() - t)
    app = QuizApp(Collection(store, [deck], settings), start_decks=[deck])
    app.animation_level = "none"
    timings: list[float] = []  # measured around the key presses: no hook inside the app

    async def drive() -> None:
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            for i in range(grades):
                await pilot.press("space")
                t = time.perf_counter()
                await pilot.press("1234"[i % 4])
                await pilot.pause()
                timings.append(time.perf_counter() - t)

    asyncio.run(drive())
    store.close()
    t = sorted(timings)
    p = lambda q: t[min(len(t) - 1, int(q * len(t)))] * 1000  # noqa: E731
    print(f"grade -> next card painted, {len(t)} grades (in-process, headless):")
    print(f"  p50 {p(0.50):5.1f} ms   p95 {p(0.95):5.1f} ms   max {t[-1] * 1000:5.1f} ms   (goal p95 <= 16 ms)")
    for name, times in calls.items():
        print(f"  engine {name}() alone: median {statistics.median(times) * 1000:.1f} ms")


def lazy_imports(home: Path) -> None:
    deck = write_deck(home / "lint.yaml", 5)
    print("\nTextual imported by the command line?")
    for argv in (["--help"], ["validate", str(deck)]):
        code = (
            "import sys, time\nt = time.perf_counter()\nfrom quiz.cli import main\n"
            f"try:\n    main({argv!r})\nexcept SystemExit:\n    pass\n"
            "sys.stdout = sys.__stdout__\n"
            "print('IMPORTED' if 'textual' in sys.modules else 'no', round((time.perf_counter() - t) * 1000))"
        )
        p = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env={**os.environ, "QUIZ_HOME": str(home)})
        verdict, ms = p.stdout.strip().splitlines()[-1].split()
        print(f"  quiz {' '.join(a if a.startswith('-') or a == 'validate' else 'DECK' for a in argv):<16} {verdict:<9} ({ms} ms in-process)")


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp)
        os.environ["QUIZ_HOME"] = str(home)
        startup(home)
        grade_path(home)
        lazy_imports(home)


if __name__ == "__main__":
    main()
