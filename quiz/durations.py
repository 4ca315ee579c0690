"""Every length of time quiz shows, in one place: ``duration_text(seconds, style)``.

Styles (what each screen has always said):
- ``button``: Anki's interval labels on the grade buttons: 45s, 1m, 6m, 3h, 8d, 3.5mo, 1.2y.
- ``elapsed``: time spent (session summary, exam score): 42s, 3m 05s, 1h 02m.
- ``due``: when something comes, from now: now, in 10 min, in 3 h, in 2 days, in 4 months,
  in 2.1 years (relative even when far off: the screens show no local time zone).
- ``wait``: how long until something comes, rounded up: 7 min, 2 h 5 min, 3 days.
"""

from __future__ import annotations

from typing import Literal

Style = Literal["button", "elapsed", "due", "wait"]

MINUTE, HOUR, DAY = 60, 3600, 86400


def duration_text(seconds: float, style: Style) -> str:
    if style == "button":
        return _button(max(0.0, seconds))
    if style == "elapsed":
        return _elapsed(int(round(seconds)))
    if style == "due":
        return _due(seconds)
    return _wait(seconds)


def _half_up(x: float) -> int:
    return int(x + 0.5)


def _one_decimal(x: float) -> str:
    r = round(x, 1)
    return f"{r:.0f}" if r == int(r) else f"{r:.1f}"


def _button(secs: float) -> str:
    if secs < MINUTE:
        return f"{_half_up(secs)}s"
    if secs < HOUR:
        return f"{_half_up(secs / MINUTE)}m"
    if secs < DAY:
        return f"{_half_up(secs / HOUR)}h"
    days = secs / DAY
    if days < 30:
        return f"{_half_up(days)}d"
    if days < 365:
        return _one_decimal(days / 30) + "mo"
    return _one_decimal(days / 365) + "y"


def _elapsed(secs: int) -> str:
    if secs < MINUTE:
        return f"{secs}s"
    minutes, secs = divmod(secs, MINUTE)
    if minutes < 60:
        return f"{minutes}m {secs:02d}s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours}h {minutes:02d}m"


def _due(secs: float) -> str:
    if secs < 30:
        return "now"
    if secs < HOUR:
        return f"in {max(1, round(secs / MINUTE))} min"
    if secs < DAY:
        return f"in {round(secs / HOUR)} h"
    days = round(secs / DAY)
    if days < 60:
        return f"in {days} day{'s' if days != 1 else ''}"
    return f"in {round(days / 30)} months" if days < 730 else f"in {days / 365:.1f} years"


def _wait(secs: float) -> str:
    minutes = max(1, -(-int(secs) // MINUTE))
    if minutes < 60:
        return f"{minutes} min"
    if minutes < 24 * 60:
        h, m = divmod(minutes, 60)
        return f"{h} h {m} min" if m else f"{h} h"
    days = -(-minutes // (24 * 60))
    return f"{days} {'day' if days == 1 else 'days'}"
