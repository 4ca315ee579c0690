"""A study session with its tally, kept by the app for one deck selection while it runs, so
going home and back keeps undo and the counts (QuizApp.study_run)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from quiz.decks.model import Deck
    from quiz.settings import Settings
    from quiz.study.session import StudySession


@dataclass
class StudyRun:
    """One run of study, kept across the screens it passes through."""

    session: StudySession
    settings: Settings  # a copy of the settings it was built with (a change starts a new run)
    decks: list[Deck] = field(default_factory=list)
    ratings: list[int] = field(default_factory=list)  # grades given, for the summary (undo pops)
    started: datetime | None = None
    frozen: bool = False  # its session's objects are out of the cyclic GC's sight (ReviewScreen)
