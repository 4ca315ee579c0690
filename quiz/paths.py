"""Where things live: the built-in decks, their facts, and the user's store."""

from __future__ import annotations

import os
from pathlib import Path

from platformdirs import user_data_dir

_PACKAGE = Path(__file__).resolve().parent


def _builtin(name: str) -> Path:
    # Installed wheels carry decks/ and data/ inside the package (see pyproject force-include);
    # a checkout or an editable install finds them beside the package.
    inside = _PACKAGE / "builtin" / name
    return inside if inside.is_dir() else _PACKAGE.parent / name


def builtin_decks_dir() -> Path:
    return _builtin("decks")


def builtin_data_dir() -> Path:
    return _builtin("data")


def home_dir() -> Path:
    """The user's data dir: $QUIZ_HOME, else the platform's user data dir."""
    env = os.environ.get("QUIZ_HOME")
    if env:
        return Path(env).expanduser()
    return Path(user_data_dir("quiz", appauthor=False))


def store_path() -> Path:
    return home_dir() / "quiz.sqlite3"
