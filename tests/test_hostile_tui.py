"""Hostile deck text in the full-screen app (issue 12, points 6 and 7), under Pilot: text with
square brackets is shown as written (never parsed as markup, never a crash) and no control
character from a deck reaches the terminal, on every screen that shows deck text: home, stats,
browse (every row's detail), study (every card type, before and after the answer), the source
panel, the exam and its result."""

from __future__ import annotations

import io
import re
from pathlib import Path

from hypothesis import HealthCheck, example, given, settings as hsettings, strategies as st
from rich.console import Console
from textual.widgets import DataTable, Input

from _tui_extra import NOW, settings
from test_hostile_text import HOSTILE_YAML, raw_controls

from quiz.collection import Collection
from quiz.decks.loader import load_deck
from quiz.decks.model import Deck, Item
from quiz.exam.sitting import draw
from quiz.storage.store import Store
from quiz.tui.app import QuizApp
from quiz.tui.screens.exam_app import ExamApp

SIZE = (100, 30)


def terminal_output(app) -> tuple[str, list[str]]:  # type: ignore[no-untyped-def]
    """The screen as the terminal would get it: its text, and the text segments holding a raw
    control character (cursor moves and colours are separate control segments, allowed)."""
    console = Console(width=app.size.width, height=app.size.height, file=io.StringIO(), force_terminal=True,
                      color_system="truecolor", legacy_windows=False)
    update = app.screen._compositor.render_update(full=True, screen_stack=app._background_screens)
    text, leaks = [], []
    for seg in console.render(update):
        if seg.control:
            continue
        text.append(seg.text)
        if raw_controls(seg.text):
            leaks.append(seg.text)
    return "".join(text), leaks


class Seen:
    """Every screen shown: the text, and any leak with the step it happened at."""

    def __init__(self) -> None:
        self.text: list[str] = []
        self.steps: list[str] = []
        self.leaks: list[tuple[str, str]] = []

    async def look(self, pilot, step: str) -> None:  # type: ignore[no-untyped-def]
        await pilot.pause()
        text, leaks = terminal_output(pilot.app)
        assert pilot.app.return_code in (None, 0), step
        self.text.append(text)
        self.steps.append(step)
        self.leaks += [(step, leak) for leak in leaks]

    @property
    def all_text(self) -> str:
        return re.sub(r"\s+", " ", "\n".join(self.text))


async def _answer_card(pilot, kind: str) -> None:  # type: ignore[no-untyped-def]
    if kind == "typed":
        box = pilot.app.screen.query_one("#typed", Input)
        box.value = "x"
        await pilot.press("enter")
    elif kind == "choice":
        await pilot.press("a")
    elif kind == "list":
        area = pilot.app.screen.query_one("#list")
        area.text = "x\ny"
        await pilot.press("ctrl+s")
    else:
        await pilot.press("space")


async def visit_study_app(deck: Deck, home: Path, thorough: bool = True) -> Seen:
    """Home, stats, browse, then every card; ``thorough`` also looks at each browse row's detail,
    each card before its answer and its source panel."""
    seen = Seen()
    store = Store.open(home / "quiz.sqlite3")
    try:
        app = QuizApp(Collection(store, [deck], settings(), clock=lambda: NOW), seed=1)
        async with app.run_test(size=SIZE) as pilot:
            await seen.look(pilot, "home")
            app.action_open_stats()
            await pilot.pause()
            await app.workers.wait_for_complete()
            await seen.look(pilot, "stats")
            app.pop_screen()
            app.action_open_browse()
            await pilot.pause()
            await app.workers.wait_for_complete()
            await seen.look(pilot, "browse")
            table = app.screen.query_one(DataTable)
            table.focus()
            for i in range(len(deck.items) if thorough else 0):
                table.move_cursor(row=i)
                await seen.look(pilot, f"browse row {i}")
            app.pop_screen()
            await pilot.pause()
            app.start_review([deck])
            await pilot.pause()
            for i in range(len(deck.items) * 2):
                screen = app.screen
                card = getattr(screen, "card", None)
                if card is None:
                    break
                if thorough:
                    await seen.look(pilot, f"card {card.item.id}")
                await _answer_card(pilot, card.item.type)
                await seen.look(pilot, f"card {card.item.id} answered")
                if thorough:
                    await pilot.press("e")  # the source panel
                    await seen.look(pilot, f"card {card.item.id} source")
                    await pilot.press("escape")
                    await pilot.pause()
                await pilot.press("4")  # easy: out of today's queue
                await pilot.pause()
            await seen.look(pilot, "summary")
    finally:
        store.close()
    return seen


async def visit_exam_app(deck: Deck, thorough: bool = True) -> Seen:
    seen = Seen()
    exam = draw([deck], n=len(deck.items), seed=5)
    app = ExamApp(exam, feedback=True)
    async with app.run_test(size=SIZE) as pilot:
        for q in exam.questions:
            if thorough:
                await seen.look(pilot, f"exam {q.item.id}")
            if q.type == "choice":
                await pilot.press("a")
            elif q.type == "list":
                area = app.screen.query_one("#exam-list")
                area.text = "\n".join((*q.item.answers[:1], "[/x]", "a[/b", "[b]"))
                await pilot.press("ctrl+s")
            else:
                box = app.screen.query_one("#exam-input", Input)
                box.value = "[/typed] \x1b]2;typed\x07"
                await pilot.press("enter")
            await seen.look(pilot, f"exam {q.item.id} answered")
            await pilot.press("enter")  # past the feedback
            await pilot.pause()
        await seen.look(pilot, "exam result")
    return seen


async def test_hostile_deck_on_every_screen(tmp_path: Path, quiz_home: Path) -> None:
    p = tmp_path / "hostile.yaml"
    p.write_text(HOSTILE_YAML, encoding="utf-8")
    deck = load_deck(p)
    study = await visit_study_app(deck, quiz_home)
    exam = await visit_exam_app(deck)
    for seen in (study, exam):
        assert seen.leaks == []
    text = study.all_text
    # ESC shown as its symbol; BEL is one of the five codes Textual itself drops.
    assert "[/H+]" in text and "Evil \u241b]2;PWNED-NAME deck [/b]" in text
    assert "[/C]" in text and "[/y]" in exam.all_text and "[/x]" in exam.all_text
    for item in deck.items:  # every card seen, answered, with its source panel
        assert f"card {item.id} source" in study.steps, "\n".join(study.steps)
        assert f"exam {item.id} answered" in exam.steps, exam.steps


# Markup look-alikes and control characters; each example puts several strings in one deck.
BRACKET = st.text(alphabet=st.sampled_from(list("[]/=#@:$!ab +\\\x1b\x07\x9b")), min_size=1, max_size=10).filter(
    lambda s: s.strip() and "{" not in s and "}" not in s
)
KNOWN_BAD = ["[/H+]", "[/]", "[b]x[/i]", "[link=x]y", "[@click=app.quit]z[/]", "\x1b]2;t\x07", "a[/b"]


def _bracket_deck(strings: list[str]) -> Deck:
    s = " ".join(strings)
    a, b = strings[0], strings[-1]
    q = f"Q {s} end"
    return Deck(id="brackets", name=f"Deck {a}", description=f"About {b}", items=(
        Item(id="b", type="basic", question=q, answer=f"A {a}", tags=(f"t{a}".replace(" ", "_"),), source=f"S {b}",
             fact="f1"),
        Item(id="c", type="choice", question=f"C {b}", answer=f"right {a}", distractors=(f"wrong {b}", "plain"),
             fact="f2"),
        Item(id="t", type="typed", question=f"T {a}", answer=f"typed {b}", accept=(f"acc {a}",), fact="f3"),
        Item(id="l", type="list", question=f"L {b}", answers=(f"one {a}", f"two {b}"), fact="f4"),
        Item(id="z", type="cloze", text=f"Z {a} {{{{c1::deep {b}}}}} x", fact="f5"),
        Item(id="r", type="reverse", question=f"R {b}", answer=f"back {a}", fact="f6"),
    ))


@hsettings(max_examples=3, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@example(strings=KNOWN_BAD)
@given(strings=st.lists(BRACKET, min_size=2, max_size=8))
async def test_any_bracket_string_shows_as_written(strings: list[str], tmp_path_factory) -> None:
    """A property over random markup look-alikes, through every screen showing deck text."""
    deck = _bracket_deck(strings)
    study = await visit_study_app(deck, tmp_path_factory.mktemp("home"), thorough=False)
    exam = await visit_exam_app(deck, thorough=False)
    assert study.leaks == [] and exam.leaks == []
    a = strings[0]
    if not raw_controls(a) and a == a.strip() and "  " not in a:
        assert f"Deck {a}" in study.all_text  # the name as written, brackets and all


async def test_error_toasts_show_bracketed_text_as_written(tmp_path: Path, quiz_home: Path, monkeypatch) -> None:
    """An error message quoting a path or deck text with brackets is a toast, not a crash."""
    from quiz.errors import QuizError

    p = tmp_path / "hostile.yaml"
    p.write_text(HOSTILE_YAML, encoding="utf-8")
    deck = load_deck(p)
    store = Store.open(quiz_home / "quiz.sqlite3")

    def broken(*args: object, **kwargs: object) -> None:
        raise QuizError("/tmp/[/odd]/quiz.sqlite3: cannot read [/H+]")

    try:
        app = QuizApp(Collection(store, [deck], settings(), clock=lambda: NOW))
        async with app.run_test(size=SIZE) as pilot:
            app.action_open_browse()
            await pilot.pause()
            await app.workers.wait_for_complete()
            monkeypatch.setattr(store, "card_info", broken)
            table = app.screen.query_one(DataTable)
            table.focus()
            await pilot.press("down")
            await pilot.pause()
            text, leaks = terminal_output(app)
            assert app.return_code in (None, 0) and leaks == []
            (note,) = [n for n in app._notifications if "[/odd]" in n.message]
            assert note.markup is False  # the toast shows it as text (with markup: MarkupError)
    finally:
        store.close()
