"""What the home and browse screens show, as the Collection hands it out: frozen dataclasses,
loaded with the first screen that asks (the study app's first card needs none of them)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from quiz.authoring.fact_lookup import FactInfo
    from quiz.decks.model import Deck, Item
    from quiz.storage.card_info import CardInfo, ReviewRow


@dataclass(frozen=True)
class DeckOverview:
    """One row of the home screen: cards still to do today within the limits."""

    deck: Deck
    new: int
    learning: int
    due: int  # reviews due today


@dataclass(frozen=True)
class Overview:
    """The home screen's numbers: each deck's counts and today's reviews."""

    decks: tuple[DeckOverview, ...]
    reviewed_today: int  # grades given today in these decks (undone ones not counted)


@dataclass(frozen=True)
class BrowseRow:
    """One card of the browse table (``item`` is the card: Item.card), with its state."""

    deck_id: str
    deck_name: str
    item: Item
    state: str  # new | learning | review | relearning
    due: datetime | None
    suspended: bool
    haystack: str  # lower-cased text the free words are searched in
    tagline: str  # "\ntag1\ntag2", lower-cased: a tag prefix test is one substring search
    buried: bool = False  # set aside until the next study day (bury in review)

    @property
    def key(self) -> str:
        ord = self.item.ord
        return f"{self.deck_id}/{self.item.id}#{ord}" if ord else f"{self.deck_id}/{self.item.id}"

    @property
    def shown_state(self) -> str:
        return "suspended" if self.suspended else "buried" if self.buried else self.state


@dataclass(frozen=True)
class CardDetail:
    """One card's schedule and review history (the browse screen's detail pane)."""

    info: CardInfo
    history: tuple[ReviewRow, ...]
    fact: FactInfo | None  # the fact it came from, when the built-in facts files have it
