"""A card's row in the ``cards`` table <-> its CardState: the columns and both conversions."""

from __future__ import annotations

import sqlite3

from quiz.card_state import CardState, from_us, to_us

HistoryKey = tuple[str, str, int]  # (deck id, item id, card ordinal)

CARD_COLS = "id, state, step, stability, difficulty, due, last_review, reps, lapses"


def state_from_row(r: tuple) -> CardState:  # type: ignore[type-arg]
    """A row selected as ``CARD_COLS`` (anything after them is ignored)."""
    return CardState(
        card_id=r[0],
        state=r[1],
        step=r[2],
        stability=r[3],
        difficulty=r[4],
        due=from_us(r[5]) if r[5] is not None else None,
        last_review=from_us(r[6]) if r[6] is not None else None,
        reps=r[7],
        lapses=r[8],
    )


def state_params(s: CardState) -> tuple:  # type: ignore[type-arg]
    """The values of ``CARD_COLS`` but ``id``, in order, for an UPDATE."""
    return (
        s.state,
        s.step,
        s.stability,
        s.difficulty,
        to_us(s.due) if s.due else None,
        to_us(s.last_review) if s.last_review else None,
        s.reps,
        s.lapses,
    )


def card_row(c: sqlite3.Connection, key: HistoryKey) -> tuple | None:  # type: ignore[type-arg]
    """The card row (``CARD_COLS``) for (deck, item, ordinal), None when the store has no such card."""
    return c.execute(  # type: ignore[no-any-return]
        f"SELECT {CARD_COLS} FROM cards WHERE deck_id = ? AND item_id = ? AND ord = ?", key
    ).fetchone()
