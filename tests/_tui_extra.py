"""Helpers for the stats/browse/settings/palette TUI tests: a scripted study history and the
rendered screen as plain text."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

from rich.console import Console

from test_study_support import study_session
from quiz.decks.model import Deck, Item
from quiz.settings import Settings
from quiz.storage.store import Store
from quiz.study.session import StudyCard, StudySession

NOW = datetime(2026, 3, 10, 12, 0, tzinfo=timezone.utc)
AGAIN, HARD, GOOD, EASY = 1, 2, 3, 4


def screen_text(app) -> str:  # type: ignore[no-untyped-def]
    """What the terminal shows now, as text (call after `await pilot.pause()`)."""
    console = Console(width=app.size.width, height=app.size.height, file=io.StringIO(), record=True,
                      legacy_windows=False, color_system=None)
    console.print(app.screen._compositor.render_update(full=True, screen_stack=app._background_screens))
    return console.export_text()


def make_deck(n: int = 6, deck_id: str = "pharm", name: str = "Pharmacology") -> Deck:
    items = tuple(
        Item(
            id=f"{deck_id}-{i}", type="basic",
            question=f"Question {i} about {'tacrolimus' if i % 2 else 'ciclosporin'}?",
            answer=f"Answer {i}", tags=("cni", "tac" if i % 2 else "cic"),
            fact=f"fact-{i}", source=f"Section {i}",
        )
        for i in range(1, n + 1)
    )
    return Deck(id=deck_id, name=name, items=items)


def settings() -> Settings:
    # UTC day boundary and no fuzz: the same history gives the same figures on any machine
    return Settings(enable_fuzzing=False, timezone="UTC")


@dataclass
class Scripted:
    store_path: Path
    deck: Deck
    settings: Settings
    now: datetime


def grade(store: Store, deck: Deck, plan: dict[str, int], at: datetime, s: Settings) -> None:
    session = study_session(store, [deck], s, clock=lambda: at)
    for item_id, rating in plan.items():
        info = store.card_info(deck.id, item_id)
        card = StudyCard(deck.id, deck.item(item_id), info.state, info.card_id)
        session.grade(card, rating, duration_ms=4000)


def scripted_history(home: Path) -> Scripted:
    """Six cards: ten days ago items 1, 2 answered Easy (to review, due in 8 days); today item 1
    Good (kept), item 2 Again (lapsed), items 3 and 4 Good (learning); item 5 suspended; item 6
    new. So: reviewed today 4, due today 3, new 1, learning 3, review 1, suspended 1, retention
    over 30 days 1 of 2 = 50%."""
    s = settings()
    deck = make_deck()
    path = home / "quiz.sqlite3"
    store = Store.open(path)
    try:
        grade(store, deck, {"pharm-1": EASY, "pharm-2": EASY}, NOW - timedelta(days=10), s)
        grade(store, deck, {"pharm-1": GOOD, "pharm-2": AGAIN, "pharm-3": GOOD, "pharm-4": GOOD}, NOW, s)
        store.set_suspended(deck.id, "pharm-5", True)
    finally:
        store.close()
    return Scripted(path, deck, s, NOW)
