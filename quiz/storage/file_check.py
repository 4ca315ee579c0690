"""The store's file: checked read-only before use, created atomically, opened in WAL mode.

Kept apart from quiz.storage.store (the data) so the rules about the file itself sit in one place:
- a file that is not a quiz store (corrupt, truncated, not SQLite, newer schema) is refused with
  a StoreError naming it, and is never written to (checked through a read-only connection);
- a new store is built beside its final path and linked into place, so a crash while creating
  never leaves a half-made store where the real one belongs.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from quiz.storage import migrations
from quiz.errors import QuizError, display_path
from quiz.storage.migrations import REQUIRED_TABLES, migrate, read_version

BUSY_TIMEOUT_MS = 15_000
# A full integrity scan reads every page (~2 ms per MB). Above this size it runs once a day,
# before the daily backup; otherwise the cheap header checks hold, and SQLite reports damage
# when a damaged page is read (turned into StoreError too).
QUICK_CHECK_MAX_BYTES = 16 * 1024 * 1024
# WAL + NORMAL: a commit is in the WAL (the OS has it) before grade() returns, so a killed or
# crashed process loses nothing acknowledged; only a power cut may drop the last moments, and
# never corrupts. FULL (an fsync per grade) costs ~3-8 ms per grade on a VM disk: see bench/.
SYNCHRONOUS = os.environ.get("QUIZ_SQLITE_SYNCHRONOUS", "NORMAL").upper()
if SYNCHRONOUS not in ("NORMAL", "FULL", "EXTRA"):
    SYNCHRONOUS = "NORMAL"
SQLITE_MAGIC = b"SQLite format 3\x00"
RESTORE_HINT = "restore a backup with 'quiz restore FILE'"


class StoreError(QuizError):
    """The store cannot be used: corrupt, not a quiz store, too new, busy. Exit code 1."""


def check_store_file(path: Path, hint: str | None = RESTORE_HINT, deep: bool = True) -> int:
    """Validate an existing store without writing to it; returns its schema version.

    Header, size and schema are always checked; every page too (quick_check) when ``deep`` or
    the store is small enough for that to be quick.
    """
    where = display_path(path)

    def fail(why: str) -> StoreError:
        return StoreError(f"{where}: {why}" + (f"; {hint}" if hint else ""))

    if not path.is_file():
        raise StoreError(f"{where}: not a file")
    try:
        size = path.stat().st_size
        with path.open("rb") as f:
            header = f.read(100)
    except OSError as e:
        raise StoreError(f"{where}: cannot read the store: {e.strerror}") from None
    if size == 0:
        raise fail("the store file is empty (truncated)")
    if len(header) < 100 or header[:16] != SQLITE_MAGIC:
        raise fail("not a quiz store (not an SQLite database)")
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    pages = int.from_bytes(header[28:32], "big")
    # The in-header page count is only trustworthy when "version-valid-for" matches the counter.
    if header[92:96] == header[24:28] and pages and size < pages * page_size:
        raise fail(f"the store is truncated ({size} of {pages * page_size} bytes)")
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=BUSY_TIMEOUT_MS / 1000)
    except sqlite3.Error as e:
        raise fail(f"cannot open the store ({e})") from None
    try:
        if deep or size <= QUICK_CHECK_MAX_BYTES:
            result = conn.execute("PRAGMA quick_check(1)").fetchone()[0]
            if result != "ok":
                raise fail(f"the store is damaged ({one_line(result)})")
        names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        version = read_version(conn)
        if version is None or not (version > migrations.SCHEMA_VERSION or REQUIRED_TABLES <= names):
            raise fail("not a quiz store (no quiz tables in this SQLite database)")
        if version > migrations.SCHEMA_VERSION:
            raise StoreError(
                f"{where}: made by a newer quiz (store schema {version}, this quiz knows up to "
                f"{migrations.SCHEMA_VERSION}); upgrade quiz to use it"
            )
        return version
    except sqlite3.DatabaseError as e:
        raise fail(f"the store is damaged ({e})") from None
    finally:
        conn.close()


def one_line(text: str) -> str:
    """SQLite's integrity report, shortened to its first real finding on one line."""
    lines = [ln.strip() for ln in text.splitlines() if ln.strip() and not ln.startswith("***")]
    return lines[0] if lines else "integrity check failed"


def connect(path: Path) -> sqlite3.Connection:
    where = display_path(path)
    try:
        # isolation_level=None: we issue BEGIN/COMMIT ourselves, one transaction per grade.
        conn = sqlite3.connect(path, isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000, check_same_thread=False)
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute(f"PRAGMA synchronous = {SYNCHRONOUS}")
        conn.execute("PRAGMA foreign_keys = ON")
    except sqlite3.DatabaseError as e:
        raise StoreError(f"{where}: cannot open the store ({e}); {RESTORE_HINT}") from None
    return conn


def create_store(path: Path) -> None:
    """Build a fresh store beside ``path`` and link it into place (never a half-made store)."""
    where = display_path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise StoreError(f"{where}: cannot create the store's folder: {e.strerror}") from None
    tmp = path.with_name(f".{path.name}.{os.getpid()}.new")
    try:
        tmp.unlink(missing_ok=True)
        conn = sqlite3.connect(tmp, isolation_level=None)
        try:
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("BEGIN IMMEDIATE")
            migrate(conn, 0)
            conn.execute("COMMIT")
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            conn.close()
        for suffix in ("-wal", "-shm"):
            Path(f"{tmp}{suffix}").unlink(missing_ok=True)
        fd = os.open(tmp, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
        try:
            os.link(tmp, path)  # fails if another process created the store meanwhile: use theirs
        except FileExistsError:
            pass
        _fsync_dir(path.parent)
    except OSError as e:
        raise StoreError(f"{where}: cannot create the store: {e.strerror}") from None
    finally:
        tmp.unlink(missing_ok=True)


def _fsync_dir(d: Path) -> None:
    try:
        fd = os.open(d, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
