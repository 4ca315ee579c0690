"""Why cards that exist are not offered now, and the sentence the study screen shows for it
("Daily limit of 20 new cards reached; 52 more wait for tomorrow."). Loaded once a study
runs out of cards, not at start-up."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from quiz.durations import duration_text
from quiz.settings import Settings


@dataclass(frozen=True)
class HeldBack:
    """Why cards that exist are not offered now (for "come back later" messages)."""

    new_over_limit: int  # new cards of decks whose daily new limit is used up
    new_siblings: int  # new cards waiting because a card of their fact was studied today
    reviews_over_limit: int  # due reviews of decks whose daily review limit is used up
    buried: int  # cards buried until a later study day
    next_learning: datetime | None  # the next learning card due later today
    next_review: datetime | None  # the earliest review due after today


def _n(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"


def describe_idle(h: HeldBack, now: datetime, settings: Settings) -> str:
    """The sentence(s) for ``StudySession.idle_reason``."""
    parts = []
    if h.next_learning is not None:
        parts.append(f"Next learning card in {duration_text((h.next_learning - now).total_seconds(), 'wait')}.")
    if h.new_over_limit:
        more = _n(h.new_over_limit, "more waits", "more wait")
        parts.append(
            f"Daily limit of {_n(settings.new_per_day, 'new card', 'new cards')} reached; {more} for tomorrow."
        )
    if h.new_siblings:
        cards = _n(h.new_siblings, "new card waits", "new cards wait")
        parts.append(f"{cards} for tomorrow: a card of the same fact was studied today.")
    if h.reviews_over_limit:
        due = _n(h.reviews_over_limit, "more is", "more are")
        parts.append(f"Daily limit of {settings.reviews_per_day} reviews reached; {due} due.")
    if h.buried:
        parts.append(f"{_n(h.buried, 'card is', 'cards are')} buried until tomorrow.")
    if not parts and h.next_review is not None:
        parts.append(f"All done for today. Next review in {duration_text((h.next_review - now).total_seconds(), 'wait')}.")
    return " ".join(parts)
