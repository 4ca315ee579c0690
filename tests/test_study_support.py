"""Small helpers shared by the engine's tests (no tests here): decks built in code, a fake clock."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from pathlib import Path

from quiz.collection import Collection
from quiz.decks.model import Deck, Item
from quiz.settings import Settings
from quiz.storage.store import Store
from quiz.study.session import StudySession

T0 = datetime(2026, 3, 2, 12, 0, tzinfo=timezone.utc)  # noon UTC, a Monday


class Clock:
    """A settable clock for StudySession(clock=...)."""

    def __init__(self, t: datetime = T0) -> None:
        self.t = t

    def __call__(self) -> datetime:
        return self.t

    def advance(self, **delta: float) -> datetime:
        self.t += timedelta(**delta)
        return self.t


def item(item_id: str, fact: str | None = None, question: str | None = None) -> Item:
    return Item(id=item_id, type="basic", question=question or f"What is {item_id}?", answer=f"{item_id}!", fact=fact)


def make_deck(n: int = 5, deck_id: str = "d", facts: int | None = None, prefix: str = "i") -> Deck:
    """``n`` basic items; with ``facts``, item k belongs to fact k % facts (siblings)."""
    items = tuple(item(f"{prefix}{k}", f"f{k % facts}" if facts else None) for k in range(n))
    return Deck(id=deck_id, name=f"Deck {deck_id}", items=items)


def study_session(
    store: Store, decks: list[Deck], settings: Settings | None = None, clock: Callable[[], datetime] | None = None
) -> StudySession:
    """A session as the app makes one: through the Collection, which syncs the decks first."""
    return Collection(store, decks, settings, clock=clock).study(list(decks))


def reviews(path: Path) -> int:
    """Reviews in a store file, read without opening it through quiz."""
    c = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        return int(c.execute("SELECT COUNT(*) FROM revlog").fetchone()[0])
    finally:
        c.close()
