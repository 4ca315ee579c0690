"""Read an Anki package (.apkg) with the standard library: a zip holding an SQLite collection.

Note types are recognised by shape, not by name: ours (by model id), cloze types, one-template
types (Basic, "type in the answer"), and two-template types that ask one field from the other
(Basic and reversed; the optional-reverse type becomes reversed only where both cards exist).
Anything else is reported and skipped.
"""

from __future__ import annotations

import json
import re
import sqlite3
import zipfile
from collections import Counter
from pathlib import Path
from typing import Any

from quiz.errors import QuizError
from quiz.anki.entries import Entry, Imported, notes
from quiz.anki.html_text import html_to_text, list_entries, list_items
from quiz.anki.note_types import BY_MODEL_ID, CHOICES_OL, ID_FIELD

LEGACY_HINT = (
    'in Anki, export it again with "Support older Anki versions" checked '
    "(quiz reads only the legacy collection format)"
)
_REF_RE = re.compile(r"\{\{([^#/^!{}][^{}]*)\}\}")
_SPECIAL = {"FrontSide", "Tags", "Deck", "Subdeck", "Card", "Type", "CardFlag", "CardID"}


def _refs(template: str) -> list[str]:
    """Field names a template shows, in order, without filters (``type:``, ``text:`` ...)."""
    out = []
    for m in _REF_RE.finditer(template):
        name = m[1].split(":")[-1].strip()
        if name and name not in _SPECIAL and name not in out:
            out.append(name)
    return out


def _collection(path: Path) -> sqlite3.Connection:
    shown = str(path)  # as the user gave it
    try:
        with zipfile.ZipFile(path) as z:
            names = set(z.namelist())
            if "collection.anki21" in names:
                member = "collection.anki21"
            elif "collection.anki21b" in names:
                raise QuizError(f"{shown}: this package uses Anki's newer compressed format; {LEGACY_HINT}")
            elif "collection.anki2" in names:
                member = "collection.anki2"
            else:
                raise QuizError(f"{shown}: not an Anki package (no collection inside the zip)")
            data = z.read(member)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError) as e:
        raise QuizError(f"{shown}: not an Anki package (not a readable zip file: {e})") from None
    except OSError as e:
        raise QuizError(f"{shown}: cannot read: {e.strerror or e}") from None
    conn = sqlite3.connect(":memory:")
    try:
        conn.deserialize(data)
        conn.execute("SELECT count(*) FROM notes").fetchone()
    except sqlite3.DatabaseError as e:
        conn.close()
        raise QuizError(f"{shown}: the collection inside is not a readable Anki database ({e})") from None
    return conn


def read_apkg(path: Path) -> Imported:
    shown = str(path)  # as the user gave it
    conn = _collection(path)
    try:
        models_json, decks_json = conn.execute("SELECT models, decks FROM col").fetchone()
        models = {int(k): v for k, v in json.loads(models_json).items()}
        decks = {int(k): v for k, v in json.loads(decks_json).items()}
        rows = conn.execute("SELECT id, guid, mid, tags, flds FROM notes ORDER BY id").fetchall()
        card_rows = conn.execute("SELECT nid, did, ord FROM cards").fetchall()
    except (sqlite3.DatabaseError, ValueError, TypeError, AttributeError) as e:
        raise QuizError(f"{shown}: not an Anki collection ({e})") from None
    finally:
        conn.close()
    ords: dict[int, set[int]] = {}
    deck_use: Counter[int] = Counter()
    for nid, did, ord_ in card_rows:
        ords.setdefault(nid, set()).add(ord_)
        deck_use[did] += 1
    if (len(rows), len(card_rows)) == (1, 1) and "update to the latest Anki" in rows[0][4]:
        raise QuizError(f"{shown}: this package was made for newer Anki versions only; {LEGACY_HINT}")

    entries: list[Entry] = []
    skipped: Counter[str] = Counter()
    for nid, guid, mid, tags, flds in rows:
        model = models.get(mid)
        if model is None:
            skipped["of a note type missing from the package"] += 1
            continue
        names = [f["name"] for f in sorted(model["flds"], key=lambda f: f["ord"])]
        fields = dict(zip(names, flds.split("\x1f")))
        entry, why = _entry(model, names, fields, ords.get(nid, set()))
        if entry is None:
            skipped[f"of note type {model.get('name', mid)!r} ({why})"] += 1
            continue
        entry.guid = guid
        for tag in tags.split():
            if tag.startswith("fact::") and entry.fact is None:
                entry.fact = tag[len("fact::") :]
            else:
                entry.tags.append(tag)
        entries.append(entry)

    name = description = ""
    if deck_use:
        deck = decks.get(deck_use.most_common(1)[0][0], {})
        name = str(deck.get("name", "")).split("::")[-1].strip()
        description = html_to_text(str(deck.get("desc", "")))
    return Imported(name, description, entries, [f"{notes(n)} {why}" for why, n in skipped.items()])


def _entry(model: dict[str, Any], names: list[str], fields: dict[str, str], ords: set[int]) -> tuple[Entry | None, str]:
    """The item a note becomes, or None and why not."""
    ours = BY_MODEL_ID.get(int(model["id"]))
    if ours is not None and set(ours.fields) <= set(names):
        entry = _ours(ours.item_type, fields)
        entry.id = html_to_text(fields.get(ID_FIELD, "")) or None  # packages before the Id field have none
        return entry, ""
    tmpls = sorted(model.get("tmpls", []), key=lambda t: t["ord"])
    if model.get("type") == 1:
        cloze = [n for t in tmpls for n in _refs(t["qfmt"]) if f"cloze:{n}" in t["qfmt"].replace(" ", "")]
        return (Entry("cloze", text=html_to_text(fields.get(cloze[0], ""))), "") if cloze else (None, "no cloze field")
    if len(tmpls) == 1:
        q_refs = _refs(tmpls[0]["qfmt"])
        typed = re.search(r"\{\{type:([^}]+)\}\}", tmpls[0]["qfmt"])
        if typed and q_refs[0] != typed[1].strip() and len(q_refs) >= 2:
            return Entry("typed", question=_text(fields, q_refs[0]), answer=_text(fields, typed[1].strip())), ""
        back = [n for n in _refs(tmpls[0]["afmt"]) if q_refs and n != q_refs[0]]
        if q_refs and back:
            return Entry("basic", question=_text(fields, q_refs[0]), answer=_text(fields, back[0])), ""
        return None, "no question and answer fields"
    if len(tmpls) == 2:
        first, second = (_refs(t["qfmt"]) for t in tmpls)
        a = first[0] if first else None
        b = next((n for n in reversed(second) if n != a), None)  # the last one skips section guards
        if a and b:
            kind = "reverse" if {0, 1} <= ords else "basic"
            return Entry(kind, question=_text(fields, a), answer=_text(fields, b)), ""
        return None, "its two cards do not ask one field from another"
    return None, f"{len(tmpls)} card types"


def _text(fields: dict[str, str], name: str) -> str:
    return html_to_text(fields.get(name, ""))


def _items(html: str) -> list[str]:
    return [text for text, _ in list_items(html)]


def _ours(item_type: str, f: dict[str, str]) -> Entry:
    """Undo quiz.anki.note_types: the same field names, HTML lists back into lists."""
    source = html_to_text(f["Source"]) or None
    if item_type == "cloze":
        return Entry("cloze", text=html_to_text(f["Text"]), source=source)
    if item_type == "list":
        entries = list_entries(f["Answers"])
        return Entry("list", question=html_to_text(f["Question"]), answers=[a for a, _ in entries],
                     answers_accept=[acc for _, acc in entries], source=source)
    if item_type == "choice":
        answer = html_to_text(f["Answer"])
        distractors = [c for c in _items(f["Choices"]) if c != answer]
        stem = f["Question"].split(CHOICES_OL, 1)[0]  # our Question field ends with the options
        return Entry("choice", question=html_to_text(stem), answer=answer, distractors=distractors, source=source)
    front, back = ("Question", "Answer") if item_type == "typed" else ("Front", "Back")
    accept = _items(f.get("Accept", ""))
    return Entry(item_type, question=html_to_text(f[front]), answer=html_to_text(f[back]), accept=accept, source=source)
