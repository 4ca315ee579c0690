"""Pilot tests of the study flow: home -> review of every item type -> summary -> home.

Also the app factory that the snapshot tests reuse: a hand-built deck, a store in tmp, a fixed
clock and a fixed shuffle seed, so every run shows the same cards in the same order.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from textual.widgets import DataTable, Input, Static, TextArea

from quiz.decks.loader import load_deck
from quiz.settings import Settings
from quiz.storage.store import Store
from quiz.collection import Collection
from quiz.tui.app import QuizApp
from quiz.tui.screens.help import HelpScreen
from quiz.tui.screens.home import HomeScreen
from quiz.tui.screens.review import ReviewScreen
from quiz.tui.screens.source import SourceScreen
from quiz.tui.screens.summary import SummaryScreen
from quiz.tui.widgets.grade_bar import GradeBar
from quiz.tui.widgets.top_bar import TopBar
from quiz.tui.widgets.answer_box import AnswerBox

CLOCK = datetime(2026, 1, 5, 12, 0, tzinfo=timezone.utc)

DECK_YAML = """\
deck:
  id: demo
  name: Demo deck
  description: one item of each type
items:
  - id: q-basic
    type: basic
    question: Which protein do calcineurin inhibitors block?
    answer: Calcineurin
    fact: cni-mechanism
    source: mechanism
  - id: q-reverse
    type: reverse
    question: Tacrolimus
    answer: A calcineurin inhibitor also called FK506
  - id: q-cloze
    type: cloze
    text: Cyclosporine binds {{c1::cyclophilin}} before it blocks calcineurin.
  - id: q-choice
    type: choice
    question: Which drug is a calcineurin inhibitor?
    answer: Tacrolimus
    distractors: [Sirolimus, Mycophenolate, Azathioprine]
  - id: q-typed
    type: typed
    question: Which protein does cyclosporine bind first?
    answer: cyclophilin
  - id: q-list
    type: list
    question: Name the three calcineurin inhibitors taken by mouth.
    answers: [Cyclosporine, Tacrolimus, Voclosporin]
"""

ORDER = ["q-basic", "q-reverse", "q-cloze", "q-choice", "q-typed", "q-list"]


def make_app(home: Path, *, start: bool = False, decks_yaml: tuple[str, ...] = (DECK_YAML,)) -> QuizApp:
    """A reproducible app: fixed clock, no fuzz, no learn-ahead (the session ends after one pass)."""
    home.mkdir(parents=True, exist_ok=True)
    decks = []
    for i, text in enumerate(decks_yaml):
        path = home / f"deck{i}.yaml"
        path.write_text(text, encoding="utf-8")
        decks.append(load_deck(path))
    store = Store.open(home / "quiz.sqlite3")
    for d in decks:
        store.sync_deck(d)
    settings = Settings(enable_fuzzing=False, learn_ahead_minutes=0)
    app = QuizApp(Collection(store, decks, settings, clock=lambda: CLOCK), start_decks=decks if start else None, seed=7)
    app.animation_level = "none"
    return app


def text(app: QuizApp, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render())


def deck_column(table: DataTable, strip: bool = True) -> list[str]:
    """Home's deck names, row by row (``strip``: without a child's indent)."""
    cells = [str(table.get_row_at(i)[0]) for i in range(table.row_count)]
    return [c.strip() for c in cells] if strip else cells


def current_item(app: QuizApp) -> str:
    screen = app.screen
    assert isinstance(screen, ReviewScreen)
    assert screen.card is not None
    return screen.card.item.id


def grade_labels(app: QuizApp) -> dict[int, str]:
    """Each grade's key as the bar draws it (its text in the bar's line, where a click takes it)."""
    bar = app.screen.query_one(GradeBar)
    line = bar.render().plain
    return {int(key.removeprefix("grade-")): line[start:end].strip() for start, end, key in bar.spans()
            if key.startswith("grade-")}


def ratings(app: QuizApp, item_id: str) -> list[int]:
    return [r.rating for r in app.collection.store.history("demo", item_id) if not getattr(r, "undone", False)]


@pytest.fixture
def app(tmp_path: Path) -> QuizApp:
    return make_app(tmp_path / "study")


async def test_walk_every_item_type_to_summary_and_home(app: QuizApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        table = app.screen.query_one("#decks", DataTable)
        # 7 new cards: the reverse item gives two (asked both ways)
        assert [str(c) for c in table.get_row("demo")] == ["Demo deck", "7", "0", "0"]
        assert "0 reviewed" in text(app, "#today")

        await pilot.press("enter")
        await pilot.pause()
        # basic: the question, the answer hidden until space
        assert current_item(app) == "q-basic"
        assert "Which protein" in text(app, "#question")
        assert not app.screen.query_one("#answer").display
        assert app.screen.query_one(GradeBar).showing == ("show",)  # the grades show only after the reveal
        await pilot.press("3")  # grading before the reveal does nothing
        await pilot.pause()
        assert current_item(app) == "q-basic" and ratings(app, "q-basic") == []
        await pilot.press("space")
        await pilot.pause()
        assert text(app, "#answer") == "Calcineurin"
        labels = grade_labels(app)
        # each button shows the interval its grade would give (fsrs: new card Good = 10 min)
        assert labels[1].endswith("1m") and labels[3].endswith("10m") and "Easy" in labels[4]
        assert labels[3].startswith("▸")  # the suggested grade
        await pilot.press("space")  # space again accepts the suggested grade (Good)
        await pilot.pause()
        assert ratings(app, "q-basic") == [3]  # committed before the next card shows

        # reverse: asked from the answer side, the question side revealed
        assert current_item(app) == "q-reverse"
        assert text(app, "#question") == "A calcineurin inhibitor also called FK506"
        await pilot.press("enter")
        await pilot.pause()
        assert text(app, "#answer") == "Tacrolimus"
        await pilot.press("4")
        await pilot.pause()
        assert ratings(app, "q-reverse") == [4]

        # cloze: blanked in place, then revealed in place
        assert current_item(app) == "q-cloze"
        assert text(app, "#question") == "Cyclosporine binds [...] before it blocks calcineurin."
        await pilot.press("space")
        await pilot.pause()
        assert text(app, "#question") == "Cyclosporine binds cyclophilin before it blocks calcineurin."
        assert not app.screen.query_one("#answer").display
        await pilot.press("2")
        await pilot.pause()
        assert ratings(app, "q-cloze") == [2]

        # choice: pick the right option by its letter; marked, Good suggested
        assert current_item(app) == "q-choice"
        box = app.screen.query_one(AnswerBox)
        assert sorted(box.options) == ["Azathioprine", "Mycophenolate", "Sirolimus", "Tacrolimus"]
        await pilot.press("abcd"[box.options.index("Tacrolimus")])
        await pilot.pause()
        assert "right" in text(app, "#feedback")
        assert grade_labels(app)[3].startswith("▸")
        await pilot.press("enter")
        await pilot.pause()
        assert ratings(app, "q-choice") == [3]

        # typed: a typo is right but suggests Hard; `o` overrides it to wrong -> Again
        assert current_item(app) == "q-typed"
        assert app.focused is app.screen.query_one("#typed", Input)
        await pilot.press(*"cyclophilen", "enter")
        await pilot.pause()
        assert "typo" in text(app, "#feedback")
        assert grade_labels(app)[2].startswith("▸")
        await pilot.press("o")
        await pilot.pause()
        assert "wrong" in text(app, "#feedback") and "override" in text(app, "#feedback")
        assert grade_labels(app)[1].startswith("▸")
        await pilot.press("enter")
        await pilot.pause()
        assert ratings(app, "q-typed") == [1]

        # list: any order, partial credit shown, Hard suggested for 2 of 3
        assert current_item(app) == "q-list"
        assert app.focused is app.screen.query_one("#list", TextArea)
        await pilot.press(*"tacrolimus", "enter", *"cyclosporine", "ctrl+s")
        await pilot.pause()
        feedback = text(app, "#feedback")
        assert "2 of 3" in feedback and "missed: Voclosporin" in feedback
        assert grade_labels(app)[2].startswith("▸")
        await pilot.press("space")
        await pilot.pause()
        assert ratings(app, "q-list") == [2]

        # nothing left (learning cards are not due with the clock stopped): the summary
        assert isinstance(app.screen, SummaryScreen)
        figures = text(app, "#summary-figures")
        assert "Cards studied  6" in figures
        assert "83%" in figures and "5 of 6" in figures  # every grade but the one Again
        assert "in 1 min" in figures  # the typed card's Again (1 minute)

        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        await pilot.pause()
        table = app.screen.query_one("#decks", DataTable)
        assert [str(c) for c in table.get_row("demo")] == ["Demo deck", "0", "5", "0"]
        assert "6 reviewed" in text(app, "#today")


async def test_undo_bury_suspend(tmp_path: Path) -> None:
    app = make_app(tmp_path / "study", start=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert current_item(app) == "q-basic"
        await pilot.press("space", "3")
        await pilot.pause()
        assert current_item(app) == "q-reverse"
        assert ratings(app, "q-basic") == [3]

        await pilot.press("u")  # the graded card comes back, its grade undone in the store
        await pilot.pause()
        assert current_item(app) == "q-basic"
        assert not app.screen.revealed
        assert app.collection.store.card_info("demo", "q-basic").reps == 0
        await pilot.press("u")  # nothing more to undo: stays put
        await pilot.pause()
        assert current_item(app) == "q-basic"

        await pilot.press("minus")  # bury: gone until tomorrow
        await pilot.pause()
        assert current_item(app) == "q-reverse"
        assert app.collection.store.card_info("demo", "q-basic").buried_until > CLOCK

        await pilot.press("exclamation_mark")  # suspend
        await pilot.pause()
        assert current_item(app) == "q-cloze"
        assert app.collection.store.card_info("demo", "q-reverse").suspended
        # the reverse item's other card, cloze, choice, typed, list
        assert app.screen.query_one(TopBar).counts.plain == "5 + 0 + 0"

        await pilot.press("q")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        await pilot.pause()
        row = app.screen.query_one("#decks", DataTable).get_row("demo")
        assert [str(c) for c in row[1:]] == ["5", "0", "0"]


async def test_choice_wrong_pick_suggests_again_and_arrows_pick(app: QuizApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter")
        await pilot.pause()
        for _ in range(3):  # basic, reverse, cloze
            await pilot.press("space", "3")
        await pilot.pause()
        assert current_item(app) == "q-choice"
        box = app.screen.query_one(AnswerBox)
        wrong = next(i for i, o in enumerate(box.options) if o != "Tacrolimus")
        await pilot.press(*["down"] * wrong, "enter")  # arrows + enter pick too
        await pilot.pause()
        assert box.answered and "wrong" in text(app, "#feedback")
        assert grade_labels(app)[1].startswith("▸")
        await pilot.press("3")  # the user may override the suggestion
        await pilot.pause()
        assert ratings(app, "q-choice") == [3]


async def test_source_help_and_back_home(app: QuizApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, SourceScreen)
        shown = " ".join(str(s.render()) for s in app.screen.query(Static))
        assert "cni-mechanism" in shown and "mechanism" in shown and "q-basic" in shown
        await pilot.press("escape")
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)
        await pilot.press("q")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        await pilot.press("q")
        await pilot.pause()
    assert app.return_code == 0


async def test_nothing_due_goes_to_summary(tmp_path: Path) -> None:
    empty = "deck:\n  id: empty\n  name: Empty\nitems: []\n"
    app = make_app(tmp_path / "study", start=True, decks_yaml=(empty,))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, SummaryScreen)
        assert "Nothing to study" in text(app, "#summary-title")


def _key_column(bar: GradeBar, key: str) -> int:
    return next(start + 1 for start, _, k in bar.spans() if k == key)


async def test_mouse_reveals_and_grades(app: QuizApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter")
        await pilot.pause()
        bar = app.screen.query_one(GradeBar)
        await pilot.click(GradeBar, offset=(0, 0))  # the margin left of the key: nothing
        await pilot.pause()
        assert not app.screen.revealed
        await pilot.click(GradeBar, offset=(_key_column(bar, "show"), 0))
        await pilot.pause()
        assert app.screen.revealed and bar.showing == ("grade-1", "grade-2", "grade-3", "grade-4")
        await pilot.hover(GradeBar, offset=(_key_column(bar, "grade-2"), 0))
        assert bar.hovered == "grade-2"
        await pilot.click(GradeBar, offset=(_key_column(bar, "grade-4"), 0))
        await pilot.pause()
        assert ratings(app, "q-basic") == [4]
        assert current_item(app) == "q-reverse"


async def test_a_failing_store_is_reported_and_the_card_stays(app: QuizApp, monkeypatch: pytest.MonkeyPatch) -> None:
    from quiz.storage.store import StoreError

    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter", "space")
        await pilot.pause()
        session = app.screen.session

        def busy(*args: object, **kwargs: object) -> None:
            raise StoreError("quiz.sqlite3: the store is busy (another quiz is writing); try again")

        working = session.grade
        monkeypatch.setattr(session, "grade", busy)
        await pilot.press("3")
        await pilot.pause()
        assert current_item(app) == "q-basic" and app.screen.revealed  # still there, answer shown
        status = text(app, "#status")  # said in the status line, not a toast over the grades
        assert "Could not save this grade" in status and "busy" in status
        assert not app._notifications
        monkeypatch.setattr(session, "grade", working)
        await pilot.press("3")  # try again: now it is saved
        await pilot.pause()
        assert ratings(app, "q-basic") == [3]
        assert current_item(app) == "q-reverse"


def keys_hint(app: QuizApp) -> str:
    return text(app, "#hints")


async def test_undo_reverses_bury_and_suspend_and_says_which(tmp_path: Path) -> None:
    app = make_app(tmp_path / "study", start=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("space", "3")  # q-basic graded
        await pilot.press("minus")  # q-reverse buried
        await pilot.pause()
        assert current_item(app) == "q-cloze"
        assert "Buried" in text(app, "#status")
        await pilot.press("u")
        await pilot.pause()
        assert current_item(app) == "q-reverse"
        assert text(app, "#status") == "Bury undone."
        assert app.collection.store.card_info("demo", "q-reverse").buried_until is None
        assert app.screen.ratings == [3]  # the grade before the bury still counts
        await pilot.press("exclamation_mark")
        await pilot.press("u")
        await pilot.pause()
        assert current_item(app) == "q-reverse"
        assert text(app, "#status") == "Suspend undone."
        assert not app.collection.store.card_info("demo", "q-reverse").suspended
        assert app.screen.ratings == [3]
        await pilot.press("u")  # now the grade of q-basic
        await pilot.pause()
        assert current_item(app) == "q-basic"
        assert text(app, "#status") == "Grade undone."
        assert app.screen.ratings == []
        assert not app._notifications  # no toast over the grade bar
        await pilot.press("space")  # the reveal: the message was about the step before
        await pilot.pause()
        assert not app.screen.query_one("#status").display


async def walk_to(app: QuizApp, pilot, item_id: str) -> None:  # type: ignore[no-untyped-def]
    """Bury cards until ``item_id`` is up (burying keeps the grade history empty)."""
    for _ in range(len(ORDER)):
        if current_item(app) == item_id:
            return
        if app.focused is not None and app.focused.id in ("typed", "list"):
            await pilot.press("escape")  # out of the answer box first: there "-" is typed
        await pilot.press("minus")
        await pilot.pause()
    raise AssertionError(f"{item_id} never came up")


@pytest.mark.parametrize("item_id", ["q-typed", "q-list"])
async def test_esc_leaves_the_answer_box_and_single_keys_then_work(tmp_path: Path, item_id: str) -> None:
    app = make_app(tmp_path / "study", start=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("space", "3")  # something to undo
        await pilot.pause()
        await walk_to(app, pilot, item_id)
        await pilot.press("u")  # typed into the box, not an undo
        await pilot.pause()
        assert current_item(app) == item_id
        assert "ctrl+z undo" in keys_hint(app) and "esc more keys" in keys_hint(app)
        await pilot.press("escape")  # out of the box: the footer lists the single keys
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen) and app.focused is None
        hint = keys_hint(app)
        assert all(k in hint for k in ("- bury", "! suspend", "u undo", "e source", "q home"))
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, SourceScreen)
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("u")  # undoes the last bury
        await pilot.pause()
        assert text(app, "#status") == "Bury undone."
        await pilot.press("escape")
        await pilot.pause()
        if isinstance(app.screen, ReviewScreen):  # the card brought back had its own input box
            assert app.focused is None
            await pilot.press("escape")  # a second esc goes home
            await pilot.pause()
        assert isinstance(app.screen, HomeScreen)


async def test_ctrl_keys_work_inside_the_typed_box(tmp_path: Path) -> None:
    app = make_app(tmp_path / "study", start=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await walk_to(app, pilot, "q-typed")
        assert isinstance(app.focused, Input)
        await pilot.press("ctrl+e")
        await pilot.pause()
        assert isinstance(app.screen, SourceScreen)
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("ctrl+z")  # undo the bury of the card before
        await pilot.pause()
        assert current_item(app) == "q-choice"
        assert text(app, "#status") == "Bury undone."


async def test_after_checking_the_footer_lists_bury_and_suspend(tmp_path: Path) -> None:
    app = make_app(tmp_path / "study", start=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await walk_to(app, pilot, "q-typed")
        await pilot.press(*"cyclophilin", "enter")
        await pilot.pause()
        hint = keys_hint(app)
        assert "- bury" in hint and "! suspend" in hint and "enter/spc ▸" in hint and "1-4 grade" in hint
        assert "o: count it as" in text(app, "#feedback")  # the override key, named where it acts
        assert len(hint) <= 78  # fits 80 columns with its padding
        await pilot.press("minus")
        await pilot.pause()
        assert current_item(app) == "q-list"


async def test_a_wrong_typed_answer_far_off_shows_yours_and_expected(tmp_path: Path) -> None:
    app = make_app(tmp_path / "study", start=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await walk_to(app, pilot, "q-typed")
        await pilot.press(*"mtor", "enter")
        await pilot.pause()
        feedback = text(app, "#feedback")
        assert feedback.splitlines()[1:] == ["yours: mtor", "expected: cyclophilin"]


async def test_reverse_card_asks_for_the_term(app: QuizApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter", "space", "3")
        await pilot.pause()
        assert current_item(app) == "q-reverse"
        assert text(app, "#kind") == "reverse: name the term this describes"


async def test_a_daily_limit_is_named_on_the_summary(tmp_path: Path) -> None:
    app = make_app(tmp_path / "study", start=True)
    app.collection.settings = replace(app.collection.settings, new_per_day=2)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("space", "3", "space", "3")  # no learn-ahead: both wait till later
        await pilot.pause()
        assert isinstance(app.screen, SummaryScreen)
        idle = text(app, "#summary-idle")
        assert "Daily limit of 2 new cards reached" in idle and "5 more" in idle  # 7 cards, 2 studied


async def test_started_on_a_deck_ctrl_c_goes_home_then_quits(tmp_path: Path) -> None:
    """`quiz study DECK` opens on the first card (the bottom screen, no home below it): ctrl+c
    still goes home first, and only then quits."""
    app = make_app(tmp_path / "study", start=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)
        await pilot.press("ctrl+c")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        await pilot.press("enter")  # study again: the same run, the next card
        await pilot.pause()
        assert current_item(app) == "q-basic"
        await pilot.press("q", "ctrl+c")
        await pilot.pause()
        assert app.is_running is False
    assert app.return_code == 0


async def test_started_on_a_deck_the_summary_leads_home(tmp_path: Path) -> None:
    app = make_app(tmp_path / "study", start=True)
    app.collection.settings = replace(app.collection.settings, new_per_day=1)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("space", "3")
        await pilot.pause()
        assert isinstance(app.screen, SummaryScreen)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        await pilot.press("ctrl+c")
        await pilot.pause()
    assert app.return_code == 0


async def test_ctrl_c_goes_home_then_quits(app: QuizApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)
        await pilot.press("ctrl+c")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        await pilot.press("ctrl+c")
        await pilot.pause()
    assert app.return_code == 0


async def test_a_notice_goes_when_the_screen_changes(app: QuizApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        app.notify("press r to retake")
        await pilot.pause()
        assert app._notifications
        await pilot.press("enter")  # to the review screen
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)
        assert not app._notifications


async def test_a_choice_pick_shows_the_result_and_enter_then_grades(app: QuizApp) -> None:
    """A letter only picks (the result shows, nothing is graded); the header then says that
    enter/space take the suggested grade, and only that second key grades."""
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter")
        await pilot.pause()
        for _ in range(3):  # basic, reverse, cloze
            await pilot.press("space", "3")
        await pilot.pause()
        assert current_item(app) == "q-choice"
        assert "pick one with a-d" in text(app, "#kind") and "to see the answer" in text(app, "#kind")
        box = app.screen.query_one(AnswerBox)
        wrong = next(i for i, o in enumerate(box.options) if o != "Tacrolimus")
        await pilot.press("abcd"[wrong])
        await pilot.pause()
        assert current_item(app) == "q-choice" and ratings(app, "q-choice") == []  # not graded yet
        assert "wrong" in text(app, "#feedback") and grade_labels(app)[1].startswith("▸")
        assert text(app, "#kind") == "enter/space: take the suggested grade (▸), or 1-4"
        assert "enter/spc ▸" in keys_hint(app) and "1-4 grade" in keys_hint(app)
        await pilot.press("c" if wrong != 2 else "d")  # another letter changes nothing now
        await pilot.pause()
        assert ratings(app, "q-choice") == [] and grade_labels(app)[1].startswith("▸")
        await pilot.press("enter")
        await pilot.pause()
        assert ratings(app, "q-choice") == [1]


@pytest.mark.parametrize("key, said", [("minus", "Buried"), ("exclamation_mark", "Suspended")])
async def test_set_aside_message_names_ctrl_z_when_the_next_card_types(tmp_path: Path, key: str, said: str) -> None:
    app = make_app(tmp_path / "study", start=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await walk_to(app, pilot, "q-choice")
        await pilot.press(key)  # the next card is the typed one: the focus goes to its box
        await pilot.pause()
        assert current_item(app) == "q-typed"
        status = text(app, "#status")
        assert status.startswith(said) and "(ctrl+z: undo)" in status
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert current_item(app) == "q-choice"


async def test_set_aside_message_names_u_when_no_box_has_focus(tmp_path: Path) -> None:
    app = make_app(tmp_path / "study", start=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("minus")  # q-basic buried; q-reverse (no answer box) comes up
        await pilot.pause()
        assert current_item(app) == "q-reverse"
        assert "(u: undo)" in text(app, "#status")


async def test_u_on_the_summary_undoes_the_last_grade_and_shows_that_card(tmp_path: Path) -> None:
    app = make_app(tmp_path / "study", start=True, decks_yaml=(ONE_CARD_YAML,))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("space", "3")
        await pilot.pause()
        assert isinstance(app.screen, SummaryScreen)
        assert app.collection.store.card_info("one", "only").reps == 1
        await pilot.press("u")
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen) and current_item(app) == "only"
        assert text(app, "#status") == "Grade undone."
        assert app.collection.store.card_info("one", "only").reps == 0
        assert app.screen.ratings == []
        await pilot.press("minus")  # bury the last card: the summary again, and undo again
        await pilot.pause()
        assert isinstance(app.screen, SummaryScreen)
        await pilot.press("u")
        await pilot.pause()
        assert current_item(app) == "only" and text(app, "#status") == "Bury undone."
        assert app.collection.store.card_info("one", "only").buried_until is None
        await pilot.press("q")  # home; `u` there has nothing left to undo and stays home
        await pilot.pause()
        await pilot.press("u")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)


async def test_the_session_survives_going_home_and_back(tmp_path: Path) -> None:
    app = make_app(tmp_path / "study")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("space", "3")  # q-basic graded
        await pilot.pause()
        await pilot.press("q")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        await pilot.press("enter")  # the same deck again
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen) and app.screen.ratings == [3]  # the tally kept
        await pilot.press("u")
        await pilot.pause()
        assert current_item(app) == "q-basic" and text(app, "#status") == "Grade undone."
        await pilot.press("space", "4", "q")
        await pilot.pause()
        await pilot.press("ctrl+t")  # a new theme keeps the session ...
        await pilot.pause()
        await pilot.press("u")  # from home too: back to the review with that card
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen) and current_item(app) == "q-basic"
        assert ratings(app, "q-basic") == []
        await pilot.press("q")
        await pilot.pause()
        app.collection.settings = replace(app.collection.settings, new_per_day=5)  # ... a scheduling setting starts a new one
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen.ratings == []
        await pilot.press("u")
        await pilot.pause()
        assert text(app, "#status") == "Nothing to undo in this session."


ONE_CARD_YAML = """\
deck:
  id: one
  name: One card
items:
  - id: only
    type: basic
    question: Which protein do calcineurin inhibitors block?
    answer: Calcineurin
"""


async def test_next_due_on_the_summary_skips_a_buried_learning_card(tmp_path: Path) -> None:
    two = ONE_CARD_YAML + """\
  - id: second
    type: basic
    question: Which drug is also called FK506?
    answer: Tacrolimus
"""
    app = make_app(tmp_path / "study", start=True, decks_yaml=(two,))
    now = [CLOCK]
    app.collection.clock = lambda: now[0]
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("space", "3")  # "only": learning, due in 10 min
        await pilot.pause()
        await pilot.press("space", "1")  # "second": learning, due in 1 min
        await pilot.pause()
        assert isinstance(app.screen, SummaryScreen)
        assert "in 1 min" in text(app, "#summary-figures")
        now[0] = CLOCK + timedelta(minutes=2)
        await pilot.press("q", "enter")  # back to study: "second" is due again
        await pilot.pause()
        assert current_item(app) == "second"
        await pilot.press("minus")  # buried until tomorrow: the last card for now
        await pilot.pause()
        assert isinstance(app.screen, SummaryScreen)
        assert "in 8 min" in text(app, "#summary-figures")  # "only", not the buried card


SEVEN_YAML = """\
deck:
  id: seven
  name: Seven
items:
  - id: effects
    type: list
    question: Name the seven other side effects listed for topical calcineurin inhibitors.
    answers: [Acne, Folliculitis, Rosacea-like dermatitis, Allergic contact dermatitis, Molluscum contagiosum, Tinea incognito, Return of a previous infection]
"""


async def test_a_long_list_result_is_in_view_and_pgdn_scrolls_to_the_detail(tmp_path: Path) -> None:
    from tests._tui_extra import screen_text

    app = make_app(tmp_path / "study", start=True, decks_yaml=(SEVEN_YAML,))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        for line in ("acne", "tinea incognito", "rash", "itch", "hives", "blisters", "sunburn"):
            await pilot.press(*line, "enter")
        await pilot.press("ctrl+s")
        await pilot.pause()
        summary = text(app, "#answer")
        assert summary.startswith("2 of 7 right · missed: Folliculitis, Rosacea-like dermatitis")
        assert len(summary) <= 76
        shown = screen_text(app)
        assert "2 of 7 right" in shown  # above the fold at 80x24
        assert "not in the list: rash; itch" not in shown  # the detail is further down ...
        await pilot.press("pagedown")
        await pilot.pause()
        assert app.screen.query_one("#card").scroll_y > 0
        await pilot.press("end")
        await pilot.pause()
        assert "not in the list: rash; itch" in screen_text(app)  # ... and pgdn/end bring it up
        assert app.collection.store.history("seven", "effects") == []  # scrolling graded nothing
        await pilot.press("1")
        await pilot.pause()
        assert [r.rating for r in app.collection.store.history("seven", "effects")] == [1]


CELLS_YAML = """\
deck:
  id: cells
  name: Cells
items:
  - id: which-cells
    type: typed
    question: Which cells does calcineurin help switch on?
    answer: T cells
  - id: other-cells
    type: list
    question: Name two kinds of lymphocyte.
    answers: [B cells, {answer: natural killer cells, accept: [NK cells]}]
"""


SALT_YAML = """\
deck:
  id: salts
  name: Salts
items:
  - id: table-salt
    type: typed
    question: What is table salt, in full?
    answer: sodium chloride
"""


async def test_review_feedback_says_a_word_was_left_out(tmp_path: Path) -> None:
    """Too far off for a typo, yet only a word short: the feedback says which, not a bare "wrong"."""
    app = make_app(tmp_path / "study", start=True, decks_yaml=(SALT_YAML,))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press(*"sodium", "enter")
        await pilot.pause()
        assert "✗ wrong: a word added or left out: chloride" in text(app, "#feedback")
        assert grade_labels(app)[1].startswith("▸")  # still wrong: Again suggested


async def test_review_feedback_says_why_a_near_miss_is_wrong(tmp_path: Path) -> None:
    app = make_app(tmp_path / "study", start=True, decks_yaml=(CELLS_YAML,))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert current_item(app) == "which-cells"
        await pilot.press(*"B cells", "enter")  # one letter off, but another term of the deck
        await pilot.pause()
        assert "✗ wrong: a different term: B cells" in text(app, "#feedback")
        assert grade_labels(app)[1].startswith("▸")  # Again suggested
        await pilot.press("enter")
        await pilot.pause()
        assert current_item(app) == "other-cells"
        await pilot.press(*"NK cells", "enter", *"B cells", "enter", *"X cells", "enter", *"T cells", "ctrl+s")
        await pilot.pause()
        feedback = text(app, "#feedback")
        assert "2 of 2" in feedback and "(0%)" in feedback and "not in the list: X cells; T cells" in feedback
        assert "X cells: a different term: T cells" in feedback  # as near T cells (deck term) as B cells
        assert "T cells: a different term\n" in feedback + "\n"


ONE_TYPED = """\
deck:
  id: one
  name: One typed
items:
  - id: k
    type: typed
    question: Loop diuretics can cause which potassium disorder?
    answer: hypokalemia
"""


async def test_overriding_a_wrong_answer_reads_right_not_a_typo(tmp_path: Path) -> None:
    """`o` on a wrong answer counts it right and suggests Good: the line must not say "with a
    typo" (which is what suggests Hard)."""
    app = make_app(tmp_path, start=True, decks_yaml=(ONE_TYPED,))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press(*"hyperkalemia", "enter")
        await pilot.pause()
        assert "wrong" in text(app, "#feedback")
        await pilot.press("o")
        await pilot.pause()
        feedback = text(app, "#feedback")
        assert "✓ right" in feedback and "typo" not in feedback and "override" in feedback
        assert grade_labels(app)[3].startswith("▸")
        await pilot.press("o")  # and back: the checker's verdict, as it was
        await pilot.pause()
        assert "✗ wrong" in text(app, "#feedback") and "prefix" in text(app, "#feedback")


async def test_top_bar_cuts_a_long_deck_name_and_keeps_the_counts() -> None:
    from textual.app import App
    from textual.content import Content

    class Bar(App[None]):
        def compose(self):  # type: ignore[no-untyped-def]
            yield TopBar()

    app = Bar()
    async with app.run_test(size=(40, 3)) as pilot:
        bar = app.query_one(TopBar)
        bar.show(deck=Content("Pharmacology::Immunosuppressants::Calcineurin inhibitors"), counts=Content("12 + 3 + 40"))
        await pilot.pause()
        line = bar.render().plain
        assert len(line) == 40 and line.endswith(" 12 + 3 + 40") and line.startswith("Pharmacology::Immuno")
        assert "…" in line
        bar.show(deck=Content("Short"))
        await pilot.pause()
        assert bar.render().plain == "Short" + " " * 24 + "12 + 3 + 40"


async def test_narrow_grade_keys_keep_their_intervals(app: QuizApp) -> None:
    async with app.run_test(size=(40, 24)) as pilot:
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("space")
        await pilot.pause()
        labels = grade_labels(app)
        # 8 columns a key: the word goes, the interval stays (fsrs: a new card's Again 1m, Good 10m)
        assert labels[1].endswith("1m") and labels[3] == "▸3 10m", labels
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        assert "Again" in grade_labels(app)[1]
