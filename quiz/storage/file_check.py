"""The store's file: checked read-only before use, created atomically, opened in WAL mode.

Kept apart from quiz.storage.store (the data) so the rules about the file itself sit in one place:
- a file that is not a quiz store (corrupt, truncated, not SQLite, newer schema) is refused with
  a StoreError naming it, and is never written to (checked through a read-only connection);
- a new store is built beside its final path and linked into place, so a crash while creating
  never leaves a half-made store where the real one belongs.
"""

from __future__ import annotations

import errno
import os
import sqlite3
import threading
from pathlib import Path

from quiz.storage import migrations
from quiz.errors import QuizError, display_path
from quiz.outfile import fsync_file
from quiz.storage.migrations import REQUIRED_TABLES, migrate, read_version

BUSY_TIMEOUT_MS = 15_000
# Reading every page costs ~2-6 ms per MB. Up to this size it happens before the store opens;
# above it, on a thread of its own (PageCheck): reading goes on meanwhile, and the first write
# waits for the verdict, so a damaged store is still never written to.
QUICK_CHECK_MAX_BYTES = 16 * 1024 * 1024
# WAL + NORMAL: a commit is in the WAL (the OS has it) before grade() returns, so a killed or
# crashed process loses nothing acknowledged; only a power cut may drop the last moments, and
# never corrupts. FULL (an fsync per grade) costs ~3-8 ms per grade on a VM disk: see bench/.
SYNCHRONOUS = os.environ.get("QUIZ_SQLITE_SYNCHRONOUS", "NORMAL").upper()
if SYNCHRONOUS not in ("NORMAL", "FULL", "EXTRA"):
    SYNCHRONOUS = "NORMAL"
SQLITE_MAGIC = b"SQLite format 3\x00"
RESTORE_HINT = "restore a backup with 'quiz restore FILE'"
# SQLite's primary result codes that mean the bytes themselves are bad.
_DAMAGE_CODES = frozenset({sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB, sqlite3.SQLITE_FORMAT})
_ERRNO_REASONS = {
    errno.ENOSPC: "the disk is full",
    errno.EDQUOT: "the disk quota is used up",
    errno.EROFS: "the file system is read-only",
    errno.EACCES: "permission denied",
    errno.EPERM: "permission denied",
}


class StoreError(QuizError):
    """The store cannot be used: corrupt, not a quiz store, too new, busy. Exit code 1."""


class StoreUnavailable(StoreError):
    """The store may be fine but cannot be used now: busy, disk full, read-only, no permission."""


def is_damage(e: BaseException) -> bool:
    """Whether ``e`` says the store's bytes are bad (as opposed to the disk, the file system or
    the permissions around it). Text SQLite cannot decode is damage too."""
    if isinstance(e, UnicodeDecodeError):
        return True
    if isinstance(e, sqlite3.Error):
        code = getattr(e, "sqlite_errorcode", None)
        if code is None:  # raised by Python's own sqlite3 module, e.g. a text decoding failure
            return isinstance(e, sqlite3.DatabaseError) and not isinstance(e, sqlite3.OperationalError)
        return code & 0xFF in _DAMAGE_CODES
    return False


def reason(e: BaseException, near: Path) -> str:
    """Why an operation on a file in ``near``'s folder failed, in the user's words: "the disk is
    full", "the file system is read-only", "permission denied"... never "damaged" for those."""
    if isinstance(e, OSError) and e.errno in _ERRNO_REASONS:
        return _ERRNO_REASONS[e.errno]
    if _disk_full(near):
        return "the disk is full"
    if isinstance(e, sqlite3.Error):
        code = (getattr(e, "sqlite_errorcode", None) or 0) & 0xFF
        if code == sqlite3.SQLITE_FULL:
            return "the disk is full"
        if code in (sqlite3.SQLITE_READONLY, sqlite3.SQLITE_CANTOPEN, sqlite3.SQLITE_PERM, sqlite3.SQLITE_IOERR):
            return _why_not_writable(near) or _text(e)
        return _text(e)
    if isinstance(e, OSError):
        return e.strerror or str(e)
    return _text(e)


def _text(e: BaseException) -> str:
    if isinstance(e, UnicodeDecodeError):
        return "its text is not valid UTF-8"
    return one_line(str(e))


def _disk_full(near: Path) -> bool:
    try:
        st = os.statvfs(near.parent if not near.is_dir() else near)
    except (OSError, AttributeError):  # AttributeError: no statvfs (Windows)
        return False
    return st.f_bavail == 0


def _why_not_writable(near: Path) -> str | None:
    folder = near if near.is_dir() else near.parent
    try:
        if os.statvfs(folder).f_flag & os.ST_RDONLY:
            return "the file system is read-only"
    except (OSError, AttributeError):
        pass
    for p in (near, Path(f"{near}-wal"), Path(f"{near}-shm"), folder):
        if p.exists() and not os.access(p, os.W_OK):
            return "permission denied"
    return None


def store_error(path: Path, e: BaseException, doing: str = "", hint: str | None = RESTORE_HINT) -> StoreError:
    """One line for a failure on the store at ``path``: damage (with the restore hint) told apart
    from a full disk, a read-only file system and missing permissions (no restore needed)."""
    where = display_path(path)
    if is_damage(e):
        return StoreError(f"{where}: the store is damaged ({_text(e)})" + (f"; {hint}" if hint else ""))
    return StoreUnavailable(f"{where}: {doing or 'cannot use the store'}: {reason(e, path)}")


def check_store_file(
    path: Path, hint: str | None = RESTORE_HINT, *, integrity: bool = False, pages: bool = True
) -> int:
    """Validate an existing store without writing to it; returns its schema version.

    SQLite judges the file: every page is read (quick_check; ``pages=False`` leaves that to a
    PageCheck), and with ``integrity`` also every index against its table (integrity_check,
    which quick_check cannot see). A WAL left by a killed process is recovered by SQLite first,
    so a store whose main file is short but whose log holds the missing pages is healthy.
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
        raise StoreUnavailable(f"{where}: cannot read the store: {reason(e, path)}") from None
    if size == 0:
        raise fail("the store file is empty (truncated)")
    if len(header) < 100 or header[:16] != SQLITE_MAGIC:
        raise fail("not a quiz store (not an SQLite database)")
    had_wal = _has_log(path)
    try:
        try:
            version = _inspect(path, integrity, pages)
        except _Unreadable:
            if not had_wal:
                raise
            # A read-only connection cannot replay a WAL left by a killed process (no -shm); a
            # normal one can, under SQLite's locks, without changing any committed data.
            _recover_wal(path)
            version = _inspect(path, integrity, pages)
    except (_Unreadable, _Damaged, sqlite3.Error, UnicodeDecodeError) as e:
        if not had_wal and _short(size, header):
            raise fail(f"the store is truncated ({size} of {_declared(header)} bytes)") from None
        if isinstance(e, _Unreadable):
            raise e.error from None
        if isinstance(e, _Damaged):
            raise fail(f"the store is damaged ({e})") from None
        raise store_error(path, e, "cannot read the store", hint) from None
    if version is None:
        raise fail("not a quiz store (no quiz tables in this SQLite database)")
    if version > migrations.SCHEMA_VERSION:
        raise StoreError(
            f"{where}: made by a newer quiz (store schema {version}, this quiz knows up to "
            f"{migrations.SCHEMA_VERSION}); upgrade quiz to use it"
        )
    return version


class PageCheck:
    """The quick_check of a big store, run on a thread of its own; ``verdict`` waits for it and
    raises its StoreError (damaged) so that the caller writes nothing."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._error: StoreError | None = None
        self._thread = threading.Thread(target=self._run, name="quiz-page-check", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        try:
            check_store_file(self.path)
        except StoreError as e:
            self._error = e
        except Exception as e:  # never lose a verdict: anything unexpected counts as a failure
            self._error = StoreError(f"{display_path(self.path)}: cannot check the store ({e})")

    def verdict(self) -> None:
        self._thread.join()
        if self._error is not None:
            raise self._error


class _Damaged(Exception):
    """SQLite's check found damage (the message is its first finding)."""


class _Unreadable(Exception):
    def __init__(self, error: StoreError) -> None:
        super().__init__(str(error))
        self.error = error


def _inspect(path: Path, integrity: bool, pages: bool = True) -> int | None:
    """quick_check (or integrity_check), then the schema version; None when not a quiz store.
    Raises _Damaged or SQLite's error on damage, _Unreadable when it cannot be opened read-only."""
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=BUSY_TIMEOUT_MS / 1000)
        conn.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()
    except (sqlite3.Error, UnicodeDecodeError) as e:
        if is_damage(e):
            raise
        raise _Unreadable(store_error(path, e, "cannot read the store")) from None
    # SQLite's reports quote names from the file: undecodable bytes must not crash the check.
    conn.text_factory = lambda b: b.decode("utf-8", "replace")
    try:
        if pages or integrity:
            pragma = "integrity_check" if integrity else "quick_check"
            result = conn.execute(f"PRAGMA {pragma}(1)").fetchone()[0]
            if result != "ok":
                raise _Damaged(one_line(result))
        names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        version = read_version(conn)
    finally:
        conn.close()
    # Schema 0 is "nothing built yet": a file claiming it cannot be migrated, so it is refused.
    if version is None or version < 1 or not (version > migrations.SCHEMA_VERSION or REQUIRED_TABLES <= names):
        return None
    return version


def _recover_wal(path: Path) -> None:
    try:
        conn = sqlite3.connect(path, isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000)
        try:
            conn.execute("PRAGMA quick_check(1)").fetchone()
        finally:
            conn.close()
    except (sqlite3.Error, UnicodeDecodeError) as e:
        raise store_error(path, e, "cannot recover the store's log") from None


def _declared(header: bytes) -> int:
    page_size = int.from_bytes(header[16:18], "big")
    return (65536 if page_size == 1 else page_size) * int.from_bytes(header[28:32], "big")


def _short(size: int, header: bytes) -> bool:
    """The main file is shorter than its header says (only a problem when SQLite agrees)."""
    # The in-header page count is only trustworthy when "version-valid-for" matches the counter.
    return header[92:96] == header[24:28] and size < _declared(header)


def _has_log(path: Path) -> bool:
    try:
        return Path(f"{path}-wal").stat().st_size > 0
    except OSError:
        return False


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
        raise store_error(path, e, "cannot open the store") from None
    return conn


def create_store(path: Path) -> None:
    """Build a fresh store beside ``path`` and link it into place (never a half-made store)."""
    where = display_path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise StoreUnavailable(f"{where}: cannot create the store's folder: {reason(e, path.parent)}") from None
    tmp = path.with_name(f".{path.name}.{os.getpid()}.new")
    try:
        tmp.unlink(missing_ok=True)
        conn = sqlite3.connect(tmp, isolation_level=None)
        try:
            # No journal and no syncs while building: a crash leaves only a temp file nobody
            # links, and the one fsync below makes the finished file durable before it is linked.
            conn.execute("PRAGMA journal_mode = OFF")
            conn.execute("PRAGMA synchronous = OFF")
            conn.execute("BEGIN IMMEDIATE")
            migrate(conn, 0)
            conn.execute("COMMIT")
            conn.execute("PRAGMA journal_mode = WAL")  # kept in the file: every connection uses it
        finally:
            conn.close()
        fsync_file(tmp)
        try:
            os.link(tmp, path)  # fails if another process created the store meanwhile: use theirs
        except FileExistsError:
            pass
        _fsync_dir(path.parent)
    except (OSError, sqlite3.Error) as e:
        raise StoreUnavailable(f"{where}: cannot create the store: {reason(e, path)}") from None
    finally:
        for leftover in (tmp, Path(f"{tmp}-wal"), Path(f"{tmp}-shm")):
            leftover.unlink(missing_ok=True)


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
