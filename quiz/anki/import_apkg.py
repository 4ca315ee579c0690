"""An Anki package (either format) -> one ``Imported`` deck per Anki deck that holds notes.

Note types are recognised by shape, not by name: ours (by model id), cloze types, one-template
types (Basic, "type in the answer"), and two-template types that ask one field from the other
(Basic and reversed; the optional-reverse type becomes reversed only where both cards exist).
Cloze "Back Extra" (any field the answer side adds) becomes the item's ``extra``. Image
Occlusion and anything else are reported by count and skipped, never made into junk items.
A note belongs to the deck of its first card; decks keep their full "Parent::Child" names.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from quiz.anki.collection_reader import STOCK_IMAGE_OCCLUSION, Card, Collection, Note, NoteType, read_collection, read_notes
from quiz.anki.html_text import html_to_text, list_entries, list_items
from quiz.anki.entries import Entry, Imported, notes
from quiz.anki.media import IMAGE_ONLY, is_image, may_hold_media, scan
from quiz.anki.note_types import BY_MODEL_ID, PARENT_DECK, CHOICES_OL, ID_FIELD, NOTE_TYPES, split_extra
from quiz.anki.package_reader import Package, PackageError

_REF_RE = re.compile(r"\{\{([^#/^!{}][^{}]*)\}\}")
_SPECIAL = {"FrontSide", "Tags", "Deck", "Subdeck", "Card", "Type", "CardFlag", "CardID"}
_STUB_TEXT = "update to the latest Anki"  # the one note of the stub collection.anki2 in new packages
OUR_PARENT = f"{PARENT_DECK}::"  # our export's wrapper deck


@dataclass
class PackageContents:
    """What a package's notes became, and what was skipped or kept as references."""

    decks: list[Imported]
    skipped: list[str]
    cards: dict[int, list[Card]]  # Anki note id -> its cards (for the review history)
    sounds: int = 0
    latex: int = 0
    missing_images: dict[str, str] = field(default_factory=dict)  # name -> the first note naming it
    skipped_notes: Counter[str] = field(default_factory=Counter)  # why -> how many

    def skipped_lines(self) -> list[str]:
        return [f"{notes(n)} {why}" for why, n in sorted(self.skipped_notes.items())]  # the same, split or not

    def add(self, other: PackageContents) -> None:
        """Count in what another process read (its decks are kept apart)."""
        self.sounds += other.sounds
        self.latex += other.latex
        for name, where in other.missing_images.items():
            self.missing_images.setdefault(name, where)
        self.skipped_notes.update(other.skipped_notes)


def _refs(template: str) -> list[str]:
    """Field names a template shows, in order, without filters (``type:``, ``text:`` ...)."""
    out = []
    for m in _REF_RE.finditer(template):
        name = m[1].split(":")[-1].strip()
        if name and name not in _SPECIAL and name not in out:
            out.append(name)
    return out


@dataclass
class PackageNotes:
    """A package's notes grouped by the deck they go to, before any is read in full (the part
    of reading that is not split between the importer's two processes)."""

    col: Collection
    cards: dict[int, list[Card]]
    by_deck: dict[int, list[tuple[int, int]]]  # (note id, note type id), in deck-name order
    skipped: Counter[str]

    def deck_ids(self) -> list[int]:
        return list(self.by_deck)


def group_notes(pkg: Package) -> PackageNotes:
    col = read_collection(pkg)
    cards = col.cards_of()
    if (len(col.notes), len(col.cards)) == (1, 1):
        (only,) = read_notes(pkg, {col.notes[0][0]}).values()
        if _STUB_TEXT in only.fields[0]:
            raise PackageError(f"{pkg.shown}: this package holds only Anki's 'please update' stub collection")
    by_deck: dict[int, list[tuple[int, int]]] = {}
    skipped: Counter[str] = Counter()
    for note in col.notes:
        own = cards.get(note[0])
        if note[1] not in col.note_types:
            skipped["of a note type missing from the package"] += 1
        elif not own:
            skipped["with no cards"] += 1
        else:
            by_deck.setdefault(own[0].deck_id, []).append(note)  # cards come lowest ordinal first
    ordered = {did: by_deck[did] for did in sorted(by_deck, key=lambda did: _deck_name(col, did))}
    return PackageNotes(col, cards, ordered, skipped)


def read_decks(pkg: Package, notes: PackageNotes, deck_ids: list[int], out: PackageContents) -> list[tuple[int, Imported]]:
    """The decks ``deck_ids`` (Anki's) as ``Imported`` entries; what was skipped and what media
    the notes name are counted into ``out``."""
    col = notes.col
    found = read_notes(pkg, {nid for did in deck_ids for nid, _ in notes.by_deck[did]})
    plans: dict[int, _Plan] = {}
    decks = []
    for did in deck_ids:
        entries = []
        not_ours = False
        shown_name = _deck_name(col, did)  # names the note of a missing image in the report
        for i, (nid, _) in enumerate(notes.by_deck[did]):
            if i % 2000 == 0:
                pkg.deadline.check()
            note = found[nid]
            model = col.note_types[note.notetype_id]
            plan = plans.get(model.id) or plans.setdefault(model.id, _plan(model))
            fields = dict(zip(model.fields, note.fields))
            entry, why = _entry(model, plan, fields, note.raw, notes.cards[note.id])
            if entry is None:
                out.skipped_notes[f"of note type {model.name!r} ({why})"] += 1
                continue
            _media(entry, plan, fields, note.raw, pkg, out, shown_name)
            entry.guid, entry.note_id = note.guid, note.id
            _tags(entry, note)
            entries.append(entry)
            not_ours = not_ours or model.id not in BY_MODEL_ID
        if not entries:
            continue
        deck = col.decks.get(did)
        description = html_to_text(deck.description) if deck else ""
        name = _deck_name(col, did)
        if not not_ours and name.startswith(OUR_PARENT):  # our export's "Quiz::" wrapper
            name = name[len(OUR_PARENT) :]
        decks.append((did, Imported(name, description, entries, [])))
    return decks


def _deck_name(col: Collection, did: int) -> str:
    deck = col.decks.get(did)
    name = "::".join(part.strip() for part in deck.name.split("::")) if deck else ""
    return name or f"Deck {did}"


def _tags(entry: Entry, note: Note) -> None:
    if not note.tags:
        return
    tags = list(entry.tags)
    for tag in note.tags.split():
        if tag.startswith("fact::") and entry.fact is None:
            entry.fact = tag[len("fact::") :]
        else:
            tags.append(tag)
    entry.tags = tags


def _media(
    entry: Entry, plan: _Plan, fields: dict[str, str], raw: str, pkg: Package, out: PackageContents, deck: str
) -> None:
    """Images of the question and answer sides; count sounds and LaTeX (kept in the text).
    An image the package lacks is left out, named in the report with the note naming it first."""
    if not may_hold_media(raw):
        return  # one search for the whole note: the common case at 30,000 notes
    front = [n for n in fields if n in plan.front]
    images, answer_images = list(entry.images), list(entry.answer_images)
    for side, names in ((images, front), (answer_images, plan.back)):
        for name in names:
            html = fields.get(name, "")
            if not may_hold_media(html):
                continue  # nothing to find: the common case, kept cheap at 30,000 notes
            found = scan(html)
            out.sounds += found.sounds
            out.latex += found.latex
            for image in found.images:
                if image in pkg.media and is_image(image):
                    side.append(image)
                elif image not in out.missing_images:
                    out.missing_images[image] = _where(deck, entry)
    entry.images, entry.answer_images = images, answer_images
    for attr in ("question", "answer"):
        if not getattr(entry, attr).strip() and (entry.images if attr == "question" else entry.answer_images):
            setattr(entry, attr, IMAGE_ONLY)


def _where(deck: str, entry: Entry, width: int = 40) -> str:
    """A note as the report names it: its deck and the start of its question."""
    text = " ".join((entry.question or entry.text).split())
    short = text if len(text) <= width else text[: width - 1].rstrip() + "…"
    return f"{deck}: {short!r}" if short else deck


@dataclass(frozen=True)
class _Plan:
    """What a note type's notes become, worked out once per note type (templates parsed once)."""

    kind: str  # an item type, "ours", "two" (reverse where both cards exist, else basic), or "" (skip)
    why: str = ""  # for kind "": the reason, for the report
    question: str = ""  # field names
    answer: str = ""
    extra: tuple[str, ...] = ()
    front: frozenset[str] = frozenset()  # fields on the question side (images there)
    back: tuple[str, ...] = ()  # fields shown only with the answer


def _plan(model: NoteType) -> _Plan:
    shown = list(dict.fromkeys(n for q, a in model.templates for n in _refs(q) + _refs(a) if n in model.fields))
    ours = BY_MODEL_ID.get(model.id)
    front = frozenset({ours.fields[0]} if ours else {n for q, _ in model.templates[:1] for n in _refs(q)})
    sides = {"front": front, "back": tuple(n for n in shown if n not in front)}
    if ours is not None and set(ours.fields) <= set(model.fields):
        return _Plan("ours", **sides)  # type: ignore[arg-type]
    if model.stock_kind == STOCK_IMAGE_OCCLUSION:
        return _Plan("", "Image Occlusion, not supported")
    tmpls = model.templates
    if model.cloze:
        cloze = [n for q, _ in tmpls for n in _refs(q) if f"cloze:{n}" in q.replace(" ", "")]
        if not cloze:
            return _Plan("", "no cloze field")
        extra = tuple(dict.fromkeys(n for _, a in tmpls for n in _refs(a) if n != cloze[0] and n in model.fields))
        return _Plan("cloze", question=cloze[0], extra=extra, **sides)  # type: ignore[arg-type]
    if len(tmpls) == 1:
        q_refs = _refs(tmpls[0][0])
        typed = re.search(r"\{\{type:([^}]+)\}\}", tmpls[0][0])
        if typed and q_refs[0] != typed[1].strip() and len(q_refs) >= 2:
            return _Plan("typed", question=q_refs[0], answer=typed[1].strip(), **sides)  # type: ignore[arg-type]
        back = [n for n in _refs(tmpls[0][1]) if q_refs and n != q_refs[0]]
        if q_refs and back:
            return _Plan("basic", question=q_refs[0], answer=back[0], **sides)  # type: ignore[arg-type]
        return _Plan("", "no question and answer fields")
    if len(tmpls) == 2:
        first, second = (_refs(q) for q, _ in tmpls)
        a = first[0] if first else None
        b = next((n for n in reversed(second) if n != a), None)  # the last one skips section guards
        if a and b:
            return _Plan("two", question=a, answer=b, **sides)  # type: ignore[arg-type]
        return _Plan("", "its two cards do not ask one field from another")
    return _Plan("", f"{len(tmpls)} card types")


def _entry(model: NoteType, plan: _Plan, fields: dict[str, str], raw: str, cards: list[Card]) -> tuple[Entry | None, str]:
    """The item a note becomes, or None and why not."""
    if plan.kind == "ours":
        entry = _ours(BY_MODEL_ID[model.id].item_type, fields)
        entry.id = html_to_text(fields.get(ID_FIELD, "")) or None  # packages before the Id field have none
        return entry, ""
    if not plan.kind:
        return None, plan.why
    if "image-occlusion:" in raw:  # an IO note type made before 2.1.62
        return None, "Image Occlusion, not supported"
    if plan.kind == "cloze":
        return Entry("cloze", text=_text(fields, plan.question), extra=_joined(fields, plan.extra)), ""
    kind = plan.kind if plan.kind != "two" else ("reverse" if {0, 1} <= {c.ord for c in cards} else "basic")
    return Entry(kind, question=_text(fields, plan.question), answer=_text(fields, plan.answer)), ""


def _text(fields: dict[str, str], name: str) -> str:
    return html_to_text(fields.get(name, ""))


def _joined(fields: dict[str, str], names: tuple[str, ...]) -> str:
    return "\n".join(t for t in (_text(fields, n) for n in dict.fromkeys(names)) if t)


def _items(html: str) -> list[str]:
    return [text for text, _ in list_items(html)]


def _ours(item_type: str, f: dict[str, str]) -> Entry:
    """Undo quiz.anki.note_types: the same field names, HTML lists back into lists, the extra
    text out of the answer-side field."""
    answer_field = NOTE_TYPES[item_type].answer_field_name
    f = dict(f)
    f[answer_field], extra = split_extra(f.get(answer_field, ""))
    entry = _ours_fields(item_type, f)
    entry.extra = html_to_text(extra)
    return entry


def _ours_fields(item_type: str, f: dict[str, str]) -> Entry:
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
