"""Home composed again with the decks read again (a library file came back) while the counts'
highlight is still queued, as on coming back from a review: no crash, the deck back."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_library import write_deck
from test_tui_review import deck_column
from textual.widgets import DataTable, Static

from quiz.collection import Collection
from quiz.decks.library import add_decks
from quiz.tui.app import QuizApp
from quiz.tui.screens.home import HomeScreen


@pytest.mark.parametrize("down", [0, 1, 3])  # the first deck, another, "All decks"
async def test_a_highlight_queued_across_the_redraw_does_not_crash(tmp_path: Path, down: int) -> None:
    for deck_id, name in (("aaa", "Alpha"), ("bbb", "Beta")):
        add_decks([write_deck(tmp_path / f"{deck_id}.yaml", deck_id, name)])
    away = (tmp_path / "bbb.yaml").rename(tmp_path / "moved.yaml")
    with Collection.open() as collection:
        app = QuizApp(collection)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            screen = app.screen
            assert isinstance(screen, HomeScreen) and screen.query("#deck-missing")
            await pilot.press(*["down"] * down)
            table = screen.query_one("#decks", DataTable)
            highlighted = deck_column(table)[table.cursor_row]
            away.rename(tmp_path / "bbb.yaml")
            deck_set = collection.read_deck_set()
            # The order of a return from a review while the 2 s look at the files finds the
            # file back: the counts move the cursor (a highlight queued), then the screen is
            # composed again before the highlight reaches it.
            screen.refresh_counts()
            await screen._use_deck_set(deck_set)
            await pilot.pause()
            await pilot.pause()
            assert app.is_running and app.screen is screen
            table = screen.query_one("#decks", DataTable)
            assert "Beta" in deck_column(table) and not screen.query("#deck-missing")
            assert deck_column(table)[table.cursor_row] == highlighted
            assert "cards" in str(screen.query_one("#deck-info", Static).render())
            await pilot.press("q")
        assert app.return_code == 0
