"""Where the stats, browse and settings screens find the decks, the store and the clock.

A screen may be given them explicitly (tests do, with a fixed clock); otherwise it takes what
the running app holds (`app.decks`, `app.store.path`, `app.settings`, `app.now()` — QuizApp
defines them), and falls back to the built-in decks and the default store. Screens open their
own short-lived `Store` connection from `store_path` because SQLite connections must stay in
the thread that made them and the stats are computed in a worker thread.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable

from quiz.decks.model import Deck


def utc_now() -> datetime:
    return datetime.now(timezone.utc)


@dataclass
class AppData:
    store_path: Path
    decks: list[Deck]
    clock: Callable[[], datetime]


def resolve(
    app: Any,
    store_path: Path | None = None,
    decks: list[Deck] | None = None,
    clock: Callable[[], datetime] | None = None,
) -> AppData:
    """The explicit values, else the app's, else the defaults (may raise QuizError)."""
    if store_path is None:
        store_path = getattr(app, "store_path", None)
        if store_path is None:
            store = getattr(app, "store", None)
            store_path = getattr(store, "path", None)
        if store_path is None:
            from quiz.paths import store_path as default_store_path

            store_path = default_store_path()
    if decks is None:
        decks = getattr(app, "decks", None)
        if decks is None:
            from quiz.decks.library import load_decks

            decks = load_decks(None)
    if clock is None:
        now = getattr(app, "now", None)
        clock = now if callable(now) else utc_now
    return AppData(Path(store_path), list(decks), clock)


def current_settings(app: Any) -> Any:
    """The app's settings object if it keeps one, else the saved settings."""
    settings = getattr(app, "settings", None)
    if settings is not None:
        return settings
    from quiz.settings import load_settings

    return load_settings()
