"""The figures the home and summary screens show, read from the store with a few indexed
queries (no session, no deck sync): per-deck counts for today, reviews done today, next due."""

from __future__ import annotations

from datetime import datetime

from quiz.decks.model import Deck
from quiz.study.queue import Counts, Queue
from quiz.study.schedule import NEW, from_us, study_day, to_us
from quiz.settings import Settings
from quiz.storage.store import Store


def deck_counts(store: Store, decks: list[Deck], settings: Settings, now: datetime) -> list[tuple[Deck, Counts]]:
    """(deck, cards still to do today within the limits) for each deck."""
    return [(d, Queue(store, [d.id], settings).counts(now)) for d in decks]


def reviewed_today(store: Store, decks: list[Deck], settings: Settings, now: datetime) -> int:
    """Grades given today (since the day boundary) in these decks, undone ones not counted."""
    if not decks:
        return 0
    start, _ = study_day(now, settings)
    marks = ",".join("?" * len(decks))
    rows = store.query(
        "SELECT COUNT(*) FROM revlog r JOIN cards c ON c.id = r.card_id "
        f"WHERE r.time >= ? AND r.undone = 0 AND c.deck_id IN ({marks})",
        (to_us(start), *(d.id for d in decks)),
    )
    return int(rows[0][0])


def next_due(store: Store, decks: list[Deck]) -> datetime | None:
    """When the earliest studied card of these decks falls due (None if none was studied).

    Suspended cards never come; a buried card comes when its burial ends, if that is later."""
    if not decks:
        return None
    marks = ",".join("?" * len(decks))
    rows = store.query(
        f"SELECT MIN(MAX(due, COALESCE(buried_until, 0))) FROM cards WHERE deck_id IN ({marks}) "
        f"AND suspended = 0 AND hidden = 0 AND state > {NEW}",
        tuple(d.id for d in decks),
    )
    return from_us(rows[0][0]) if rows and rows[0][0] is not None else None
