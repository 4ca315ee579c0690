"""Cloze deletions in Anki's syntax: ``{{c1::answer}}`` or ``{{c1::answer::hint}}``."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import NamedTuple

CLOZE_RE = re.compile(r"\{\{c(\d+)::(.*?)(?:::(.*?))?\}\}", re.DOTALL)


class Deletion(NamedTuple):
    """One {{cN::answer::hint}} gap of a cloze text (a named tuple: cheap to define at start-up)."""

    number: int
    answer: str
    hint: str | None


def matches(text: str) -> Iterator[re.Match[str]]:
    """CLOZE_RE's matches, in linear time: past the last "}}" nothing can match, and without
    that bound every unclosed "{{c1::" would scan to the end (quadratic: a crafted 1 MB field
    took minutes)."""
    end = text.rfind("}}")
    return CLOZE_RE.finditer(text, 0, end + 2) if end >= 0 else iter(())


def _sub(repl: Callable[[re.Match[str]], str], text: str) -> str:
    end = text.rfind("}}") + 2
    return CLOZE_RE.sub(repl, text[:end]) + text[end:] if end >= 2 else text


# Where a deletion starts. Searched only inside each match of CLOZE_RE (they do not overlap),
# so the whole text is looked at once at most: linear like matches().
_OPENING_RE = re.compile(r"\{\{c(\d+)::")


def nested(text: str, found: int = 1) -> list[tuple[int, int]]:
    """(outer, inner) deletion numbers of each deletion that holds another, as in
    ``{{c1::a {{c2::b}} c}}``: Anki 23.10+ nests them, quiz does not; CLOZE_RE reads that as a
    deletion "a {{c2" with the hint "b", then " c}}" as plain text. ``found``: how many
    deletions the caller already has from ``deletions(text)``, if it has."""
    if text.count("{{c") <= found:
        # Each opening starts a deletion (or one holds nothing): none is inside another. Most
        # cloze texts end here, without a regex (an import checks every note).
        return []
    out = []
    for m in matches(text):
        inner = _OPENING_RE.search(text, m.start(2), m.end())
        if inner:
            out.append((int(m[1]), int(inner[1])))
    return out


def deletions(text: str) -> list[Deletion]:
    return [Deletion(int(m[1]), m[2], m[3]) for m in matches(text)]


def numbers(text: str) -> list[int]:
    """The distinct deletion numbers, sorted: one Anki card each."""
    return sorted({int(m[1]) for m in matches(text)})  # no Deletion objects: faster


def blank(text: str, number: int | None = None, mark: str = "[...]") -> str:
    """The text with deletions blanked (all, or only those numbered ``number``)."""

    def sub(m: re.Match[str]) -> str:
        if number is not None and int(m[1]) != number:
            return m[2]
        return f"[{m[3]}]" if m[3] else mark

    return _sub(sub, text)


def reveal(text: str) -> str:
    """The text with every deletion filled in."""
    return _sub(lambda m: m[2], text)


def only(text: str, number: int) -> str:
    """The text of card ``number``: its own deletions kept, every other one filled in (as
    Anki shows cloze card cN)."""
    return _sub(lambda m: m[0] if int(m[1]) == number else m[2], text)
