"""An import that replaces decks already there: a package imported again over its files
(``--force``), or, into the library, a package whose decks the library has (exported from quiz
and studied in Anki, or the same Anki deck exported again).

Each such deck is written over the file it is in (updated in place), and its notes keep their
item ids by Anki GUID (quiz.anki.guids), so the review history under those ids stays theirs; the
old ids come from that file, read before it is replaced, and from the store's history of the
deck. An import with ``-o`` of a deck whose id the library has for another file is refused: the
two files would share one review history.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from quiz.anki.guids import known_ids
from quiz.anki.staging import DeckPlan, StagedDeck
from quiz.decks.cache import load_deck_cached
from quiz.decks.library import clashes, read_library
from quiz.errors import QuizError, display_path
from quiz.paths import store_path


def in_place(plans: Sequence[DeckPlan]) -> list[DeckPlan]:
    """Each plan whose deck id the library has, at another file that is there, redirected to
    that file (the import updates it); the deck there must share a note with the package's."""
    files = {e.deck_id: e.path for e in read_library()}
    out = []
    for plan in plans:
        there = files.get(plan.id)
        if there is not None and there.exists() and there.resolve() != plan.path.absolute().resolve():
            plan = replace(plan, path=there, same_deck=True)
        out.append(plan)
    return out


def with_known_ids(plans: Sequence[DeckPlan]) -> list[DeckPlan]:
    """Each plan that replaces a deck file, with the ids that deck gives to notes. A file that
    does not load as a deck gives none (it is replaced as it is, as --force says)."""
    old = {}
    for plan in plans:
        if plan.path.is_file() and not plan.new_guids:
            try:
                deck = load_deck_cached(plan.path)
            except (QuizError, OSError):
                continue
            if deck.id == plan.id:  # another deck's ids are not this one's notes'
                old[plan.path] = deck
    if not old:
        return list(plans)
    studied = _studied({d.id for d in old.values()})
    return [replace(p, known=known_ids(old[p.path], studied.get(p.id, frozenset()))) if p.path in old else p for p in plans]


def _studied(deck_ids: set[str]) -> dict[str, frozenset[str]]:
    path = store_path()
    if not path.exists():
        return {}
    # why: the store only for an import that replaces decks (a first import does without it)
    from quiz.storage import queries
    from quiz.storage.store import Store

    with Store.open(path) as store:
        return {d: queries.studied_items(store, d) for d in deck_ids}


def refuse_output_clash(source: Path, plans: Sequence[DeckPlan]) -> None:
    """``-o``: a deck whose id the library has for another file is not written beside it."""
    mine = [(c.deck_id, c.taken_by) for c in clashes(plans) if c.taken_by is not None]
    if mine:
        deck_id, taken_by = mine[0]
        raise QuizError(
            f"{display_path(source)}: deck id {deck_id!r} is already in your library (from {display_path(taken_by)}); "
            f"a second file with that id would share its review history; nothing was imported: "
            f"`quiz import {display_path(source)} --force` (no -o) to update the library's deck in place"
            + (", or --deck-id for a separate copy" if len(plans) == 1 else "")
        )


def refuse_other_decks(source: Path, staged: Sequence[StagedDeck]) -> None:
    """A library deck updated in place that shares no note with the package's deck of its id
    is another deck (one's own, with that id by chance): it is not replaced."""
    other = [d for d in staged if d.same_deck and not d.kept]
    if other:
        ids = ", ".join(repr(d.deck_id) for d in other)
        removes = " and ".join(f"`quiz remove {d.deck_id}`" for d in other)
        where = display_path(other[0].path) if len(other) == 1 else f"{len(other)} decks"
        raise QuizError(
            f"{display_path(source)}: the library's deck{'s' * (len(other) != 1)} {ids} ({where}) share{'s' * (len(other) == 1)} "
            f"no note with the package's; nothing was imported: {removes} first to import the package's in "
            f"{'its' if len(other) == 1 else 'their'} place" + (", or --deck-id for a copy" if len(staged) == 1 else "")
        )
