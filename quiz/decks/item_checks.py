"""What makes a well-formed item wrong anyway, and items built from plain data.

The loader checks a deck file node by node (so it can point at a line); the importer builds its
items in memory from the same data it writes, without parsing its own YAML back (at 33,000
notes that parse was half the import). Both refuse the same items through ``item_problems``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from quiz.decks import cloze
from quiz.decks.model import Item

ID_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")  # used with fullmatch: no trailing newline
# An image is a file under the deck file's folder: a relative path with '/', no '..' and no
# control characters (imports write "<deck>.media/<name>").
IMAGE_RE = re.compile(r"(?!/)(?!.*(?:^|/)\.\.(?:/|$))[^\\\x00-\x1f\x7f]+")
_TUPLES = ("accept", "distractors", "tags", "images", "answer_images")
_LISTS = frozenset({*_TUPLES, "answers"})


@dataclass(frozen=True)
class ItemProblem:
    """Why an item is wrong, and which of its keys (and list entry) it is about."""

    field: str  # the key whose value is wrong
    message: str
    entry: int | None = None  # for a list's answers: which entry


def item_problems(item: Item) -> list[ItemProblem]:
    """The problems of an item whose fields each have the right shape."""
    out: list[ItemProblem] = []
    if item.type == "cloze":
        found = cloze.deletions(item.text)
        if not found:
            out.append(ItemProblem("text", "cloze text has no deletion like {{c1::answer}}"))
        for d in found:
            if d.number < 1:
                out.append(ItemProblem("text", f"cloze deletion c{d.number} must be numbered from c1"))
            if not d.answer.strip():
                out.append(ItemProblem("text", f"cloze deletion c{d.number} is empty"))
        for outer, inner in cloze.nested(item.text, len(found)):
            out.append(ItemProblem("text", f"cloze deletion c{outer} holds another (c{inner}): nested deletions "
                                           "are not supported; write them one after the other"))
    elif item.type == "choice":
        if not item.distractors:
            out.append(ItemProblem("distractors", "choice item needs at least one distractor"))
        elif item.answer in item.distractors:
            out.append(ItemProblem("distractors", "a distractor repeats the answer"))
        elif len(set(item.distractors)) != len(item.distractors):
            out.append(ItemProblem("distractors", "distractors repeat each other"))
    elif item.type == "list":
        if len(item.answers) < 2:
            out.append(ItemProblem("answers", "list item needs at least two answers"))
        elif len(set(item.answers)) != len(item.answers):
            out.append(ItemProblem("answers", "list answers repeat each other"))
        else:
            out += _entry_form_clashes(item)
    for key in ("images", "answer_images"):
        for i, path in enumerate(getattr(item, key)):
            if not IMAGE_RE.fullmatch(path):
                out.append(ItemProblem(key, f"{key}[{i}] {quoted(path)} must be a relative path inside the deck's folder", i))
    return out


def _entry_form_clashes(item: Item) -> list[ItemProblem]:
    """A form that names two entries would make one given line right for either of them."""
    out = []
    owner: dict[str, str] = {}
    for i, entry in enumerate(item.entries):
        for form in dict.fromkeys(entry.forms):
            if form in owner and owner[form] != entry.answer:
                out.append(ItemProblem("answers", f"{quoted(form)} is accepted for both {quoted(owner[form])} and {quoted(entry.answer)}", i))
            owner.setdefault(form, entry.answer)
    return out


def quoted(value: str, limit: int = 60) -> str:
    """repr() of a value from the file, cut short: one huge key must not flood the terminal."""
    return repr(value if len(value) <= limit else value[:limit] + "…")


def item_from_data(data: Mapping[str, Any], line: int | None = None) -> Item:
    """The Item a deck file's item means, from plain data (what yaml.safe_load would give):
    lists become tuples, and a list's entries ``text`` or ``{answer, accept}`` split into
    ``answers`` and ``answers_accept``. Shapes are trusted; check with ``item_problems``."""
    values: dict[str, Any] = dict(data)
    if _LISTS.isdisjoint(values):  # text only: most items of a big deck
        values["line"] = line
        return Item.from_values(values)
    for key in _TUPLES:
        if key in values:
            values[key] = tuple(values[key])
    if "answers" in values:
        entries = values["answers"]
        values["answers"] = tuple(e if isinstance(e, str) else e["answer"] for e in entries)
        values["answers_accept"] = tuple(() if isinstance(e, str) else tuple(e.get("accept", ())) for e in entries)
    values["line"] = line
    return Item.from_values(values)
