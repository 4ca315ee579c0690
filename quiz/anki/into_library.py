"""`quiz import` into the library (no -o): the deck ids a package brings are checked against the
library before anything is written, and a clash is refused in one line that names the decks and
gives a way out that works (``--deck-id`` for one deck, ``--force`` to update the library's decks in
place: quiz.anki.reimport)."""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import AbstractContextManager
from pathlib import Path
from typing import TYPE_CHECKING

from quiz.decks.library import Clash, DeckFile, builtin_deck_paths, clashes, read_library, remembering
from quiz.errors import QuizError, display_path

if TYPE_CHECKING:
    from quiz.decks.library_results import Added

MOST_SHOWN = 3  # clashing decks named one by one; more are counted


def refuse_clashes(source: Path, decks: Sequence[DeckFile]) -> None:
    """Raise the one-line refusal if a deck's id (as planned, or as staged) is another deck's
    in the library or a built-in deck's."""
    found = clashes(decks)
    if found:
        raise QuizError(clash_message(source, found, one_deck=len(decks) == 1))


def remembering_all(source: Path, decks: Sequence[DeckFile]) -> AbstractContextManager[list[Added]]:
    """The staged decks put into the library, undone if moving them into place fails; checked
    again first, in case another quiz added a deck since the plans were checked."""
    refuse_clashes(source, decks)
    return remembering(decks)


def clash_message(source: Path, found: Sequence[Clash], *, one_deck: bool) -> str:
    mine = [c for c in found if c.taken_by is not None]
    builtin = [c for c in found if c.taken_by is None]
    parts = []
    if mine:
        parts.append(f"{_ids(mine)} {'is' if len(mine) == 1 else 'are'} already in your library "
                     f"(from {_where([c.taken_by for c in mine if c.taken_by is not None])})")
    if builtin:
        parts.append(f"{_ids(builtin)} " + ("is a built-in deck's" if len(builtin) == 1 else "are built-in decks'"))
    said = f"{display_path(source)}: {' and '.join(parts)}; nothing was imported: "
    again = f"`quiz import {display_path(source)} --force`"
    if one_deck:
        free = _free_id(found[0].deck_id)
        way = f"import it under another id with --deck-id {free}"
        if mine:
            way += f", or update the library's deck from it with {again} (its review history kept)"
        return said + way
    ways = []
    if mine:
        ways.append(f"to update the library's decks from the package, {again} (their review history kept)")
    if builtin:
        ways.append("import it with -o FOLDER, give that deck another id in its file, then `quiz add` the folder's files")
    return said + "; ".join(ways)


def _ids(found: Sequence[Clash]) -> str:
    ids = [repr(c.deck_id) for c in found]
    if len(ids) == 1:
        return f"deck id {ids[0]}"
    if len(ids) > MOST_SHOWN:
        return f"deck ids {', '.join(ids[:MOST_SHOWN])} and {len(ids) - MOST_SHOWN} more"
    return f"deck ids {', '.join(ids[:-1])} and {ids[-1]}"


def _where(files: list[Path]) -> str:
    """The library deck's file, or the folder its decks share."""
    if len(files) == 1:
        return display_path(files[0])
    folders = {f.parent for f in files}
    return f"{display_path(folders.pop())}/" if len(folders) == 1 else f"{len(files)} files"


def _free_id(deck_id: str) -> str:
    """``deck_id-2``, ``-3``...: the first no library or built-in deck has."""
    taken = {e.deck_id for e in read_library()} | {p.stem for p in builtin_deck_paths()}
    n = 2
    while f"{deck_id}-{n}" in taken:
        n += 1
    return f"{deck_id}-{n}"


def add_hint(path: Path) -> str:
    """`quiz add PATH` as a way out for a deck file in the way, if it would work: the file is
    a valid deck whose id no other deck has."""
    from quiz.decks.loader import load_deck  # why: the YAML reader, for this hint only (an import writes its YAML itself)

    try:
        deck = load_deck(path)  # not from the deck cache: a refused import writes no cache entry
    except (QuizError, OSError):
        return ""
    return "" if clashes([deck]) else f", or `quiz add {path}` to study the deck there"
