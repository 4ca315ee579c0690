"""Regenerate the study-app screenshots in this folder (SVG, 80x24, dark and one light):

    .venv/bin/python docs/screens/make_screens.py

It goes the way `quiz` does: a Collection over the built-in decks (in a throwaway QUIZ_HOME),
and the QuizApp on it, driven by keys with Textual's pilot; the clock is fixed and the shuffles
seeded, so the same code gives the same pictures. tests/test_screens_doc.py runs it for the
home screen, so it cannot quietly stop working again.
"""

from __future__ import annotations

import asyncio
import os
import sys
import tempfile
from collections.abc import Collection as Names
from datetime import datetime, timezone
from pathlib import Path

from textual.pilot import Pilot
from textual.widgets import Input, TextArea

from quiz.collection import Collection
from quiz.exam.sitting import Exam, draw
from quiz.tui.app import QuizApp
from quiz.tui.screens.exam import ExamScreen
from quiz.tui.screens.exam_app import ExamFlow
from quiz.tui.screens.exam_result import ExamResultScreen
from quiz.tui.screens.home import EXAM_QUESTIONS, HomeScreen
from quiz.tui.screens.review import ReviewScreen
from quiz.tui.screens.summary import SummaryScreen
from quiz.tui.widgets.answer_box import AnswerBox

HERE = Path(__file__).resolve().parent
START = datetime(2026, 1, 5, 12, 0, tzinfo=timezone.utc)
SIZE = (80, 24)
SEED = 3
EXAM_SEED = 7

# Every screenshot it takes (review-* in the order the deck's cards come); README.md shows some.
# Each review-KIND is the first card of that kind, answered: new cards come interleaved by kind
# (new_card_order "mixed"), so every kind shows on the first day.
ALL = (
    "home", "review-question", "review-basic", "source", "help", "review-typed", "review-cloze",
    "review-list", "review-choice", "review-reverse", "summary", "exam", "exam-result",
    "stats", "browse", "settings", "home-light",
)


def clock() -> datetime:
    """The app's clock: it stands still, so due dates and intervals come out the same."""
    return START


class Shooter:
    def __init__(self, app: QuizApp, pilot: Pilot[None], out: Path, only: Names[str]) -> None:
        self.app, self.pilot, self.out, self.only = app, pilot, out, only
        self.shots: list[str] = []  # the screenshots written
        self.seen: set[str] = set()  # the screens reached (written or not)

    def save(self, name: str) -> None:
        assert name in ALL, name
        self.seen.add(name)
        if name in self.only:
            self.app.save_screenshot(str(self.out / f"{name}.svg"))
            self.shots.append(name)

    def done(self) -> bool:
        """Every screenshot asked for is taken (a method: its answer changes as they are)."""
        return set(self.only) <= set(self.shots)

    async def press(self, *keys: str) -> None:
        await self.pilot.press(*keys)
        await self.pilot.pause()

    async def settle(self) -> None:
        """Let workers (stats and browse load in one) finish and the screen repaint."""
        await self.pilot.pause()
        await self.app.workers.wait_for_complete()
        await self.pilot.pause()


async def answer_card(s: Shooter, screen: ReviewScreen) -> str:
    """Answer the card on screen as a student would (with a slip here and there, so the
    feedback shows); the item's kind."""
    assert screen.card is not None
    item = screen.card.item
    if item.type == "typed":
        # one typo on purpose, to show the character diff and the Hard suggestion
        given = item.answer[:-1] + ("x" if item.answer[-1] != "x" else "y")
        await s.press(*given, "enter")
    elif item.type == "choice":
        options = screen.query_one(AnswerBox).options
        wrong = next(i for i, o in enumerate(options) if o != item.answer)  # shows both marks
        await s.press("abcdefg"[wrong])
    elif item.type == "list":
        await s.press(*item.answers[0], "enter", *"not sure", "ctrl+s")
    else:
        await s.press("space")
    return f"review-{item.type}"


async def review_day(s: Shooter) -> None:
    """The home screen's first deck, card by card to the summary, shooting each item kind
    (and, on the first basic card, its source and the help screen) the first time it shows."""
    s.save("home")
    if s.done():
        return
    await s.press("enter")
    s.save("review-question")
    while isinstance(s.app.screen, ReviewScreen):
        screen = s.app.screen
        name = await answer_card(s, screen)
        if name not in s.seen:
            s.save(name)
            if s.done():
                return
            if name == "review-basic":
                await s.press("e")
                s.save("source")
                await s.press("escape", "question_mark")
                s.save("help")
                await s.press("escape")
        assert screen.revealed
        await s.press("enter")  # the suggested grade
    assert isinstance(s.app.screen, SummaryScreen), s.app.screen
    s.save("summary")
    await s.press("enter")


async def answer_exam(s: Shooter, exam: Exam) -> None:
    """Every question of the exam: right, except every third one (so the result lists misses);
    basic and reverse ones are marked at the end, the first of them wrong."""
    for i, q in enumerate(exam.questions):
        right = i % 3 != 1
        if q.type == "choice":
            pick = q.options.index(q.item.answer) if right else next(
                k for k, o in enumerate(q.options) if o != q.item.answer)
            await s.press("abcdefg"[pick])
        elif q.type == "list":
            s.app.screen.query_one("#exam-list", TextArea).text = "\n".join(q.item.answers[: None if right else 1])
            await s.press("ctrl+s")
        else:
            s.app.screen.query_one("#exam-input", Input).value = q.expected if right else "not sure"
            await s.press("enter")
        if i == 2:
            s.save("exam")  # a few questions in: the progress shows
    marks = 0
    while isinstance(s.app.screen, ExamScreen):  # "Mark your answers": basic and reverse ones
        await s.press("n" if marks == 0 else "y")
        marks += 1
    assert isinstance(s.app.screen, ExamResultScreen), s.app.screen


async def shoot(out: Path = HERE, only: Names[str] = ALL) -> list[str]:
    """Take the screenshots named in ``only`` into ``out``; the names taken. Needs QUIZ_HOME
    set to an empty folder (main() does that)."""
    with Collection.open(clock=clock) as collection:  # the built-in decks, as `quiz` opens them
        collection.change_settings(enable_fuzzing=False, learn_ahead_minutes=0, new_per_day=100)
        collection.sync()
        app = QuizApp(collection, seed=SEED)
        app.animation_level = "none"
        async with app.run_test(size=SIZE) as pilot:
            s = Shooter(app, pilot, out, only)
            await s.settle()
            await review_day(s)
            if s.done():
                return s.shots
            # The exam as home's `e` starts it, but with a seed, for the same questions each time.
            exam = draw(collection.decks, n=EXAM_QUESTIONS, seed=EXAM_SEED, clock=clock)
            ExamFlow(app, exam, on_result=collection.record_exam).start()
            await s.settle()
            await answer_exam(s, exam)
            s.save("exam-result")
            await s.press("q")
            assert isinstance(app.screen, HomeScreen), app.screen
            # The other screens, on the store this session just filled.
            for key, name in (("s", "stats"), ("b", "browse"), ("comma", "settings")):
                await s.press(key)
                await s.settle()
                s.save(name)
                await s.press("escape")
            app.theme = "textual-light"
            await s.settle()
            s.save("home-light")
            return s.shots


def main(argv: list[str]) -> int:
    only = argv or ALL
    unknown = sorted(set(only) - set(ALL))
    if unknown:
        print(f"make_screens: unknown screen(s) {', '.join(unknown)}; known: {', '.join(ALL)}", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["QUIZ_HOME"] = tmp
        shots = asyncio.run(shoot(HERE, only))
    missing = [n for n in only if n not in shots]
    print("wrote", ", ".join(f"{n}.svg" for n in shots), "in", HERE)
    if missing:
        print("make_screens: never reached", ", ".join(missing), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
