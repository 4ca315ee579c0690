"""The review screen's top line: the deck's name on the left, the cards left today on the right.

One widget draws both (the name cut short with an ellipsis where the counts need the room):
a row of two Statics in a container was three widgets to mount, style and lay out before the
first card.
"""

from __future__ import annotations

from textual.content import Content
from textual.widget import Widget

from quiz.tui.widgets.repaint import same_content


class TopBar(Widget):
    def __init__(self, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(**kwargs)
        self.deck = Content("")
        self.counts = Content("")

    def show(self, *, deck: Content | None = None, counts: Content | None = None) -> None:
        """Change the name or the counts (either left as it is when not given); a repaint of this
        one line only when something changed."""
        deck = self.deck if deck is None else deck
        counts = self.counts if counts is None else counts
        if not (same_content(self.deck, deck) and same_content(self.counts, counts)):
            self.deck, self.counts = deck, counts
            self.refresh()

    def render(self) -> Content:
        width = self.content_region.width
        room = max(0, width - self.counts.cell_length - 1)  # a space at least between the two
        name = self.deck.stylize_before("bold").truncate(room, ellipsis=True)
        return Content.assemble(name, " " * max(1, width - name.cell_length - self.counts.cell_length), self.counts)
