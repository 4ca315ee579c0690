"""What the library hands back: the decks in use with the ones that could not be loaded
(DeckSet, for home) and what `quiz add` did (Added). Loaded when first used: `quiz study DECK`
needs neither."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from quiz.errors import display_path

if TYPE_CHECKING:
    from quiz.decks.library_entry import LibraryEntry
    from quiz.decks.model import Deck


@dataclass(frozen=True)
class UnavailableDeck:
    """A library deck that could not be loaded this time; its history stays in the store."""

    entry: LibraryEntry
    reason: str  # one line: "missing (moved or deleted?)" or the file's first problem

    def message(self) -> str:
        return f"{self.entry.name} ({self.entry.deck_id}): {display_path(self.entry.path)}: {self.reason}"


@dataclass(frozen=True)
class DeckSet:
    """The decks in use and the library decks that are unavailable, for the home screen."""

    decks: tuple[Deck, ...]
    unavailable: tuple[UnavailableDeck, ...] = ()


@dataclass(frozen=True)
class Added:
    """What ``remember`` did with one deck."""

    entry: LibraryEntry
    how: str  # "added", "moved" (a known deck at a new path) or "already in the library"
