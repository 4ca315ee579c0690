"""Rebuild a card's memory state from reviews done elsewhere (Anki's review log), through FSRS.

Each past answer is fed to our scheduler at the time it was given, so the card ends with the
stability, difficulty and due date FSRS gives that history, and quiz study carries on from there.
Fuzz is off for the replay: the same history always gives the same schedule.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Protocol

from quiz.settings import Settings
from quiz.storage.replayed_review import ReplayedReview
from quiz.storage.store import HistoryKey, Store
from quiz.card_state import CardState
from quiz.study.schedule import Scheduler


class PastAnswer(Protocol):
    @property
    def time(self) -> datetime: ...
    @property
    def rating(self) -> int: ...
    @property
    def duration_ms(self) -> int: ...


def replay(scheduler: Scheduler, start: CardState, answers: Sequence[PastAnswer]) -> list[ReplayedReview]:
    """The answers after ``start``'s last review, each with the state before and after it."""
    state, out = start, []
    for a in sorted(answers, key=lambda a: a.time):
        if state.last_review is not None and a.time <= state.last_review:
            continue  # already here (imported before, or studied in quiz since)
        after = scheduler.review(state, a.rating, a.time)
        out.append(ReplayedReview(a.time, a.rating, a.duration_ms, state, after))
        state = after
    return out


def bring_history(
    store: Store, settings: Settings, histories: Mapping[HistoryKey, Sequence[PastAnswer]]
) -> tuple[int, int, int]:
    """Replay and store every card's past answers: (cards, reviews) that came across, and how
    many cards' histories had no card here to go to."""
    scheduler = Scheduler(dataclasses.replace(settings, enable_fuzzing=False))
    return store.bring_history(list(histories), lambda key, state: replay(scheduler, state, histories[key]))
