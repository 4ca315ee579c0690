"""Provenance of the card on screen: its fact, the section of the source document, and the
fact's own text when the facts file is at hand."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

from quiz.decks.model import Item
from quiz.tui.host import host


class SourceScreen(ModalScreen[None]):
    CSS_PATH = "source.tcss"
    BINDINGS = [Binding("escape,q,e,enter,space", "dismiss", "Close")]

    def __init__(self, item: Item, deck_name: str) -> None:
        super().__init__()
        self.item = item
        self.deck_name = deck_name

    def compose(self) -> ComposeResult:
        item = self.item
        rows: list[tuple[str, str]] = [
            ("Deck", self.deck_name),
            ("Item", f"{item.id} ({item.type})"),
            ("Fact", item.fact or "none recorded"),
            ("Section", item.source or "none recorded"),
        ]
        if item.tags:
            rows.append(("Tags", ", ".join(item.tags)))
        info = host(self).collection.fact(item.fact) if item.fact else None
        if info is not None:
            rows.append(("States", info.statement))
            rows.append(("Source", f"{info.source}, section “{info.section}”"))
        parts: list[str | tuple[str, str]] = []
        for label, value in rows:
            parts += [(f"{label}: ", "bold $accent"), value, "\n"]
        with Vertical(id="source-box"):
            yield Static(Content.styled("Where this card comes from", "bold"), id="source-title")
            yield Static(Content.assemble(*parts).rstrip())
            yield Static(Content.styled("esc to close", "$text-muted"), id="source-hint")
