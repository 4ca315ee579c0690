"""Turn item text, counts and grading verdicts into styled Content (never markup: deck text may
contain square brackets)."""

from __future__ import annotations

from datetime import datetime

from textual.content import Content

from quiz.decks.cloze import CLOZE_RE
from quiz.durations import duration_text

# Anki's colours for the three queues, as theme variables.
NEW_STYLE = "bold $primary"
LEARNING_STYLE = "bold $error"
REVIEW_STYLE = "bold $success"
CLOZE_STYLE = "bold $accent"


def counts(new: int, learning: int, review: int, current: str | None = None) -> Content:
    """``12 + 3 + 40`` coloured like Anki, the current card's queue underlined."""
    queue = {"relearning": "learning"}.get(current or "", current)
    parts: list[str | tuple[str, str]] = []
    for name, n, style in (("new", new, NEW_STYLE), ("learning", learning, LEARNING_STYLE), ("review", review, REVIEW_STYLE)):
        if parts:
            parts.append(" + ")
        parts.append((str(n), style + (" underline" if name == queue else "")))
    return Content.assemble(*parts)


def cloze(text: str, revealed: bool) -> Content:
    """The cloze text with its deletions blanked (``[...]`` or ``[hint]``) or filled in,
    highlighted in place either way."""
    parts: list[str | tuple[str, str]] = []
    pos = 0
    for m in CLOZE_RE.finditer(text):
        parts.append(text[pos : m.start()])
        if revealed:
            parts.append((m[2], CLOZE_STYLE))
        else:
            parts.append((f"[{m[3]}]" if m[3] else "[...]", CLOZE_STYLE))
        pos = m.end()
    parts.append(text[pos:])
    return Content.assemble(*parts)


DIFF_STYLE = {"ok": "$success", "wrong": "$error strike", "missing": "$warning underline"}


def diff(segments: tuple[tuple[str, str], ...]) -> Content:
    """Anki-like character diff: right letters green, wrong ones struck red, missing ones yellow."""
    return Content.assemble(*((text, DIFF_STYLE.get(kind, "")) for kind, text in segments))


def when(due: datetime | None, now: datetime) -> str:
    """A due date in words relative to now: 'now', 'in 10 min', 'in 3 days'."""
    return "nothing scheduled" if due is None else duration_text((due - now).total_seconds(), "due")
