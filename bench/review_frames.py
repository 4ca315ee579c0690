"""Where a grade's time goes inside the app, by hand: `python bench/review_frames.py [N]`.

The pty figure of bench/scale.py (grade -> next card's text in the terminal) is the one that
counts, but on a shared machine it swings with the load. This prints the app's own CPU time
(process time, so other processes' load counts less) for each step of N reveal/grade rounds on
the same 100,000-card store, headless at 100x30: the action (engine + widget updates), then the
frame Textual paints for it (layout, render), then the frame of the counts that follow a card.

It drives Textual's private frame hook (Screen._on_timer_update) so each frame is timed alone:
a measuring tool for the review screen, not a test; it may need updating with Textual.
"""

from __future__ import annotations

import asyncio
import gc
import os
import shutil
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from scale import big_store  # noqa: E402


def _timed(spent: dict[str, float], name: str, f: Callable[..., object]) -> Callable[..., object]:
    def wrapper(*args: object, **kwargs: object) -> object:
        t = time.process_time()
        try:
            return f(*args, **kwargs)
        finally:
            spent[name] += time.process_time() - t
    return wrapper


async def rounds(deck: Path, n: int) -> dict[str, list[float]]:
    # why: Textual reads TEXTUAL_ANIMATIONS when first imported, and main() sets it first
    from textual._compositor import Compositor
    from textual._wait import wait_for_idle

    from quiz.collection import Collection
    from quiz.tui.app import QuizApp
    from quiz.tui.screens.review import ReviewScreen

    spent = {"layout": 0.0, "render": 0.0}
    Compositor.reflow = _timed(spent, "layout", Compositor.reflow)  # type: ignore[method-assign]
    Compositor.render_update = _timed(spent, "render", Compositor.render_update)  # type: ignore[method-assign]
    out: dict[str, list[float]] = {}

    def note(name: str, seconds: float) -> None:
        out.setdefault(name, []).append(seconds * 1000)

    with Collection.open([str(deck)]) as collection:
        collection.sync()
        app = QuizApp(collection, start_decks=collection.decks)
        gc.freeze()  # as the study command does
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.pause()
            screen = app.screen
            assert isinstance(screen, ReviewScreen)
            screen._update_timer.resume = lambda: None  # frames only when called below

            async def settle() -> None:  # the messages an action posted, without their frame
                await pilot._wait_for_screen()
                await wait_for_idle(0)

            def frame(name: str) -> None:
                spent["layout"] = spent["render"] = 0.0
                t = time.process_time()
                screen._on_timer_update()
                note(f"{name} frame", time.process_time() - t)
                note(f"{name} frame: layout", spent["layout"])
                note(f"{name} frame: render", spent["render"])

            for i in range(n):
                t = time.process_time()
                screen.action_primary()
                note("reveal", time.process_time() - t)
                await settle()
                frame("reveal")
                t = time.process_time()
                screen.action_grade(1 if i % 5 == 4 else 3)
                note("grade (commit, next card, widgets)", time.process_time() - t)
                await settle()
                frame("grade")
                await settle()  # the counts, after the card is up
                frame("counts")
    return out


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 150
    work = Path(os.environ.get("QUIZ_BENCH_WORK", "/tmp/quiz-scale"))
    built, deck = big_store(work, 100_000)
    home = work / "home-frames"
    shutil.rmtree(home, ignore_errors=True)
    shutil.copytree(built, home)
    os.environ["QUIZ_HOME"] = str(home)
    os.environ["TEXTUAL_ANIMATIONS"] = "none"
    print(f"review screen, CPU ms per step over {n} rounds (100,000-card store, 100x30, headless):")
    for name, values in asyncio.run(rounds(deck, n)).items():
        v = sorted(values)
        print(f"  {name:38s} p50 {v[len(v) // 2]:6.2f}   p95 {v[int(len(v) * 0.95)]:6.2f}   max {v[-1]:6.2f}")


if __name__ == "__main__":
    main()
