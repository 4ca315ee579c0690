"""A review done elsewhere (Anki) as the review log stores it when a package's history comes in.

Its own module, loaded by the import that brings history, not by every command that opens the
store: making a frozen dataclass costs start-up time (Python builds its methods then).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

from quiz.card_state import CardState
from quiz.storage.card_rows import HistoryKey


@dataclass(frozen=True)
class ReplayedReview:
    """A review done elsewhere (Anki), with the states our scheduler gives it when replayed."""

    time: datetime
    rating: int
    duration_ms: int
    before: CardState
    after: CardState


Replay = Callable[[HistoryKey, CardState], Sequence[ReplayedReview]]
