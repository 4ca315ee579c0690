"""Decks -> one Anki package (.apkg) with stable ids, so a re-export updates notes in place.

Identity: the Anki deck id is a hash of the deck id, a note's GUID is ``guid_for(deck id, item
id)`` (or the GUID an imported item kept), and note types have fixed ids (quiz.anki.note_types).

Modification times: Anki's importer updates a note only when the incoming one is *newer*, and it
then counts it as updated even when nothing changed. So we keep, per GUID, a digest of what we
last exported and its time (``anki-export.json`` in the quiz home): an unchanged note keeps its
old time (Anki leaves it alone, and edits made in Anki survive), a changed note gets the current
time, or one second past its last one if the clock has not moved on (two exports in a second).
A note with no record (a first export, or the record lost on a new machine) gets the fixed
``UNRECORDED_TIME``, older than any note Anki holds: Anki adds it if new, never overwrites its
own copy with it (the summary says so).

Type changes: Anki keys notes on the GUID and refuses (silently) a note whose note type differs
from its copy's; "Merge note types" would instead convert and blank it. The record keeps each
GUID's note type, and an item exported under another type than the one its GUID carries gets a
GUID of its own (``guid_for(GUID, type)``); the summary lists those items.

Notes made in Anki: an item imported from an Anki note of Anki's own note type (Basic, Cloze...)
keeps that note's GUID, but goes out under our note type. Anki's importer (rslib, apkg
import/notes.rs, ``maybe_update_existing_note``) skips a note whose GUID it holds under another
note type as "conflicting", whatever "Update notes" says; only with "Merge note types" does it
convert its notes to the incoming type first, and with "Update notes: Always" then update them
(cards, decks and review history kept; a note type left unused is deleted). Its note type id
and fields are not in the deck file, so the export cannot send the note under its own type; the
summary says this for such items (a GUID neither ``guid_for(deck id, item id)`` nor recorded).

The package is written the way genanki writes one (its schema, its deck and note type JSON), but
the rows go in with ``executemany`` from precomputed tuples: genanki's per-note ``execute`` and
HTML re-validation of fields we escaped ourselves cost more than everything else together.
"""

from __future__ import annotations

import functools
import gc
import hashlib
import io
import json
import sqlite3
import time
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import genanki
from genanki.apkg_col import APKG_COL
from genanki.apkg_schema import APKG_SCHEMA

from quiz.errors import QuizError, display_path
from quiz.decks.model import Deck, Item
from quiz.anki.guids import guid_for
from quiz.anki.media import IMAGE_ONLY, ExportMedia, img_tags, named, sounds_in_field
from quiz.anki.note_types import NOTE_TYPES, PARENT_DECK, TEMPLATES_TIME, NoteType, extra_html, text_to_html
from quiz.outfile import refuse_special, write_atomic
from quiz.paths import home_dir

STATE_FILE = "anki-export.json"
UNRECORDED_TIME = 1767225600  # 2026-01-01 UTC: before any note quiz or Anki has stamped
Progress = Callable[[int, int], None]  # (items done, items in all)


def _notes(n: int) -> str:
    return f"{n} note{'s' * (n != 1)}"


@dataclass(frozen=True)
class ExportResult:
    path: Path
    notes: int
    cards: int
    decks: int
    retyped: tuple[str, ...] = ()  # "deck/item" ids exported under a new GUID for a new type
    unrecorded: int = 0  # notes with no record of an earlier export from here
    images: int = 0
    missing_images: tuple[tuple[str, str], ...] = ()  # (file, "deck/item") named by items, not found
    sounds: int = 0  # sound files sent (found in their deck's media folder)
    unsent_sounds: tuple[tuple[str, str], ...] = ()  # (name, "deck/item"): sent as text, no file
    from_anki: tuple[str, ...] = ()  # "deck/item" ids whose GUID is an Anki-made note's (module docstring)

    def summary(self) -> str:
        decks = f"{self.decks} deck{'s' * (self.decks != 1)}"
        images = f", {self.images} image{'s' * (self.images != 1)}" if self.images else ""
        sounds = f", {self.sounds} sound{'s' * (self.sounds != 1)}" if self.sounds else ""
        lines = [f"wrote {_notes(self.notes)} in {decks} to {self.path} ({self.cards} cards{images}{sounds})"]
        if self.missing_images:
            n = len(self.missing_images)
            lines.append(
                f"{n} image file{'s' * (n != 1)} named by items not found, left out: {named(dict(self.missing_images))}"
            )
        if self.unsent_sounds:
            n = len(self.unsent_sounds)
            lines.append(
                f"{n} sound{'s' * (n != 1)} sent as text, with no file (not in the deck's media folder):"
                f" {named(dict(self.unsent_sounds))}; Anki shows [sound:...] as written"
            )
        if self.retyped:
            shown = ", ".join(self.retyped[:10]) + (", ..." if len(self.retyped) > 10 else "")
            lines.append(
                f"{_notes(len(self.retyped))} changed type ({shown}): Anki adds them as new notes;"
                " delete the old ones there if you no longer want them"
            )
        if self.from_anki:
            lines.append(
                f"{_notes(len(self.from_anki))} came from notes made in Anki ({named(dict.fromkeys(self.from_anki, ''))}): if Anki still has them"
                " under its own note types (Basic, Cloze...), its import skips them as conflicting unless"
                " Merge note types is ticked and Update notes is Always, which updates them in place but"
                " converts them to quiz's note types (cards and history kept; see README, Anki)"
            )
        unrecorded = max(self.unrecorded - len(self.from_anki), 0)  # those are unrecorded too: told above
        if unrecorded:
            lines.append(
                f"no export record here for {_notes(unrecorded)} (first export, or {STATE_FILE} lost):"
                " Anki adds them if new but keeps its own copy of any it has; to replace those, import"
                " once with Update notes: Always"
            )
        return "\n".join(lines)


def anki_deck_id(deck_id: str) -> int:
    """A stable Anki deck id in genanki's recommended range [2**30, 2**31)."""
    digest = hashlib.sha256(f"quiz-deck:{deck_id}".encode()).digest()
    return (1 << 30) + int.from_bytes(digest[:8], "big") % (1 << 30)


def anki_deck_name(deck: Deck) -> str:
    return f"{PARENT_DECK}::{deck.name}"


def note_guid(deck: Deck, item: Item) -> str:
    return item.guid or guid_for(deck.id, item.id)


@functools.cache  # items share a few tags: sanitise each once
def _tag(text: str) -> str:
    return "_".join(text.split())  # Anki tags are space-separated: no whitespace inside one


def note_tags(item: Item) -> list[str]:
    """The item's tags plus ``fact::<fact id>`` (a hierarchical tag quiz import reads back)."""
    tags = [_tag(t) for t in item.tags]
    if item.fact:
        tags.append(f"fact::{_tag(item.fact)}")
    return [t for t in dict.fromkeys(tags) if t]


class NoteTimes:
    """Per note GUID: last exported digest, modification time and note type (module docstring)."""

    def __init__(self, path: Path | None, now: int) -> None:
        self.path = path
        self.now = now
        self.seen: dict[str, list[Any]] = {}
        self.unrecorded = 0
        if path is not None and path.exists():
            try:
                data = json.loads(path.read_text(encoding="utf-8"))
                self.seen = {str(g): list(v) for g, v in dict(data["notes"]).items()}
            except (OSError, ValueError, KeyError, TypeError):
                self.seen = {}  # a damaged record: notes are stamped as unrecorded, never newer

    def model_of(self, guid: str) -> int | None:
        """The note type the GUID was last exported with (None: unknown)."""
        last = self.seen.get(guid)
        return int(last[2]) or None if last is not None and len(last) > 2 else None  # 0: not recorded

    def known(self, guid: str) -> bool:
        return guid in self.seen

    def stamp(self, guid: str, content: str, model_id: int = 0) -> int:  # model_id 0: unknown
        """The modification time for the note ``guid`` whose exported content is ``content``."""
        digest = hashlib.blake2b(content.encode(), digest_size=8).hexdigest()
        last = self.seen.get(guid)
        if last is None:
            self.unrecorded += 1
            mod = UNRECORDED_TIME
        elif last[0] == digest:
            mod = int(last[1])
        else:
            mod = max(self.now, int(last[1]) + 1)
        self.seen[guid] = [digest, mod, model_id]
        return mod

    def save(self) -> None:
        if self.path is None:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(self.path, json.dumps({"version": 1, "notes": self.seen}, separators=(",", ":")).encode())


def select_items(deck: Deck, tags: Sequence[str] | None) -> tuple[Item, ...]:
    """All items, or those carrying any of ``tags``."""
    if not tags:
        return deck.items
    wanted = set(tags)
    return tuple(it for it in deck.items if wanted.intersection(it.tags))


def export_decks(
    decks: Sequence[Deck],
    out: str | Path,
    *,
    tags: Sequence[str] | None = None,
    now: float | None = None,
    state: Path | None | bool = True,
    progress: Progress | None = None,
) -> ExportResult:
    """Write ``decks`` to the package ``out``; all or nothing (a temp file renamed at the end).

    ``state``: True keeps note times in the quiz home, a path keeps them there, None/False not at
    all (every note then gets ``UNRECORDED_TIME``).
    """
    out = Path(out)
    refuse_special(out)
    now = time.time() if now is None else now
    state_path = home_dir() / STATE_FILE if state is True else (state or None)
    times = NoteTimes(state_path, int(now))
    chosen = [(d, select_items(d, tags)) for d in decks]
    chosen = [(d, items) for d, items in chosen if items]
    if not chosen:
        what = f"with the tags {', '.join(tags)}" if tags else "to export"
        raise QuizError(f"no items {what} in {', '.join(d.id for d in decks) or 'no decks'}")
    if not out.parent.is_dir():
        raise QuizError(f"{out.parent}: no such directory for the output file")

    media = ExportMedia()
    retyped: list[str] = []
    from_anki: list[str] = []
    gc_was_on = gc.isenabled()
    gc.disable()  # ~10 tuples per item and nothing to collect: GC passes made 100k superlinear
    try:
        notes, cards = _rows(chosen, times, int(now * 1000), progress, (retyped, from_anki), media)
    finally:
        if gc_was_on:
            gc.enable()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as z:
        z.writestr("collection.anki2", _collection(chosen, notes, cards))
        for i, path in enumerate(media.files.values()):
            try:
                z.write(path, str(i), zipfile.ZIP_STORED)  # images are compressed already
            except OSError as e:
                raise QuizError(f"{path}: cannot read: {e.strerror or e}") from None
        z.writestr("media", json.dumps({str(i): name for i, name in enumerate(media.files)}))
    try:
        write_atomic(out, buffer.getbuffer())
    except OSError as e:
        raise QuizError(f"{out}: cannot write: {e.strerror or e}") from None
    try:
        times.save()
    except OSError as e:
        raise QuizError(
            f"wrote {out}, but cannot record note times in {display_path(times.path or '')}: "
            f"{e.strerror or e} (the next export cannot tell which notes changed: Anki keeps its copies)"
        ) from None
    unrecorded = times.unrecorded if state_path is not None else 0
    images, sounds = media.counts()
    return ExportResult(
        out, len(notes), len(cards), len(chosen), tuple(retyped), unrecorded, images,
        tuple(media.missing.items()), sounds, tuple(media.unsent_sounds.items()), tuple(from_anki),
    )


def _rows(
    chosen: Sequence[tuple[Deck, tuple[Item, ...]]],
    times: NoteTimes,
    first_id: int,
    progress: Progress | None,
    found: tuple[list[str], list[str]],
    media: ExportMedia,
) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    """The notes and cards table rows, in genanki's column order; ``found`` gets the items
    whose type change gave them a new GUID, and those whose GUID is an Anki-made note's."""
    retyped, from_anki = found
    total = sum(len(items) for _, items in chosen)
    notes: list[tuple[Any, ...]] = []
    cards: list[tuple[Any, ...]] = []
    next_id = first_id
    step = max(total // 100, 1)
    for deck, items in chosen:
        did = anki_deck_id(deck.id)
        for item in items:
            nt = NOTE_TYPES[item.type]
            fields = nt.note_fields(item)
            if item.has_images:
                _add_images(nt, fields, item, deck, media)
            if item.extra:
                fields[nt.answer_field] += extra_html(item.extra)
            flds = "\x1f".join(fields)
            if "[sound:" in flds:  # only names of files the package sends (quiz.anki.media)
                flds = sounds_in_field(flds, deck.path, media, f"{deck.id}/{item.id}")
                fields = flds.split("\x1f")
            tags = note_tags(item)
            tag_str = f" {' '.join(tags)} " if tags else ""
            guid = note_guid(deck, item)
            if item.guid is not None and times.model_of(guid) is None and guid != guid_for(deck.id, item.id):
                from_anki.append(f"{deck.id}/{item.id}")
            if times.model_of(guid) not in (None, nt.model_id):  # the GUID is another type's
                guid = guid_for(guid, item.type)
                if not times.known(guid):
                    retyped.append(f"{deck.id}/{item.id}")
            mod = times.stamp(guid, f"{nt.model_id}\x1e{tag_str}\x1e{flds}", nt.model_id)
            nid = next_id
            next_id += 1
            notes.append((nid, guid, nt.model_id, mod, -1, tag_str, flds, fields[0], 0, 0, ""))
            due = len(notes)  # new-card order follows the deck file
            for ord_ in nt.card_ords(item):
                cards.append((next_id, nid, did, ord_, mod, -1, 0, 0, due, 0, 0, 0, 0, 0, 0, 0, 0, ""))
                next_id += 1
            if progress is not None and len(notes) % step == 0:
                progress(len(notes), total)
    return notes, cards


def _add_images(nt: NoteType, fields: list[str], item: Item, deck: Deck, media: ExportMedia) -> None:
    """Put the item's images back into the note: the question side's into the first field,
    the answer side's into the field the back shows (see NoteType.answer_field). A side whose
    text is only the import's ``[image]`` placeholder goes to Anki as its images alone."""
    who = f"{deck.id}/{item.id}"
    for refs, index, text, text_index in (
        (item.images, 0, item.question, 0),
        (item.answer_images, nt.answer_field, item.answer, 1),  # question/answer types: answer is field 1
    ):
        names = [n for n in (media.name_for(deck.path, r, who) for r in refs) if n]
        if not names:
            continue
        if text == IMAGE_ONLY and nt.fields[text_index] in ("Front", "Back", "Question", "Answer"):
            fields[text_index] = fields[text_index].removeprefix(IMAGE_ONLY)  # text_to_html keeps it as it is
        fields[index] += img_tags(names)


def _collection(chosen: Sequence[tuple[Deck, tuple[Item, ...]]], notes: list[tuple[Any, ...]], cards: list[tuple[Any, ...]]) -> bytes:
    """An Anki collection (schema 11, as genanki writes it) as bytes, built in memory."""
    conn = sqlite3.connect(":memory:")
    try:
        # Indexes built after the bulk insert, not updated row by row.
        tables, indexes = APKG_SCHEMA.split("CREATE INDEX", 1)
        conn.executescript(tables)
        conn.executescript(APKG_COL)
        (decks_json,) = conn.execute("SELECT decks FROM col").fetchone()
        anki_decks = json.loads(decks_json)
        first_did = anki_deck_id(chosen[0][0].id)
        for deck, _ in chosen:
            gd = genanki.Deck(anki_deck_id(deck.id), anki_deck_name(deck), text_to_html(deck.description))
            anki_decks[str(gd.deck_id)] = gd.to_json()
        used = {NOTE_TYPES[it.type] for _, items in chosen for it in items}
        models = {str(nt.model_id): nt.model.to_json(TEMPLATES_TIME, first_did) for nt in used}
        conn.execute("UPDATE col SET decks = ?, models = ?", (json.dumps(anki_decks), json.dumps(models)))
        conn.executemany("INSERT INTO notes VALUES (?,?,?,?,?,?,?,?,?,?,?)", notes)
        conn.executemany("INSERT INTO cards VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", cards)
        conn.executescript("CREATE INDEX" + indexes)
        conn.commit()
        return conn.serialize()
    finally:
        conn.close()
