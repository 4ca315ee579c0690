"""A study session with its tally, kept by the app for one deck selection while it runs, so
going home and back keeps undo and the counts (QuizApp.study_run)."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from quiz.decks.model import Deck
    from quiz.settings import Settings
    from quiz.study.session import StudySession


class StudyRun:
    """One run of study, kept across the screens it passes through (a plain class: a dataclass
    costs start-up time to define, and this one is made once)."""

    def __init__(self, session: StudySession, settings: Settings) -> None:
        self.session = session
        self.settings = settings  # a copy of the settings it was built with (a change starts a new run)
        self.ratings: list[int] = []  # grades given, for the summary (undo pops)
        self.started: datetime | None = None
        self.frozen = False  # its session's objects are out of the cyclic GC's sight (ReviewScreen)

    @property
    def decks(self) -> list[Deck]:
        """The decks studied, as they are now (home reads an edited file again: use_decks)."""
        return self.session.decks
