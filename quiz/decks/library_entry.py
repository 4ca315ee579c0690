"""One deck of the user's own as the library index (library.json) remembers it."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class LibraryEntry:
    """A deck file of the user's own, as library.json remembers it."""

    deck_id: str
    path: Path  # absolute
    name: str
    added: str  # ISO date-time, UTC
