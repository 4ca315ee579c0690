"""Import an Anki package or a Quizlet/Anki CSV/TSV export into a deck file.

The readers (quiz.anki.import_apkg, quiz.anki.import_csv) turn the input into ``Entry`` objects; this
module gives them ids, writes the deck YAML, checks it with the deck loader, and only then moves
it into place, so a failure leaves no partial file.
"""

from __future__ import annotations

import os
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from quiz.errors import InvalidFile, QuizError, UsageError
from quiz.safe_text import strip_controls

_ID_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")


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
        from quiz.decks.cloze import deletions

        if self.type == "cloze":
            return None if deletions(self.text) else "a cloze with no deletion left after removing HTML"
        if not self.question.strip() or not (self.answer.strip() or self.answers):
            return "an empty question or answer (images or sounds only?)"
        if self.type == "list" and len(_clean(self.answers)) < 2:
            return "a list with fewer than two different answers"
        if self.type == "choice" and not [d for d in _clean(self.distractors) if d != self.answer]:
            return "a multiple choice without a wrong choice"
        return None

    def as_yaml(self, item_id: str) -> dict[str, object]:
        out: dict[str, object] = {"id": item_id, "type": self.type}
        if self.type == "cloze":
            out["text"] = self.text
        else:
            out["question"] = self.question
            if self.type == "list":
                out["answers"] = _clean(self.answers)
            else:
                out["answer"] = self.answer
        if self.type in ("basic", "typed") and _clean(self.accept):
            out["accept"] = _clean(self.accept)
        if self.type == "choice":
            out["distractors"] = [d for d in _clean(self.distractors) if d != self.answer]
        tags = _clean(self.tags)
        if tags:
            out["tags"] = tags
        if self.fact and _ID_RE.match(self.fact):
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


@dataclass(frozen=True)
class ImportResult:
    path: Path
    items: int
    skipped: list[str]

    def summary(self, source: Path) -> str:
        return f"imported {self.items} item{'s' * (self.items != 1)} from {source} to {self.path}"


def notes(n: int) -> str:
    return f"{n} note{'s' * (n != 1)}"


def slug(text: str, limit: int = 48) -> str:
    """A readable id from text: lowercase ASCII words joined by '-', cut at a word end."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    words = re.findall(r"[a-z0-9]+", ascii_text.lower())
    out = ""
    for w in words:
        if out and len(out) + 1 + len(w) > limit:
            break
        out = f"{out}-{w}" if out else w[:limit]
    return out


def _ids(entries: list[Entry]) -> list[str]:
    """Kept ids first (the review history of an item follows its id), then ids from the text."""
    from quiz.decks.cloze import reveal

    kept: list[str | None] = []
    seen: set[str] = set()
    for e in entries:  # an id on two notes (a merged package) stays with the first only
        ok = bool(e.id and _ID_RE.match(e.id) and e.id not in seen)
        kept.append(e.id if ok else None)
        if ok:
            seen.add(e.id)  # type: ignore[arg-type]
    ids = []
    for e, k in zip(entries, kept):
        if k:
            ids.append(k)
            continue
        base = slug(reveal(e.text) if e.type == "cloze" else e.question) or "item"
        candidate, n = base, 1
        while candidate in seen:
            n += 1
            candidate = f"{base}-{n}"
        seen.add(candidate)
        ids.append(candidate)
    return ids


def import_file(
    source: str | Path,
    out: str | Path,
    *,
    delimiter: str | None = None,
    deck_id: str | None = None,
    name: str | None = None,
    force: bool = False,
) -> ImportResult:
    source, out = Path(source), Path(out)
    if not source.is_file():
        raise QuizError(f"{source}: no such file")
    if out.exists() and not force:
        raise QuizError(f"{out} already exists (use --force to replace it)")
    if not out.parent.is_dir():
        raise QuizError(f"{out.parent}: no such directory for the output file")
    if deck_id is not None and not _ID_RE.match(deck_id):
        raise UsageError(f"deck id {deck_id!r} may hold only letters, digits, '.', '_' and '-'")
    if _is_zip(source):
        if delimiter:
            raise UsageError("--delimiter applies to CSV/TSV files, not to Anki packages")
        from quiz.anki.import_apkg import read_apkg

        imported = read_apkg(source)
    else:
        from quiz.anki.import_csv import read_csv

        imported = read_csv(source, delimiter)

    skipped = list(imported.skipped)
    entries: list[Entry] = []
    rejected: dict[str, int] = {}
    for e in imported.entries:
        e.drop_controls()
        why = e.problem()
        if why:
            rejected[why] = rejected.get(why, 0) + 1
        else:
            entries.append(e)
    skipped += [f"{notes(n)} with {why}" for why, n in rejected.items()]
    if not entries:
        raise QuizError(f"{source}: nothing to import" + (f" ({'; '.join(skipped)})" if skipped else ""))

    deck_name = strip_controls(name or imported.name or source.stem)
    default_id = slug(deck_name) or "imported"
    if deck_id not in (None, default_id):
        # A deck of its own (a fork): the notes it exports must not take over the original's
        # notes in Anki, so its GUIDs derive from the new deck id like any deck's.
        for e in entries:
            e.guid = None
    deck: dict[str, object] = {"id": deck_id or default_id, "name": deck_name}
    if imported.description:
        deck["description"] = strip_controls(imported.description)
    doc = {"deck": deck, "items": [e.as_yaml(i) for e, i in zip(entries, _ids(entries))]}
    text = yaml.dump(doc, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=100)
    _write_checked(out, text)
    return ImportResult(out, len(entries), skipped)


class _Dumper(yaml.SafeDumper):
    """safe_dump, with list entries indented under their key like the decks in decks/."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)


def _is_zip(path: Path) -> bool:
    try:
        with path.open("rb") as f:
            return f.read(4) == b"PK\x03\x04" or path.suffix.lower() in (".apkg", ".colpkg", ".zip")
    except OSError as e:
        raise QuizError(f"{path}: cannot read: {e.strerror or e}") from None


def _write_checked(out: Path, text: str) -> None:
    """Write via a temp file that must load as a deck before it replaces ``out``."""
    from quiz.decks.loader import load_deck
    from quiz.outfile import temp_beside

    tmp: str | None = None
    try:
        fd, tmp = temp_beside(out, ".yaml")
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
        try:
            load_deck(tmp)
        except InvalidFile as e:  # a bug of ours, not the user's: say so plainly
            raise QuizError(f"the imported deck did not pass validation, nothing written: {e.problems[0]}") from None
        os.replace(tmp, out)
    except BaseException as e:
        if tmp is not None:
            Path(tmp).unlink(missing_ok=True)
        if isinstance(e, OSError):
            raise QuizError(f"{out}: cannot write: {e.strerror or e}") from None
        raise
