"""Reviews done elsewhere (Anki) as the store takes them in when a package's history comes in,
and what Anki says of a card besides its answers (suspended, buried, a due date set by hand).

Its own module, loaded by the import that brings history, not by every command that opens the
store: making a frozen dataclass costs start-up time (Python builds its methods then).
"""

from __future__ import annotations

import sqlite3
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

from quiz.card_state import CardState, State, to_us
from quiz.storage.card_rows import HistoryKey


@dataclass(frozen=True)
class ReplayedReview:
    """A review done elsewhere (Anki), with the states our scheduler gives it when replayed."""

    time: datetime
    rating: int
    duration_ms: int
    before: CardState
    after: CardState


@dataclass(frozen=True)
class Replayed:
    """A card's reviews done elsewhere, replayed from its state here."""

    reviews: Sequence[ReplayedReview]  # those to add to the log
    state: CardState  # the card's state after them
    reset: bool = False  # made new again on the way (Anki's "Forget")


Replay = Callable[[HistoryKey, CardState], Replayed]


@dataclass(frozen=True)
class AnkiFlags:
    """A card's state in Anki beside its answers, in the store's terms (quiz.study.replay)."""

    changed: datetime  # the card's last change in Anki: it comes across only when newer than the last
    suspended: bool
    buried_until: datetime | None = None  # None: not buried, or its bury is over already
    due: datetime | None = None  # a due date set by hand in Anki after its last answer
    due_set_at: datetime | None = None


@dataclass(frozen=True)
class Brought:
    """What an import brought into the store: reviews replayed, and Anki's state of cards (the
    counts after ``missing`` are kept by name in a tally, by apply_flags and unsuspend_gone)."""

    cards: int  # cards that took reviews
    reviews: int
    missing: int  # cards of the package with no card here to go to (passed over)
    suspended: int = 0  # cards suspended here because Anki has them suspended
    unsuspended: int = 0  # suspended by an earlier import, since unsuspended in Anki
    buried: int = 0
    due_set: int = 0  # due dates set as Anki has them (rescheduled by hand there)
    reset: int = 0  # cards made new again, as Anki's "Forget" did


def apply_flags(c: sqlite3.Connection, card_id: int, state: CardState, f: AnkiFlags, tally: Counter[str]) -> None:
    """Take Anki's state of the card when Anki changed the card since the last import brought it.

    The suspension follows Anki only when it changed in Anki since then (what the student did in
    quiz meanwhile stays); a bury only while it lasts, never shortening one of ours; a due date
    set by hand only when it is later than the card's last answer (here or in Anki). The memory
    state (stability, difficulty) stays the replay's.
    """
    anki_mod, anki_suspended, suspended, buried_until = c.execute(
        "SELECT anki_mod, anki_suspended, suspended, buried_until FROM cards WHERE id = ?", (card_id,)
    ).fetchone()
    changed = to_us(f.changed)
    if anki_mod is not None and changed <= anki_mod:
        return  # imported before (or an older package): nothing new from Anki
    if f.suspended != bool(anki_suspended):
        if f.suspended != bool(suspended):
            if f.suspended:
                tally["suspended"] += 1
            else:
                tally["unsuspended"] += 1
        suspended = f.suspended
    if f.buried_until is not None and to_us(f.buried_until) > buried_until:
        buried_until = to_us(f.buried_until)
        tally["buried"] += 1
    due = to_us(state.due) if state.due else None
    if f.due is not None and f.due_set_at is not None and state.state != State.NEW and (
        state.last_review is None or f.due_set_at > state.last_review
    ):
        due = to_us(f.due)
        tally["due_set"] += 1
    c.execute(
        "UPDATE cards SET anki_mod = ?, anki_suspended = ?, suspended = ?, buried_until = ?, due = ? WHERE id = ?",
        (changed, int(f.suspended), int(suspended), buried_until, due, card_id),
    )


def unsuspend_gone(c: sqlite3.Connection, deck_ids: Sequence[str], kept: set[HistoryKey], tally: Counter[str]) -> None:
    """Cards of ``deck_ids`` an earlier import suspended that the package no longer has
    suspended (it says nothing of them: not in ``kept``) are unsuspended: Anki unsuspended them
    since. (Anki does not date an unsuspension; an older package imported after a newer one
    can undo it.)"""
    marks = ",".join("?" * len(deck_ids))
    rows = c.execute(
        f"SELECT id, deck_id, item_id, ord, suspended FROM cards WHERE anki_suspended = 1 AND hidden = 0 "
        f"AND deck_id IN ({marks})", list(deck_ids),
    ).fetchall()
    for card_id, deck_id, item_id, ord_, suspended in rows:
        if (deck_id, item_id, ord_) not in kept:
            tally["unsuspended"] += bool(suspended)
            c.execute("UPDATE cards SET anki_suspended = 0, suspended = 0 WHERE id = ?", (card_id,))
