"""Where every screen gets its data: the running app's ``Collection`` (decks, store, settings,
clock and the read models), reached as ``host(self).collection``.

``QuizHost`` is the part of ``QuizApp`` that screens may use; it is a Protocol so screens need
not import the app module (which imports them).
"""

from __future__ import annotations

import random
from typing import TYPE_CHECKING, Any, Protocol, cast

from textual.dom import DOMNode

from quiz.collection import Collection
from quiz.decks.model import Deck

if TYPE_CHECKING:
    from quiz.decks.library_results import DeckSet
    from quiz.tui.study_run import StudyRun


class QuizHost(Protocol):
    collection: Collection
    rng: random.Random  # choice shuffles (seeded in tests)

    def go_home(self) -> None: ...

    def start_review(self, decks: list[Deck], *, undo_first: bool = False) -> None: ...

    def study_run(self, decks: list[Deck]) -> StudyRun: ...

    def use_deck_set(self, deck_set: DeckSet) -> bool: ...

    def undo_last(self) -> bool: ...

    def open_lazy(self, name: str) -> None: ...  # "stats", "browse", "settings"

    def action_toggle_theme(self) -> None: ...

    def exit(self) -> None: ...

    def notify(self, message: str, **kwargs: Any) -> None: ...


def host(node: DOMNode) -> QuizHost:
    """The QuizApp running ``node`` (a screen or widget), typed as what screens may use."""
    return cast(QuizHost, node.app)
