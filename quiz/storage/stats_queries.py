"""The statistics' SQL: grouped counts over the covering indexes, never loading cards.

quiz.study.stats shapes these rows into the figures ``quiz stats`` and the stats screen show.
Times are the store's UTC microseconds; ``deck_ids`` is never empty.
"""

from __future__ import annotations

from quiz.card_state import State
from quiz.storage.queue_queries import DAY_US, marks
from quiz.storage.store import Store

REVIEW = int(State.REVIEW)


def cards_by_state(store: Store, deck_ids: list[str], now_us: int) -> list[tuple[str, int, int, int, int]]:
    """(deck id, suspended, state, buried now, count) of the decks' visible cards.

    Grouped in the index's own order (deck, hidden, suspended, state, buried_until): read from
    the index alone."""
    rows = store.query(
        f"SELECT deck_id, suspended, state, buried_until > ?, COUNT(*) FROM cards "
        f"WHERE deck_id IN ({marks(len(deck_ids))}) AND hidden = 0 GROUP BY deck_id, suspended, state, 4",
        (now_us, *deck_ids),
    )
    return [(str(r[0]), int(r[1]), int(r[2]), int(r[3]), int(r[4])) for r in rows]


def _live(deck_ids: list[str]) -> str:
    return f"deck_id IN ({marks(len(deck_ids))}) AND suspended = 0 AND hidden = 0 AND state > 0"


def due_by_day(store: Store, deck_ids: list[str], start_us: int, days: int) -> list[tuple[int, int]]:
    """(day from ``start_us``, cards due that day) for the next ``days``; overdue count as day 0."""
    rows = store.query(
        f"SELECT MAX(0, (due - ?) / {DAY_US}), COUNT(*) FROM cards WHERE {_live(deck_ids)} AND due < ? GROUP BY 1",
        (start_us, *deck_ids, start_us + days * DAY_US),
    )
    return [(int(r[0]), int(r[1])) for r in rows]


# Every revlog query below reads only the covering index revlog_time.
def _logs(deck_ids: list[str]) -> str:
    return f"FROM revlog r WHERE r.undone = 0 AND r.deck_id IN ({marks(len(deck_ids))})"


def reviews_by_deck(
    store: Store, deck_ids: list[str], today_us: int, since_us: int
) -> list[tuple[str, int, int, int]]:
    """(deck id, reviews since ``today_us``, passed and all reviews of review cards since ``since_us``)."""
    rows = store.query(
        f"SELECT r.deck_id, SUM(r.time >= ?), SUM(r.time >= ? AND r.state_before = {REVIEW} AND r.rating > 1), "
        f"SUM(r.time >= ? AND r.state_before = {REVIEW}) {_logs(deck_ids)} AND r.time >= ? GROUP BY r.deck_id",
        (today_us, since_us, since_us, *deck_ids, min(today_us, since_us)),
    )
    return [(str(r[0]), int(r[1]), int(r[2]), int(r[3])) for r in rows]


def reviews_by_day(store: Store, deck_ids: list[str], since_us: int) -> list[tuple[int, int]]:
    """(day from ``since_us``, reviews that day)."""
    rows = store.query(
        f"SELECT (r.time - ?) / {DAY_US}, COUNT(*) {_logs(deck_ids)} AND r.time >= ? GROUP BY 1",
        (since_us, *deck_ids, since_us),
    )
    return [(int(r[0]), int(r[1])) for r in rows]


def retention_by_week(store: Store, deck_ids: list[str], since_us: int) -> list[tuple[int, int, int]]:
    """(week from ``since_us``, passed, all) reviews of review cards."""
    rows = store.query(
        f"SELECT (r.time - ?) / {7 * DAY_US}, SUM(r.rating > 1), COUNT(*) {_logs(deck_ids)} "
        f"AND r.state_before = {REVIEW} AND r.time >= ? GROUP BY 1",
        (since_us, *deck_ids, since_us),
    )
    return [(int(r[0]), int(r[1]), int(r[2])) for r in rows]
