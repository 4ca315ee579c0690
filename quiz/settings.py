"""User settings for studying: limits, day boundary, FSRS options. Stored as $QUIZ_HOME/settings.json.

A missing file means defaults; a file that is not valid JSON, has unknown keys or values out of
range is a QuizError naming the file (never silently replaced by defaults).
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, fields
from datetime import tzinfo
from pathlib import Path

from quiz.errors import QuizError, display_path
from quiz.paths import home_dir

SETTINGS_FILE = "settings.json"

RETENTION_MIN = 0.70
RETENTION_MAX = 0.99
NEW_CARD_ORDERS = ("mixed", "deck")


@dataclass
class Settings:
    desired_retention: float = 0.9
    new_per_day: int = 20  # per deck, like Anki
    reviews_per_day: int = 200  # per deck
    day_starts_at: int = 4  # local hour at which "today" begins, like Anki
    learning_steps: tuple[int, ...] = (60, 600)  # seconds
    relearning_steps: tuple[int, ...] = (600,)  # seconds
    maximum_interval: int = 36500  # days
    enable_fuzzing: bool = True
    leech_lapses: int = 8
    learn_ahead_minutes: int = 20  # when nothing else is due, learning cards this close come early
    timezone: str = ""  # IANA name for the day boundary; "" = the system's local time
    theme: str = "textual-dark"
    # New cards: "mixed" interleaves facts and item kinds (quiz.decks.order); "deck" keeps the
    # deck file's order.
    new_card_order: str = "mixed"

    def __post_init__(self) -> None:
        # JSON gives lists; keep tuples so Settings stays hashable-ish and comparable.
        self.learning_steps = tuple(self.learning_steps)
        self.relearning_steps = tuple(self.relearning_steps)

    def validate(self, where: str = "settings") -> None:
        """Raise QuizError (prefixed with ``where``) for the first value out of range."""

        def bad(msg: str) -> QuizError:
            return QuizError(f"{where}: {msg}")

        r = self.desired_retention
        if isinstance(r, bool) or not isinstance(r, (int, float)) or not RETENTION_MIN <= r <= RETENTION_MAX:
            raise bad(f"desired_retention must be a number from {RETENTION_MIN:.2f} to {RETENTION_MAX:.2f}, got {r!r}")
        for name in ("new_per_day", "reviews_per_day", "maximum_interval", "leech_lapses", "learn_ahead_minutes"):
            v = getattr(self, name)
            low = 1 if name in ("maximum_interval", "leech_lapses") else 0
            if isinstance(v, bool) or not isinstance(v, int) or v < low:
                raise bad(f"{name} must be a whole number >= {low}, got {v!r}")
        h = self.day_starts_at
        if isinstance(h, bool) or not isinstance(h, int) or not 0 <= h <= 23:
            raise bad(f"day_starts_at must be an hour from 0 to 23, got {h!r}")
        for name in ("learning_steps", "relearning_steps"):
            steps = getattr(self, name)
            if any(isinstance(s, bool) or not isinstance(s, int) or s <= 0 for s in steps):
                raise bad(f"{name} must be a list of positive whole numbers of seconds, got {list(steps)!r}")
        if not isinstance(self.enable_fuzzing, bool):
            raise bad(f"enable_fuzzing must be true or false, got {self.enable_fuzzing!r}")
        if not isinstance(self.theme, str):
            raise bad(f"theme must be a string, got {self.theme!r}")
        if self.new_card_order not in NEW_CARD_ORDERS:
            raise bad(f"new_card_order must be one of {', '.join(NEW_CARD_ORDERS)}, got {self.new_card_order!r}")
        if not isinstance(self.timezone, str):
            raise bad(f"timezone must be a string, got {self.timezone!r}")
        self.tz(where)

    def tz(self, where: str = "settings") -> tzinfo | None:
        """The zone of the day boundary; None means the system's local time."""
        if not self.timezone:
            return None
        from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

        try:
            return ZoneInfo(self.timezone)
        except (ZoneInfoNotFoundError, ValueError):
            raise QuizError(f"{where}: unknown timezone {self.timezone!r}") from None


def settings_path(home: Path | None = None) -> Path:
    return (home or home_dir()) / SETTINGS_FILE


def load_settings(home: Path | None = None) -> Settings:
    path = settings_path(home)
    where = display_path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return Settings()
    except (OSError, UnicodeDecodeError) as e:
        raise QuizError(f"{where}: cannot read settings: {getattr(e, 'strerror', None) or e}") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as e:
        raise QuizError(f"{where}:{e.lineno}:{e.colno}: not valid JSON: {e.msg}") from None
    if not isinstance(data, dict):
        raise QuizError(f"{where}: settings must be a JSON object")
    known = {f.name for f in fields(Settings)}
    unknown = sorted(set(data) - known)
    if unknown:
        raise QuizError(f"{where}: unknown setting {unknown[0]!r} (known: {', '.join(sorted(known))})")
    for name in ("learning_steps", "relearning_steps"):
        if name in data and not isinstance(data[name], list):
            raise QuizError(f"{where}: {name} must be a list of seconds, got {data[name]!r}")
    s = Settings(**data)
    s.validate(where)
    return s


def save_settings(s: Settings, home: Path | None = None) -> None:
    s.validate()
    path = settings_path(home)
    path.parent.mkdir(parents=True, exist_ok=True)
    data = asdict(s)
    data["learning_steps"] = list(s.learning_steps)
    data["relearning_steps"] = list(s.relearning_steps)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    os.replace(tmp, path)  # atomic: a crash never leaves half a settings file
