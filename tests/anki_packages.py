"""Real Anki packages for the import tests, made with Anki's own backend (the ``anki`` package).

One small collection: nested decks, stock note types (Basic, both reversed kinds, typing,
Cloze with Back Extra), images (front, back, image-only), a sound and LaTeX, an Image
Occlusion note and a custom three-card note type (both unsupported), and reviews answered
through Anki's scheduler so the package carries a review log.
"""

from __future__ import annotations

import struct
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any


def png(rgb: tuple[int, int, int] = (255, 0, 0)) -> bytes:
    """A valid 1x1 PNG."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    ihdr = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\x00" + bytes(rgb))) + chunk(b"IEND", b"")


@dataclass(frozen=True)
class Built:
    path: Path
    guids: dict[str, str]  # our label -> note GUID
    reviews: dict[str, int]  # our label -> reviews answered on its first card


def build_package(folder: Path, *, legacy: bool, with_scheduling: bool = True) -> Built:
    from anki.collection import Collection

    folder.mkdir(parents=True, exist_ok=True)
    col = Collection(str(folder / "source.anki2"))
    try:
        col.media.write_data("pill.png", png((255, 0, 0)))
        col.media.write_data("kidney.png", png((0, 255, 0)))
        col.media.write_data("beat.mp3", b"ID3not-really-audio")
        top = col.decks.id("Pharm")
        renal = col.decks.id("Pharm::Renal")
        deep = col.decks.id("Pharm::Renal::Tubule")
        col.decks.save({**col.decks.get(renal), "desc": "Kidney <b>drugs</b>"})
        guids: dict[str, str] = {}
        note_ids: dict[str, int] = {}

        def add(label: str, model: str, did: int, *values: str) -> int:
            note = col.new_note(col.models.by_name(model))
            for i, v in enumerate(values):
                note.fields[i] = v
            col.add_note(note, did)
            guids[label] = note.guid
            note_ids[label] = note.id
            return note.id

        add("pill", "Basic", top, 'Which drug is this? <img src="pill.png">', "aspirin")
        add("image-only", "Basic", top, '<img src="kidney.png">', "a kidney")
        add("sound", "Basic", top, "What sound? [sound:beat.mp3]", "a beat")
        add("latex", "Basic", top, "Area of a circle", "[$]\\pi r^2[/$]")
        add("cloze", "Cloze", renal, "Loop diuretics act on the {{c1::loop of Henle}}.",
            'Back extra text <img src="kidney.png">')
        add("both-ways", "Basic (and reversed card)", renal, "furosemide", "loop diuretic")
        add("optional-yes", "Basic (optional reversed card)", deep, "ENaC", "amiloride target", "y")
        add("optional-no", "Basic (optional reversed card)", deep, "SGLT2", "glucose transporter", "")
        add("typed", "Basic (type in the answer)", deep, "Capital of France?", "Paris")

        col.add_image_occlusion_notetype()
        io = col.models.by_name("Image Occlusion")
        image = folder / "occluded.png"
        image.write_bytes(png((0, 0, 255)))
        col.add_image_occlusion_note(
            io["id"], str(image), "{{c1::image-occlusion:rect:left=.1:top=.1:width=.3:height=.3:oi=1}}", "hdr", "", []
        )
        solo = col.models.new("Three sides")
        for name in ("A", "B", "C"):
            col.models.add_field(solo, col.models.new_field(name))
        for i, name in enumerate(("A", "B", "C")):
            t = col.models.new_template(f"Card {i + 1}")
            t["qfmt"], t["afmt"] = f"{{{{{name}}}}}", "{{FrontSide}}<hr>{{A}}{{B}}{{C}}"
            col.models.add_template(solo, t)
        col.models.add(solo)
        add("three", "Three sides", top, "one", "two", "three")

        reviews = {"pill": [3, 4], "cloze": [1, 3, 3], "optional-yes": [4]}
        for label, eases in reviews.items():
            cid = min(col.card_ids_of_note(note_ids[label]))
            for ease in eases:
                card = col.get_card(cid)
                card.start_timer()
                col.sched.answerCard(card, ease)  # type: ignore[arg-type]
        out = _export(col, folder / ("legacy.apkg" if legacy else "latest.apkg"), legacy=legacy,
                      with_scheduling=with_scheduling)
    finally:
        col.close()
    return Built(out, guids, {k: len(v) for k, v in reviews.items()})


def _export(col: Any, out: Path, *, legacy: bool, with_scheduling: bool) -> Path:
    """The collection as a package, with its media, in either format, as Anki's File > Export does."""
    from anki.collection import ExportAnkiPackageOptions

    col.export_anki_package(
        out_path=str(out),
        options=ExportAnkiPackageOptions(
            with_scheduling=with_scheduling, with_deck_configs=False, with_media=True, legacy=legacy
        ),
        limit=None,
    )
    return out


def build_big_package(folder: Path, *, legacy: bool, notes_per_deck: int = 1400) -> Path:
    """Pharm, Pharm::Renal and Pharm::Renal::Tubule with ``notes_per_deck`` Basic notes each:
    past quiz.anki.importer.SPLIT_FROM_NOTES, so the import is split with its twin process."""
    from anki.collection import AddNoteRequest, Collection

    folder.mkdir(parents=True, exist_ok=True)
    col = Collection(str(folder / "big.anki2"))
    try:
        basic = col.models.by_name("Basic")
        requests = []
        for name in ("Pharm", "Pharm::Renal", "Pharm::Renal::Tubule"):
            did = col.decks.id(name)
            for i in range(notes_per_deck):
                note = col.new_note(basic)
                note.fields[0], note.fields[1] = f"{name} made-up question {i}", f"made-up answer {i}"
                requests.append(AddNoteRequest(note, did))
        col.add_notes(requests)  # in one go: note by note takes seconds
        out = _export(col, folder / ("big-legacy.apkg" if legacy else "big-latest.apkg"), legacy=legacy,
                      with_scheduling=False)
    finally:
        col.close()
    return out


def build_media_package(folder: Path) -> Built:
    """A small package (latest format) whose media tests the round trip: a back that is only
    an image, a sound, and an image the package lacks (named by a note, never written)."""
    from anki.collection import Collection

    folder.mkdir(parents=True, exist_ok=True)
    col = Collection(str(folder / "media.anki2"))
    try:
        col.media.write_data("kidney.png", png((0, 255, 0)))
        col.media.write_data("beat.mp3", b"ID3not-really-audio")
        did = col.decks.id("Organs")
        guids: dict[str, str] = {}
        for label, front, back in (
            ("back-image", "Show the kidney", '<img src="kidney.png">'),
            ("sound", "What sound? [sound:beat.mp3]", "a beat"),
            ("gone", 'Which organ is this one? <img src="gone.png">', "liver"),
        ):
            note = col.new_note(col.models.by_name("Basic"))
            note.fields[0], note.fields[1] = front, back
            col.add_note(note, did)
            guids[label] = note.guid
        out = _export(col, folder / "media.apkg", legacy=False, with_scheduling=False)
    finally:
        col.close()
    return Built(out, guids, {})


STATE_LABELS = ("studied", "suspended", "suspended-new", "buried", "due-today", "plain")


@dataclass(frozen=True)
class StateBuilt:
    path: Path  # the package, exported with scheduling
    collection: Path  # the Anki collection it came from, to change and export again
    guids: dict[str, str]  # label -> note GUID
    cards: dict[str, int]  # label -> Anki card id
    legacy: bool  # the package's format (exports again keep it)


def build_state_package(folder: Path, *, legacy: bool) -> StateBuilt:
    """One Basic note per label in STATE_LABELS: "studied" answered Good three times; the others
    as named, through Anki's own scheduler ("due-today": answered as "studied", then Set Due
    Date "0", a manual revlog entry; "suspended-new": never studied)."""
    from anki.collection import Collection

    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "state.anki2"
    col = Collection(str(path))
    try:
        guids, cards = {}, {}
        for label in STATE_LABELS:
            note = col.new_note(col.models.by_name("Basic"))
            note.fields[0], note.fields[1] = f"Made-up question {label}?", f"made-up answer {label}"
            col.add_note(note, col.decks.id("States"))
            guids[label], cards[label] = note.guid, col.card_ids_of_note(note.id)[0]
        for label in ("studied", "suspended", "buried", "due-today"):
            for _ in range(3):
                card = col.get_card(cards[label])
                card.start_timer()
                col.sched.answerCard(card, 3)  # type: ignore[arg-type]
        col.sched.suspend_cards([cards["suspended"], cards["suspended-new"]])
        col.sched.bury_cards([cards["buried"]])
        col.sched.set_due_date([cards["due-today"]], "0")
        out = _export(col, folder / "state-1.apkg", legacy=legacy, with_scheduling=True)
    finally:
        col.close()
    return StateBuilt(out, path, guids, cards, legacy)


def own_copy(built: StateBuilt, folder: Path) -> StateBuilt:
    """The same, with a copy of its collection to change (tests share the package, not changes)."""
    import shutil
    from dataclasses import replace

    folder.mkdir(parents=True, exist_ok=True)
    return replace(built, collection=Path(shutil.copy(built.collection, folder / built.collection.name)))


def export_changed(built: StateBuilt, out: Path, change: Any, *, with_scheduling: bool = True) -> Path:
    """``change(col, built.cards)`` done in the source collection, then exported again to ``out``."""
    from anki.collection import Collection

    col = Collection(str(built.collection))
    try:
        change(col, built.cards)
        return _export(col, out, legacy=built.legacy, with_scheduling=with_scheduling)
    finally:
        col.close()
