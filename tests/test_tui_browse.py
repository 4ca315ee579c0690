"""Browse screen: live search by text, tag, deck and state; details and history; suspend."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from _tui_extra import NOW, Scripted, make_deck, screen_text, scripted_history, settings
from textual.widgets import DataTable, Input, Static

from quiz.storage.store import Store
from quiz.collection import Collection
from quiz.tui.app import QuizApp
from quiz.tui.screens.browse import MAX_ROWS, BrowseRow, BrowseScreen, filter_rows, parse_query


@pytest.fixture
def history(quiz_home: Path) -> Scripted:
    return scripted_history(quiz_home)


async def open_browse(app: QuizApp, pilot) -> BrowseScreen:  # type: ignore[no-untyped-def]
    app.action_open_browse()
    await pilot.pause()
    await app.workers.wait_for_complete()
    await pilot.pause()
    assert isinstance(app.screen, BrowseScreen)
    return app.screen


def shown_ids(screen: BrowseScreen) -> list[str]:
    table = screen.query_one(DataTable)
    return [str(row.key.value).split("/", 1)[1] for row in table.ordered_rows]


async def search(pilot, screen: BrowseScreen, text: str, *, type_it: bool = False) -> None:  # type: ignore[no-untyped-def]
    """Put `text` in the search box: typed key by key, or set at once (Pilot keys are slow)."""
    box = screen.query_one(Input)
    box.focus()
    if type_it:
        box.value = ""
        await pilot.press(*text)
    else:
        box.value = text
    await pilot.pause()


def detail(screen: BrowseScreen) -> str:
    return str(screen.query_one("#browse-card", Static).content)


async def test_browse_filters_live_by_text_tag_and_state(history: Scripted) -> None:
    store = Store.open(history.store_path)
    try:
        app = QuizApp(Collection(store, [history.deck], history.settings, clock=lambda: history.now))
        async with app.run_test(size=(80, 24)) as pilot:
            screen = await open_browse(app, pilot)
            assert shown_ids(screen) == [f"pharm-{i}" for i in range(1, 7)]
            await search(pilot, screen, "tacro", type_it=True)
            assert shown_ids(screen) == ["pharm-1", "pharm-3", "pharm-5"]
            assert "3 of 6 items" in screen_text(app)
            await search(pilot, screen, "#c")  # a tag prefix: "cic" and "cni"
            assert shown_ids(screen) == [f"pharm-{i}" for i in range(1, 7)]
            await search(pilot, screen, "#ci", type_it=True)
            assert shown_ids(screen) == ["pharm-2", "pharm-4", "pharm-6"]
            await search(pilot, screen, "tag:tac question 3")
            assert shown_ids(screen) == ["pharm-3"]
            await search(pilot, screen, "is:suspended")
            assert shown_ids(screen) == ["pharm-5"]
            await search(pilot, screen, "is:learning")
            assert shown_ids(screen) == ["pharm-3", "pharm-4"]
            await search(pilot, screen, "nothing-like-this")
            assert shown_ids(screen) == []
            assert "No item matches." in detail(screen)
            text = screen_text(app)
            assert "0 of 6 items" in text and "esc Back" in text
    finally:
        store.close()


async def test_browse_shows_details_and_history(history: Scripted) -> None:
    store = Store.open(history.store_path)
    try:
        app = QuizApp(Collection(store, [history.deck], history.settings, clock=lambda: history.now))
        async with app.run_test(size=(80, 24)) as pilot:
            screen = await open_browse(app, pilot)
            await search(pilot, screen, "answer 2")
            await pilot.press("enter")  # to the results
            await pilot.pause()
            text = detail(screen)
            assert "Question 2 about ciclosporin?" in text and "Answer 2" in text
            assert "Section 2" in text and "fact-2" in text and "#cic" in text
            assert "state relearning" in text and "lapses 1" in text
            assert "Review history (2)" in text
            assert text.index("Easy") < text.index("Again")  # oldest first
            assert "review → relearning" in text
            await search(pilot, screen, "question 6")
            assert "Review history: none yet." in detail(screen)
    finally:
        store.close()


async def test_browse_suspends_and_unsuspends_in_the_store(history: Scripted) -> None:
    store = Store.open(history.store_path)
    try:
        app = QuizApp(Collection(store, [history.deck], history.settings, clock=lambda: history.now))
        async with app.run_test(size=(80, 24)) as pilot:
            screen = await open_browse(app, pilot)
            await pilot.press("enter", "down")  # table focused, second row: pharm-2
            await pilot.pause()
            assert screen.current() is not None and screen.current().item.id == "pharm-2"
            text = screen_text(app)
            assert "s Suspend/unsuspend" in text  # the key is in the footer
            await pilot.press("s")
            await pilot.pause()
            assert store.card_info("pharm", "pharm-2").suspended
            table = screen.query_one(DataTable)
            assert table.get_cell("pharm/pharm-2", "state") == "suspended"
            assert "suspended" in detail(screen)
            await pilot.press("s")
            await pilot.pause()
            assert not store.card_info("pharm", "pharm-2").suspended
            assert table.get_cell("pharm/pharm-2", "state") == "relearning"
            # the search knows about the change at once
            await search(pilot, screen, "is:suspended")
            assert shown_ids(screen) == ["pharm-5"]
            await pilot.press("enter", "s")
            await pilot.pause()
            assert not store.card_info("pharm", "pharm-5").suspended
    finally:
        store.close()


async def test_browse_large_deck_renders_only_the_first_rows(quiz_home: Path) -> None:
    store = Store.open(quiz_home / "quiz.sqlite3")
    deck = make_deck(n=MAX_ROWS * 3, deck_id="big", name="Big deck")
    try:
        app = QuizApp(Collection(store, [deck], settings(), clock=lambda: NOW))
        async with app.run_test(size=(80, 24)) as pilot:
            screen = await open_browse(app, pilot)
            assert screen.query_one(DataTable).row_count == MAX_ROWS
            assert f"600 of 600 items · first {MAX_ROWS} shown" in screen_text(app)
            await search(pilot, screen, "big-59")  # 59, 590..599
            assert shown_ids(screen) == ["big-59"] + [f"big-{i}" for i in range(590, 600)]
    finally:
        store.close()


async def test_browse_enter_reads_details_and_escape_goes_back(history: Scripted) -> None:
    store = Store.open(history.store_path)
    try:
        app = QuizApp(Collection(store, [history.deck], history.settings, clock=lambda: history.now))
        async with app.run_test(size=(80, 24)) as pilot:
            screen = await open_browse(app, pilot)
            await pilot.press("enter", "enter")  # to the results, then into the details
            await pilot.pause()
            assert screen.query_one("#browse-detail").has_focus
            await pilot.press("escape")  # out of the details first
            await pilot.pause()
            assert isinstance(app.screen, BrowseScreen) and screen.query_one(DataTable).has_focus
            await pilot.press("escape")
            await pilot.pause()
            assert not isinstance(app.screen, BrowseScreen)
    finally:
        store.close()


def row(item_id: str, state: str = "new", due=None, suspended: bool = False) -> BrowseRow:  # type: ignore[no-untyped-def]
    deck = make_deck(n=2)
    item = deck.items[0]
    from quiz.tui.screens.browse import haystack

    return BrowseRow("pharm", "Pharmacology", item, state, due, suspended, haystack(deck, item) + "\n" + item_id,
                     "".join("\n" + t for t in item.tags))


def test_parse_query_separates_terms() -> None:
    q = parse_query("Foo #Tac tag:x deck:ph is:due bar")
    assert q.words == ("foo", "bar") and q.tags == ("tac", "x") and q.decks == ("ph",) and q.states == ("due",)
    assert parse_query("# tag: is:").words == ("#", "tag:", "is:")  # bare prefixes are words


def test_is_due_uses_the_clock_and_skips_new_and_suspended_cards() -> None:
    rows = [
        row("a", "review", NOW - timedelta(hours=1)),
        row("b", "review", NOW + timedelta(days=1)),
        row("c", "new"),
        row("d", "learning", NOW - timedelta(minutes=1), suspended=True),
    ]
    shown, total = filter_rows(rows, "is:due", NOW)
    assert total == 1 and shown[0] is rows[0]
    shown, total = filter_rows(rows, "is:due", NOW + timedelta(days=2))
    assert total == 2
    shown, total = filter_rows(rows, "", NOW, limit=2)
    assert total == 4 and shown == rows[:2]


async def test_browse_two_decks_filter_by_deck(quiz_home: Path) -> None:
    store = Store.open(quiz_home / "quiz.sqlite3")
    decks = [make_deck(n=3), make_deck(n=2, deck_id="micro", name="Microbiology")]
    try:
        app = QuizApp(Collection(store, decks, settings(), clock=lambda: NOW))
        async with app.run_test(size=(80, 24)) as pilot:
            screen = await open_browse(app, pilot)
            table = screen.query_one(DataTable)
            assert "deck" in table.columns and table.row_count == 5
            await search(pilot, screen, "deck:micro")
            assert shown_ids(screen) == ["micro-1", "micro-2"]
            await search(pilot, screen, "deck:biology")  # a part of the name home shows, not of the id
            assert shown_ids(screen) == ["micro-1", "micro-2"]
            assert table.get_cell("micro/micro-1", "deck") == "Microbiol…"  # clipped to 10
    finally:
        store.close()


async def test_browse_sub_decks_show_the_end_of_their_names(quiz_home: Path) -> None:
    """Sub-decks of one parent: the Deck column shows what tells them apart, not the parent."""
    store = Store.open(quiz_home / "quiz.sqlite3")
    decks = [make_deck(n=1, deck_id="ch1", name="Pharmacology::Chapter 1"),
             make_deck(n=1, deck_id="ch2", name="Pharmacology::Chapter 2")]
    try:
        app = QuizApp(Collection(store, decks, settings(), clock=lambda: NOW))
        async with app.run_test(size=(80, 24)) as pilot:
            screen = await open_browse(app, pilot)
            table = screen.query_one(DataTable)
            shown = [str(table.get_cell(f"{d.id}/{d.id}-1", "deck")) for d in decks]
            assert shown == ["…Chapter 1", "…Chapter 2"]
    finally:
        store.close()


def test_browse_snapshot(history: Scripted, snap_compare, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    import time

    monkeypatch.setenv("TZ", "UTC")  # due dates are shown in local time
    time.tzset()
    store = Store.open(history.store_path)
    app = QuizApp(Collection(store, [history.deck], history.settings, clock=lambda: history.now))

    async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
        screen = await open_browse(app, pilot)
        await search(pilot, screen, "tacrolimus")
        await pilot.press("enter")
        await pilot.pause()

    try:
        assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)
    finally:
        store.close()
        monkeypatch.undo()
        time.tzset()


async def test_browse_rows_show_the_question_and_a_buried_card_is_buried(history: Scripted) -> None:
    from datetime import timedelta

    store = Store.open(history.store_path)
    try:
        store.bury(store.card_id("pharm", "pharm-6"), history.now + timedelta(hours=6))
        app = QuizApp(Collection(store, [history.deck], history.settings, clock=lambda: history.now))
        async with app.run_test(size=(80, 24)) as pilot:
            screen = await open_browse(app, pilot)
            table = screen.query_one(DataTable)
            assert str(table.get_cell("pharm/pharm-1", "item")) == "Question 1 about tacrolimus?"
            assert str(table.get_cell("pharm/pharm-6", "state")) == "buried"  # not "new"
            await search(pilot, screen, "is:buried")
            assert shown_ids(screen) == ["pharm-6"]
            assert "buried" in detail(screen) and "Pharmacology" in detail(screen)  # full deck name
    finally:
        store.close()


async def test_browse_x_unburies_a_buried_card(history: Scripted) -> None:
    from datetime import timedelta

    store = Store.open(history.store_path)
    try:
        store.bury(store.card_id("pharm", "pharm-6"), history.now + timedelta(hours=6))
        app = QuizApp(Collection(store, [history.deck], history.settings, clock=lambda: history.now))
        async with app.run_test(size=(80, 24)) as pilot:
            screen = await open_browse(app, pilot)
            await search(pilot, screen, "is:buried")
            await pilot.press("enter")
            await pilot.pause()
            assert "x Unbury" in screen_text(app)  # the key is in the footer
            await pilot.press("x")
            await pilot.pause()
            assert store.card_info("pharm", "pharm-6").buried_until is None
            table = screen.query_one(DataTable)
            assert str(table.get_cell("pharm/pharm-6", "state")) != "buried"
            assert "buried" not in detail(screen).split("\n\n")[0].lower()
            await pilot.press("x")  # not buried now: says so, changes nothing
            await pilot.pause()
            assert any("not buried" in n.message for n in app._notifications)
            await search(pilot, screen, "")
            await search(pilot, screen, "is:buried")
            assert shown_ids(screen) == []
    finally:
        store.close()
