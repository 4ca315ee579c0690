"""Which cards are due, in which order, and how many are left today (the SQL, over indexed
columns, is in quiz.storage.queue_queries).

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

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from itertools import islice
from typing import TYPE_CHECKING

from quiz.card_state import State, from_us, to_us
from quiz.settings import Settings
from quiz.storage import queue_queries as q
from quiz.storage.queue_queries import Candidate
from quiz.storage.store import Store
from quiz.study.schedule import study_day

if TYPE_CHECKING:
    from quiz.study.held_back import HeldBack

__all__ = ["Candidate", "Counts", "Queue", "Studied"]


# (deck id, fact) -> ids of that fact's cards graded this study day
Studied = dict[tuple[str, str], set[int]]


@dataclass(frozen=True)
class Counts:
    """Cards still to do today: new, learning and review (Anki's three numbers)."""

    new: int
    learning: int
    review: int

    @property
    def total(self) -> int:
        return self.new + self.learning + self.review


REVIEW_CACHE_TTL = timedelta(minutes=5)
REVIEW_CACHE_SIZE = 2000


class _ReviewCache:
    """Due reviews in the order they are shown, kept for a few minutes."""

    __slots__ = ("end_us", "built", "order", "complete")

    def __init__(self, end_us: int, built: datetime, order: list[tuple[int, str]], complete: bool) -> None:
        self.end_us = end_us  # the study day it was built for
        self.built = built
        self.order = order  # (card id, deck id) of due reviews, lowest retrievability first
        self.complete = complete  # all due reviews fitted (else rebuild when used up)


def _skip(studied: Studied, deck_id: str) -> list[str]:
    return [fact for (d, fact) in studied if d == deck_id]


def _defer(cands: list[Candidate], studied: Studied) -> list[Candidate]:
    """Mark due reviews whose sibling (another card of the fact) was graded today."""
    out = []
    for c in cands:
        graded = studied.get((c.deck_id, c.fact)) if c.fact is not None else None
        if c.state == State.REVIEW and graded and graded - {c.card_id}:
            c = c._replace(deferred=True)
        out.append(c)
    return out


def _cap(counts: dict[str, int], group: tuple[str, ...], left: int) -> None:
    """Take the group's excess over ``left`` off its last decks (the ones studied last)."""
    excess = sum(counts[d] for d in group) - left
    for d in reversed(group):
        if excess <= 0:
            return
        cut = min(counts[d], excess)
        counts[d] -= cut
        excess -= cut


class Queue:
    def __init__(
        self, store: Store, deck_ids: list[str], settings: Settings, *, groups: Sequence[Sequence[str]] = ()
    ) -> None:
        """``groups``: deck ids of parents' subtrees, smallest first, whose new cards and reviews
        of the day are capped as a whole too (decks.hierarchy.limit_groups)."""
        self.store = store
        self.deck_ids = list(deck_ids)
        self.settings = settings
        chosen = set(self.deck_ids)
        self.groups = [kept for g in groups if len(kept := tuple(d for d in g if d in chosen)) > 1]
        self._reviews: _ReviewCache | None = None
        self._studied: tuple[tuple[object, ...], Studied] | None = None

    # --- limits --------------------------------------------------------------------------

    def done_today(self, now: datetime) -> dict[str, tuple[int, int]]:
        """Deck id -> (new cards introduced, reviews of review cards) since the day began."""
        start, _ = study_day(now, self.settings)
        return q.done_today(self.store, self.deck_ids, to_us(start))

    def studied_today(self, now: datetime) -> Studied:
        """Facts with a card graded (not undone) since the study day began, and those cards."""
        start, _ = study_day(now, self.settings)
        # candidates() and counts() both need this, back to back: reuse it until the store changes.
        key = (start, *self.store.change_marker())
        if self._studied is not None and self._studied[0] == key:
            return self._studied[1]
        out = q.studied_since(self.store, self.deck_ids, to_us(start))
        if self.deck_ids:
            self._studied = (key, out)
        return out

    def remaining(self, now: datetime) -> tuple[dict[str, int], dict[str, int]]:
        """(new left, reviews left) per deck for today; for a group, none more than the group's."""
        new_left, rev_left, _ = self._left(now)
        return new_left, rev_left

    def _left(self, now: datetime) -> tuple[dict[str, int], dict[str, int], list[tuple[tuple[str, ...], int, int]]]:
        """``remaining``, and each group's own (decks, new left, reviews left)."""
        done = self.done_today(now)
        new_left = {d: max(0, self.settings.new_per_day - done.get(d, (0, 0))[0]) for d in self.deck_ids}
        rev_left = {d: max(0, self.settings.reviews_per_day - done.get(d, (0, 0))[1]) for d in self.deck_ids}
        groups = []
        for g in self.groups:
            # A parent's limits over its whole subtree: each pick is re-asked after every grade,
            # so capping each deck at what its groups have left keeps every group within it.
            g_new = max(0, self.settings.new_per_day - sum(done.get(d, (0, 0))[0] for d in g))
            g_rev = max(0, self.settings.reviews_per_day - sum(done.get(d, (0, 0))[1] for d in g))
            for d in g:
                new_left[d], rev_left[d] = min(new_left[d], g_new), min(rev_left[d], g_rev)
            groups.append((g, g_new, g_rev))
        return new_left, rev_left, groups

    # --- candidates ----------------------------------------------------------------------

    def learning_due(self, until_us: int, now_us: int, limit: int) -> list[Candidate]:
        return q.learning_due(self.store, self.deck_ids, until_us, now_us, limit)

    def review_order(self, decks: list[str], end_us: int, now_us: int, limit: int) -> list[tuple[int, str]]:
        """(card id, deck id) of due reviews, lowest retrievability first; read from the index alone."""
        return q.review_order(self.store, decks, end_us, now_us, limit)

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
            # Only the first few: the order holds up to REVIEW_CACHE_SIZE cards, read every grade.
            head = list(islice((cid for cid, deck in c.order if deck in allowed), limit * 2))
            if not head:
                if c.complete or c.order:
                    return []
                c = self._reviews = self._build_review_cache(end_us, now)
                continue
            live = q.live_reviews(self.store, head, end_us, now_us)
            if len(live) == len(head):
                return [live[cid] for cid in head[:limit]]
            gone = set(head).difference(live)
            c.order = [x for x in c.order if x[0] not in gone]

    def _build_review_cache(self, end_us: int, now: datetime) -> _ReviewCache:
        order = self.review_order(self.deck_ids, end_us, to_us(now), REVIEW_CACHE_SIZE)
        return _ReviewCache(end_us=end_us, built=now, order=order, complete=len(order) < REVIEW_CACHE_SIZE)

    def new_cards(self, deck_id: str, now_us: int, limit: int, skip_facts: list[str] | None = None) -> list[Candidate]:
        """The next ``limit`` new cards of the deck in the chosen order (Settings.new_card_order),
        leaving out ``skip_facts``."""
        return q.new_cards(self.store, deck_id, now_us, limit, skip_facts, deck_order=self.settings.new_card_order == "deck")

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
        _, end = study_day(now, self.settings)
        due = q.next_learning_due(self.store, self.deck_ids, to_us(end), to_us(now))
        return from_us(due) if due is not None else None

    def held_back(self, now: datetime) -> HeldBack:
        """What is waiting and why: a handful of indexed COUNTs, meant for when the queue is empty."""
        from quiz.study.held_back import HeldBack  # why: once the day's cards are done, not at start-up

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
                over_new += q.count_new(self.store, d, now_us)
            elif skip := _skip(studied, d):
                siblings += q.count_new_siblings(self.store, d, now_us, skip)
            if not rev_left[d]:
                over_rev += q.count_due_reviews(self.store, d, end_us, now_us)
        nxt = q.next_review_due(self.store, self.deck_ids, end_us)
        return HeldBack(
            new_over_limit=over_new,
            new_siblings=siblings,
            reviews_over_limit=over_rev,
            buried=q.count_buried(self.store, self.deck_ids, now_us),
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
        new_left, rev_left, groups = self._left(now)
        studied = self.studied_today(now)
        learning = q.count_learning(self.store, self.deck_ids, end_us, now_us)
        reviews = {d: q.count_due_reviews(self.store, d, end_us, now_us, rev_left[d]) if rev_left[d] else 0
                   for d in self.deck_ids}
        new = {d: q.count_new_left(self.store, d, now_us, _skip(studied, d), new_left[d]) if new_left[d] else 0
               for d in self.deck_ids}
        for g, g_new, g_rev in groups:  # smallest first: a subtree is capped before its parent's
            _cap(new, g, g_new)
            _cap(reviews, g, g_rev)
        return Counts(new=sum(new.values()), learning=learning, review=sum(reviews.values()))
