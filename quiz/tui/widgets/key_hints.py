"""A one-line key legend for the review screen, in place of Textual's Footer.

The Footer recomposes all its keys whenever the bindings or the focus change, which happens on
nearly every card; on the grade -> next card path that cost more than the rest of the screen.
This line is one Static, updated only when its text changes.
"""

from __future__ import annotations

from textual.content import Content
from quiz.tui.widgets.repaint import RecurringLine, show as show_text

KEY_STYLE = "bold $accent"


class KeyHints(RecurringLine):
    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self._shown: tuple[tuple[str, str], ...] = ()

    def show(self, hints: tuple[tuple[str, str], ...]) -> None:
        """``hints`` = (key, what) pairs, in order."""
        if hints == self._shown:
            return
        self._shown = hints
        parts: list[str | tuple[str, str]] = []
        for key, what in hints:
            if parts:
                parts.append("  ")
            parts += [(key, KEY_STYLE), " ", what]
        show_text(self, Content.assemble(*parts))
