"""Study statistics: counts per deck, today's reviews, retention, and the data for the plots.

All counting is done by SQLite over indexed columns (GROUP BY, in quiz.storage.stats_queries),
never by loading cards.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

from quiz.card_state import State, to_us, utc
from quiz.decks.model import Deck
from quiz.settings import Settings
from quiz.storage.queue_queries import DAY_US, due_by_deck
from quiz.storage import stats_queries as sq
from quiz.storage.store import Store
from quiz.study.schedule import study_day

WEEKS = 12
EXAMS_SHOWN = 20


class DeckStatus(StrEnum):
    """Where a deck of the figures stands; ``--json`` gives the value (``"status"``)."""

    IN_USE = "in_use"  # named, built in, or in the library
    UNAVAILABLE = "unavailable"  # in the library, its file missing or broken (home: "Not available")
    NOT_IN_USE = "not_in_use"  # only in the store: removed from the library, or studied from a file


@dataclass(frozen=True)
class DeckStats:
    name: str
    due_today: int  # learning and review cards due before the study day ends
    # Review cards due before the study day ends: "Due" as Anki's deck list and home show it
    # (home stops at the day's review limit; this is every one).
    due_reviews: int
    new: int
    learning: int  # learning and relearning
    review: int
    suspended: int
    reviews_today: int
    retention_30d: float | None  # share of reviews of review cards passed in 30 days
    status: DeckStatus = DeckStatus.IN_USE


@dataclass(frozen=True)
class Stats:
    """``quiz stats``'s figures; ``as_json()`` is the ``--json`` object (keys in this order)."""

    due_today: int
    due_reviews: int
    new: int
    learning: int
    review: int
    suspended: int
    reviews_today: int
    retention_30d: float | None
    decks: dict[str, DeckStats]
    day_start: str  # ISO times of the study day
    day_end: str
    cards: int
    states: dict[str, int]  # disjoint: new, learning, relearning, review, suspended, buried
    forecast_30d: list[int]  # [0] = due today (overdue included), [i] = due i days later
    reviews_by_day: list[int]  # oldest first; the last entry is today
    retention_by_week: list[float | None]  # oldest first, None = no reviews
    # A short summary only (date, score): the questions stay in the store (`quiz exam --history`).
    exam_history: list[dict[str, Any]]
    # Deck id -> (passed, all) reviews of review cards in 30 days: a group's retention in the
    # table (quiz.study.stats_table) is made of these, not a mean of ratios. Not in the JSON.
    retention_counts: dict[str, tuple[int, int]] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        out = asdict(self)
        del out["retention_counts"]
        return out


def compute_stats(
    store: Store,
    decks: list[Deck],
    settings: Settings,
    now: datetime,
    *,
    unavailable: dict[str, str] | None = None,
    include_store_decks: bool = False,
) -> Stats:
    """Counts for ``decks`` (already synced into the store: Collection.stats does that), the
    ``unavailable`` library decks (id -> name: their cards are in the store), and with
    ``include_store_decks`` every other deck the store knows (removed from the library, or
    studied from files not named now)."""
    now = utc(now)
    names = {d.id: d.name for d in decks}
    status = dict.fromkeys(names, DeckStatus.IN_USE)
    for k, v in (unavailable or {}).items():
        names.setdefault(k, v)
        status.setdefault(k, DeckStatus.UNAVAILABLE)
    if include_store_decks:
        for k, v in store.decks().items():
            names.setdefault(k, v)
            status.setdefault(k, DeckStatus.NOT_IN_USE)
    ids = list(names)
    start, end = study_day(now, settings)
    start_us, end_us, now_us = to_us(start), to_us(end), to_us(now)

    per: dict[str, dict[str, Any]] = {
        d: {
            "name": names[d],
            "due_today": 0,
            "due_reviews": 0,
            "new": 0,
            "learning": 0,
            "review": 0,
            "suspended": 0,
            "reviews_today": 0,
            "retention_30d": None,
            "status": status[d],
        }
        for d in ids
    }
    # Cards by state, disjoint (sums to the deck's cards): suspended and buried cards count there only.
    states = {"new": 0, "learning": 0, "relearning": 0, "review": 0, "suspended": 0, "buried": 0}
    forecast = [0] * 30
    by_day = [0] * 30
    by_week: list[list[int]] = [[0, 0] for _ in range(WEEKS)]
    kept: dict[str, tuple[int, int]] = {}  # deck id -> (passed, total) reviews of review cards, 30 days
    if ids:
        labels = {State.NEW: "new", State.LEARNING: "learning", State.RELEARNING: "learning", State.REVIEW: "review"}
        # "states" is disjoint: a suspended card counts only as suspended, a buried one only as
        # buried, so its parts add up to the cards.
        for deck_id, suspended, state, buried, n in sq.cards_by_state(store, ids, now_us):
            per[deck_id]["suspended" if suspended else labels[State(state)]] += n
            states["suspended" if suspended else "buried" if buried else State(state).label] += n
        # What home's counts ask (quiz.study.queue), so "Due" is one number on both.
        for deck_id, (reviews, learning) in due_by_deck(store, ids, end_us, now_us).items():
            per[deck_id]["due_reviews"] = reviews
            per[deck_id]["due_today"] = reviews + learning
        for bucket, n in sq.due_by_day(store, ids, start_us, 30):
            forecast[bucket] += n
        month_ago = now_us - 30 * DAY_US
        for deck_id, today, passed30, total30 in sq.reviews_by_deck(store, ids, start_us, month_ago):
            p = per[deck_id]
            p["reviews_today"] = today
            p["retention_30d"] = ratio(passed30, total30)
            kept[deck_id] = (passed30, total30)
        for bucket, n in sq.reviews_by_day(store, ids, start_us - 29 * DAY_US):
            if 0 <= bucket < 30:
                by_day[bucket] += n
        for bucket, passed, total in sq.retention_by_week(store, ids, start_us - (WEEKS * 7 - 1) * DAY_US):
            if 0 <= bucket < WEEKS:
                by_week[bucket] = [passed, total]

    def sum_of(key: str) -> int:
        return sum(p[key] for p in per.values())

    return Stats(
        due_today=sum_of("due_today"),
        due_reviews=sum_of("due_reviews"),
        new=sum_of("new"),
        learning=sum_of("learning"),
        review=sum_of("review"),
        suspended=sum_of("suspended"),
        reviews_today=sum_of("reviews_today"),
        retention_30d=ratio(sum(k[0] for k in kept.values()), sum(k[1] for k in kept.values())),
        decks={d: DeckStats(**p) for d, p in per.items()},
        day_start=start.isoformat(),
        day_end=end.isoformat(),
        cards=sum(states.values()),
        states=states,
        forecast_30d=forecast,
        reviews_by_day=by_day,
        retention_by_week=[ratio(p, t) for p, t in by_week],
        exam_history=store.exam_summaries(limit=EXAMS_SHOWN),
        retention_counts=kept,
    )


def ratio(passed: int, total: int) -> float | None:
    """A retention figure: passed of total, rounded; None when there were no reviews."""
    return round(passed / total, 4) if total else None
