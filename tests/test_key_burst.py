"""Keys typed in one burst keep their order across an Enter (issue 10, point 5), under Pilot;
and on the lists a student moves through (home, browse, an exam's choices, the palette) each
key acts on what the key before it left: "down ⏎" opens the row below.

Pilot's ``press`` waits for each key to be handled; a burst (one read from the terminal) is
every key posted to the app at once, which is what ``burst`` and ``press_at_once`` do."""

from __future__ import annotations

from pathlib import Path

from textual import events
from textual.app import App
from _tui_extra import NOW, make_deck
from textual.command import CommandList
from textual.widgets import DataTable, Input
from test_tui_review import DECK_YAML, ORDER, current_item, make_app, ratings, walk_to

from quiz.collection import Collection
from quiz.decks.model import Deck, Item
from quiz.exam.sitting import Exam, Question, draw
from quiz.settings import Settings
from quiz.storage.store import Store
from quiz.tui.app import QuizApp
from quiz.tui.screens.browse import BrowseScreen
from quiz.tui.screens.exam_app import ExamApp
from quiz.tui.screens.exam_result import ExamResultScreen
from quiz.tui.screens.review import ReviewScreen
from quiz.tui.widgets.answer_box import AnswerBox


def burst(app: App, text: str) -> None:  # type: ignore[type-arg]
    """Post ``text`` as raw keys in one go ("\\r" is Enter), as a terminal read delivers them."""
    for ch in text:
        app.post_message(events.Key("enter", "\r") if ch == "\r" else events.Key(ch, ch))


def press_at_once(app: App, *keys: str) -> None:  # type: ignore[type-arg]
    """Post named keys ("down", "enter", "slash", letters) in one go, as one terminal read."""
    chars = {"enter": "\r", "slash": "/", "space": " "}
    for key in keys:
        app.post_message(events.Key(key, chars.get(key, key if len(key) == 1 else None)))


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


# --- lists: each key acts on the state the key before it left ---------------------------------

SECOND_DECK = DECK_YAML.replace("id: demo", "id: other").replace("Demo deck", "Other deck")


async def test_home_down_enter_in_one_burst_opens_the_deck_below(tmp_path: Path) -> None:
    app = make_app(tmp_path / "study", decks_yaml=(DECK_YAML, SECOND_DECK))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        press_at_once(app, "down", "enter")
        await settle(pilot)
        assert isinstance(app.screen, ReviewScreen)
        assert set(app.screen.decks) == {"other"}


async def test_home_keys_after_the_enter_go_to_the_review_it_opens(tmp_path: Path) -> None:
    """"down ⏎ space 3": the deck below is opened, its first card shown and graded Good."""
    app = make_app(tmp_path / "study", decks_yaml=(DECK_YAML, SECOND_DECK))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        press_at_once(app, "down", "enter", "space", "3")
        await settle(pilot)
        graded = [r.rating for r in app.collection.store.history("other", ORDER[0])]
        assert graded == [3]
        assert current_item(app) == ORDER[1]


async def test_home_enter_then_a_typed_answer_reaches_the_answer_box(tmp_path: Path) -> None:
    typed = "deck:\n  id: typed\n  name: Typed\nitems:\n  - {id: t1, type: typed, question: Q?, answer: cyclophilin}\n"
    app = make_app(tmp_path / "study", decks_yaml=(DECK_YAML, typed))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        press_at_once(app, "down", "enter")
        burst(app, "cyclophilin\r")
        await settle(pilot)
        box = app.screen.query_one(AnswerBox)
        assert box.verdict is not None and box.verdict.given == "cyclophilin" and box.verdict.correct


async def open_browse(app: QuizApp, pilot) -> BrowseScreen:  # type: ignore[no-untyped-def]
    app.action_open_browse()
    await app.workers.wait_for_complete()
    await settle(pilot)
    assert isinstance(app.screen, BrowseScreen)
    return app.screen


async def test_browse_arrows_from_the_search_box_then_s_suspend_the_row_reached(quiz_home: Path) -> None:
    """"down down s" from the search box: down to the results, down one row, suspend it (the
    focus moves later than the next key used to arrive: "s" went into the search box)."""
    store = Store.open(quiz_home / "quiz.sqlite3")
    app = QuizApp(Collection(store, [make_deck()], Settings(), clock=lambda: NOW))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_browse(app, pilot)
        assert isinstance(app.focused, Input)
        press_at_once(app, "down", "down", "s")
        await settle(pilot)
        assert [r.item.id for r in screen.rows if r.suspended] == ["pharm-2"]
        assert screen.query_one(Input).value == ""
    store.close()


async def test_home_b_then_typing_searches_in_browse(quiz_home: Path) -> None:
    store = Store.open(quiz_home / "quiz.sqlite3")
    app = QuizApp(Collection(store, [make_deck()], Settings(), clock=lambda: NOW))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        press_at_once(app, "b", *"tacro")
        await app.workers.wait_for_complete()
        await settle(pilot)
        assert isinstance(app.screen, BrowseScreen)
        assert app.screen.query_one(Input).value == "tacro"
    store.close()


async def test_browse_slash_then_typing_searches(quiz_home: Path) -> None:
    store = Store.open(quiz_home / "quiz.sqlite3")
    app = QuizApp(Collection(store, [make_deck()], Settings(), clock=lambda: NOW))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_browse(app, pilot)
        screen.query_one(DataTable).focus()
        await settle(pilot)
        press_at_once(app, "slash", *"tacro", "enter", "down", "s")
        await settle(pilot)
        assert screen.query_one(Input).value == "tacro"
        assert not any(r.suspended for r in screen.rows if "tacro" not in r.item.prompt)
        suspended = [r.item.id for r in screen.rows if r.suspended]
        assert suspended == [screen.shown[1].item.id]  # the second match, not the first
    store.close()


async def test_exam_choice_arrows_and_enter_in_one_burst() -> None:
    items = (Item(id="c", type="choice", question="Which year?", answer="2021", distractors=("1999", "1983")),)
    exam = draw([Deck(id="burst", name="Burst", items=items)], n=1, types=["choice"], seed=1)
    app = ExamApp(exam)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        press_at_once(app, *["down"] * exam.questions[0].options.index("2021"), "enter")
        await settle(pilot)
        assert exam.outcomes[0].correct


async def test_exam_two_choice_questions_answered_in_one_burst() -> None:
    """"down ⏎ ⏎": the second Enter picks on the second question, from its own first option
    (it used to pick the row the first question's arrow had left highlighted)."""
    items = (Item(id="c1", type="choice", question="Which year?", answer="2021", distractors=("1999", "1983")),
             Item(id="c2", type="choice", question="Which colour?", answer="red", distractors=("blue", "green")))
    exam = draw([Deck(id="burst", name="Burst", items=items)], n=2, types=["choice"], seed=1)
    keys = [k for q in exam.questions for k in ["down"] * q.options.index(q.item.answer) + ["enter"]]
    assert keys.count("down") == 1 and keys[-1] == keys[-2] == "enter"  # the case above
    app = ExamApp(exam)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        press_at_once(app, *keys)
        await settle(pilot)
        assert [(exam.outcomes[i].given, exam.outcomes[i].correct) for i in (0, 1)] == [("2021", True), ("red", True)]


async def test_review_choice_enter_then_a_grade_in_one_burst(tmp_path: Path) -> None:
    """"⏎ 1" on a choice card: the highlighted option is picked, then graded Again."""
    app = make_app(tmp_path / "study", start=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await walk_to(app, pilot, "q-choice")
        press_at_once(app, "enter", "1")
        await settle(pilot)
        assert ratings(app, "q-choice") == [1]
        assert current_item(app) != "q-choice"


async def test_palette_arrow_and_enter_in_one_burst(quiz_home: Path) -> None:
    store = Store.open(quiz_home / "quiz.sqlite3")
    decks = [make_deck(), make_deck(n=2, deck_id="micro", name="Microbiology")]
    app = QuizApp(Collection(store, decks, Settings(), clock=lambda: NOW))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+p", *"study deck")
        await app.screen.workers.wait_for_complete()
        await pilot.pause(0.1)
        listed = app.screen.query_one(CommandList)
        second = str(listed.get_option_at_index(1).prompt).split("\n")[0]
        press_at_once(app, "down", "enter")
        await settle(pilot)
        assert isinstance(app.screen, ReviewScreen)
        assert second == f"Study deck: {next(iter(app.screen.decks.values())).name}"
    store.close()
