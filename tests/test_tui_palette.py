"""Command palette: quiz's main actions are found by typing and run when picked."""

from __future__ import annotations

from pathlib import Path

import pytest
from _tui_extra import NOW, make_deck
from textual.command import CommandList, CommandPalette

from quiz.settings import Settings
from quiz.storage.store import Store
from quiz.collection import Collection
from quiz.tui.app import QuizApp
from quiz.tui.palette import entries


@pytest.fixture
def app_and_store(quiz_home: Path):  # type: ignore[no-untyped-def]
    store = Store.open(quiz_home / "quiz.sqlite3")
    decks = [make_deck(), make_deck(n=2, deck_id="micro", name="Microbiology")]
    app = QuizApp(Collection(store, decks, Settings(timezone="UTC"), clock=lambda: NOW))
    yield app, store
    store.close()


async def palette_search(app: QuizApp, pilot, text: str) -> list[str]:  # type: ignore[no-untyped-def]
    if not isinstance(app.screen, CommandPalette):
        await pilot.press("ctrl+p")
        await pilot.pause()
    assert isinstance(app.screen, CommandPalette)
    await pilot.press(*text)
    await app.screen.workers.wait_for_complete()
    await pilot.pause(0.1)
    options = app.screen.query_one(CommandList)
    return [str(options.get_option_at_index(i).prompt).split("\n")[0] for i in range(options.option_count)]


@pytest.mark.parametrize(
    ("typed", "entry", "screen_name"),
    [("statis", "Statistics", "StatsScreen"), ("brow", "Browse items", "BrowseScreen"),
     ("setti", "Settings", "SettingsScreen")],
)
async def test_palette_opens_the_screens(app_and_store, typed: str, entry: str, screen_name: str) -> None:  # type: ignore[no-untyped-def]
    app, _ = app_and_store
    async with app.run_test(size=(80, 24)) as pilot:
        found = await palette_search(app, pilot, typed)
        assert found and found[0] == entry
        await pilot.press("enter")
        await pilot.pause()
        await app.workers.wait_for_complete()
        assert type(app.screen).__name__ == screen_name


async def test_palette_lists_study_entries_per_deck(app_and_store) -> None:  # type: ignore[no-untyped-def]
    app, _ = app_and_store
    async with app.run_test(size=(80, 24)) as pilot:
        found = await palette_search(app, pilot, "study")
        assert {"Study all decks", "Study deck: Pharmacology", "Study deck: Microbiology"} <= set(found)
        await pilot.press("escape")
        await pilot.pause()
        found = await palette_search(app, pilot, "micro")
        assert found[0] == "Study deck: Microbiology"
        await pilot.press("enter")
        await pilot.pause()
        assert type(app.screen).__name__ == "ReviewScreen"
        assert list(app.screen.decks) == ["micro"]  # only that deck


async def test_palette_toggles_the_theme_and_quits(app_and_store) -> None:  # type: ignore[no-untyped-def]
    app, _ = app_and_store
    async with app.run_test(size=(80, 24)) as pilot:
        assert app.theme == "textual-dark"
        found = await palette_search(app, pilot, "toggle")
        assert found[0] == "Toggle light/dark theme"
        await pilot.press("enter")
        await pilot.pause()
        assert app.theme == "textual-light"
        found = await palette_search(app, pilot, "quit q")
        assert found[0] == "Quit quiz"
        await pilot.press("enter")
        await pilot.pause()
    assert app.return_code == 0
    assert not app.is_running


def test_entries_cover_every_main_action(app_and_store) -> None:  # type: ignore[no-untyped-def]
    app, _ = app_and_store
    names = [e.name for e in entries(app)]
    assert names[:7] == ["Study all decks", "Exam", "Statistics", "Browse items", "Settings",
                         "Toggle light/dark theme", "Quit quiz"]
    assert names[7:] == ["Study deck: Pharmacology", "Study deck: Microbiology"]
