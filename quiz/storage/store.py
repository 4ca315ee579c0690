"""The review store: SQLite (WAL), card schedules, an append-only review log, exam results.

Store puts together one class per part of the store, each in its own module: the connection
and its write transactions (connection), deck sync (deck_sync), the cards table (card_table),
the review log (review_log) and the exams table (exam_table). Every grade is one
``BEGIN IMMEDIATE`` transaction, committed before ``grade`` returns. How the file is checked,
created and opened lives in quiz.storage.file_check.
"""

from __future__ import annotations

from pathlib import Path

from quiz.errors import QuizError, display_path
from quiz.paths import store_path
from quiz.storage import file_check, migrations
from quiz.storage.card_rows import HistoryKey
from quiz.storage.card_table import CardTable
from quiz.storage.connection import REPLACED
from quiz.storage.copying import stamp
from quiz.storage.deck_sync import DeckSync, SyncedCard, SyncedDeck, deck_signature
from quiz.storage.exam_table import ExamTable
from quiz.storage.file_check import PageCheck, StoreError, check_store_file, connect, create_store, reason
from quiz.storage.lock import hold_shared
from quiz.storage.migrations import migrate, read_version
from quiz.storage.review_log import ReviewLog

# The names callers take from here, wherever they are defined.
__all__ = [
    "REPLACED", "HistoryKey", "Store", "StoreError",
    "SyncedCard", "SyncedDeck", "check_store_file", "deck_signature",
]


class Store(DeckSync, CardTable, ReviewLog, ExamTable):
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
        held = hold_shared(p) if lock else None
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
