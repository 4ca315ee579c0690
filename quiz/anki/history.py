"""What a package exported "with scheduling" carries of each imported card: its review log, and
its own state beside it (suspended, buried, a due date set by hand).

Anki's ``revlog`` rows name a card; a card names its note and its ordinal (template number, or
cloze number - 1). We keep the reviews of the notes that became items, as
(deck id, item id, ordinal) -> reviews, for quiz.study.replay to rebuild each card's memory state.
Manual reschedules (ease 0: set due date, forget, FSRS rescheduling) and cramming in filtered
decks that did not reschedule carry no answer and are not replayed; a due date Anki set by hand
after the card's last answer comes across as the card's ``AnkiState.due_on`` instead, and the
last "Forget" (a manual entry with interval 0) as ``AnkiState.reset_at``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from itertools import chain
from operator import attrgetter

from quiz.anki.collection_reader import Card, SetAside, read_reviews, read_set_aside
from quiz.anki.package_reader import Package

MANUAL = (4, 5)  # revlog kinds with no answer: set by hand (set due date, forget), rescheduled
REVIEW = 2  # a card's type once it has graduated; its due is then a day number
BURIED = (-2, -3)  # queues: buried with a sibling, buried by hand
SET_ASIDE = attrgetter("set_aside")  # (map over 36,000 cards: a generator took 5x as long)
LAST_YEAR = 9000  # a card's times past this are not believed (and leave room to count days on)


@dataclass(frozen=True)
class PastReview:
    """One Anki review of a card, as quiz replays it."""

    time: datetime  # tz-aware UTC
    rating: int  # 1 again .. 4 easy
    duration_ms: int


@dataclass(frozen=True)
class AnkiState:
    """A card's state in Anki beyond its answers, for a card that has any."""

    changed: datetime  # the card's last change in Anki (its ``mod``)
    suspended: bool
    buried: bool  # until Anki's next day (quiz: until the study day after ``changed`` ends)
    due_on: date | None = None  # the day it is due, when set by hand after its last answer
    due_set_at: datetime | None = None  # when that was done
    reset_at: datetime | None = None  # when Anki last made it new again ("Forget")


@dataclass(frozen=True)
class CardHistory:
    """An imported card's Anki reviews, oldest first, and its state beside them."""

    deck_id: str
    item_id: str
    ordinal: int  # Anki's card ord: 0 (and 1 for the reversed card; cloze N is N - 1)
    reviews: tuple[PastReview, ...]
    state: AnkiState | None = None  # None: neither suspended, buried nor rescheduled by hand


def card_histories(pkg: Package, cards: dict[int, list[Card]], items: dict[int, tuple[str, str]]) -> list[CardHistory]:
    """``items``: Anki note id -> (deck id, item id) for the notes that were imported."""
    where: dict[int, tuple[str, str, int]] | None = None  # mapped at the first review: none, no map
    found: dict[int, list[PastReview]] = {}
    set_by_hand: dict[int, int] = {}  # card id -> when (ms) it was last rescheduled by hand
    resets: dict[int, int] = {}  # card id -> when (ms) it was last made new again
    for r in read_reviews(pkg):
        if where is None:
            where = _where(cards, items)
        if r.card_id not in where:
            continue
        if 1 <= r.ease <= 4 and r.kind != 4:
            at = datetime.fromtimestamp(r.id / 1000, tz=timezone.utc)
            found.setdefault(r.card_id, []).append(PastReview(at, r.ease, min(r.duration_ms, 3_600_000)))
        elif r.ease == 0 and r.kind in MANUAL:  # each card's rows come oldest first: the last one stays
            (resets if r.kind == 4 and r.interval == 0 else set_by_hand)[r.card_id] = r.id
    if not (set_by_hand or resets or any(map(SET_ASIDE, chain.from_iterable(cards.values())))):
        return _histories(where, found, {})  # nothing set aside or by hand: no need to read the cards again
    crt, set_aside = read_set_aside(pkg)
    if set_aside and where is None:
        where = _where(cards, items)
    states = {}
    for card in set_aside:
        if where is not None and card.card_id in where:
            answers = found.get(card.card_id, ())
            last = answers[-1].time if answers else None
            state = _state(card, crt, set_by_hand.get(card.card_id), last, resets.get(card.card_id))
            if state is not None:
                states[card.card_id] = state
    return _histories(where, found, states)


def _histories(
    where: dict[int, tuple[str, str, int]] | None, found: dict[int, list[PastReview]], states: dict[int, AnkiState]
) -> list[CardHistory]:
    if where is None:
        return []
    return [
        CardHistory(*where[cid], tuple(found.get(cid, ())), states.get(cid))
        for cid in sorted(found.keys() | states.keys())
    ]


def _where(cards: dict[int, list[Card]], items: dict[int, tuple[str, str]]) -> dict[int, tuple[str, str, int]]:
    return {c.id: (*items[nid], c.ord) for nid, own in cards.items() if nid in items for c in own}


def _state(
    card: SetAside, crt: int, set_ms: int | None, last_answer: datetime | None, reset_ms: int | None
) -> AnkiState | None:
    """What comes across of the card's own state; None when nothing does."""
    try:
        due_on = set_at = None
        if set_ms is not None and card.kind == REVIEW and card.queue in (REVIEW, -1, *BURIED):
            set_at = datetime.fromtimestamp(set_ms / 1000, tz=timezone.utc)
            if last_answer is None or set_at > last_answer:
                # Day 0 is the day the collection was made (its crt is that day's rollover hour).
                due_on = datetime.fromtimestamp(crt).date() + timedelta(days=card.due)
        suspended, buried = card.queue == -1, card.queue in BURIED
        reset_at = datetime.fromtimestamp(reset_ms / 1000, tz=timezone.utc) if reset_ms is not None else None
        if not (suspended or buried or due_on or reset_at):
            return None
        changed = datetime.fromtimestamp(card.mod, tz=timezone.utc)
        if max(changed.year, due_on.year if due_on else 0) > LAST_YEAR:
            return None  # a day after it could not be counted (bury's end, the study day)
    except (OverflowError, ValueError, OSError):
        return None  # a time no calendar holds: the card comes across with its answers only
    return AnkiState(changed, suspended, buried, due_on, set_at if due_on else None, reset_at)
