"""Text from decks and imports, made safe for a terminal: the one place that decides.

A deck (YAML ``"\\e"``, ``"\\x9b"``, ``"\\a"`` escapes) or an imported package can carry control
characters; written raw they would drive the terminal (set the window title, write the clipboard
with OSC 52, clear the screen). Every C0 and C1 control character but newline and tab, and DEL,
is shown as a visible symbol instead: the Unicode "control pictures" (ESC as U+241B) for C0 and
DEL, and U+FFFD for C1, which has no pictures. Text is never dropped silently, so an author sees
that something is there, and the length stays the same (one character for one), so styled spans
laid over the text stay where they were (the TUI relies on it: quiz.tui.guard).
"""

from __future__ import annotations

import json
import re

_C0 = [c for c in range(0x20) if c not in (0x09, 0x0A)]
_C1 = list(range(0x80, 0xA0))
CONTROLS = frozenset([*_C0, 0x7F, *_C1])
CONTROL_RE = re.compile("[" + "".join(re.escape(chr(c)) for c in sorted(CONTROLS)) + "]")

VISIBLE_TABLE: dict[int, str] = {c: chr(0x2400 + c) for c in _C0} | {0x7F: "\u2421"} | {c: "\ufffd" for c in _C1}
_JSON_ESCAPES = {c: f"\\u{c:04x}" for c in (0x7F, *_C1)}  # json.dumps escapes C0 itself


def visible(text: str) -> str:
    """``text`` with every control character (but newline and tab) shown as a visible symbol."""
    return text.translate(VISIBLE_TABLE) if CONTROL_RE.search(text) else text


def strip_controls(text: str) -> str:
    """``text`` without control characters (but newline and tab): for imported text."""
    return CONTROL_RE.sub("", text)


def has_controls(text: str) -> bool:
    return CONTROL_RE.search(text) is not None


def first_control(text: str) -> int | None:
    """Index of the first control character in ``text`` (None: there is none)."""
    m = CONTROL_RE.search(text)
    return m.start() if m else None


def describe(char: str) -> str:
    """``U+001B`` for a control character: how a message names it."""
    return f"U+{ord(char):04X}"


def json_text(value: object, **kwargs: object) -> str:
    """``json.dumps(value, ensure_ascii=False)`` whose output carries no raw DEL or C1 character
    (json.dumps escapes C0 only); the same JSON value, safe to print."""
    return json.dumps(value, ensure_ascii=False, **kwargs).translate(_JSON_ESCAPES)  # type: ignore[arg-type]
