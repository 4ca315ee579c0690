"""What the browse screen shows of one card: its row in the store (CardInfo) and its review
history (ReviewRow). Loaded when first asked for: the study app's start does not need them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from quiz.card_state import CardState


@dataclass(frozen=True)
class CardInfo:
    """One card's row in the store: its scheduling state and counters."""

    deck_id: str
    item_id: str
    card_id: int
    state: str
    due: datetime | None
    stability: float | None
    difficulty: float | None
    last_review: datetime | None
    reps: int
    lapses: int
    suspended: bool
    buried_until: datetime | None
    hidden: bool
    leech: bool
    ord: int = 0  # which card of the item (Item.ords)


@dataclass(frozen=True)
class ReviewRow:
    """One grade in the review log."""

    id: int
    card_id: int
    time: datetime
    rating: int
    duration_ms: int
    state_before: str
    state_after: str
    before: CardState
    after: CardState
    undone: bool
