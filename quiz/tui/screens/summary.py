"""End of a session: cards studied, correct %, time spent, when the next card is due."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Button, Footer, Static

from quiz.durations import duration_text
from quiz.errors import QuizError
from quiz.tui.host import host
from quiz.tui.widgets import render

if TYPE_CHECKING:
    from quiz.collection import Collection
    from quiz.tui.study_run import StudyRun


@dataclass(frozen=True)
class SessionSummary:
    studied: int
    correct: int  # grades above Again
    seconds: float
    next_due: datetime | None
    # Why no card is offered although some remain (StudySession.idle_reason), "" if none remain.
    idle: str = ""

    @property
    def percent(self) -> int | None:
        return round(100 * self.correct / self.studied) if self.studied else None


def summarize(run: StudyRun, collection: Collection) -> SessionSummary:
    """The summary of ``run`` now that it has no card left. What the store is asked (when the
    next card is due, why none is offered) is a courtesy: a store that fails leaves it out."""
    now = collection.now()
    try:
        next_due = collection.next_due(run.decks)
    except QuizError:
        next_due = None  # the summary says "nothing scheduled" rather than failing
    try:
        idle = run.session.idle_reason()
    except QuizError:
        idle = ""  # the figures still show
    return SessionSummary(
        studied=len(run.ratings),
        correct=sum(1 for r in run.ratings if r > 1),
        seconds=(now - run.started).total_seconds() if run.started else 0.0,
        next_due=next_due,
        idle=idle,
    )


class SummaryScreen(Screen[None]):
    CSS_PATH = "summary.tcss"
    BINDINGS = [
        Binding("enter,space,q,escape,h", "home", "Home"),
        # The last grade or bury of the session can still be taken back from here.
        Binding("u", "app.undo_last", "Undo"),
        Binding("question_mark", "app.help", "Help", key_display="?"),
    ]

    def __init__(self, summary: SessionSummary) -> None:
        super().__init__()
        self.summary = summary

    def compose(self) -> ComposeResult:
        s = self.summary
        title = "Session done" if s.studied else "Nothing to study right now"
        percent = f"{s.percent}%" if s.percent is not None else "–"
        rows = (
            ("Cards studied", str(s.studied)),
            ("Correct", f"{percent}  ({s.correct} of {s.studied} not Again)" if s.studied else percent),
            ("Time spent", duration_text(s.seconds, "elapsed")),
            ("Next due", render.when(s.next_due, host(self).collection.now())),
        )
        parts: list[str | tuple[str, str]] = []
        for label, value in rows:
            parts += [(f"{label:<15}", "bold $accent"), value, "\n"]
        with Vertical(id="summary-box"):
            yield Static(Content.styled(title, "bold"), id="summary-title")
            if s.idle:
                yield Static(Content.styled(s.idle, "$warning"), id="summary-idle")
            yield Static(Content.assemble(*parts).rstrip(), id="summary-figures")
            home = Button(Content("Back home  [enter]"), id="summary-home", variant="primary", compact=True)
            home.can_focus = False
            yield home
        yield Footer(compact=True)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_home()

    def action_home(self) -> None:
        host(self).go_home()
