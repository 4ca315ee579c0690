"""What the import readers (quiz.anki.import_apkg, quiz.anki.import_csv) produce: ``Entry``
objects (items before they have ids) in an ``Imported`` batch; quiz.anki.importer writes them."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from quiz.decks.cloze import deletions
from quiz.safe_text import strip_controls

ID_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")


def _clean(values: list[str]) -> list[str]:
    """Non-blank values, each once, in order (the deck loader refuses blanks and repeats)."""
    return [v for v in dict.fromkeys(values) if v.strip()]


@dataclass
class Entry:
    """An item before it has an id; only the fields its type uses are filled in."""

    type: str
    question: str = ""
    answer: str = ""
    text: str = ""
    answers: list[str] = field(default_factory=list)
    answers_accept: list[list[str]] = field(default_factory=list)  # per entry of answers
    accept: list[str] = field(default_factory=list)
    distractors: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    fact: str | None = None
    source: str | None = None
    guid: str | None = None
    id: str | None = None  # the item id a package of ours carries; others get one made from the text

    def drop_controls(self) -> None:
        """Control characters (ESC, BEL, C1...) out of every text: a package or a CSV is not
        trusted to carry terminal commands into a deck (quiz.safe_text)."""
        for f in ("question", "answer", "text", "fact", "source"):
            value = getattr(self, f)
            if value:
                setattr(self, f, strip_controls(value))
        for f in ("answers", "accept", "distractors", "tags"):
            setattr(self, f, [strip_controls(v) for v in getattr(self, f)])

    def problem(self) -> str | None:
        """Why the deck loader would refuse this entry, in words for the skip report."""
        if self.type == "cloze":
            return None if deletions(self.text) else "a cloze with no deletion left after removing HTML"
        if not self.question.strip() or not (self.answer.strip() or self.answers):
            return "an empty question or answer (images or sounds only?)"
        if self.type == "list" and len(_clean(self.answers)) < 2:
            return "a list with fewer than two different answers"
        if self.type == "choice" and not [d for d in _clean(self.distractors) if d != self.answer]:
            return "a multiple choice without a wrong choice"
        return None

    def _list_answers(self) -> list[object]:
        """Entries as the deck writes them: plain text, or {answer, accept} with other forms."""
        out: list[object] = []
        seen: set[str] = set()
        for i, answer in enumerate(self.answers):
            if not answer.strip() or answer in seen:
                continue
            seen.add(answer)
            accept = [a for a in _clean(self.answers_accept[i] if i < len(self.answers_accept) else []) if a != answer]
            out.append({"answer": answer, "accept": accept} if accept else answer)
        return out

    def as_yaml(self, item_id: str) -> dict[str, object]:
        out: dict[str, object] = {"id": item_id, "type": self.type}
        if self.type == "cloze":
            out["text"] = self.text
        else:
            out["question"] = self.question
            if self.type == "list":
                out["answers"] = self._list_answers()
            else:
                out["answer"] = self.answer
        if self.type in ("basic", "typed") and _clean(self.accept):
            out["accept"] = _clean(self.accept)
        if self.type == "choice":
            out["distractors"] = [d for d in _clean(self.distractors) if d != self.answer]
        tags = _clean(self.tags)
        if tags:
            out["tags"] = tags
        if self.fact and ID_RE.match(self.fact):
            out["fact"] = self.fact
        for key in ("source", "guid"):
            value = getattr(self, key)
            if value:
                out[key] = value
        return out


@dataclass
class Imported:
    name: str
    description: str
    entries: list[Entry]
    skipped: list[str]  # one line each: "N notes <why>"


def notes(n: int) -> str:
    return f"{n} note{'s' * (n != 1)}"
