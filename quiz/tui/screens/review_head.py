"""The two lines above the card on the review screen: the top bar (what is being studied with
the session's counts, and in a session of several decks the card's own deck) and the progress
line. Kept apart from the screen's behaviour in quiz.tui.screens.review."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.content import Content

from quiz.decks.hierarchy import common_parent, name_under
from quiz.tui.widgets import render
from quiz.tui.widgets.progress_line import ProgressLine
from quiz.tui.widgets.top_bar import TopBar

if TYPE_CHECKING:
    from quiz.decks.model import Deck
    from quiz.study.queue import Counts
    from quiz.study.session import StudyCard


class ReviewHead:
    """The top bar and the progress line of one review screen (its compose yields them) and
    what they show."""

    def __init__(self) -> None:
        self.bar, self.progress = TopBar(id="topbar"), ProgressLine(id="progress")
        self._decks: list[Deck] | None = None  # the session's list of decks that these are of:
        self._names: dict[str, str] = {}  # deck id -> name
        self._parent: str | None = None  # their common parent (a session of several decks)

    def show_card(self, card: StudyCard, decks: list[Deck]) -> None:
        """The scope of ``decks`` (the session's, as they are now: a renamed deck shows renamed)
        and, when they are several, the deck of ``card``, the card on screen."""
        if decks is not self._decks:  # worked out again only when the session takes new decks
            self._decks, self._names = decks, {d.id: d.name for d in decks}
            self._parent = common_parent(self._names.values()) if len(decks) > 1 else None
        name = self._names.get(card.deck_id, card.deck_id)
        if len(decks) > 1:
            self.bar.show(deck=Content(self._parent or ""), decks=len(decks), card=name_under(name, self._parent))
        else:
            self.bar.show(deck=Content(name), decks=1, card=None)

    def show_counts(self, counts: Counts, state: str | None, done: int) -> None:
        """The session's cards left today (``state``: the card on screen's, whose queue is
        underlined) and the progress through them, ``done`` graded so far."""
        self.bar.show(counts=render.counts(counts.new, counts.learning, counts.review, state))
        # Learning cards come back within the session, so the total can grow: that is honest.
        self.progress.set(done, done + counts.total)
