"""Read-only queries for the overview (home, summary) and browse screens.

The Collection turns these rows into its read models; nothing above storage writes SQL.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from quiz.card_state import State, from_us
from quiz.storage.queue_queries import marks
from quiz.storage.store import Store


@dataclass(frozen=True)
class CardBrief:
    """What the browse table shows of a card."""

    state: State
    due: datetime | None
    suspended: bool
    buried_until: datetime | None = None  # set aside until then (bury in review)


def reviewed_since(store: Store, deck_ids: list[str], start_us: int) -> int:
    """Grades given since ``start_us`` in these decks, undone ones not counted."""
    if not deck_ids:
        return 0
    rows = store.query(
        "SELECT COUNT(*) FROM revlog r JOIN cards c ON c.id = r.card_id "
        f"WHERE r.time >= ? AND r.undone = 0 AND c.deck_id IN ({marks(len(deck_ids))})",
        (start_us, *deck_ids),
    )
    return int(rows[0][0])


def next_due(store: Store, deck_ids: list[str]) -> datetime | None:
    """When the earliest studied card of these decks falls due (None if none was studied).

    Suspended cards never come; a buried card comes when its burial ends, if that is later."""
    if not deck_ids:
        return None
    rows = store.query(
        f"SELECT MIN(MAX(due, COALESCE(buried_until, 0))) FROM cards WHERE deck_id IN ({marks(len(deck_ids))}) "
        f"AND suspended = 0 AND hidden = 0 AND state > {int(State.NEW)}",
        tuple(deck_ids),
    )
    return from_us(rows[0][0]) if rows and rows[0][0] is not None else None


def card_briefs(store: Store, deck_id: str) -> dict[tuple[str, int], CardBrief]:
    """State, due date and suspension of every card of a deck, by (item id, ord), in one query.

    Store.card_info costs three queries a card; a 100,000-item deck needs one pass instead.
    """
    rows = store.query(
        "SELECT item_id, ord, state, due, suspended, buried_until FROM cards WHERE deck_id = ?", (deck_id,)
    )
    return {
        (r[0], r[1]): CardBrief(
            State(r[2]), from_us(r[3]) if r[3] is not None else None, bool(r[4]), from_us(r[5]) if r[5] else None
        )
        for r in rows
    }


def studied_items(store: Store, deck_id: str) -> frozenset[str]:
    """The item ids of the deck that have a card studied (hidden ones too): an import that
    replaces the deck gives these to no new note, which would inherit their review state."""
    rows = store.query("SELECT DISTINCT item_id FROM cards WHERE deck_id = ? AND (reps > 0 OR state != 0)", (deck_id,))
    return frozenset(str(r[0]) for r in rows)
