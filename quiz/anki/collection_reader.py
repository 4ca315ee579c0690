"""Read an Anki collection's SQLite, either schema, into plain records.

Schema 11 (legacy packages) keeps note types and decks as JSON in the ``col`` row; schema 18
(``collection.anki21b``) keeps them in ``notetypes``/``fields``/``templates``/``decks`` tables
with protobuf configs, and deck names joined by "\\x1f" instead of "::". Notes, cards and the
review log have the same columns in both.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from typing import NamedTuple

from quiz.anki import protobuf_wire as pb
from quiz.anki.package_reader import Package, PackageError

STOCK_IMAGE_OCCLUSION = 6  # Notetype.Config.original_stock_kind in Anki's notetypes.proto
MAX_FIELD_CHARS = 1 << 20  # a field past this is refused (a crafted field could make regexes crawl)


@dataclass(frozen=True)
class NoteType:
    """An Anki note type: its fields and card templates."""

    id: int
    name: str
    cloze: bool
    stock_kind: int  # 0 unknown; 6 Image Occlusion
    fields: tuple[str, ...]
    templates: tuple[tuple[str, str], ...]  # (question format, answer format) in card order


@dataclass(frozen=True)
class AnkiDeck:
    """An Anki deck: its full name and description."""

    id: int
    name: str  # "Parent::Child"
    description: str


# Notes and cards are named tuples, not dataclasses: a package has tens of thousands of each,
# and a frozen dataclass costs five times as much to make.
class Note(NamedTuple):
    id: int
    guid: str
    notetype_id: int
    tags: str
    fields: tuple[str, ...]
    raw: str  # the fields as stored, joined by "\x1f" (for the checks that look at all of them)


class Card(NamedTuple):
    id: int
    note_id: int
    deck_id: int  # the home deck (a card in a filtered deck counts in its original one)
    ord: int
    set_aside: int  # 1 when suspended or buried (queue < 0), else 0 (anki.history reads which)


@dataclass(frozen=True)
class Review:
    """One row of Anki's review log."""

    id: int  # milliseconds since the epoch: when it happened
    card_id: int
    ease: int  # 1..4; 0 for a manual reschedule
    kind: int  # 0 learn, 1 review, 2 relearn, 3 filtered, 4 manual, 5 rescheduled
    duration_ms: int
    interval: int = 1  # days after (negative: seconds); 0 on a manual entry: the card was reset


@dataclass(frozen=True)
class SetAside:
    """A card's own state beside the review log: read for the cards Anki suspended or buried,
    or rescheduled by hand (set due date, forget, FSRS rescheduling)."""

    card_id: int
    kind: int  # the card's type: 0 new, 1 learning, 2 review, 3 relearning
    queue: int  # -1 suspended, -2 buried with a sibling, -3 buried by hand; else where it waits
    due: int  # a review card's due day, counted from the collection's creation day (``crt``)
    mod: int  # seconds since the epoch: the card's last change in Anki


@dataclass(frozen=True)
class Collection:
    """A collection's note types, decks and cards, and which notes it holds (id, note type);
    the notes themselves are read by ``read_notes``, by each process for its own decks."""

    note_types: dict[int, NoteType]
    decks: dict[int, AnkiDeck]
    notes: list[tuple[int, int]]  # (note id, note type id), by id
    cards: list[Card]

    def cards_of(self) -> dict[int, list[Card]]:
        out: dict[int, list[Card]] = {}
        for card in self.cards:
            out.setdefault(card.note_id, []).append(card)
        return out


def read_collection(pkg: Package) -> Collection:
    conn = pkg.connect()
    try:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if not {"notes", "cards", "col"} <= tables:
            raise PackageError(f"{pkg.shown}: not an Anki collection (tables notes, cards or col missing)")
        for table, cap in (("notes", pkg.limits.notes), ("cards", 3 * pkg.limits.notes)):
            (count,) = conn.execute(f"SELECT count(*) FROM {table}").fetchone()
            if count > cap:
                raise PackageError(f"{pkg.shown}: holds {count} {table}; quiz imports at most {cap}")
        if "notetypes" in tables:
            note_types, decks = _schema18(conn)
        else:
            note_types, decks = _schema11(conn)
        # As SQLite gives them: an id or note type id that is not an integer matches no card or
        # note type, so its note is counted as skipped (converting 33,000 rows took 20 ms).
        notes = conn.execute("SELECT id, mid FROM notes ORDER BY id").fetchall()
        # Typed and shaped by SQLite, a named tuple straight from each row (36,000 rows: the
        # Python-side version took twice as long); a row with a non-integer key is no card.
        # A note's cards come together, lowest ordinal first (its deck is its first card's).
        # NOT INDEXED: a scan and one sort; SQLite would walk the nid index and fetch each row
        # from the table by id, 30-60% slower on 36,000 cards.
        cards = list(map(Card._make, conn.execute(
            "SELECT id, nid, CASE WHEN odid THEN odid ELSE did END, ord, queue < 0 FROM cards NOT INDEXED"
            " WHERE typeof(id) = 'integer' AND typeof(nid) = 'integer' AND typeof(did) = 'integer'"
            " AND typeof(ord) = 'integer' AND typeof(odid) IN ('integer', 'null') ORDER BY nid, ord, id"
        )))
        return Collection(note_types, decks, notes, cards)
    except PackageError:
        raise
    except (sqlite3.Error, ValueError, TypeError, KeyError, AttributeError, UnicodeDecodeError) as e:
        raise pkg.bad_collection(e) from None
    finally:
        conn.close()


def read_notes(pkg: Package, wanted: set[int]) -> dict[int, Note]:
    """The notes ``wanted``, by id; a field that is not text or too long refuses the package."""
    conn = pkg.connect()
    out = {}
    try:
        for i, (nid, guid, mid, tags, flds) in enumerate(conn.execute("SELECT id, guid, mid, tags, flds FROM notes")):
            if i % 2000 == 0:
                pkg.deadline.check()
            if nid not in wanted:
                continue  # another process's, or one that is skipped
            if not isinstance(flds, str) or not isinstance(guid, str) or not isinstance(tags, str):
                raise ValueError(f"note {nid} has a field that is not text")
            if len(flds) > MAX_FIELD_CHARS:
                raise PackageError(f"{pkg.shown}: note {nid} holds more than {MAX_FIELD_CHARS >> 20} MiB of text; refused")
            out[nid] = Note(int(nid), guid, int(mid), tags, tuple(flds.split("\x1f")), flds)
        return out
    except PackageError:
        raise
    except (sqlite3.Error, ValueError, TypeError, UnicodeDecodeError) as e:
        raise pkg.bad_collection(e) from None
    finally:
        conn.close()


def read_reviews(pkg: Package) -> Iterator[Review]:
    """The review log, each card's oldest first (a package exported without scheduling has none)."""
    conn = pkg.connect()
    try:
        (count,) = conn.execute("SELECT count(*) FROM revlog").fetchone()
        if count > pkg.limits.reviews:
            raise PackageError(f"{pkg.shown}: holds {count} reviews; quiz brings at most {pkg.limits.reviews} across")
        rows = conn.execute("SELECT id, cid, ease, type, time, ivl FROM revlog ORDER BY cid, id")
        for i, (rid, cid, ease, kind, duration, interval) in enumerate(rows):
            if i % 5000 == 0:
                pkg.deadline.check()
            yield Review(int(rid), int(cid), int(ease), int(kind), max(int(duration), 0),
                         interval if isinstance(interval, int) else 1)
    except PackageError:
        raise
    except (sqlite3.Error, ValueError, TypeError) as e:
        raise pkg.bad_collection(e) from None
    finally:
        conn.close()


def read_set_aside(pkg: Package) -> tuple[int, list[SetAside]]:
    """The collection's creation time (``crt``, seconds: day 0 of the cards' due days) and the
    cards suspended, buried or rescheduled by hand; a card in a filtered deck has its own due."""
    conn = pkg.connect()
    try:
        (crt,) = conn.execute("SELECT crt FROM col").fetchone()
        rows = conn.execute(
            "SELECT id, type, queue, CASE WHEN odid THEN odue ELSE due END, mod FROM cards NOT INDEXED"
            " WHERE (queue < 0 OR id IN (SELECT cid FROM revlog WHERE type IN (4, 5) AND ease = 0))"
            " AND typeof(id) = 'integer' AND typeof(type) = 'integer' AND typeof(queue) = 'integer'"
            " AND typeof(due) = 'integer' AND typeof(odue) = 'integer' AND typeof(mod) = 'integer'"
        ).fetchall()
        return int(crt), [SetAside(*row) for row in rows]
    except (sqlite3.Error, ValueError, TypeError) as e:
        raise pkg.bad_collection(e) from None
    finally:
        conn.close()


def _schema11(conn: sqlite3.Connection) -> tuple[dict[int, NoteType], dict[int, AnkiDeck]]:
    models_json, decks_json = conn.execute("SELECT models, decks FROM col").fetchone()
    note_types = {}
    for m in json.loads(models_json).values():
        fields = tuple(str(f["name"]) for f in sorted(m["flds"], key=lambda f: int(f["ord"])))
        tmpls = tuple((str(t["qfmt"]), str(t["afmt"])) for t in sorted(m.get("tmpls", []), key=lambda t: int(t["ord"])))
        kind = int(m.get("originalStockKind") or 0)
        note_types[int(m["id"])] = NoteType(int(m["id"]), str(m.get("name", "")), m.get("type") == 1, kind, fields, tmpls)
    decks = {
        int(d["id"]): AnkiDeck(int(d["id"]), str(d.get("name", "")), str(d.get("desc", "") or ""))
        for d in json.loads(decks_json).values()
    }
    return note_types, decks


def _schema18(conn: sqlite3.Connection) -> tuple[dict[int, NoteType], dict[int, AnkiDeck]]:
    fields: dict[int, list[tuple[int, str]]] = {}
    for ntid, ord_, name in conn.execute("SELECT ntid, ord, name FROM fields"):
        fields.setdefault(int(ntid), []).append((int(ord_), str(name)))
    templates: dict[int, list[tuple[int, str, str]]] = {}
    for ntid, ord_, config in conn.execute("SELECT ntid, ord, config FROM templates"):
        config = bytes(config)
        templates.setdefault(int(ntid), []).append((int(ord_), pb.text(config, 1), pb.text(config, 2)))
    note_types = {}
    for ntid, name, config in conn.execute("SELECT id, name, config FROM notetypes"):
        config = bytes(config)
        note_types[int(ntid)] = NoteType(
            int(ntid),
            str(name),
            pb.number(config, 1) == 1,
            pb.number(config, 9),
            tuple(n for _, n in sorted(fields.get(int(ntid), []))),
            tuple((q, a) for _, q, a in sorted(templates.get(int(ntid), []))),
        )
    decks = {}
    for did, name, kind in conn.execute("SELECT id, name, kind FROM decks"):
        normal = pb.last(bytes(kind), 1, b"")  # KindContainer.normal; filtered decks have none
        description = pb.text(normal, 4) if isinstance(normal, bytes) and normal else ""
        decks[int(did)] = AnkiDeck(int(did), str(name).replace("\x1f", "::"), description)
    return note_types, decks
