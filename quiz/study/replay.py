"""Rebuild a card's memory state from reviews done elsewhere (Anki's review log), through FSRS.

Each past answer is fed to our scheduler at the time it was given, so the card ends with the
stability, difficulty and due date FSRS gives that history, and quiz study carries on from there.
Fuzz is off for the replay: the same history always gives the same schedule.

What Anki says of a card besides its answers comes along (``bring_history``'s ``states``): a
suspended card is suspended here, a buried one buried until the end of the study day it was
buried on (if that has not passed), and a due date set by hand in Anki after the card's last
answer is the card's due date here; the memory state stays the replay's. A card Anki reset
("Forget") starts afresh from then on (``replay``'s ``reset_at``). Each comes across
only when the card changed in Anki since the last import brought it, so importing again never
undoes what the student did in quiz since (quiz.storage.replayed_review.apply_flags).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import Protocol

from quiz.settings import Settings
from quiz.storage.replayed_review import AnkiFlags, Brought, Replayed, ReplayedReview
from quiz.storage.store import HistoryKey, Store
from quiz.card_state import CardState, State
from quiz.study.schedule import Scheduler, day_start_on, study_day


class PastAnswer(Protocol):
    @property
    def time(self) -> datetime: ...
    @property
    def rating(self) -> int: ...
    @property
    def duration_ms(self) -> int: ...


def replay(
    scheduler: Scheduler, start: CardState, answers: Sequence[PastAnswer], reset_at: datetime | None = None
) -> Replayed:
    """The answers after ``start``'s last review, each with the state before and after it, and
    the state they leave. ``reset_at``: when Anki made the card new again ("Forget"); from
    then on it starts afresh (its counts kept, as Anki's Forget keeps them by default), unless
    it was answered here after that."""
    state, out, reset = start, [], False
    for a in sorted(answers, key=lambda a: a.time):
        if reset_at is not None and not reset and a.time > reset_at:
            state, reset = _reset(state, reset_at)
        if state.last_review is not None and a.time <= state.last_review:
            continue  # already here (imported before, or studied in quiz since)
        after = scheduler.review(state, a.rating, a.time)
        out.append(ReplayedReview(a.time, a.rating, a.duration_ms, state, after))
        state = after
    if reset_at is not None and not reset:
        state, reset = _reset(state, reset_at)
    return Replayed(out, state, reset)


def _reset(state: CardState, at: datetime) -> tuple[CardState, bool]:
    """The card made new at ``at``, keeping when it was last answered (so the answers before it
    are not replayed again, and those after it are, on the fresh card)."""
    if state.state == State.NEW or (state.last_review is not None and state.last_review >= at):
        return state, False  # new already (or made new by an earlier import), or answered here since
    return CardState(state.card_id, State.NEW, last_review=state.last_review, reps=state.reps,
                     lapses=state.lapses), True


class PastState(Protocol):
    """A card's state in Anki beside its answers (quiz.anki.history.AnkiState)."""

    @property
    def changed(self) -> datetime: ...
    @property
    def suspended(self) -> bool: ...
    @property
    def buried(self) -> bool: ...
    @property
    def due_on(self) -> date | None: ...
    @property
    def due_set_at(self) -> datetime | None: ...
    @property
    def reset_at(self) -> datetime | None: ...


def anki_flags(state: PastState, settings: Settings, now: datetime) -> AnkiFlags:
    """Anki's state of a card in the store's terms: a bury lasts until the study day it was
    made on ends (None once that has passed); a due day is due from that day's start."""
    _, bury_ends = study_day(state.changed, settings)
    return AnkiFlags(
        state.changed,
        state.suspended,
        bury_ends if state.buried and bury_ends > now else None,
        day_start_on(state.due_on, settings) if state.due_on else None,
        state.due_set_at,
    )


def bring_history(
    store: Store,
    settings: Settings,
    histories: Mapping[HistoryKey, Sequence[PastAnswer]],
    states: Mapping[HistoryKey, PastState] | None = None,
    *,
    deck_ids: Sequence[str] = (),
    now: datetime,
) -> Brought:
    """Replay and store every card's past answers, and take Anki's state of the cards
    (``states``); cards of ``deck_ids`` an earlier import suspended, and Anki no longer does,
    are unsuspended."""
    scheduler = Scheduler(dataclasses.replace(settings, enable_fuzzing=False))
    states = states or {}
    keys = list(histories) + [k for k in states if k not in histories]
    return store.bring_history(
        keys,
        lambda key, state: replay(
            scheduler, state, histories.get(key, ()), states[key].reset_at if key in states else None
        ),
        {k: anki_flags(s, settings, now) for k, s in states.items()},
        deck_ids,
    )
