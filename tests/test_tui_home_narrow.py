"""Home in a narrow terminal: a long deck name gives way (cut with "…"), the New / Learn / Due
numbers stay in view, down to 60 columns."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_tui_review import DECK_YAML, deck_column, make_app
from textual.widgets import DataTable

LONG = "Medicine::Anatomy and Physiology of the Cardiovascular System::Heart Chambers and Valves Detailed"


def deck(deck_id: str, name: str) -> str:
    return DECK_YAML.replace("id: demo", f"id: {deck_id}").replace("name: Demo deck", f"name: {name}")


def table_lines(table: DataTable) -> list[str]:
    """The table's rows as drawn (header first), within the table's own width."""
    return [table.render_line(y).text for y in range(table.size.height)]


@pytest.mark.parametrize("size", [(60, 20), (80, 24)])
async def test_a_long_name_gives_way_to_the_numbers(tmp_path: Path, size: tuple[int, int]) -> None:
    decks = (deck("heart", LONG), deck("flat", "A flat deck whose name goes on and on and on and on past fifty"))
    app = make_app(tmp_path / "study", decks_yaml=decks)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        table = app.screen.query_one("#decks", DataTable)
        assert not table.show_horizontal_scrollbar
        assert table.virtual_size.width <= table.scrollable_content_region.width
        lines = table_lines(table)
        header = lines[0].rstrip()
        assert header.split()[-3:] == ["New", "Learn", "Due"]
        assert header.endswith("Due") and len(lines[0]) <= size[0]
        names = deck_column(table, strip=False)
        flat = next(n for n in names if n.startswith("A flat"))
        assert flat == "A flat deck whose name goes on and on and on and on past fifty"[: len(flat) - 1] + "…"
        assert any(n.strip().startswith("Anatomy and Physiology") and n.endswith("…") for n in names)
        for line in lines[1:]:  # every row's three numbers are drawn in full
            assert line.split()[-3:] == [str(int(n)) for n in line.split()[-3:]]
        widths = {len(n) for n in names if n.endswith("…")}
        assert len(widths) == 1 and widths.pop() == (32 if size[0] == 60 else 48)


async def test_the_names_are_cut_again_when_the_terminal_is_resized(tmp_path: Path) -> None:
    name = "Heart chambers and valves in some detail"  # 40 cells: in full at 100, cut at 60
    app = make_app(tmp_path / "study", decks_yaml=(deck("heart", name),))
    async with app.run_test(size=(100, 24)) as pilot:
        await pilot.pause()
        table = app.screen.query_one("#decks", DataTable)
        names = deck_column(table, strip=False)
        assert name in names
        await pilot.resize_terminal(60, 20)
        await pilot.pause()
        await pilot.pause()
        names = deck_column(table, strip=False)
        assert name[:31] + "…" in names
        assert table_lines(table)[0].rstrip().endswith("Due")


async def test_more_decks_than_lines_the_scrollbar_takes_room_from_the_names(tmp_path: Path) -> None:
    decks = tuple(deck(f"d{i:02}", f"Deck {i:02} with a name long enough to be cut") for i in range(16))
    app = make_app(tmp_path / "study", decks_yaml=decks)
    async with app.run_test(size=(60, 20)) as pilot:
        await pilot.pause()
        await pilot.pause()
        table = app.screen.query_one("#decks", DataTable)
        assert (table.show_vertical_scrollbar or app.screen.show_vertical_scrollbar) and not table.show_horizontal_scrollbar
        assert table.virtual_size.width <= table.scrollable_content_region.width
        assert table_lines(table)[0].rstrip().endswith("Due")
        assert str(table.get_row_at(0)[0]) == "Deck 00 with a name long enou…"  # 30: 2 for a bar


@pytest.mark.parametrize("width", [60, 70, 80])
async def test_the_footer_keys_fit_side_by_side(tmp_path: Path, width: int) -> None:
    from textual.widgets._footer import FooterKey

    app = make_app(tmp_path / "study")
    async with app.run_test(size=(width, 20)) as pilot:
        await pilot.pause()
        await pilot.pause()
        keys = sorted(app.screen.query(FooterKey), key=lambda k: k.region.x)
        shown = [k.key for k in keys]
        assert {"enter", "s", "b", "comma", "e", "question_mark", "q"} <= set(shown)
        for a, b in zip(keys, keys[1:]):  # none under another (a letter of one showing past it)
            assert a.region.right <= b.region.x
        assert keys[-1].region.right <= width
        assert ("ctrl+p" in shown) == (width == 80) and ("u" in shown) == (width >= 70)
        if width == 60:
            await pilot.press("u")  # still bound (nothing to undo: says so, no crash)
            await pilot.pause()
            assert app.is_running


async def test_unavailable_decks_fit_80_columns_missing_or_broken(tmp_path: Path) -> None:
    """A missing file and a broken one: the heading fits both, each path is one line ending in
    the file's name (cut at its start), and nothing wraps back to the left edge."""
    from test_library import write_deck
    from textual.widgets import Static

    from quiz.collection import Collection
    from quiz.decks.library import add_decks
    from quiz.tui.app import QuizApp

    folder = tmp_path / "Documents" / "medicine" / "pharmacology-decks-from-the-course" / "second-year"
    gone = write_deck(folder / "renal-drugs-and-diuretics.yaml", "renal-drugs", "Renal drugs and diuretics")
    broken = write_deck(folder / "broken.yaml", "broken", "Broken")
    add_decks([gone, broken])
    gone.unlink()
    broken.write_text("deck:\n  id: broken\n  name: Broken\nitems: [\n", encoding="utf-8")
    with Collection.open() as collection:
        app = QuizApp(collection)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            box = app.screen.query_one("#deck-missing", Static)
            lines = str(box.render()).splitlines()
            assert box.size.height == len(lines)  # no line wrapped
            assert lines[0] == "Not available (history kept; back when the file is found or fixed):"
            assert lines[1].startswith("  Renal drugs and diuretics (renal-drugs): missing")
            assert lines[2].startswith("    …") and lines[2].endswith("second-year/renal-drugs-and-diuretics.yaml")
            assert lines[3].startswith("  Broken (broken): line 5")
            assert all(line.startswith("    ") for line in lines[4:])  # the reason goes on, then the path
            assert lines[-1].endswith("/broken.yaml")
