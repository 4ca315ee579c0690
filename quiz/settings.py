"""User settings for studying: limits, day boundary, FSRS options. Stored as $QUIZ_HOME/settings.json.

A missing file means defaults; a file that is not valid JSON, has unknown keys or values out of
range is a QuizError naming the file (never silently replaced by defaults).
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, fields
from datetime import tzinfo
from pathlib import Path

from quiz.errors import QuizError, display_path
from quiz.outfile import write_atomic
from quiz.paths import home_dir

SETTINGS_FILE = "settings.json"

RETENTION_MIN = 0.70
RETENTION_MAX = 0.99
NEW_CARD_ORDERS = ("mixed", "deck")


class SettingsError(QuizError):
    """A setting out of range; ``problem`` is the message without the file's name."""

    def __init__(self, problem: str, where: str = "settings") -> None:
        super().__init__(f"{where}: {problem}")
        self.problem = problem


@dataclass(frozen=True)
class Settings:
    """Validated when made (a bad value raises SettingsError) and never changed afterwards:
    a changed setting is a new Settings (dataclasses.replace)."""

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
        # JSON gives lists; keep tuples so Settings stays hashable and comparable.
        object.__setattr__(self, "learning_steps", tuple(self.learning_steps))
        object.__setattr__(self, "relearning_steps", tuple(self.relearning_steps))
        problem = _problem(self)
        if problem is not None:
            raise SettingsError(problem)

    def tz(self) -> tzinfo | None:
        """The zone of the day boundary; None means the system's local time."""
        return _zone(self.timezone)


def _zone(name: str) -> tzinfo | None:
    """The named zone (None for ""); an unknown name raises ValueError."""
    if not name:
        return None
    # why: zoneinfo (and sysconfig under it) loads only for a named zone: most keep local time
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        return ZoneInfo(name)
    except ZoneInfoNotFoundError as e:
        raise ValueError(str(e)) from None


def _problem(s: Settings) -> str | None:
    """What is wrong with ``s`` (the first value out of range), or None."""
    r = s.desired_retention
    if isinstance(r, bool) or not isinstance(r, (int, float)) or not RETENTION_MIN <= r <= RETENTION_MAX:
        return f"desired_retention must be a number from {RETENTION_MIN:.2f} to {RETENTION_MAX:.2f}, got {r!r}"
    for name in ("new_per_day", "reviews_per_day", "maximum_interval", "leech_lapses", "learn_ahead_minutes"):
        v = getattr(s, name)
        low = 1 if name in ("maximum_interval", "leech_lapses") else 0
        if isinstance(v, bool) or not isinstance(v, int) or v < low:
            return f"{name} must be a whole number >= {low}, got {v!r}"
    h = s.day_starts_at
    if isinstance(h, bool) or not isinstance(h, int) or not 0 <= h <= 23:
        return f"day_starts_at must be an hour from 0 to 23, got {h!r}"
    for name in ("learning_steps", "relearning_steps"):
        steps = getattr(s, name)
        if any(isinstance(x, bool) or not isinstance(x, int) or x <= 0 for x in steps):
            return f"{name} must be a list of positive whole numbers of seconds, got {list(steps)!r}"
    # Read as plain objects: a settings file may hold any JSON value in any field.
    fuzzing, theme, zone, order = (getattr(s, name) for name in ("enable_fuzzing", "theme", "timezone",
                                                                  "new_card_order"))
    if not isinstance(fuzzing, bool):
        return f"enable_fuzzing must be true or false, got {fuzzing!r}"
    if not isinstance(theme, str):
        return f"theme must be a string, got {theme!r}"
    if order not in NEW_CARD_ORDERS:
        return f"new_card_order must be one of {', '.join(NEW_CARD_ORDERS)}, got {order!r}"
    if not isinstance(zone, str):
        return f"timezone must be a string, got {zone!r}"
    try:
        _zone(s.timezone)
    except ValueError:
        return f"unknown timezone {s.timezone!r}"
    return None


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
    try:
        return Settings(**data)
    except SettingsError as e:
        raise SettingsError(e.problem, where) from None


def save_settings(s: Settings, home: Path | None = None) -> None:
    path = settings_path(home)
    path.parent.mkdir(parents=True, exist_ok=True)
    data = asdict(s)
    data["learning_steps"] = list(s.learning_steps)
    data["relearning_steps"] = list(s.relearning_steps)
    write_atomic(path, json.dumps(data, indent=2) + "\n")
