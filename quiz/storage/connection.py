"""The store's connection: guarded queries, write transactions, copies and the generation.

Every write goes through ``transaction``, which checks the store is still the one opened: a
restore (``load_from``) gives the store a new generation, so a session that had it open stops
writing instead of writing into the restored store.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from quiz.errors import display_path
from quiz.storage.copying import copy_db, copy_db_new
from quiz.storage.file_check import PageCheck, StoreError, StoreUnavailable, store_error
from quiz.storage.lock import StoreLock

# SQLite folds the write-ahead log back into the database inside the commit that takes the log
# past 1000 pages: every ~120 grades, a grade would wait 20-30 ms for it (copy and fsyncs). The
# study app does it at a quiet moment instead (checkpoint_if_due, once a card is on screen),
# every this many commits of ours (~8 pages each), so SQLite's own turn never comes then.
CHECKPOINT_EVERY = 50

REPLACED = ("was replaced by 'quiz restore' while this quiz had it open; nothing more is saved: "
            "quit and start quiz again")


class StoreConnection:
    """The base of Store: the tables' methods (deck_sync, card_table, ...) build on these."""

    def __init__(self, path: Path, conn: sqlite3.Connection, lock: StoreLock | None = None) -> None:
        self.path = path
        self._conn = conn
        self.leech_lapses = 8  # the session sets this from Settings
        self._where = display_path(path)
        self._lock = lock
        self._page_check: PageCheck | None = None
        self._commits = 0  # since the last checkpoint_if_due that ran
        # Which store this is: a restore gives the store a new generation, and every write
        # checks it is still the one opened (see transaction), so a session never writes on.
        self._generation = self._read_generation()

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
        self._generation = os.urandom(16).hex()  # a random token (uuid costs 3 ms of start-up to import)
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
            self._commits += 1

    def checkpoint_if_due(self) -> bool:
        """Copy the write-ahead log into the database (a PASSIVE checkpoint: readers and other
        writers go on) when CHECKPOINT_EVERY commits have gone into it; True if it ran. Every
        commit is already in the log before this: this only moves work out of a later commit."""
        if self._commits < CHECKPOINT_EVERY:
            return False
        self._commits = 0
        with self.guard():
            self._conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()
        return True

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
