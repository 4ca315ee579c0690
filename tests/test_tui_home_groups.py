"""Pilot test of the home screen's deck hierarchy: decks named ``Parent::Child`` (one quiz deck
per Anki deck) sit indented under a parent row that counts its subtree within the parent's own
daily limits, as Anki shows them."""

from __future__ import annotations

from pathlib import Path

from test_tui_review import DECK_YAML, deck_column, make_app
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


async def test_a_parent_of_one_deck_says_one_deck(tmp_path: Path) -> None:
    app = make_app(tmp_path / "study", decks_yaml=(deck("child", "Top::Child"), deck("solo", "Solo")))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert deck_column(app.screen.query_one("#decks", DataTable), strip=False)[:2] == ["Top", "  Child"]
        assert "Top and everything under it: 1 deck." in str(app.screen.query_one("#deck-info", Static).render())


async def test_a_parent_that_is_a_deck_too_studies_itself_with_its_children(tmp_path: Path) -> None:
    app = make_app(tmp_path / "study", decks_yaml=(deck("child", "Top::Child"), deck("top", "Top")))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        table = app.screen.query_one("#decks", DataTable)
        assert deck_column(table, strip=False) == ["Top", "  Child", "All decks"]
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)
        assert set(app.screen.decks) == {"top", "child"}


async def test_a_parent_row_is_capped_at_the_parents_daily_limit_as_in_anki(tmp_path: Path) -> None:
    from dataclasses import replace

    from quiz.tui.screens.summary import SummaryScreen

    decks = (deck("renal", "Pharmacology::Renal"), deck("solo", "Solo"), deck("cardio", "Pharmacology::Cardio"))
    app = make_app(tmp_path / "study", decks_yaml=decks)
    app.collection.settings = replace(app.collection.settings, new_per_day=3)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        table = app.screen.query_one("#decks", DataTable)
        rows = [[str(c) for c in table.get_row_at(i)][:2] for i in range(table.row_count)]
        # Each deck 3 new a day; the two under Pharmacology 3 together, not 6 (a 12-chapter
        # import would otherwise give 12 times the new cards a student set).
        assert rows == [["Pharmacology", "3"], ["  Cardio", "3"], ["  Renal", "3"], ["Solo", "3"], ["All decks", "6"]]
        await pilot.press("enter")  # study the parent
        await pilot.pause()
        new_cards = 0
        while isinstance(app.screen, ReviewScreen):
            await pilot.press("space")
            await pilot.pause()
            await pilot.press("4")  # Easy: no learning steps come back today
            await pilot.pause()
            new_cards += 1
            assert new_cards <= 3
        assert new_cards == 3 and isinstance(app.screen, SummaryScreen)


def test_limit_groups_are_the_parents_subtrees_of_two_decks_or_more() -> None:
    from quiz.decks.hierarchy import limit_groups

    pairs = [("c0", "P::Cardio::Ch 0"), ("c1", "P::Cardio::Ch 1"), ("n0", "P::Neuro::Ch 0"), ("solo", "Solo"), ("o", "Only::One")]
    # Smallest first; a parent with one deck under it adds nothing to that deck's own limit.
    assert limit_groups(pairs) == (("c0", "c1"), ("c0", "c1", "n0"))
    assert limit_groups([("a", "A"), ("b", "A::B")]) == (("a", "b"),)  # the parent is a deck too
    assert limit_groups([("a", "A"), ("b", "B")]) == ()  # "All decks" is no deck


async def test_two_decks_of_one_name_are_two_rows_told_apart_each_opening_its_own(tmp_path: Path) -> None:
    """A copy imported with --deck-id keeps the name: each row shows its id beside it."""
    app = make_app(tmp_path / "study", decks_yaml=(deck("renal", "Renal"), deck("renal-copy", "Renal")))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        table = app.screen.query_one("#decks", DataTable)
        assert deck_column(table) == ["Renal (renal)", "Renal (renal-copy)", "All decks"]
        for moves, wanted in ((0, "renal"), (1, "renal-copy")):
            await pilot.press(*["down"] * moves, "enter")
            await pilot.pause()
            assert isinstance(app.screen, ReviewScreen)
            assert set(app.screen.decks) == {wanted}
            await pilot.press("q")
            await pilot.pause()


async def test_a_parent_name_of_two_decks_gives_each_a_row_and_narrow_keeps_the_ids(tmp_path: Path) -> None:
    long = "Renal pharmacology and the drugs of the kidney, in great detail"
    decks = (deck("renal", long), deck("ch1", f"{long}::Chapter 1"), deck("renal-copy", long))
    app = make_app(tmp_path / "study", decks_yaml=decks)
    async with app.run_test(size=(60, 20)) as pilot:
        await pilot.pause()
        names = deck_column(app.screen.query_one("#decks", DataTable))
        assert names[0].endswith("…")  # the parent row: the subtree, no id
        assert names[1].startswith("Renal pharm") and names[1].endswith("… (renal)")
        assert names[2].startswith("Renal pharm") and names[2].endswith("… (renal-copy)")
        assert names[3:] == ["Chapter 1", "All decks"]
        await pilot.press("down", "down", "enter")
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)
        assert set(app.screen.decks) == {"renal-copy"}
