"""Which cards are due, in which order, and how many are left today: SQL over indexed columns.

Order (like Anki): learning cards due now, then due reviews (lowest retrievability first, i.e.
most overdue relative to their stability), then new cards, interleaved across facts and item
kinds (quiz.decks.order) or, with ``Settings.new_card_order = "deck"``, in deck order.

Siblings (cards of the same fact in a deck), as Anki buries them by default:
- once any card of a fact has been graded this study day, the fact's other NEW cards are not
  introduced until the next day (they are left out here and in ``counts``, so the daily new
  limit fills up with other facts' cards);
- a due REVIEW card whose sibling was graded today is marked ``deferred``: the session shows it
  only when nothing else is waiting (it still counts as due today);
- learning cards are never held back (their steps are minutes apart).

Limits are per deck and
per study day (the day starts at ``Settings.day_starts_at`` local time) and are counted from the
review log, so they hold across sessions and processes. Only the few rows a caller asks for are
read; fsrs Card objects are built only for the card shown (by the session).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from quiz.study.schedule import LEARNING, NEW, RELEARNING, REVIEW, from_us, study_day, to_us
from quiz.settings import Settings
from quiz.storage.store import Store

DAY_US = 86_400_000_000
# Every query repeats the partial indexes' WHERE terms so SQLite can use them.
_LIVE_DUE = "suspended = 0 AND hidden = 0 AND state > 0"
_LIVE_NEW = "suspended = 0 AND hidden = 0 AND state = 0"
# Learning queries leave out the "state > 0" term: with it SQLite takes the range state > 0 of
# cards_due and walks every review card (5-7 ms at 100k cards); without it state IN (1, 3) is an
# equality lookup (cards_stats), well under 0.1 ms.
_LIVE_LEARNING = "suspended = 0 AND hidden = 0"


@dataclass(frozen=True)
class Candidate:
    card_id: int
    deck_id: str
    item_id: str
    ord: int  # which card of the item
    fact: str | None  # sibling key (the fact, or "#" + item id)
    state: int
    deferred: bool = False  # a review whose sibling was graded today: shown only when nothing else is


# (deck id, fact) -> ids of that fact's cards graded this study day
Studied = dict[tuple[str, str], set[int]]


@dataclass(frozen=True)
class Counts:
    new: int
    learning: int
    review: int

    @property
    def total(self) -> int:
        return self.new + self.learning + self.review


@dataclass(frozen=True)
class HeldBack:
    """Why cards that exist are not offered now (for "come back later" messages)."""

    new_over_limit: int  # new cards of decks whose daily new limit is used up
    new_siblings: int  # new cards waiting because a card of their fact was studied today
    reviews_over_limit: int  # due reviews of decks whose daily review limit is used up
    buried: int  # cards buried until a later study day
    next_learning: datetime | None  # the next learning card due later today
    next_review: datetime | None  # the earliest review due after today


REVIEW_CACHE_TTL = timedelta(minutes=5)
REVIEW_CACHE_SIZE = 2000


@dataclass
class _ReviewCache:
    end_us: int  # the study day it was built for
    built: datetime
    order: list[tuple[int, str]]  # (card id, deck id) of due reviews, lowest retrievability first
    complete: bool  # all due reviews fitted (else rebuild when used up)


def _marks(n: int) -> str:
    return ",".join("?" * n)


# New cards whose fact is not in a JSON list of facts (the facts studied today), one parameter.
_NOT_SIBLING = "(fact IS NULL OR fact NOT IN (SELECT value FROM json_each(?)))"


def _facts_json(facts: list[str] | None) -> str:
    return json.dumps(sorted(facts or []))


def _skip(studied: Studied, deck_id: str) -> list[str]:
    return [fact for (d, fact) in studied if d == deck_id]


def _defer(cands: list[Candidate], studied: Studied) -> list[Candidate]:
    """Mark due reviews whose sibling (another card of the fact) was graded today."""
    out = []
    for c in cands:
        graded = studied.get((c.deck_id, c.fact)) if c.fact is not None else None
        if c.state == REVIEW and graded and graded - {c.card_id}:
            c = replace(c, deferred=True)
        out.append(c)
    return out


class Queue:
    def __init__(self, store: Store, deck_ids: list[str], settings: Settings) -> None:
        self.store = store
        self.deck_ids = list(deck_ids)
        self.settings = settings
        self._reviews: _ReviewCache | None = None
        self._studied: tuple[tuple[object, ...], Studied] | None = None

    # --- limits --------------------------------------------------------------------------

    def done_today(self, now: datetime) -> dict[str, tuple[int, int]]:
        """Deck id -> (new cards introduced, reviews of review cards) since the day began."""
        start, _ = study_day(now, self.settings)
        if not self.deck_ids:
            return {}
        rows = self.store.query(
            f"SELECT deck_id, SUM(state_before = {NEW}), SUM(state_before = {REVIEW}) FROM revlog "
            f"WHERE time >= ? AND undone = 0 AND deck_id IN ({_marks(len(self.deck_ids))}) GROUP BY deck_id",
            (to_us(start), *self.deck_ids),
        )
        return {r[0]: (int(r[1] or 0), int(r[2] or 0)) for r in rows}

    def studied_today(self, now: datetime) -> Studied:
        """Facts with a card graded (not undone) since the study day began, and those cards."""
        start, _ = study_day(now, self.settings)
        # candidates() and counts() both need this, back to back: reuse it until the store changes
        # (data_version moves on another connection's commit, total_changes on our own).
        key = (start, self.store.conn.execute("PRAGMA data_version").fetchone()[0], self.store.conn.total_changes)
        if self._studied is not None and self._studied[0] == key:
            return self._studied[1]
        out: Studied = {}
        if not self.deck_ids:
            return out
        for deck_id, fact, card_id in self.store.query(
            "SELECT DISTINCT c.deck_id, c.fact, c.id FROM revlog r CROSS JOIN cards c ON c.id = r.card_id "
            f"WHERE r.time >= ? AND r.undone = 0 AND r.deck_id IN ({_marks(len(self.deck_ids))}) "
            "AND c.fact IS NOT NULL",
            (to_us(start), *self.deck_ids),
        ):
            out.setdefault((deck_id, fact), set()).add(card_id)
        self._studied = (key, out)
        return out

    def remaining(self, now: datetime) -> tuple[dict[str, int], dict[str, int]]:
        """(new left, reviews left) per deck for today."""
        done = self.done_today(now)
        new_left = {d: max(0, self.settings.new_per_day - done.get(d, (0, 0))[0]) for d in self.deck_ids}
        rev_left = {d: max(0, self.settings.reviews_per_day - done.get(d, (0, 0))[1]) for d in self.deck_ids}
        return new_left, rev_left

    # --- candidates ----------------------------------------------------------------------

    def _pick(self, inner: str, params: tuple) -> list[Candidate]:  # type: ignore[type-arg]
        """Order and limit on the covering index alone (``inner`` yields id, k1, k2), then read
        the few chosen rows: sorting never touches the table."""
        sql = (
            f"SELECT c.id, c.deck_id, c.item_id, c.ord, c.fact, c.state FROM ({inner}) AS pick "
            "CROSS JOIN cards c ON c.id = pick.id ORDER BY pick.k1, pick.k2, c.id"
        )
        return [Candidate(*r) for r in self.store.query(sql, params)]

    def learning_due(self, until_us: int, now_us: int, limit: int) -> list[Candidate]:
        if not self.deck_ids:
            return []
        return self._pick(
            f"SELECT id, due AS k1, id AS k2 FROM cards WHERE deck_id IN ({_marks(len(self.deck_ids))}) "
            f"AND state IN ({LEARNING}, {RELEARNING}) AND due <= ? AND buried_until <= ? AND {_LIVE_LEARNING} "
            "ORDER BY k1, k2 LIMIT ?",
            (*self.deck_ids, until_us, now_us, limit),
        )

    def review_order(self, decks: list[str], end_us: int, now_us: int, limit: int) -> list[tuple[int, str]]:
        """(card id, deck id) of due reviews, lowest retrievability first; read from the index alone."""
        if not decks:
            return []
        # Retrievability falls as (whole days elapsed) / stability grows: order by that ratio,
        # descending, which is fsrs's retrievability ascending without computing it per row.
        rows = self.store.query(
            f"SELECT id, deck_id FROM cards WHERE deck_id IN ({_marks(len(decks))}) AND state = {REVIEW} "
            f"AND due < ? AND buried_until <= ? AND {_LIVE_DUE} "
            f"ORDER BY ((? - last_review) / {DAY_US}) / stability DESC, due, id LIMIT ?",
            (*decks, end_us, now_us, now_us, limit),
        )
        return [(int(r[0]), str(r[1])) for r in rows]

    def cached_reviews(self, decks: list[str], end_us: int, now: datetime, limit: int) -> list[Candidate]:
        """The first ``limit`` due reviews of ``decks``, served from a short-lived ordered cache.

        Ordering every due review by retrievability reads all of them (a big backlog is tens of
        thousands); it is done once per few minutes, like Anki building its queue, and each call
        re-reads only the few cards it returns (another process may have graded them meanwhile).
        """
        now_us = to_us(now)
        allowed = set(decks)
        c = self._reviews
        if c is None or c.end_us != end_us or not c.built <= now < c.built + REVIEW_CACHE_TTL:
            c = self._reviews = self._build_review_cache(end_us, now)
        while True:
            head = [cid for cid, deck in c.order if deck in allowed][: limit * 2]
            if not head:
                if c.complete or c.order:
                    return []
                c = self._reviews = self._build_review_cache(end_us, now)
                continue
            live = {
                r[0]: Candidate(*r)
                for r in self.store.query(
                    f"SELECT id, deck_id, item_id, ord, fact, state FROM cards WHERE id IN ({_marks(len(head))}) "
                    f"AND state = {REVIEW} AND due < ? AND buried_until <= ? AND {_LIVE_DUE}",
                    (*head, end_us, now_us),
                )
            }
            if len(live) == len(head):
                return [live[cid] for cid in head[:limit]]
            c.order = [x for x in c.order if x[0] in live or x[0] not in head]

    def _build_review_cache(self, end_us: int, now: datetime) -> _ReviewCache:
        order = self.review_order(self.deck_ids, end_us, to_us(now), REVIEW_CACHE_SIZE)
        return _ReviewCache(end_us=end_us, built=now, order=order, complete=len(order) < REVIEW_CACHE_SIZE)

    def new_cards(self, deck_id: str, now_us: int, limit: int, skip_facts: list[str] | None = None) -> list[Candidate]:
        """The next ``limit`` new cards of the deck in the chosen order, leaving out ``skip_facts``."""
        # INDEXED BY: left to itself SQLite picks cards_stats and sorts every new card of the deck;
        # cards_new (deck order) and cards_mixed (interleaved) are already sorted, so the walk
        # stops after ``limit`` rows.
        column, index = ("position", "cards_new") if self.settings.new_card_order == "deck" else ("mixed", "cards_mixed")
        return self._pick(
            f"SELECT id, {column} AS k1, id AS k2 FROM cards INDEXED BY {index} "
            f"WHERE deck_id = ? AND buried_until <= ? AND {_LIVE_NEW} AND {_NOT_SIBLING} ORDER BY k1, k2 LIMIT ?",
            (deck_id, now_us, _facts_json(skip_facts), limit),
        )

    def candidates(self, now: datetime, per_kind: int = 8) -> list[Candidate]:
        """The next few cards in queue order (the session picks the first that is not a sibling)."""
        now_us = to_us(now)
        _, end = study_day(now, self.settings)
        new_left, rev_left = self.remaining(now)
        studied = self.studied_today(now)
        out = self.learning_due(now_us, now_us, per_kind)
        reviews = self.cached_reviews([d for d in self.deck_ids if rev_left[d] > 0], to_us(end), now, per_kind)
        out += _defer(reviews, studied)
        for d in self.deck_ids:
            if len(out) >= 3 * per_kind:
                break
            if new_left[d] > 0:
                out += self.new_cards(d, now_us, min(per_kind, new_left[d]), _skip(studied, d))
        if not out:
            # Nothing else to do: learning cards due soon come early rather than ending the session.
            ahead = now + timedelta(minutes=self.settings.learn_ahead_minutes)
            out = self.learning_due(to_us(ahead), now_us, per_kind)
        return out

    def next_learning_due(self, now: datetime) -> datetime | None:
        """When the next learning card (not yet due) falls due today, if any."""
        if not self.deck_ids:
            return None
        _, end = study_day(now, self.settings)
        rows = self.store.query(
            "SELECT MIN(due) FROM cards "
            f"WHERE deck_id IN ({_marks(len(self.deck_ids))}) AND state IN ({LEARNING}, {RELEARNING}) "
            f"AND due < ? AND buried_until <= ? AND {_LIVE_LEARNING}",
            (*self.deck_ids, to_us(end), to_us(now)),
        )
        return from_us(rows[0][0]) if rows and rows[0][0] is not None else None

    def held_back(self, now: datetime) -> HeldBack:
        """What is waiting and why: a handful of indexed COUNTs, meant for when the queue is empty."""
        if not self.deck_ids:
            return HeldBack(0, 0, 0, 0, None, None)
        now_us = to_us(now)
        _, end = study_day(now, self.settings)
        end_us = to_us(end)
        new_left, rev_left = self.remaining(now)
        studied = self.studied_today(now)
        over_new = siblings = over_rev = 0
        for d in self.deck_ids:
            if not new_left[d]:
                over_new += self.store.query(
                    f"SELECT COUNT(*) FROM cards WHERE deck_id = ? AND buried_until <= ? AND {_LIVE_NEW}",
                    (d, now_us),
                )[0][0]
            elif skip := _skip(studied, d):
                siblings += self.store.query(
                    f"SELECT COUNT(*) FROM cards WHERE deck_id = ? AND buried_until <= ? AND {_LIVE_NEW} "
                    "AND fact IN (SELECT value FROM json_each(?))",
                    (d, now_us, _facts_json(skip)),
                )[0][0]
            if not rev_left[d]:
                over_rev += self.store.query(
                    f"SELECT COUNT(*) FROM cards WHERE deck_id = ? AND state = {REVIEW} AND due < ? "
                    f"AND buried_until <= ? AND {_LIVE_DUE}",
                    (d, end_us, now_us),
                )[0][0]
        marks = _marks(len(self.deck_ids))
        buried = self.store.query(
            f"SELECT COUNT(*) FROM cards WHERE buried_until > ? AND deck_id IN ({marks}) AND suspended = 0 "
            "AND hidden = 0",
            (now_us, *self.deck_ids),
        )[0][0]
        nxt = self.store.query(
            f"SELECT MIN(due) FROM cards WHERE deck_id IN ({marks}) AND state = {REVIEW} AND due >= ? AND {_LIVE_DUE}",
            (*self.deck_ids, end_us),
        )[0][0]
        return HeldBack(
            new_over_limit=int(over_new),
            new_siblings=int(siblings),
            reviews_over_limit=int(over_rev),
            buried=int(buried),
            next_learning=self.next_learning_due(now),
            next_review=from_us(nxt) if nxt is not None else None,
        )

    # --- counts --------------------------------------------------------------------------

    def counts(self, now: datetime) -> Counts:
        """Cards still to do today: learning due today, reviews and new within today's limits."""
        if not self.deck_ids:
            return Counts(0, 0, 0)
        now_us = to_us(now)
        _, end = study_day(now, self.settings)
        end_us = to_us(end)
        new_left, rev_left = self.remaining(now)
        studied = self.studied_today(now)
        learning = self.store.query(
            "SELECT COUNT(*) FROM cards "
            f"WHERE deck_id IN ({_marks(len(self.deck_ids))}) AND state IN ({LEARNING}, {RELEARNING}) "
            f"AND due < ? AND buried_until <= ? AND {_LIVE_LEARNING}",
            (*self.deck_ids, end_us, now_us),
        )[0][0]
        review = new = 0
        for d in self.deck_ids:
            # Counting stops at the limit (LIMIT inside): a deck with 500k due cards costs no more.
            if rev_left[d]:
                review += self.store.query(
                    f"SELECT COUNT(*) FROM (SELECT 1 FROM cards WHERE deck_id = ? AND state = {REVIEW} "
                    f"AND due < ? AND buried_until <= ? AND {_LIVE_DUE} LIMIT ?)",
                    (d, end_us, now_us, rev_left[d]),
                )[0][0]
            if new_left[d]:
                new += self.store.query(
                    "SELECT COUNT(*) FROM (SELECT 1 FROM cards "
                    f"WHERE deck_id = ? AND buried_until <= ? AND {_LIVE_NEW} AND {_NOT_SIBLING} LIMIT ?)",
                    (d, now_us, _facts_json(_skip(studied, d)), new_left[d]),
                )[0][0]
        return Counts(new=int(new), learning=int(learning), review=int(review))
