"""Study-app start-up as the user sees it, by hand: `python bench/startup.py [--runs N]`.

Prints figures, asserts nothing. Everything is measured from OUTSIDE the process, in a 100x30
pseudo-terminal (bench/ptyrun.py): the time from spawning the program until the text a user
waits for is in the terminal's byte stream. No timing hook inside the app.

1. `quiz study <built-in deck>` until the first card's question text arrives, on an existing
   store and on a first run (a new QUIZ_HOME: no store, no deck cache), against a bare Textual
   app painting one line ("Hello, world"). Median of N runs each, interleaved, side by side.
   quiz runs as the user runs it: the `quiz` script pip installed (bench/ptyrun.quiz_command).
   Goals (issue 11): <= 1.3x the bare app on an existing store, <= 1.5x on a new one.
   Every program runs as installed, its bytecode cached (see timed_env; --no-bytecode-cache
   to compile from source on each start, as a checkout does under PYTHONDONTWRITEBYTECODE).
2. Grade -> next card's text in the terminal on a 100,000-card store: bench/scale.py.
3. `quiz --help` and `quiz validate` do not import Textual.
4. With --instructions, 1. in CPU instructions (valgrind's cachegrind, from outside): a figure
   that stays put while wall times drift with the machine.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from ptyrun import installed_env, instructions_to_text, quiz_command, time_to_text  # noqa: E402

RUNS = 9
HELLO = """\
from textual.app import App
from textual.widgets import Static

class Hello(App):
    def compose(self):
        yield Static("Hello, world")

Hello().run()
"""


def prompt_pattern(deck_path: Path) -> re.Pattern[str]:
    """Any card's question text (its first words: one line of the card, whatever the width)."""
    from quiz.decks.loader import load_deck

    starts = {" ".join(item.prompt.split()[:4])[:28] for item in load_deck(deck_path).items}
    return re.compile("|".join(re.escape(s) for s in sorted(starts, key=len, reverse=True)))


def write_deck(path: Path, n: int) -> Path:
    lines = ["deck:", "  id: bench", "  name: Bench deck", "items:"]
    for i in range(n):
        lines += [f"  - id: item-{i}", "    type: basic", f"    question: Question number {i}?", f"    answer: Answer {i}"]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def timed_env(work: Path, bytecode: bool) -> dict[str, str]:
    """Every program's environment: with ``bytecode``, as installed (ptyrun.installed_env)."""
    base = {**os.environ, "TEXTUAL_ANIMATIONS": "none"}
    return installed_env(work, base) if bytecode else base


def warm_existing(quiz: list[str], env: dict[str, str], pattern: re.Pattern[str]) -> None:
    """An existing store as a student has it on a new day's second start: the first start makes
    the store and the deck cache (and warms the OS caches), the second makes the day's backup
    (the start that creates a store makes none). The timed starts then do neither."""
    for _ in range(2):
        time_to_text(quiz, env, pattern)


def startup(work: Path, runs: int, against: Path | None = None, bytecode: bool = True) -> None:
    from quiz.decks.library import builtin_deck_paths

    deck = builtin_deck_paths()[0]
    pattern = prompt_pattern(deck)
    base = timed_env(work, bytecode)
    existing = {**base, "QUIZ_HOME": str(work / "existing")}
    quiz = [*quiz_command(), "study", deck.stem]
    hello_py = work / "hello.py"
    hello_py.write_text(HELLO)
    hello = [sys.executable, str(hello_py)]
    hello_text = re.compile("Hello, world")
    warm_existing(quiz, existing, pattern)
    time_to_text(hello, base, hello_text)
    times: dict[str, list[float]] = {"existing": [], "new": [], "hello": []}
    # Another checkout of quiz (e.g. the commit before a change), run the same way in the same
    # loop: its own package first on the path, its own built-in deck.
    other_deck = against / "decks" / deck.name if against else deck
    other_pattern = prompt_pattern(other_deck)
    other = {**base, "PYTHONPATH": str(against), "QUIZ_HOME": str(work / "other")} if against else base
    if against:
        warm_existing(quiz, other, other_pattern)
        times |= {"other existing": [], "other new": []}
    for i in range(runs):  # interleaved, so all of them see the same machine state
        times["existing"].append(time_to_text(quiz, existing, pattern))
        fresh = work / f"new-{i}"
        times["new"].append(time_to_text(quiz, {**base, "QUIZ_HOME": str(fresh)}, pattern))
        shutil.rmtree(fresh, ignore_errors=True)
        times["hello"].append(time_to_text(hello, base, hello_text))
        if against:
            times["other existing"].append(time_to_text(quiz, other, other_pattern))
            times["other new"].append(time_to_text(quiz, {**other, "QUIZ_HOME": str(fresh)}, other_pattern))
            shutil.rmtree(fresh, ignore_errors=True)
    med = {k: statistics.median(v) for k, v in times.items()}
    cached = "bytecode cached, as installed" if bytecode else "bytecode as the environment has it"
    print(f"launch -> first card's text in the terminal, median of {runs} (100x30 pty, measured outside; {cached}):")
    print(f"  {'quiz study ' + deck.stem + ', existing store':<58} {med['existing'] * 1000:5.0f} ms  "
          f"{med['existing'] / med['hello']:4.2f}x  (goal <= 1.3x)")
    print(f"  {'quiz study ' + deck.stem + ', first run (new store)':<58} {med['new'] * 1000:5.0f} ms  "
          f"{med['new'] / med['hello']:4.2f}x  (goal <= 1.5x)")
    print(f"  {'bare Textual app painting one line':<58} {med['hello'] * 1000:5.0f} ms  1.00x")
    if against:
        for kind in ("existing", "new"):
            print(f"  {f'{against}: quiz study, {kind} store':<58} {med['other ' + kind] * 1000:5.0f} ms  "
                  f"{med['other ' + kind] / med['hello']:4.2f}x")
    mins = " / ".join(f"{min(v) * 1000:.0f}" for v in times.values())
    print(f"  (min, a steadier figure on a busy machine: {mins} ms, in the order above: {', '.join(times)})")


def instructions(work: Path) -> None:
    """The same comparison in CPU instructions (valgrind's cachegrind), a figure that does not
    move with the machine's load: each program once, after a run that makes the store and the
    deck cache."""
    from quiz.decks.library import builtin_deck_paths

    deck = builtin_deck_paths()[0]
    base = timed_env(work, True)
    quiz = [*quiz_command(), "study", deck.stem]
    hello_py = work / "hello.py"
    hello_py.write_text(HELLO)
    pattern, hello_text = prompt_pattern(deck), re.compile("Hello, world")
    existing = {**base, "QUIZ_HOME": str(work / "existing")}
    warm_existing(quiz, existing, pattern)
    time_to_text([sys.executable, str(hello_py)], base, hello_text)
    counts = {
        "existing": instructions_to_text(quiz, existing, pattern, work),
        "new": instructions_to_text(quiz, {**base, "QUIZ_HOME": str(work / "new")}, pattern, work),
        "hello": instructions_to_text([sys.executable, str(hello_py)], base, hello_text, work),
    }
    print("\nthe same, in CPU instructions until the text is there (cachegrind, measured outside):")
    for key, label in (("existing", "existing store"), ("new", "first run (new store)"), ("hello", "bare Textual app")):
        print(f"  {label:<58} {counts[key] / 1e6:7.0f} M  {counts[key] / counts['hello']:4.2f}x")


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
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=RUNS, help=f"runs of each program (default {RUNS})")
    ap.add_argument("--against", type=Path, metavar="DIR",
                    help="another checkout of quiz (e.g. `git worktree add DIR REV`) timed in the same loop")
    ap.add_argument("--no-bytecode-cache", action="store_true",
                    help="run the programs as the environment says (with PYTHONDONTWRITEBYTECODE, a source "
                    "checkout compiles every module on every start; an installed package does not)")
    ap.add_argument("--instructions", action="store_true",
                    help="also count CPU instructions with valgrind (steady on a busy machine; ~1 min)")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        os.environ["QUIZ_HOME"] = str(work / "home")
        startup(work, args.runs, args.against.resolve() if args.against else None, not args.no_bytecode_cache)
        if args.instructions:
            if shutil.which("valgrind") is None:
                print("\n(--instructions: valgrind is not installed)")
            else:
                instructions(work)
        lazy_imports(work)


if __name__ == "__main__":
    main()
