"""A one-line key legend for the review screen, in place of Textual's Footer.

The Footer recomposes all its keys whenever the bindings or the focus change, which happens on
nearly every card; on the grade -> next card path that cost more than the rest of the screen.
This line is one Static, updated only when its text changes.

In a narrow terminal the least useful keys give way (``drop_first``), so the ones that matter
(the key for now, help, home) stay in view rather than being cut off at the right edge.
"""

from __future__ import annotations

from rich.cells import cell_len
from textual.content import Content
from quiz.tui.widgets.repaint import RecurringLine, show as show_text

KEY_STYLE = "bold $accent"
GAP = "  "

Hints = tuple[tuple[str, str], ...]


def hints_width(hints: Hints, gap: int = len(GAP)) -> int:
    """The cells ``hints`` take on a line (key, space, what; ``gap`` between them), here or in
    a compact Footer (gap 1)."""
    return sum(cell_len(key) + 1 + cell_len(what) for key, what in hints) + gap * max(len(hints) - 1, 0)


def fit(hints: Hints, width: int, drop_first: tuple[str, ...], gap: int = len(GAP)) -> Hints:
    """``hints`` within ``width`` cells: the ones whose ``what`` is in ``drop_first`` are left
    out, in that order, until the rest fits (or none of them is left)."""
    for what in drop_first:
        if hints_width(hints, gap) <= width:
            break
        hints = tuple(h for h in hints if h[1] != what)
    return hints


class KeyHints(RecurringLine):
    def __init__(self, *, drop_first: tuple[str, ...] = (), **kwargs) -> None:
        super().__init__(**kwargs)
        self._drop_first = drop_first
        self._hints: Hints = ()
        self._shown: Hints = ()

    def show(self, hints: Hints) -> None:
        """``hints`` = (key, what) pairs, in order."""
        self._hints = hints
        self._fit()

    def on_resize(self) -> None:
        self._fit()

    def _fit(self) -> None:
        width = self.content_size.width
        hints = fit(self._hints, width, self._drop_first) if width else self._hints
        if hints == self._shown:
            return
        self._shown = hints
        parts: list[str | tuple[str, str]] = []
        for key, what in hints:
            if parts:
                parts.append(GAP)
            parts += [(key, KEY_STYLE), " ", what]
        show_text(self, Content.assemble(*parts))
