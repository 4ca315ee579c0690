"""Command palette (ctrl+p) entries for quiz's main actions.

QuizApp registers `QuizCommands`. Each entry calls one of the app's actions (quiz.tui.host).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from typing import Any, Callable

from textual.command import DiscoveryHit, Hit, Hits, Provider

from quiz.decks.model import Deck
from quiz.exam.sitting import DEFAULT_COUNT
from quiz.tui.host import host


@dataclass(frozen=True)
class Entry:
    name: str
    help: str
    run: Callable[[], Any]


def _exam(app: Any, decks: list[Deck]) -> None:
    from quiz.tui.screens.exam_app import start_exam  # why: the exam screens load on first use

    start_exam(app, decks, on_result=host(app).collection.record_exam)


def entries(app: Any) -> list[Entry]:
    """The palette's entries for this app: fixed actions, then one "Study deck" per deck."""
    h = host(app)
    decks = h.collection.decks
    out = [
        Entry("Study all decks", "Review what is due in every deck", partial(h.start_review, decks)),
        Entry("Exam", f"Self-test: {DEFAULT_COUNT} questions from every deck, scored; the schedule is untouched",
              partial(_exam, app, decks)),
        Entry("Statistics", "Today's figures, forecast, review history and retention charts",
              partial(h.open_lazy, "stats")),
        Entry("Browse items", "Search items by text or tag; see history; suspend or unsuspend",
              partial(h.open_lazy, "browse")),
        Entry("Settings", "Desired retention, daily limits, theme", partial(h.open_lazy, "settings")),
        Entry("Toggle light/dark theme", "Switch between the light and the dark theme", h.action_toggle_theme),
        Entry("Quit quiz", "Leave the app (progress is already saved)", h.exit),
    ]
    for deck in decks:
        out.append(Entry(f"Study deck: {deck.name}", f"Review the {deck.id} deck", partial(h.start_review, [deck])))
    return out


class QuizCommands(Provider):
    """quiz's actions in the command palette."""

    async def discover(self) -> Hits:
        for e in entries(self.app):
            yield DiscoveryHit(e.name, e.run, help=e.help)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for e in entries(self.app):
            score = matcher.match(e.name)
            if score > 0:
                yield Hit(score, matcher.highlight(e.name), e.run, text=e.name, help=e.help)
