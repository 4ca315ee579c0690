"""Pilot tests of the home screen: the deck table and its total row, mouse, the hooks that open
the stats / browse / settings / exam screens, and the theme toggle (reuses test_tui_review's app)."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_tui_review import DECK_YAML, ORDER, make_app, ratings
from textual.widgets import DataTable

from quiz.tui.app import QuizApp
from quiz.tui.screens.home import HomeScreen
from quiz.tui.screens.review import ReviewScreen


@pytest.fixture
def app(tmp_path: Path) -> QuizApp:
    return make_app(tmp_path / "study")


async def test_home_all_decks_row_and_mouse(tmp_path: Path) -> None:
    other = DECK_YAML.replace("id: demo", "id: other").replace("Demo deck", "Other deck")
    app = make_app(tmp_path / "study", decks_yaml=(DECK_YAML, other))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        table = app.screen.query_one("#decks", DataTable)
        assert [str(c) for c in table.get_row("__all__")] == ["All decks", "14", "0", "0"]
        await pilot.press("down", "down", "enter")  # the All decks row
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)
        assert set(app.screen.decks) == {"demo", "other"}
        await pilot.press("q")
        await pilot.pause()
        # a click highlights a row (row 0 is the header), a click on the highlighted row opens it
        await pilot.click("#decks", offset=(3, 2))
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        assert app.screen.query_one("#decks", DataTable).cursor_row == 1
        await pilot.click("#decks", offset=(3, 2))
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)
        assert set(app.screen.decks) == {"other"}


async def test_exam_from_home_leaves_the_schedule_alone(app: QuizApp) -> None:
    from quiz.tui.screens.exam import ExamScreen
    from quiz.tui.screens.exam_result import ExamResultScreen

    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, ExamScreen)
        await pilot.press("escape", "escape")  # end the exam at once (the second one confirms)
        await pilot.pause()
        assert isinstance(app.screen, ExamResultScreen)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        assert all(ratings(app, item) == [] for item in ORDER)


async def test_theme_toggle_is_saved(app: QuizApp, quiz_home: Path) -> None:
    from quiz.settings import load_settings

    async with app.run_test(size=(80, 24)) as pilot:
        assert app.theme == "textual-dark"
        await pilot.press("ctrl+t")
        await pilot.pause()
        assert app.theme == "textual-light"
    assert load_settings(quiz_home).theme == "textual-light"


@pytest.mark.parametrize("key, module, name", [("s", "stats", "StatsScreen"), ("b", "browse", "BrowseScreen"),
                                                ("comma", "settings", "SettingsScreen")])
async def test_home_opens_the_other_screens_and_comes_back(app: QuizApp, key: str, module: str, name: str) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press(key)
        await pilot.pause()
        assert type(app.screen).__name__ == name
        assert type(app.screen).__module__ == f"quiz.tui.screens.{module}"
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)


async def test_home_help_lists_every_home_key(app: QuizApp) -> None:
    from textual.widgets import Static

    from quiz.tui.screens.help import HelpScreen

    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        shown = str(app.screen.query_one(Static).render())
        home = shown.split("Review")[0]
        for key, what in (("s", "statistics"), ("b", "browse"), (",", "settings"), ("e", "exam"), ("q, ctrl+c", "quit")):
            assert any(line.split() and line.strip().startswith(key) and what in line for line in home.splitlines()), key


async def test_exam_of_a_deck_with_nothing_to_ask_says_so(tmp_path: Path) -> None:
    empty = "deck:\n  id: empty\n  name: Empty\nitems: []\n"
    app = make_app(tmp_path / "study", decks_yaml=(empty,))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        assert any("No exam" in str(n.message) for n in app._notifications)


async def test_help_fits_80_columns_without_wrapping(app: QuizApp) -> None:
    """At 80x24 every key's line of the help screen is one line (none wraps into the key column)."""
    from textual.widgets import Static

    from quiz.tui.screens.help import HelpScreen

    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        text = app.screen.query_one(Static)
        lines = str(text.render()).splitlines()
        assert text.size.width < 80 and text.size.height == len(lines)
