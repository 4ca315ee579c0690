"""Pilot test of the home screen's deck hierarchy: decks named ``Parent::Child`` (one quiz deck
per Anki deck) sit indented under a parent row that sums its subtree, as Anki shows them."""

from __future__ import annotations

from pathlib import Path

from test_tui_review import DECK_YAML, make_app
from textual.widgets import DataTable, Static

from quiz.tui.screens.review import ReviewScreen


def deck(deck_id: str, name: str) -> str:
    return DECK_YAML.replace("id: demo", f"id: {deck_id}").replace("name: Demo deck", f"name: {name}")


async def test_parent_row_sums_its_children_and_enter_studies_the_subtree(tmp_path: Path) -> None:
    decks = (deck("renal", "Pharmacology::Renal"), deck("solo", "Solo"), deck("cardio", "Pharmacology::Cardio"))
    app = make_app(tmp_path / "study", decks_yaml=decks)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        table = app.screen.query_one("#decks", DataTable)
        rows = [[str(c) for c in table.get_row_at(i)] for i in range(table.row_count)]
        per_deck = rows[1][1]  # one deck's new cards
        assert int(per_deck) > 0
        assert rows == [
            ["Pharmacology", str(2 * int(per_deck)), "0", "0"],
            ["  Cardio", per_deck, "0", "0"],  # sorted by name, labelled by the last component
            ["  Renal", per_deck, "0", "0"],
            ["Solo", per_deck, "0", "0"],
            ["All decks", str(3 * int(per_deck)), "0", "0"],
        ]
        assert "and everything under it: 2 decks" in str(app.screen.query_one("#deck-info", Static).render())
        await pilot.press("enter")  # on the parent row
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)
        assert set(app.screen.decks) == {"renal", "cardio"}
        await pilot.press("q")
        await pilot.pause()
        await pilot.press("down", "down", "enter")  # a child studies that deck alone
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)
        assert set(app.screen.decks) == {"renal"}


async def test_a_parent_that_is_a_deck_too_studies_itself_with_its_children(tmp_path: Path) -> None:
    app = make_app(tmp_path / "study", decks_yaml=(deck("child", "Top::Child"), deck("top", "Top")))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        table = app.screen.query_one("#decks", DataTable)
        assert [str(table.get_row_at(i)[0]) for i in range(table.row_count)] == ["Top", "  Child", "All decks"]
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)
        assert set(app.screen.decks) == {"top", "child"}
