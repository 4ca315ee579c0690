"""Keys typed in one burst keep their order across an Enter (issue 10, point 5), under Pilot.

Pilot's ``press`` waits for each key to be handled; a burst (one read from the terminal) is
every key posted to the app at once, which is what ``burst`` does."""

from __future__ import annotations

from pathlib import Path

from textual import events
from textual.app import App
from textual.widgets import Input
from test_tui_review import current_item, make_app, ratings, walk_to

from quiz.decks.model import Deck, Item
from quiz.exam.sitting import Exam, Question
from quiz.tui.screens.exam_app import ExamApp
from quiz.tui.screens.exam_result import ExamResultScreen


def burst(app: App, text: str) -> None:  # type: ignore[type-arg]
    """Post ``text`` as raw keys in one go ("\\r" is Enter), as a terminal read delivers them."""
    for ch in text:
        app.post_message(events.Key("enter", "\r") if ch == "\r" else events.Key(ch, ch))


async def settle(pilot) -> None:  # type: ignore[no-untyped-def]
    for _ in range(5):
        await pilot.pause()


async def test_review_answer_enter_grade_in_one_burst(tmp_path: Path) -> None:
    app = make_app(tmp_path / "study", start=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await walk_to(app, pilot, "q-typed")
        burst(app, "cyclophilin\r3")  # "3" after the Enter grades Good; it is not typed
        await settle(pilot)
        assert ratings(app, "q-typed") == [3]
        assert current_item(app) != "q-typed"


async def test_review_wrong_answer_then_again_in_one_burst(tmp_path: Path) -> None:
    app = make_app(tmp_path / "study", start=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await walk_to(app, pilot, "q-typed")
        burst(app, "mtor\r1")
        await settle(pilot)
        assert ratings(app, "q-typed") == [1]
        history = app.collection.store.history("demo", "q-typed")
        assert len(history) == 1


def typed_exam(n: int = 3) -> Exam:
    items = [Item(id=f"q{i}", type="typed", question=f"Question {i}?", answer=f"answer {i}") for i in range(n)]
    deck = Deck(id="burst", name="Burst", items=tuple(items))
    return Exam([Question(deck.id, it) for it in items], seed=0, decks=[deck.id])


async def test_exam_three_answers_in_one_burst() -> None:
    exam = typed_exam()
    app = ExamApp(exam)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        burst(app, "aaa\rbbb\rccc\r")
        await settle(pilot)
        given = [exam.outcomes[i].given for i in sorted(exam.outcomes)]
        assert given == ["aaa", "bbb", "ccc"]
        assert isinstance(app.screen, ExamResultScreen)


async def test_exam_keys_after_the_last_enter_wait_for_the_next_question() -> None:
    exam = typed_exam(2)
    app = ExamApp(exam)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        burst(app, "one\rtw")
        await settle(pilot)
        assert exam.outcomes[0].given == "one"
        assert app.screen.query_one("#exam-input", Input).value == "tw"
        burst(app, "o\r")
        await settle(pilot)
        assert exam.outcomes[1].given == "two"
