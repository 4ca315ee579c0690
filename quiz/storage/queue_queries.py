"""The study queue's SQL: which cards are due, new or held back, over the partial indexes.

quiz.study.queue decides the order and the limits; every query it needs is here (only the
storage package speaks SQL to our store). Times are the store's UTC microseconds.
"""

from __future__ import annotations

import json
from typing import NamedTuple

from quiz.card_state import State
from quiz.storage.store import Store

DAY_US = 86_400_000_000
NEW, LEARNING, REVIEW, RELEARNING = (int(s) for s in State)
# Every query repeats the partial indexes' WHERE terms so SQLite can use them.
_LIVE_DUE = "suspended = 0 AND hidden = 0 AND state > 0"
_LIVE_NEW = "suspended = 0 AND hidden = 0 AND state = 0"
# Learning queries leave out the "state > 0" term: with it SQLite takes the range state > 0 of
# cards_due and walks every review card (5-7 ms at 100k cards); without it state IN (1, 3) is an
# equality lookup (cards_stats), well under 0.1 ms.
_LIVE_LEARNING = "suspended = 0 AND hidden = 0"
# New cards whose fact is not in a JSON list of facts (the facts studied today), one parameter.
_NOT_SIBLING = "(fact IS NULL OR fact NOT IN (SELECT value FROM json_each(?)))"


class Candidate(NamedTuple):
    """A card the queue may show next, with what it needs to rank it: a row of the queue's
    queries (a named tuple, as rows are: thousands are made per study, and cheaply)."""

    card_id: int
    deck_id: str
    item_id: str
    ord: int  # which card of the item
    fact: str | None  # sibling key (the fact, or "#" + item id)
    state: int
    deferred: bool = False  # a review whose sibling was graded today: shown only when nothing else is


def marks(n: int) -> str:
    return ",".join("?" * n)


def facts_json(facts: list[str] | None) -> str:
    return json.dumps(sorted(facts or []))


def done_today(store: Store, deck_ids: list[str], start_us: int) -> dict[str, tuple[int, int]]:
    """Deck id -> (new cards introduced, reviews of review cards) since ``start_us``."""
    if not deck_ids:
        return {}
    rows = store.query(
        f"SELECT deck_id, SUM(state_before = {NEW}), SUM(state_before = {REVIEW}) FROM revlog "
        f"WHERE time >= ? AND undone = 0 AND deck_id IN ({marks(len(deck_ids))}) GROUP BY deck_id",
        (start_us, *deck_ids),
    )
    return {r[0]: (int(r[1] or 0), int(r[2] or 0)) for r in rows}


def studied_since(store: Store, deck_ids: list[str], start_us: int) -> dict[tuple[str, str], set[int]]:
    """(deck id, fact) -> ids of that fact's cards graded (not undone) since ``start_us``."""
    out: dict[tuple[str, str], set[int]] = {}
    if not deck_ids:
        return out
    for deck_id, fact, card_id in store.query(
        "SELECT DISTINCT c.deck_id, c.fact, c.id FROM revlog r CROSS JOIN cards c ON c.id = r.card_id "
        f"WHERE r.time >= ? AND r.undone = 0 AND r.deck_id IN ({marks(len(deck_ids))}) "
        "AND c.fact IS NOT NULL",
        (start_us, *deck_ids),
    ):
        out.setdefault((deck_id, fact), set()).add(card_id)
    return out


def _pick(store: Store, inner: str, params: tuple[object, ...]) -> list[Candidate]:
    """Order and limit on the covering index alone (``inner`` yields id, k1, k2), then read
    the few chosen rows: sorting never touches the table."""
    sql = (
        f"SELECT c.id, c.deck_id, c.item_id, c.ord, c.fact, c.state FROM ({inner}) AS pick "
        "CROSS JOIN cards c ON c.id = pick.id ORDER BY pick.k1, pick.k2, c.id"
    )
    return [Candidate(*r) for r in store.query(sql, params)]


def learning_due(store: Store, deck_ids: list[str], until_us: int, now_us: int, limit: int) -> list[Candidate]:
    if not deck_ids:
        return []
    return _pick(
        store,
        f"SELECT id, due AS k1, id AS k2 FROM cards WHERE deck_id IN ({marks(len(deck_ids))}) "
        f"AND state IN ({LEARNING}, {RELEARNING}) AND due <= ? AND buried_until <= ? AND {_LIVE_LEARNING} "
        "ORDER BY k1, k2 LIMIT ?",
        (*deck_ids, until_us, now_us, limit),
    )


def review_order(store: Store, decks: list[str], end_us: int, now_us: int, limit: int) -> list[tuple[int, str]]:
    """(card id, deck id) of due reviews, lowest retrievability first; read from the index alone."""
    if not decks:
        return []
    # Retrievability falls as (whole days elapsed) / stability grows: order by that ratio,
    # descending, which is fsrs's retrievability ascending without computing it per row.
    rows = store.query(
        f"SELECT id, deck_id FROM cards WHERE deck_id IN ({marks(len(decks))}) AND state = {REVIEW} "
        f"AND due < ? AND buried_until <= ? AND {_LIVE_DUE} "
        f"ORDER BY ((? - last_review) / {DAY_US}) / stability DESC, due, id LIMIT ?",
        (*decks, end_us, now_us, now_us, limit),
    )
    return [(int(r[0]), str(r[1])) for r in rows]


def live_reviews(store: Store, card_ids: list[int], end_us: int, now_us: int) -> dict[int, Candidate]:
    """Those of ``card_ids`` that are still due reviews (another process may have graded some)."""
    return {
        r[0]: Candidate(*r)
        for r in store.query(
            f"SELECT id, deck_id, item_id, ord, fact, state FROM cards WHERE id IN ({marks(len(card_ids))}) "
            f"AND state = {REVIEW} AND due < ? AND buried_until <= ? AND {_LIVE_DUE}",
            (*card_ids, end_us, now_us),
        )
    }


def new_cards(
    store: Store, deck_id: str, now_us: int, limit: int, skip_facts: list[str] | None = None, *, deck_order: bool = False
) -> list[Candidate]:
    """The next ``limit`` new cards of the deck, interleaved (``mixed``) or in deck order
    (``position``), leaving out ``skip_facts``."""
    # INDEXED BY: left to itself SQLite picks cards_stats and sorts every new card of the deck;
    # cards_new (deck order) and cards_mixed (interleaved) are already sorted, so the walk stops
    # after ``limit`` rows.
    column, index = ("position", "cards_new") if deck_order else ("mixed", "cards_mixed")
    return _pick(
        store,
        f"SELECT id, {column} AS k1, id AS k2 FROM cards INDEXED BY {index} "
        f"WHERE deck_id = ? AND buried_until <= ? AND {_LIVE_NEW} AND {_NOT_SIBLING} ORDER BY k1, k2 LIMIT ?",
        (deck_id, now_us, facts_json(skip_facts), limit),
    )


def next_learning_due(store: Store, deck_ids: list[str], end_us: int, now_us: int) -> int | None:
    """When (store time) the next learning card not yet due falls due before ``end_us``."""
    if not deck_ids:
        return None
    rows = store.query(
        "SELECT MIN(due) FROM cards "
        f"WHERE deck_id IN ({marks(len(deck_ids))}) AND state IN ({LEARNING}, {RELEARNING}) "
        f"AND due < ? AND buried_until <= ? AND {_LIVE_LEARNING}",
        (*deck_ids, end_us, now_us),
    )
    return int(rows[0][0]) if rows and rows[0][0] is not None else None


def count_new(store: Store, deck_id: str, now_us: int) -> int:
    """New cards of the deck that are not buried."""
    return int(
        store.query(
            f"SELECT COUNT(*) FROM cards WHERE deck_id = ? AND buried_until <= ? AND {_LIVE_NEW}", (deck_id, now_us)
        )[0][0]
    )


def count_new_siblings(store: Store, deck_id: str, now_us: int, facts: list[str]) -> int:
    """New cards of the deck that belong to ``facts``."""
    return int(
        store.query(
            f"SELECT COUNT(*) FROM cards WHERE deck_id = ? AND buried_until <= ? AND {_LIVE_NEW} "
            "AND fact IN (SELECT value FROM json_each(?))",
            (deck_id, now_us, facts_json(facts)),
        )[0][0]
    )


def count_due_reviews(store: Store, deck_id: str, end_us: int, now_us: int, limit: int = -1) -> int:
    """Due reviews of the deck; counting stops at ``limit`` (LIMIT inside: a deck with 500k due
    cards costs no more). -1: no limit."""
    return int(
        store.query(
            f"SELECT COUNT(*) FROM (SELECT 1 FROM cards WHERE deck_id = ? AND state = {REVIEW} "
            f"AND due < ? AND buried_until <= ? AND {_LIVE_DUE} LIMIT ?)",
            (deck_id, end_us, now_us, limit),
        )[0][0]
    )


def count_new_left(store: Store, deck_id: str, now_us: int, skip_facts: list[str], limit: int) -> int:
    """New cards of the deck not of ``skip_facts``, counted up to ``limit``."""
    return int(
        store.query(
            "SELECT COUNT(*) FROM (SELECT 1 FROM cards "
            f"WHERE deck_id = ? AND buried_until <= ? AND {_LIVE_NEW} AND {_NOT_SIBLING} LIMIT ?)",
            (deck_id, now_us, facts_json(skip_facts), limit),
        )[0][0]
    )


def count_learning(store: Store, deck_ids: list[str], end_us: int, now_us: int) -> int:
    """Learning cards of the decks due before ``end_us``."""
    return int(
        store.query(
            "SELECT COUNT(*) FROM cards "
            f"WHERE deck_id IN ({marks(len(deck_ids))}) AND state IN ({LEARNING}, {RELEARNING}) "
            f"AND due < ? AND buried_until <= ? AND {_LIVE_LEARNING}",
            (*deck_ids, end_us, now_us),
        )[0][0]
    )


def due_by_deck(store: Store, deck_ids: list[str], end_us: int, now_us: int) -> dict[str, tuple[int, int]]:
    """Deck id -> (due reviews, learning cards due) before ``end_us``: what count_due_reviews
    and count_learning give each deck, in one pass (the stats of every deck the store knows)."""
    rows = store.query(
        f"SELECT deck_id, SUM(state = {REVIEW}), SUM(state IN ({LEARNING}, {RELEARNING})) FROM cards "
        f"WHERE deck_id IN ({marks(len(deck_ids))}) AND due < ? AND buried_until <= ? AND {_LIVE_LEARNING} "
        "GROUP BY deck_id",
        (*deck_ids, end_us, now_us),
    )
    return {str(r[0]): (int(r[1]), int(r[2])) for r in rows}


def count_buried(store: Store, deck_ids: list[str], now_us: int) -> int:
    return int(
        store.query(
            f"SELECT COUNT(*) FROM cards WHERE buried_until > ? AND deck_id IN ({marks(len(deck_ids))}) "
            "AND suspended = 0 AND hidden = 0",
            (now_us, *deck_ids),
        )[0][0]
    )


def next_review_due(store: Store, deck_ids: list[str], end_us: int) -> int | None:
    """The earliest due (store time) of a review card due at or after ``end_us``."""
    due = store.query(
        f"SELECT MIN(due) FROM cards WHERE deck_id IN ({marks(len(deck_ids))}) AND state = {REVIEW} "
        f"AND due >= ? AND {_LIVE_DUE}",
        (*deck_ids, end_us),
    )[0][0]
    return None if due is None else int(due)
