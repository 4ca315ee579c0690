"""The review store: SQLite (WAL), card schedules, an append-only review log, exam results.

Every grade is one ``BEGIN IMMEDIATE`` transaction, committed before ``grade`` returns. How the
file is checked, created and opened lives in quiz.storage.file_check.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Protocol

from quiz.storage import file_check, migrations
from quiz.errors import QuizError, display_path
from quiz.storage.migrations import migrate, read_version
from quiz.paths import store_path
from quiz.card_state import CardState, State, from_us, to_us
from quiz.storage.copying import copy_db, copy_db_new, stamp
from quiz.storage.file_check import (BUSY_TIMEOUT_MS, PageCheck, StoreError, StoreUnavailable, check_store_file,
                                     connect, create_store, reason, store_error)
from quiz.storage.lock import Locked, StoreLock

__all__ = ["CardInfo", "ReplayedReview", "ReviewRow", "Store", "StoreError", "check_store_file"]


@dataclass(frozen=True)
class CardInfo:
    deck_id: str
    item_id: str
    card_id: int
    state: str
    due: datetime | None
    stability: float | None
    difficulty: float | None
    last_review: datetime | None
    reps: int
    lapses: int
    suspended: bool
    buried_until: datetime | None
    hidden: bool
    leech: bool
    ord: int = 0  # which card of the item (Item.ords)


@dataclass(frozen=True)
class ReviewRow:
    id: int
    card_id: int
    time: datetime
    rating: int
    duration_ms: int
    state_before: str
    state_after: str
    before: CardState
    after: CardState
    undone: bool


@dataclass(frozen=True)
class ReplayedReview:
    """A review done elsewhere (Anki), with the states our scheduler gives it when replayed."""

    time: datetime
    rating: int
    duration_ms: int
    before: CardState
    after: CardState


HistoryKey = tuple[str, str, int]  # (deck id, item id, card ordinal)
Replay = Callable[[HistoryKey, CardState], Sequence[ReplayedReview]]

_CARD_COLS = "id, state, step, stability, difficulty, due, last_review, reps, lapses"


def _state_from_row(r: tuple) -> CardState:  # type: ignore[type-arg]
    return CardState(
        card_id=r[0],
        state=r[1],
        step=r[2],
        stability=r[3],
        difficulty=r[4],
        due=from_us(r[5]) if r[5] is not None else None,
        last_review=from_us(r[6]) if r[6] is not None else None,
        reps=r[7],
        lapses=r[8],
    )


def _state_params(s: CardState) -> tuple:  # type: ignore[type-arg]
    return (
        s.state,
        s.step,
        s.stability,
        s.difficulty,
        to_us(s.due) if s.due else None,
        to_us(s.last_review) if s.last_review else None,
        s.reps,
        s.lapses,
    )


class SyncedCard(Protocol):
    """One card as the store keeps it (quiz.decks.model.CardRow is one)."""

    @property
    def item_id(self) -> str: ...

    @property
    def ord(self) -> int: ...

    @property
    def sibling(self) -> str: ...  # cards sharing it are siblings (buried together)

    @property
    def mixed(self) -> int: ...  # rank in the interleaved order of new cards


class SyncedDeck(Protocol):
    """What the store keeps of a deck (quiz.decks.model.Deck is one); storage and decks stay
    independent of each other."""

    @property
    def id(self) -> str: ...

    @property
    def name(self) -> str: ...

    @property
    def card_rows(self) -> Sequence[SyncedCard]: ...  # every card, in deck order

    @property
    def sync_signature(self) -> str: ...  # changes when ``card_rows`` would


def deck_signature(deck: SyncedDeck) -> str:
    """Changes whenever the deck's cards, their siblings, order or its name change."""
    return hashlib.sha1(f"{deck.sync_signature}\t{deck.name}".encode()).hexdigest()


REPLACED = ("was replaced by 'quiz restore' while this quiz had it open; nothing more is saved: "
            "quit and start quiz again")


class Store:
    def __init__(self, path: Path, conn: sqlite3.Connection, lock: StoreLock | None = None) -> None:
        self.path = path
        self._conn = conn
        self.leech_lapses = 8  # the session sets this from Settings
        self._where = display_path(path)
        self._lock = lock
        self._page_check: PageCheck | None = None
        # Which store this is: a restore gives the store a new generation, and every write
        # checks it is still the one opened (see transaction), so a session never writes on.
        self._generation = self._read_generation()

    # --- opening -------------------------------------------------------------------------

    @classmethod
    def open(cls, path: Path | str | None = None, *, lock: bool = True) -> Store:
        """Open (or create) the store; validate it read-only before anything writes to it.

        Every page is read before anything is written, so a damaged store is never written to
        (the daily backup then checks every index too, see storage.backup); a big store is read
        on a thread meanwhile and the first write waits for it. Holds the store's shared lock
        until closed (``lock=False``: the caller, a restore, holds it exclusively), so that no
        restore swaps the store from under this one.
        """
        p = Path(path) if path is not None else store_path()
        held = _hold_shared(p) if lock else None
        page_check = None
        try:
            if p.exists() or p.is_symlink():
                big = p.is_file() and p.stat().st_size > file_check.QUICK_CHECK_MAX_BYTES
                version = check_store_file(p, pages=not big)
                page_check = PageCheck(p) if big else None
            else:
                create_store(p)
                version = migrations.SCHEMA_VERSION
            conn = connect(p)
            try:
                store = cls(p, conn, held)
            except BaseException:
                conn.close()
                raise
        except BaseException:
            if held is not None:
                held.release()
            raise
        store._page_check = page_check
        try:
            if version < migrations.SCHEMA_VERSION:
                store._migrate()
        except BaseException:
            store.close()
            raise
        return store

    def close(self) -> None:
        self._conn.close()
        if self._lock is not None:
            self._lock.release()
            self._lock = None

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _migrate(self) -> None:
        """Bring an older store up to this quiz's schema, keeping a copy of it as it was first."""
        name = f"quiz-before-schema-{migrations.SCHEMA_VERSION}-{stamp()}.sqlite3"
        dest = self.path.parent / "backups" / name
        try:
            self.copy_new(dest)
        except OSError as e:
            raise QuizError(f"{display_path(dest)}: cannot write a backup: {reason(e, dest)}") from None
        with self.transaction():  # a second process migrating at once finds it done, inside here
            version = read_version(self._conn)
            if version is None:
                raise StoreError(f"{self._where}: not a quiz store")
            migrate(self._conn, version)

    # --- copies (SQLite's online backup API: consistent even while others write) --------------

    def copy_to(self, dest: Path, *, replace: bool = False, verify: bool = False) -> Path:
        """Copy the store to ``dest``; FileExistsError if it exists and not ``replace``; with
        ``verify`` the copy must pass integrity_check (copying.Damaged otherwise, nothing kept)."""
        with self.guard():
            return copy_db(self._conn, dest, replace=replace, verify=verify)

    def copy_new(self, dest: Path, *, verify: bool = False) -> Path:
        """Copy the store to ``dest`` or the next free numbered name (never replaces a file)."""
        with self.guard():
            return copy_db_new(self._conn, dest, verify=verify)

    def load_from(self, src: Path) -> None:
        """Replace the whole store's contents with the database at ``src`` (restore), as a new
        generation: any other Store still open on the old contents stops writing."""
        src_conn = sqlite3.connect(f"{src.resolve().as_uri()}?mode=ro", uri=True)
        try:
            with self.guard():
                # Through SQLite, page by page under its locks: one transaction on the store.
                src_conn.backup(self._conn)
        finally:
            src_conn.close()
        self._generation = uuid.uuid4().hex
        with self.guard():
            self._conn.execute(
                "INSERT INTO meta (key, value) VALUES ('generation', ?) "
                "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                (self._generation,),
            )

    # --- transactions and errors ---------------------------------------------------------

    @contextmanager
    def guard(self) -> Iterator[None]:
        """Turn SQLite failures into one-line StoreErrors that name the file."""
        try:
            yield
        except sqlite3.OperationalError as e:
            if "locked" in str(e) or "busy" in str(e):
                raise StoreUnavailable(
                    f"{self._where}: the store is busy (another quiz is writing); try again"
                ) from None
            raise store_error(self.path, e) from None
        except (sqlite3.DatabaseError, UnicodeDecodeError) as e:
            raise store_error(self.path, e) from None

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One write transaction: taken at once (IMMEDIATE) so concurrent writers queue, not fail."""
        if self._page_check is not None:
            self._page_check.verdict()  # a big store's page check: nothing is written before it passes
        with self.guard():
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                if self._read_generation() != self._generation:
                    raise StoreError(f"{self._where}: the store {REPLACED}")
                yield self._conn
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise
            self._conn.execute("COMMIT")

    def _read_generation(self) -> str | None:
        with self.guard():
            row = self._conn.execute("SELECT value FROM meta WHERE key = 'generation'").fetchone()
        return None if row is None else str(row[0])

    def change_marker(self) -> tuple[int, int]:
        """Moves on whenever the store changes: another connection's commit (data_version) or our
        own write (total_changes). For caches that hold until then."""
        with self.guard():
            return (self._conn.execute("PRAGMA data_version").fetchone()[0], self._conn.total_changes)

    def query(self, sql: str, params: tuple | list = ()) -> list[tuple]:  # type: ignore[type-arg]
        with self.guard():
            return self._conn.execute(sql, params).fetchall()

    # --- decks ---------------------------------------------------------------------------

    def sync_deck(self, deck: SyncedDeck) -> None:
        """Upsert the deck and a row per card; cards gone from the deck become hidden.

        Identity is (deck id, item id, ord): wording changes keep the history, and a card that
        comes back un-hides its old row with its schedule and reviews. ``fact`` holds the
        card's sibling key, ``position`` its deck order and ``mixed`` its interleaved order.
        """
        sig = deck_signature(deck)
        row = self.query("SELECT signature FROM decks WHERE id = ?", (deck.id,))
        if row and row[0][0] == sig:
            return  # unchanged since the last sync: nothing to write (big decks open fast)
        with self.transaction() as c:
            c.execute(
                "INSERT INTO decks (id, name, signature) VALUES (?, ?, ?) "
                "ON CONFLICT (id) DO UPDATE SET name = excluded.name, signature = excluded.signature",
                (deck.id, deck.name, sig),
            )
            existing = {
                (r[0], r[1]): r[2:]
                for r in c.execute(
                    "SELECT item_id, ord, id, fact, position, mixed, hidden FROM cards WHERE deck_id = ?",
                    (deck.id,),
                )
            }
            inserts, updates = [], []
            for pos, card in enumerate(deck.card_rows):
                old = existing.pop((card.item_id, card.ord), None)
                if old is None:
                    inserts.append((deck.id, card.item_id, card.ord, card.sibling, pos, card.mixed))
                elif old[1:] != (card.sibling, pos, card.mixed, 0):
                    updates.append((card.sibling, pos, card.mixed, old[0]))
            c.executemany(
                "INSERT INTO cards (deck_id, item_id, ord, fact, position, mixed) VALUES (?, ?, ?, ?, ?, ?)", inserts
            )
            c.executemany("UPDATE cards SET fact = ?, position = ?, mixed = ?, hidden = 0 WHERE id = ?", updates)
            gone = [(v[0],) for v in existing.values() if not v[4]]
            c.executemany("UPDATE cards SET hidden = 1 WHERE id = ?", gone)

    def decks(self) -> dict[str, str]:
        """Deck id -> name for every deck the store knows."""
        return dict(self.query("SELECT id, name FROM decks ORDER BY id"))

    # --- cards ---------------------------------------------------------------------------

    def card_id(self, deck_id: str, item_id: str, ord: int = 0) -> int:
        rows = self.query(
            "SELECT id FROM cards WHERE deck_id = ? AND item_id = ? AND ord = ?", (deck_id, item_id, ord)
        )
        if not rows:
            which = f"card {ord} of item" if ord else "item"
            raise QuizError(f"no card for {which} {item_id!r} in deck {deck_id!r} (not studied with this store yet)")
        return int(rows[0][0])

    def load_state(self, card_id: int) -> CardState:
        rows = self.query(f"SELECT {_CARD_COLS} FROM cards WHERE id = ?", (card_id,))
        if not rows:
            raise QuizError(f"no card with id {card_id}")
        return _state_from_row(rows[0])

    def card_info(self, deck_id: str, item_id: str, ord: int = 0) -> CardInfo:
        cid = self.card_id(deck_id, item_id, ord)
        s = self.load_state(cid)
        suspended, buried, hidden = self.query(
            "SELECT suspended, buried_until, hidden FROM cards WHERE id = ?", (cid,)
        )[0]
        return CardInfo(
            deck_id=deck_id,
            item_id=item_id,
            card_id=cid,
            state=State(s.state).label,
            due=s.due,
            stability=s.stability,
            difficulty=s.difficulty,
            last_review=s.last_review,
            reps=s.reps,
            lapses=s.lapses,
            suspended=bool(suspended),
            buried_until=from_us(buried) if buried else None,
            hidden=bool(hidden),
            leech=s.lapses >= self.leech_lapses,
            ord=ord,
        )

    def history(self, deck_id: str, item_id: str, ord: int = 0) -> list[ReviewRow]:
        cid = self.card_id(deck_id, item_id, ord)
        rows = self.query(
            "SELECT id, card_id, time, rating, duration_ms, state_before, state_after, before, after, undone "
            "FROM revlog WHERE card_id = ? ORDER BY id",
            (cid,),
        )
        return [
            ReviewRow(
                id=r[0],
                card_id=r[1],
                time=from_us(r[2]),
                rating=r[3],
                duration_ms=r[4],
                state_before=State(r[5]).label,
                state_after=State(r[6]).label,
                before=CardState.from_json(r[7]),
                after=CardState.from_json(r[8]),
                undone=bool(r[9]),
            )
            for r in rows
        ]

    def set_suspended(self, deck_id: str, item_id: str, suspended: bool, ord: int = 0) -> None:
        cid = self.card_id(deck_id, item_id, ord)
        with self.transaction() as c:
            c.execute("UPDATE cards SET suspended = ? WHERE id = ?", (1 if suspended else 0, cid))

    def bury(self, card_id: int, until: datetime) -> int:
        """Hide the card until ``until``; returns its previous ``buried_until`` (for undo)."""
        with self.transaction() as c:
            row = c.execute("SELECT buried_until FROM cards WHERE id = ?", (card_id,)).fetchone()
            if row is None:
                raise QuizError(f"no card with id {card_id}")
            c.execute("UPDATE cards SET buried_until = ? WHERE id = ?", (to_us(until), card_id))
            return int(row[0] or 0)

    def unbury(self, card_id: int, previous: int = 0) -> None:
        """Undo ``bury``: put back the ``buried_until`` it returned."""
        with self.transaction() as c:
            c.execute("UPDATE cards SET buried_until = ? WHERE id = ?", (previous, card_id))

    # --- reviews -------------------------------------------------------------------------

    def grade(
        self,
        card_id: int,
        decide: Callable[[CardState], CardState],
        rating: int,
        duration_ms: int,
        at: datetime,
    ) -> tuple[int, CardState]:
        """In one committed transaction: read the card, ``decide`` its new state, write card + log.

        Reading inside the write transaction means a concurrent grade of the same card by another
        process is never lost: ``decide`` sees the latest state. Returns (revlog id, new state).
        """
        with self.transaction() as c:
            row = c.execute(f"SELECT {_CARD_COLS}, deck_id FROM cards WHERE id = ?", (card_id,)).fetchone()
            if row is None:
                raise QuizError(f"no card with id {card_id}")
            before = _state_from_row(row)
            deck_id = row[-1]
            after = decide(before)
            c.execute(
                "UPDATE cards SET state = ?, step = ?, stability = ?, difficulty = ?, due = ?, "
                "last_review = ?, reps = ?, lapses = ?, buried_until = 0 WHERE id = ?",
                (*_state_params(after), card_id),
            )
            cur = c.execute(
                "INSERT INTO revlog (card_id, deck_id, time, rating, duration_ms, state_before, state_after, before, "
                "after) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    card_id,
                    deck_id,
                    to_us(at),
                    rating,
                    max(0, int(duration_ms)),
                    before.state,
                    after.state,
                    before.to_json(),
                    after.to_json(),
                ),
            )
            return int(cur.lastrowid or 0), after

    def undo_review(self, revlog_id: int) -> CardState:
        """Put the card back as it was before review ``revlog_id`` and flag that review undone.

        The card was being shown then, so it comes back neither buried nor suspended (even if it
        was set aside after that grade). Refused when the card was reviewed again since (e.g. by
        another process).
        """
        with self.transaction() as c:
            row = c.execute("SELECT card_id, before, after, undone FROM revlog WHERE id = ?", (revlog_id,)).fetchone()
            if row is None or row[3]:
                raise QuizError("nothing to undo")
            card_id, before_json, after_json = row[0], row[1], row[2]
            current = _state_from_row(c.execute(f"SELECT {_CARD_COLS} FROM cards WHERE id = ?", (card_id,)).fetchone())
            if current != CardState.from_json(after_json):
                raise QuizError("cannot undo: the card was reviewed again since")
            before = CardState.from_json(before_json)
            c.execute(
                "UPDATE cards SET state = ?, step = ?, stability = ?, difficulty = ?, due = ?, "
                "last_review = ?, reps = ?, lapses = ?, buried_until = 0, suspended = 0 WHERE id = ?",
                (*_state_params(before), card_id),
            )
            c.execute("UPDATE revlog SET undone = 1 WHERE id = ?", (revlog_id,))
            return before

    def bring_history(self, keys: Sequence[HistoryKey], replay: Replay) -> tuple[int, int, int]:
        """Append reviews done elsewhere to the cards ``keys`` name, in one transaction.

        For each card, ``replay(key, current state)`` gives the reviews to add (those after the
        card's last review here, so importing twice adds nothing) with their states; the card
        takes the last state. Returns (cards changed, reviews added, keys of cards the store does
        not have, which are passed over).
        """
        cards = reviews = missing = 0
        with self.transaction() as c:
            for key in keys:
                row = self._card_row(c, key)
                if row is None:
                    missing += 1
                    continue
                replayed = replay(key, _state_from_row(row))
                if not replayed:
                    continue
                card_id, deck_id = row[0], key[0]
                c.executemany(
                    "INSERT INTO revlog (card_id, deck_id, time, rating, duration_ms, state_before, state_after, "
                    "before, after) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [
                        (card_id, deck_id, to_us(r.time), r.rating, max(0, int(r.duration_ms)), r.before.state,
                         r.after.state, r.before.to_json(), r.after.to_json())
                        for r in replayed
                    ],
                )
                c.execute(
                    "UPDATE cards SET state = ?, step = ?, stability = ?, difficulty = ?, due = ?, "
                    "last_review = ?, reps = ?, lapses = ? WHERE id = ?",
                    (*_state_params(replayed[-1].after), card_id),
                )
                cards += 1
                reviews += len(replayed)
        return cards, reviews, missing

    @staticmethod
    def _card_row(c: sqlite3.Connection, key: HistoryKey) -> tuple | None:  # type: ignore[type-arg]
        """The card row for (deck, item, ordinal)."""
        return c.execute(  # type: ignore[no-any-return]
            f"SELECT {_CARD_COLS} FROM cards WHERE deck_id = ? AND item_id = ? AND ord = ?", key
        ).fetchone()

    # --- exams (the exam mode's own table; never touches cards or revlog) --------------------

    def record_exam(self, result: dict) -> None:  # type: ignore[type-arg]
        detail = result.get("detail", {})
        with self.transaction() as c:
            c.execute(
                "INSERT INTO exams (started, finished, decks, correct, total, percent, detail) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    _iso(result.get("started")),
                    _iso(result.get("finished")),
                    json.dumps(list(result.get("decks", []))),
                    int(result["correct"]),
                    int(result["total"]),
                    float(result["percent"]),
                    detail if isinstance(detail, str) else json.dumps(detail, default=str),
                ),
            )

    def exam_summaries(self, limit: int = 20) -> list[dict]:  # type: ignore[type-arg]
        """The last ``limit`` exams, newest first, without their questions: id, date (when it
        finished, else started), correct, total, percent."""
        rows = self.query(
            "SELECT id, COALESCE(finished, started), correct, total, percent FROM exams ORDER BY id DESC LIMIT ?",
            (limit,),
        )
        return [{"id": r[0], "date": r[1], "correct": r[2], "total": r[3], "percent": r[4]} for r in rows]

    def exam_history(self, limit: int = 50) -> list[dict]:  # type: ignore[type-arg]
        rows = self.query(
            "SELECT id, started, finished, decks, correct, total, percent, detail FROM exams ORDER BY id DESC LIMIT ?",
            (limit,),
        )
        return [
            {
                "id": r[0],
                "started": r[1],
                "finished": r[2],
                "decks": json.loads(r[3]),
                "correct": r[4],
                "total": r[5],
                "percent": r[6],
                "detail": json.loads(r[7]),
            }
            for r in rows
        ]


def _hold_shared(p: Path) -> StoreLock:
    try:
        p.parent.mkdir(parents=True, exist_ok=True)  # a first run locks too (creating reports errors)
    except OSError:
        pass
    held = StoreLock(p)
    try:
        held.acquire(exclusive=False, wait_s=BUSY_TIMEOUT_MS / 1000)
    except Locked:
        raise StoreUnavailable(
            f"{display_path(p)}: a restore of the store is under way; try again when it is done"
        ) from None
    return held


def _iso(v: object) -> str | None:
    if v is None:
        return None
    return v.isoformat() if isinstance(v, datetime) else str(v)
