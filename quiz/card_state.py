"""A card's schedule as the store keeps it: its ``State``, the ``Rating`` a grade gives, the
``CardState`` row, and the store's time format (UTC microseconds).

Base layer: storage, study, exam and the TUI all speak these, so they live below all of them
(storage must not import study/).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, fields
from datetime import datetime, timedelta, timezone
from enum import IntEnum


class State(IntEnum):
    """Where a card is in its life. 1..3 equal fsrs.State values; 0 is ours (fsrs calls a new
    card Learning step 0). IntEnum: the store keeps the integer, and SQL can be written with it."""

    NEW = 0
    LEARNING = 1
    REVIEW = 2
    RELEARNING = 3

    @property
    def label(self) -> str:
        """"new", "learning", "review", "relearning" (what stats and the browse screen say)."""
        return self.name.lower()


class Rating(IntEnum):
    """The four grade buttons, as Anki numbers them (and fsrs.Rating)."""

    AGAIN = 1
    HARD = 2
    GOOD = 3
    EASY = 4

    @property
    def label(self) -> str:
        """"Again", "Hard", "Good", "Easy" (the buttons' words)."""
        return self.name.capitalize()


_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)


def utc(dt: datetime) -> datetime:
    """The same instant with tzinfo exactly ``timezone.utc`` (what fsrs insists on)."""
    if dt.tzinfo is None or dt.utcoffset() is None:
        raise ValueError(f"naive datetime {dt!r}: quiz uses timezone-aware datetimes only")
    return dt.astimezone(timezone.utc)


def to_us(dt: datetime) -> int:
    """Microseconds since the epoch: the store's exact, indexable time format."""
    d = utc(dt) - _EPOCH
    return (d.days * 86_400 + d.seconds) * 1_000_000 + d.microseconds


def from_us(us: int) -> datetime:
    return _EPOCH + timedelta(microseconds=us)


@dataclass(frozen=True)
class CardState:
    """Everything the store keeps about a card's schedule (one row of ``cards``)."""

    card_id: int
    state: int = State.NEW
    step: int | None = None
    stability: float | None = None
    difficulty: float | None = None
    due: datetime | None = None  # None while new
    last_review: datetime | None = None
    reps: int = 0
    lapses: int = 0

    def to_json(self) -> str:
        # A shallow dict: asdict() deep-copies the datetimes, 3x what this whole method costs.
        d = {f.name: getattr(self, f.name) for f in fields(self)}
        d["state"] = int(self.state)
        d["due"] = to_us(self.due) if self.due else None
        d["last_review"] = to_us(self.last_review) if self.last_review else None
        return json.dumps(d, separators=(",", ":"))

    @classmethod
    def from_json(cls, text: str) -> CardState:
        d = json.loads(text)
        d["due"] = from_us(d["due"]) if d["due"] is not None else None
        d["last_review"] = from_us(d["last_review"]) if d["last_review"] is not None else None
        return cls(**d)
