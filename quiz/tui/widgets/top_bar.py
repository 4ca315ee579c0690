"""The review screen's top line: what is being studied on the left, the session's cards left
today on the right and, in a session of several decks, the card's own deck between them.

The counts belong to the session, so the name beside them is the session's: the one deck, or
the decks' common parent with how many decks ("Renal (12 decks)"), or how many ("12 decks").
The card's deck is labelled as the card's ("this card: Chapter 1"), as Anki keeps the counts of
the deck chosen for study apart from the card's deck (its card info).

One widget draws it all, in one line at any width: the counts stay whole, the names are cut with
an ellipsis (the scope keeps its start, the card's deck its last part, which tells most). A row
of Statics in a container was more widgets to mount, style and lay out before the first card.
"""

from __future__ import annotations

from types import EllipsisType

from rich.cells import cell_len
from textual.content import Content
from textual.widget import Widget

from quiz.tui.widgets.repaint import same_content

CARD_LABEL = "this card: "
GAP = "  "  # between the scope and the card's deck
MIN_CARD = 6  # fewer columns than this for the card's deck, and it is left out


def keep_tail(text: str, width: int) -> str:
    """``text`` in at most ``width`` cells, cut at the start with an ellipsis."""
    if cell_len(text) <= width:
        return text
    if width <= 0:
        return ""
    start = 0
    while cell_len(text[start:]) > width - 1:
        start += 1
    return "…" + text[start:]


def top_line(width: int, deck: Content, decks: int, card: str | None, counts: Content) -> Content:
    """The line at ``width`` cells: ``deck`` (bold) with ``(N decks)`` when ``decks`` > 1, the
    card's deck (when given) and the counts on the right."""
    size = "" if decks < 2 else f" ({decks} decks)" if deck.plain else f"{decks} decks"
    room = max(0, width - counts.cell_length - 1)  # a space at least before the counts
    names = room - cell_len(size)  # for the scope's name and the card's deck
    name_width = deck.cell_length
    card_width = 0
    if card is not None:
        names -= len(GAP) + len(CARD_LABEL)
        card_width = cell_len(card)
        if name_width + card_width > names:
            # Each gets half (or all it needs, if less), the other what is left.
            name_width = min(name_width, max(names // 2, names - card_width))
            card_width = names - name_width
        if card_width < min(MIN_CARD, cell_len(card)):
            card, card_width, names = None, 0, room - cell_len(size)
    if card is None:
        name_width = max(0, names)
    title = deck.stylize_before("bold").truncate(name_width, ellipsis=True)
    # In "Renal (12 decks)" the name is the title; in "12 decks" the size is.
    left = [title, Content.styled(size, "" if deck.plain else "bold")]
    if card is not None:
        left += [Content(GAP), Content.styled(CARD_LABEL, "$text-muted"), Content(keep_tail(card, card_width))]
    line = Content.assemble(*left).truncate(room, ellipsis=True)
    return Content.assemble(line, " " * max(1, width - line.cell_length - counts.cell_length), counts)


class TopBar(Widget):
    def __init__(self, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(**kwargs)
        self.deck = Content("")
        self.decks = 1
        self.card: str | None = None
        self.counts = Content("")

    def show(self, *, deck: Content | None = None, decks: int | None = None,
             card: str | None | EllipsisType = ..., counts: Content | None = None) -> None:
        """Change the scope (``deck``, its name, and ``decks``, how many), the card's deck (None:
        not shown) or the counts, each left as it is when not given. A repaint of this one line
        only when something changed."""
        deck = self.deck if deck is None else deck
        decks = self.decks if decks is None else decks
        card = self.card if card is ... else card
        counts = self.counts if counts is None else counts
        if not (same_content(self.deck, deck) and decks == self.decks and card == self.card
                and same_content(self.counts, counts)):
            self.deck, self.decks, self.card, self.counts = deck, decks, card, counts
            self.refresh()

    def render(self) -> Content:
        return top_line(self.content_region.width, self.deck, self.decks, self.card, self.counts)
