"""What answering the card on screen would do, worked out at the reveal: an ``Outcome`` per
button (the card after it, Anki's label), the ``Preview`` the screen shows of it, and what the
session ``Kept`` so that the pressed button applies exactly what it showed.

A module of its own, loaded at the first reveal: Python builds a frozen dataclass's methods
when its class is made (about half a millisecond each), and no card needs these before it is
answered, so they stay off the way to the first card.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from quiz.card_state import CardState


@dataclass(frozen=True)
class Outcome:
    """What pressing one button would do: the card after, and Anki's button label."""

    rating: int
    after: CardState
    label: str

    @property
    def due(self) -> datetime:
        assert self.after.due is not None
        return self.after.due


@dataclass(frozen=True)
class Preview:
    """What one grade would do: when the card would be due next."""

    rating: int  # 1 Again, 2 Hard, 3 Good, 4 Easy
    due: datetime  # UTC aware
    label: str  # "1m", "10m", "8d", "3.5mo" (Anki style)


@dataclass(frozen=True)
class Kept:
    """The outcomes shown for a card, kept so the pressed button applies exactly what it showed."""

    before: CardState
    at: datetime
    outcomes: dict[int, Outcome]
