"""One deck of the user's own as the library index (library.json) remembers it."""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple


class LibraryEntry(NamedTuple):
    """A deck file of the user's own, as library.json remembers it (a row of it: a named tuple,
    which costs next to nothing to define on the way to the first card, unlike a dataclass)."""

    deck_id: str
    path: Path  # absolute
    name: str
    added: str  # ISO date-time, UTC
