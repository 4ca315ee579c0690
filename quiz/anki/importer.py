"""Import an Anki package or a Quizlet/Anki CSV/TSV export into a deck file.

The readers (quiz.anki.import_apkg, quiz.anki.import_csv) turn the input into ``Entry`` objects; this
module gives them ids, writes the deck YAML, checks it with the deck loader, and only then moves
it into place, so a failure leaves no partial file.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import yaml

from quiz.anki.entries import ID_RE, Entry, notes
from quiz.anki.import_apkg import read_apkg
from quiz.anki.import_csv import read_csv
from quiz.decks.cloze import reveal
from quiz.decks.loader import load_deck
from quiz.errors import InvalidFile, QuizError, UsageError
from quiz.outfile import refuse_special, write_atomic
from quiz.safe_text import strip_controls

@dataclass(frozen=True)
class ImportResult:
    path: Path
    items: int
    skipped: list[str]

    def summary(self, source: Path) -> str:
        return f"imported {self.items} item{'s' * (self.items != 1)} from {source} to {self.path}"


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
    kept: list[str | None] = []
    seen: set[str] = set()
    for e in entries:  # an id on two notes (a merged package) stays with the first only
        ok = bool(e.id and ID_RE.match(e.id) and e.id not in seen)
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
    refuse_special(out)
    if not out.parent.is_dir():
        raise QuizError(f"{out.parent}: no such directory for the output file")
    if deck_id is not None and not ID_RE.match(deck_id):
        raise UsageError(f"deck id {deck_id!r} may hold only letters, digits, '.', '_' and '-'")
    if _is_zip(source):
        if delimiter:
            raise UsageError("--delimiter applies to CSV/TSV files, not to Anki packages")
        imported = read_apkg(source)
    else:
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

    def check(tmp: Path) -> None:
        try:
            load_deck(tmp)
        except InvalidFile as e:  # a bug of ours, not the user's: say so plainly
            raise QuizError(f"the imported deck did not pass validation, nothing written: {e.problems[0]}") from None

    try:
        write_atomic(out, text, check=check, suffix=".yaml")
    except OSError as e:
        raise QuizError(f"{out}: cannot write: {e.strerror or e}") from None
