"""What a reader makes of its input before it becomes a deck: ``Entry`` items without ids yet,
grouped into ``Imported`` decks; and the ids they get (kept ones first, then from the text)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from quiz.decks.cloze import deletions, nested, reveal
from quiz.safe_text import has_controls, strip_controls

if TYPE_CHECKING:  # only a re-import makes one (quiz.anki.reimport): a first import does without
    from quiz.anki.guids import KnownIds

ID_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")


def _clean(values: Sequence[str]) -> list[str]:
    """Non-blank values, each once, in order (the deck loader refuses blanks and repeats)."""
    return [v for v in dict.fromkeys(values) if v.strip()]


@dataclass
class Entry:
    """An item before it has an id; only the fields its type uses are filled in."""

    type: str
    question: str = ""
    answer: str = ""
    text: str = ""
    # Lists as given, else an empty tuple (not a new list per entry: 33,000 of them at import).
    answers: Sequence[str] = ()
    answers_accept: Sequence[Sequence[str]] = ()  # per entry of answers
    accept: Sequence[str] = ()
    distractors: Sequence[str] = ()
    tags: Sequence[str] = ()
    fact: str | None = None
    source: str | None = None
    guid: str | None = None
    id: str | None = None  # the item id a package of ours carries; others get one made from the text
    extra: str = ""  # Anki's "Back Extra": more text shown with the answer
    images: Sequence[str] = ()  # media names shown with the question
    answer_images: Sequence[str] = ()  # ... and with the answer only
    note_id: int | None = None  # the Anki note it came from (its review history follows it)

    def drop_controls(self) -> None:
        """Control characters (ESC, BEL, C1...) out of every text: a package or a CSV is not
        trusted to carry terminal commands into a deck (quiz.safe_text)."""
        texts = (self.question, self.answer, self.text, self.fact or "", self.source or "", self.extra,
                 *self.answers, *self.accept, *self.distractors, *self.tags)
        if not has_controls("".join(texts)):
            return  # one search for the whole entry: the common case at 30,000 notes
        for f in ("question", "answer", "text", "fact", "source", "extra"):
            value = getattr(self, f)
            if value:
                setattr(self, f, strip_controls(value))
        for f in ("answers", "accept", "distractors", "tags"):
            setattr(self, f, [strip_controls(v) for v in getattr(self, f)])

    def problem(self) -> str | None:
        """Why the deck loader would refuse this entry, in words for the skip report."""
        if self.type == "cloze":
            found = deletions(self.text)
            if not found:
                return "a cloze with no deletion left after removing HTML"
            if any(d.number < 1 or not d.answer.strip() for d in found):
                return "a cloze deletion numbered c0 or left empty"
            if nested(self.text, len(found)):
                return "a cloze deletion holding another (nested deletions are not supported)"
            return None
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

    def as_yaml(self, item_id: str, image_ref: Callable[[str], str] = str) -> dict[str, object]:
        out: dict[str, object] = {"id": item_id, "type": self.type}
        if self.type == "cloze":
            out["text"] = self.text
        else:
            out["question"] = self.question
            if self.type == "list":
                out["answers"] = self._list_answers()
            else:
                out["answer"] = self.answer
        # Each optional key is looked at only when set: this runs for every note of a package.
        if self.accept and self.type in ("basic", "typed") and _clean(self.accept):
            out["accept"] = _clean(self.accept)
        if self.type == "choice":
            out["distractors"] = [d for d in _clean(self.distractors) if d != self.answer]
        if self.tags and (tags := _clean(self.tags)):
            out["tags"] = tags
        if self.fact and ID_RE.match(self.fact):
            out["fact"] = self.fact
        if self.extra and self.extra.strip():
            out["extra"] = self.extra
        if self.images or self.answer_images:
            for key, names in (("images", self.images), ("answer_images", self.answer_images)):
                if names and (names := _clean(names)):
                    out[key] = [image_ref(n) for n in names]
        if self.source and self.source.strip():
            out["source"] = self.source
        if self.guid and self.guid.strip():
            out["guid"] = self.guid
        return out


@dataclass
class Imported:
    """One deck as a reader found it, before its entries are sifted."""

    name: str
    description: str
    entries: list[Entry]
    skipped: list[str]  # one line each: "N notes <why>"


def notes(n: int) -> str:
    return f"{n} note{'s' * (n != 1)}"


# Every byte but a-z and 0-9 as a space: a slug's words are then bytes.split(), in C (the regex
# findall it replaces was most of the time of giving 33,000 notes their ids).
_NOT_WORD = bytes(c if 48 <= c <= 57 or 97 <= c <= 122 else 32 for c in range(256))


def slug(text: str, limit: int = 48) -> str:
    """A readable id from text: lowercase ASCII words joined by '-', cut at a word end."""
    ascii_text = text if text.isascii() else unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    out = b"-".join(ascii_text.lower().encode("ascii").translate(_NOT_WORD).split())
    if len(out) > limit:
        # The words that fit whole: up to the last '-' at or before the limit (a first word
        # longer than the limit is cut at it).
        cut = out.rfind(b"-", 0, limit + 1)
        out = out[: cut if cut > 0 else limit]
    return out.decode("ascii")


def item_ids(entries: list[Entry], known: KnownIds | None = None) -> list[str]:
    """Ids kept first (the review history of an item follows its id), then ids from the text.

    ``known``, when the import replaces a deck: a note keeps the id the deck gives its GUID,
    whatever its text became; the ids the deck (or the store's history of it) gives to other
    notes are taken by no other note, so a new note never inherits a review state."""
    by_guid = known.by_guid if known else {}
    taken = known.taken if known else frozenset()
    kept: list[str | None] = [None] * len(entries)
    seen: set[str] = set()
    if by_guid:
        for i, e in enumerate(entries):  # by GUID first: a note keeps its id whatever its Id field or text says
            mine = by_guid.get(e.guid) if e.guid else None
            if mine is not None and mine not in seen:
                kept[i] = mine
                seen.add(mine)
    for i, e in enumerate(entries):  # then an Id field (our notes); on two notes (a merged package), the first's
        if kept[i] is None and e.id and ID_RE.match(e.id) and e.id not in seen and e.id not in taken:
            kept[i] = e.id
            seen.add(e.id)
    return _text_ids(entries, kept, seen | taken)


def _text_ids(entries: list[Entry], kept: list[str | None], taken: set[str]) -> list[str]:
    """The kept ids, and for the others one made from the text that is not in ``taken``."""
    ids = []
    for e, k in zip(entries, kept):
        if k:
            ids.append(k)
            continue
        base = slug(reveal(e.text) if e.type == "cloze" else e.question) or "item"
        candidate, n = base, 1
        while candidate in taken:
            n += 1
            candidate = f"{base}-{n}"
        taken.add(candidate)
        ids.append(candidate)
    return ids
