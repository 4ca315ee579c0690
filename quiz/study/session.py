"""A study session over some decks: next card, preview the buttons, grade, undo, bury, suspend.

The session is the only place that joins the store (schedules), the queue (order, limits) and
fsrs (through quiz.study.schedule). Every grade is committed before ``grade`` returns.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import TYPE_CHECKING, NamedTuple

from quiz.errors import QuizError
from quiz.decks.hierarchy import limit_groups
from quiz.decks.model import Deck, Item
from quiz.study.queue import Candidate, Counts, Queue
from quiz.card_state import CardState, State, utc
from quiz.study.schedule import Scheduler, check_rating, study_day
from quiz.settings import Settings
from quiz.storage.store import Store

if TYPE_CHECKING:
    from quiz.study.outcome import Kept, Preview

__all__ = ["Counts", "StudyCard", "StudySession"]

# A preview older than this is recomputed at grade time (the user left the card on screen).
PREVIEW_FRESH = timedelta(hours=1)
RECENT_FACTS = 3
UNDO_DEPTH = 50  # actions of this session that undo can step back through


@dataclass(frozen=True)
class StudyCard:
    """The card on screen: which card of which item, and its state when shown."""

    deck_id: str
    item: Item
    state: str  # "new" | "learning" | "review" | "relearning"
    card_id: int
    leech: bool = False
    lapses: int = 0
    reps: int = 0


class _Action(NamedTuple):
    """One undoable step of this session (a row of the undo stack)."""

    kind: str  # "grade" | "bury" | "suspend"
    card: StudyCard
    revlog_id: int = 0  # grade: its review-log row
    buried_before: int = 0  # bury: the card's buried_until before (microseconds, 0 = none)


def _system_clock() -> datetime:
    return datetime.now(timezone.utc)


class StudySession:
    def __init__(
        self,
        store: Store,
        decks: list[Deck],
        settings: Settings,
        clock: Callable[[], datetime] | None = None,
    ) -> None:
        """A session over ``decks``, whose cards the store already has (Collection.study syncs
        them first)."""
        self.store = store
        self.decks = list(decks)
        self.settings = settings
        self.clock = clock or _system_clock
        self.scheduler = Scheduler(self.settings)
        store.leech_lapses = self.settings.leech_lapses
        # Built as cards are asked for, never all at once: a 36,000-card selection would spend
        # half a second making every card object before the first one shows.
        self._by_item: dict[str, dict[str, Item]] = {}  # deck id -> item id -> item, per deck on first use
        self._cards: dict[tuple[str, str, int], Item] = {}  # (deck id, item id, ord) -> Item.card(ord)
        self.queue = self._queue()
        self.reviewed = 0
        self._kept: dict[int, Kept] = {}
        self._undo: list[_Action] = []  # this session's grades, buries and suspends, newest last
        self.last_undone: str | None = None  # what the last undo() reversed: "grade", "bury" or "suspend"
        self._last_fact: str | None = None
        self._recent_facts: list[str] = []  # facts of the last few cards graded, newest first
        self._last_card: int | None = None
        self._again: StudyCard | None = None  # a card brought back by undo: shown next

    def _queue(self) -> Queue:
        # Every parent's subtree is capped as a whole too, as Anki caps it.
        return Queue(self.store, [d.id for d in self.decks], self.settings,
                     groups=limit_groups((d.id, d.name) for d in self.decks))

    def use_decks(self, decks: Iterable[Deck]) -> None:
        """This session's decks as they are now: those of ``decks`` with the id of one of its own
        take its place (read again after an edit of their file, and synced: Collection.use_deck_set).
        A new or renamed item can come up from now on, a removed one does not; a card already
        on screen can still be graded or undone."""
        fresh = {d.id: d for d in decks}
        self.decks = [fresh.get(d.id, d) for d in self.decks]
        self._by_item.clear()
        self._cards.clear()
        self.queue = self._queue()  # a renamed parent changes the groups capped together

    def now(self) -> datetime:
        return utc(self.clock())

    # --- the queue -----------------------------------------------------------------------

    def next_card(self) -> StudyCard | None:
        """The next card to show, or None when nothing is left for now.

        Siblings (cards of one fact): the queue leaves out new cards of a fact graded today and
        marks due reviews whose sibling was graded today as deferred (see quiz.study.queue). Here,
        deferred reviews come only when nothing else is waiting, and neither the card just
        answered, buried or suspended nor one of its siblings comes right after it unless it
        is the only card left.
        """
        if self._again is not None:
            return self._again
        cands = self.queue.candidates(self.now())
        while cands:
            pick = self._pick(cands)
            if self._card(pick.deck_id, pick.item_id, pick.ord) is not None:
                return self._study_card(pick.card_id, pick.deck_id, pick.item_id, pick.ord)
            # A card the store has from a newer copy of the deck file than this session's
            # (synced by another quiz): not shown here, rather than stopping the session.
            cands = [c for c in cands if c is not pick]
        return None

    def _pick(self, cands: list[Candidate]) -> Candidate:
        pool = [c for c in cands if not c.deferred] or cands
        pick = next((c for c in pool if not self._too_close(c)), pool[0])
        if pick.state == State.NEW:
            # New siblings sit together in deck order: spread them further, preferring the new card
            # whose fact was shown longest ago (or not lately at all); ties keep deck order.
            fresh = [c for c in pool if c.state == State.NEW and not self._too_close(c)]
            if fresh:
                pick = max(fresh, key=lambda c: (self._age_of_fact(c.fact), -cands.index(c)))
        return pick

    def _age_of_fact(self, fact: str | None) -> int:
        """How many graded cards ago this fact was last seen (RECENT_FACTS if not lately)."""
        if fact is None or fact not in self._recent_facts:
            return RECENT_FACTS
        return self._recent_facts.index(fact)

    def _too_close(self, c: Candidate) -> bool:
        if c.card_id == self._last_card:
            return True
        return c.fact is not None and c.fact == self._last_fact

    def _card(self, deck_id: str, item_id: str, ord: int) -> Item | None:
        """The card as asked (Item.card), or None when the session's decks have no such card."""
        key = (deck_id, item_id, ord)
        card = self._cards.get(key)
        if card is None:
            items = self._by_item.get(deck_id)
            if items is None:
                deck = next((d for d in self.decks if d.id == deck_id), None)
                items = self._by_item[deck_id] = {it.id: it for it in deck.items} if deck else {}
            item = items.get(item_id)
            if item is None or ord not in item.ords:
                return None
            card = self._cards[key] = item.card(ord)
        return card

    def _study_card(self, card_id: int, deck_id: str, item_id: str, ord: int = 0, shown: Item | None = None) -> StudyCard:
        """The card with its state now; ``shown``: the item as it was on screen, for a card
        whose item has left the deck file since (undo brings it back as it was seen)."""
        item = self._card(deck_id, item_id, ord)
        if item is None:
            item = shown
        if item is None:
            raise QuizError(f"card {card_id} ({deck_id}/{item_id}/{ord}) is not in this session's decks")
        s = self.store.load_state(card_id)
        return StudyCard(
            deck_id=deck_id,
            item=item,
            state=State(s.state).label,
            card_id=card_id,
            leech=s.lapses >= self.settings.leech_lapses,
            lapses=s.lapses,
            reps=s.reps,
        )

    def counts(self) -> Counts:
        return self.queue.counts(self.now())

    def next_learning_due(self) -> datetime | None:
        """When a learning card still due today comes up next (for "come back in 5m")."""
        return self.queue.next_learning_due(self.now())

    def idle_reason(self) -> str:
        """Why ``next_card()`` is None although cards exist, in a sentence or two for the screen,
        e.g. "Daily limit of 20 new cards reached; 52 more wait for tomorrow." or "Next learning
        card in 7 min." ("" when there are no cards at all). A few indexed counts: cheap."""
        from quiz.study.held_back import describe_idle  # why: once the day's cards are done, not at start-up

        return describe_idle(self.queue.held_back(self.now()), self.now(), self.settings)

    # --- grading -------------------------------------------------------------------------

    def preview(self, card: StudyCard) -> dict[int, Preview]:
        from quiz.study.outcome import Kept, Preview  # why: at the first reveal, not on the way to the first card

        now = self.now()
        before = self.store.load_state(card.card_id)
        outcomes = self.scheduler.preview(before, now)
        self._kept[card.card_id] = Kept(before, now, outcomes)
        return {r: Preview(r, o.due, o.label) for r, o in outcomes.items()}

    def retrievability(self, card: StudyCard) -> float:
        """fsrs's probability of recalling the card right now (0 for a new card)."""
        return self.scheduler.retrievability(self.store.load_state(card.card_id), self.now())

    def grade_item(self, deck_id: str, item: Item, rating: int, duration_ms: int = 0) -> None:
        """Grade the card of ``item`` (shown elsewhere, e.g. in an exam with --record)."""
        info = self.store.card_info(deck_id, item.id, item.ord)
        self.grade(StudyCard(deck_id, item, info.state, info.card_id), rating, duration_ms)

    def grade(self, card: StudyCard, rating: int, duration_ms: int = 0) -> None:
        """Apply ``rating``; committed to the store before this returns."""
        rating = check_rating(rating)
        now = self.now()
        kept = self._kept.pop(card.card_id, None)

        def decide(before: CardState) -> CardState:
            # The previewed outcome when it is still about this exact state (fuzz included);
            # otherwise (no preview, stale, or changed by another process) a fresh review.
            if kept is not None and kept.before == before and now - kept.at < PREVIEW_FRESH:
                return kept.outcomes[rating].after
            return self.scheduler.review(before, rating, now)

        revlog_id, _after = self.store.grade(card.card_id, decide, rating, duration_ms, now)
        self.reviewed += 1
        self._push(_Action("grade", card, revlog_id=revlog_id))
        self._last_card = card.card_id
        key = card.item.sibling_key
        self._last_fact = key
        self._recent_facts = [key, *(f for f in self._recent_facts if f != key)][:RECENT_FACTS]
        if self._again is not None and self._again.card_id == card.card_id:
            self._again = None

    def _push(self, action: _Action) -> None:
        self._undo.append(action)
        del self._undo[:-UNDO_DEPTH]

    def undo(self) -> StudyCard | None:
        """Reverse this session's most recent grade, bury or suspend; returns the card, which
        ``next_card`` shows again (None when there is nothing to undo).

        ``last_undone`` then says which kind of action it was. A grade stays in the review log,
        flagged undone; a buried or suspended card comes back as it was.
        """
        if not self._undo:
            return None
        action = self._undo[-1]
        card = action.card
        if action.kind == "grade":
            self.store.undo_review(action.revlog_id)
            self.reviewed -= 1
        elif action.kind == "bury":
            self.store.unbury(card.card_id, action.buried_before)
        else:
            self.store.set_suspended(card.deck_id, card.item.id, False, ord=card.item.ord)
        self._undo.pop()
        self.last_undone = action.kind
        self._kept.pop(card.card_id, None)
        again = self._study_card(card.card_id, card.deck_id, card.item.id, card.item.ord, shown=card.item)
        self._again = again
        self._last_card = self._last_fact = None
        return again

    @property
    def last_review_id(self) -> int | None:
        """The review-log id of this session's last (not undone) grade."""
        return next((a.revlog_id for a in reversed(self._undo) if a.kind == "grade"), None)

    def can_undo(self) -> bool:
        return bool(self._undo)

    @property
    def undo_kind(self) -> str | None:
        """What ``undo`` would reverse now: "grade", "bury", "suspend" or None."""
        return self._undo[-1].kind if self._undo else None

    # --- set aside -----------------------------------------------------------------------

    def bury(self, card: StudyCard) -> None:
        """Hide the card until the next study day starts (undoable)."""
        _, end = study_day(self.now(), self.settings)
        before = self.store.bury(card.card_id, end)
        self._push(_Action("bury", card, buried_before=before))
        self._set_aside(card)

    def suspend(self, card: StudyCard) -> None:
        """Hide the card until unsuspended (``Store.set_suspended``; undoable)."""
        self.store.set_suspended(card.deck_id, card.item.id, True, ord=card.item.ord)
        self._push(_Action("suspend", card))
        self._set_aside(card)

    def _set_aside(self, card: StudyCard) -> None:
        self._kept.pop(card.card_id, None)
        # Its siblings do not take its place on screen straight away.
        self._last_card = card.card_id
        self._last_fact = card.item.sibling_key
        if self._again is not None and self._again.card_id == card.card_id:
            self._again = None
