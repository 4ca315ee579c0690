"""A library deck edited outside quiz while a review of it is open (home, below the review,
follows the files and syncs the store): the review goes on with the deck as it is now, a grade
is recorded once and never reported as unsaved."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import pytest
from test_tui_review import deck_column
from textual.pilot import Pilot
from textual.widgets import DataTable, Static

from quiz.collection import Collection
from quiz.decks.library import add_decks
from quiz.errors import QuizError
from quiz.tui.app import QuizApp
from quiz.tui.screens.home import HomeScreen
from quiz.tui.screens.review import ReviewScreen

ITEMS = ("a1", "a2", "a3", "a4")


def _deck_text(items: tuple[str, ...]) -> str:
    body = "".join(
        f"  - id: {i}\n    type: basic\n    question: What is the made-up word {i}?\n    answer: Word {i}\n"
        for i in items
    )
    return f"deck:\n  id: rcur\n  name: Made-up words\nitems:\n{body}"


def _write(path: Path, items: tuple[str, ...]) -> Path:
    path.write_text(_deck_text(items), encoding="utf-8")
    return path


def _status(app: QuizApp) -> str:
    found = app.screen.query("#status")
    return str(found.first(Static).render()) if found and found.first().display else ""


def _on_screen(app: QuizApp) -> str | None:
    screen = app.screen
    return screen.card.item.id if isinstance(screen, ReviewScreen) and screen.card else None


async def _home_follows_the_files(app: QuizApp) -> None:
    """What home's look at the files every few seconds does (it runs under the review)."""
    home = app.screen_stack[0]
    assert isinstance(home, HomeScreen)
    home._check_files()
    await app.workers.wait_for_complete()
    await home._rebuild.acquire()  # the new deck set is in use once _use_deck_set let go
    home._rebuild.release()


async def _study_rcur(pilot, app: QuizApp) -> None:  # type: ignore[no-untyped-def]
    """Home's row of the deck (the built-in decks are listed too), then enter."""
    await pilot.pause()
    table = app.screen.query_one("#decks", DataTable)
    table.move_cursor(row=table.get_row_index("rcur"))
    await pilot.press("enter")
    await pilot.pause()
    assert isinstance(app.screen, ReviewScreen) and set(app.screen.decks) == {"rcur"}


@asynccontextmanager
async def _studying(tmp_path: Path) -> AsyncIterator[tuple[Path, Collection, QuizApp, Pilot[None]]]:
    """The deck of ITEMS in the library, and the app reviewing it, opened from home."""
    deck = _write(tmp_path / "d.yaml", ITEMS)
    add_decks([deck])
    with Collection.open() as collection:
        app = QuizApp(collection, seed=1)
        async with app.run_test(size=(80, 24)) as pilot:
            await _study_rcur(pilot, app)
            yield deck, collection, app, pilot


async def _grade(pilot, app: QuizApp) -> str | None:  # type: ignore[no-untyped-def]
    shown = _on_screen(app)
    await pilot.press("space", "3")
    await pilot.pause()
    return shown


def _reviews(collection: Collection) -> int:
    return collection.overview().reviewed_today


async def test_an_item_renamed_during_a_review_comes_up_and_each_grade_counts_once(tmp_path: Path) -> None:
    async with _studying(tmp_path) as (deck, collection, app, pilot):
        graded = [await _grade(pilot, app)]
        _write(deck, ("a1", "a2", "a3", "a4renamed"))
        await _home_follows_the_files(app)
        await pilot.pause()
        while isinstance(app.screen, ReviewScreen) and len(graded) < len(ITEMS):
            before = _reviews(collection)
            graded.append(await _grade(pilot, app))
            assert _status(app) == ""  # no "Could not save" after a saved grade
            assert _reviews(collection) == before + 1  # one press, one review
            assert _on_screen(app) != graded[-1]  # the next card, not the same one again
        assert sorted(g for g in graded if g) == ["a1", "a2", "a3", "a4renamed"]
        assert _reviews(collection) == 4


async def test_the_item_on_screen_deleted_from_its_file_is_graded_once_and_undone(tmp_path: Path) -> None:
    async with _studying(tmp_path) as (deck, collection, app, pilot):
        gone = _on_screen(app)
        assert gone is not None
        _write(deck, tuple(i for i in ITEMS if i != gone))
        await _home_follows_the_files(app)
        await pilot.pause()
        assert await _grade(pilot, app) == gone  # the user answered it: the grade is kept
        assert _status(app) == "" and _reviews(collection) == 1
        assert _on_screen(app) not in (gone, None)
        await pilot.press("u")  # undo brings it back to the screen, as it was shown
        await pilot.pause()
        assert _on_screen(app) == gone and _reviews(collection) == 0
        assert "Could not" not in _status(app)
        seen = [await _grade(pilot, app)]
        while isinstance(app.screen, ReviewScreen) and len(seen) < len(ITEMS):
            seen.append(await _grade(pilot, app))
        assert seen.count(gone) == 1 and sorted(seen) == sorted(ITEMS)  # not shown again once graded
        assert _reviews(collection) == 4


async def test_a_grade_saved_but_no_next_card_is_not_offered_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    async with _studying(tmp_path) as (deck, collection, app, pilot):
        await pilot.press("space")
        await pilot.pause()
        session = app.screen.session

        def broken() -> None:
            raise QuizError("quiz.sqlite3: the store is busy (another quiz is writing); try again")

        monkeypatch.setattr(session, "next_card", broken)
        await pilot.press("3")
        await pilot.pause()
        assert _reviews(collection) == 1
        status = _status(app)
        assert "saved" in status and "busy" in status and "Could not save" not in status
        await pilot.press("3", "space", "3")  # the same card cannot be graded a second time
        await pilot.pause()
        assert _reviews(collection) == 1


GOLF = """\
deck:
  id: golf
  name: Golf deck
items:
  - id: g1
    type: basic
    question: Which made-up word comes after HOTEL?
    answer: India
"""


def _rows(app: QuizApp) -> list[str]:
    return deck_column(app.screen.query_one("#decks", DataTable))


@pytest.mark.parametrize("how", ["replaced", "in place"])  # sed -i writes a new file; an editor may not
async def test_home_sees_an_edit_that_keeps_the_size_and_mtime(tmp_path: Path, how: str) -> None:
    deck = tmp_path / "g.yaml"
    deck.write_text(GOLF, encoding="utf-8")
    add_decks([deck])
    with Collection.open() as collection:
        app = QuizApp(collection, seed=1)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            assert "Golf deck" in _rows(app)
            old = deck.stat()
            edited = GOLF.replace("Golf deck", "Gulf deck").replace("HOTEL", "MIKEE")
            if how == "replaced":
                (tmp_path / "g.tmp").write_text(edited, encoding="utf-8")
                (tmp_path / "g.tmp").replace(deck)
            else:
                deck.write_text(edited, encoding="utf-8")
            os.utime(deck, ns=(old.st_atime_ns, old.st_mtime_ns))  # touch -d "$old"
            assert (deck.stat().st_size, deck.stat().st_mtime_ns) == (old.st_size, old.st_mtime_ns)
            await _home_follows_the_files(app)
            await pilot.pause()
            assert "Gulf deck" in _rows(app) and "Golf deck" not in _rows(app)
            table = app.screen.query_one("#decks", DataTable)
            table.move_cursor(row=table.get_row_index("golf"))
            await pilot.press("enter")
            await pilot.pause()
            assert isinstance(app.screen, ReviewScreen) and app.screen.card is not None
            assert "MIKEE" in app.screen.card.item.prompt
