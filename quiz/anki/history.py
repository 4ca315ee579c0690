"""The review log a package exported "with scheduling" carries, per imported card.

Anki's ``revlog`` rows name a card; a card names its note and its ordinal (template number, or
cloze number - 1). We keep the reviews of the notes that became items, as
(deck id, item id, ordinal) -> reviews, for quiz.study.replay to rebuild each card's memory state.
Manual reschedules (ease 0) and cramming in filtered decks that did not reschedule carry no
answer and are left out.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone

from quiz.anki.collection_reader import Card, read_reviews
from quiz.anki.package_reader import Package


@dataclass(frozen=True)
class PastReview:
    """One Anki review of a card, as quiz replays it."""

    time: datetime  # tz-aware UTC
    rating: int  # 1 again .. 4 easy
    duration_ms: int


@dataclass(frozen=True)
class CardHistory:
    """An imported card's Anki reviews, oldest first."""

    deck_id: str
    item_id: str
    ordinal: int  # Anki's card ord: 0 (and 1 for the reversed card; cloze N is N - 1)
    reviews: tuple[PastReview, ...]


def card_histories(pkg: Package, cards: dict[int, list[Card]], items: dict[int, tuple[str, str]]) -> list[CardHistory]:
    """``items``: Anki note id -> (deck id, item id) for the notes that were imported."""
    where: dict[int, tuple[str, str, int]] | None = None  # mapped at the first review: none, no map
    found: dict[int, list[PastReview]] = {}
    for r in read_reviews(pkg):
        if where is None:
            where = {c.id: (*items[nid], c.ord) for nid, own in cards.items() if nid in items for c in own}
        if r.card_id in where and 1 <= r.ease <= 4 and r.kind != 4:
            at = datetime.fromtimestamp(r.id / 1000, tz=timezone.utc)
            found.setdefault(r.card_id, []).append(PastReview(at, r.ease, min(r.duration_ms, 3_600_000)))
    return [CardHistory(*where[cid], tuple(reviews)) for cid, reviews in found.items()] if where else []
