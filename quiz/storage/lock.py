"""Who has the store open: a lock file beside it, shared by every quiz using the store and held
exclusively by ``quiz restore``.

SQLite's own locks last one transaction; a restore must also keep out every grade between the
copy of the old store and the swap, and must not pull the store from under a running session.
So each open store holds a shared ``flock`` on ``quiz.sqlite3.lock`` until it closes, and a
restore takes it exclusively (refused while any other quiz holds it). A separate file, because
closing any descriptor of the store file itself would drop SQLite's POSIX locks on it.
Where there is no ``flock`` (Windows, some network file systems) or the lock file cannot be made
(read-only folder), nothing is locked and the store's generation check still catches a restore.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

from quiz.errors import display_path
from quiz.storage.file_check import BUSY_TIMEOUT_MS, StoreUnavailable

try:
    import fcntl
except ImportError:  # Windows: no flock; the generation check alone guards a restore there
    fcntl = None  # type: ignore[assignment]

_POLL_S = 0.05


class Locked(Exception):
    """The lock is held the other way by another process (shared vs exclusive)."""


class StoreLock:
    """One hold on the lock file of the store at ``store``; ``release`` (or close) lets go."""

    def __init__(self, store: Path) -> None:
        self.path = store.with_name(f"{store.name}.lock")
        self._fd: int | None = None

    def acquire(self, *, exclusive: bool, wait_s: float = 0.0) -> None:
        """Take the lock, waiting up to ``wait_s``; raises Locked when it stays taken. A lock
        file that cannot be opened (read-only folder) or a file system without flock: no lock."""
        if fcntl is None:  # Windows: no flock
            return  # type: ignore[unreachable]
        try:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
        except OSError:
            return
        mode = (fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH) | fcntl.LOCK_NB
        deadline = time.monotonic() + wait_s
        while True:
            try:
                fcntl.flock(fd, mode)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    os.close(fd)
                    raise Locked(str(self.path)) from None
                time.sleep(_POLL_S)
            except OSError:  # ENOLCK and the like: this file system cannot lock
                os.close(fd)
                return
        self._fd = fd

    def release(self) -> None:
        if self._fd is not None:
            os.close(self._fd)  # closing drops the flock
            self._fd = None


def hold_shared(store: Path) -> StoreLock:
    """The shared hold an open store keeps (see the module's doc); StoreUnavailable while a
    restore holds it exclusively."""
    try:
        store.parent.mkdir(parents=True, exist_ok=True)  # a first run locks too (creating reports errors)
    except OSError:
        pass
    held = StoreLock(store)
    try:
        held.acquire(exclusive=False, wait_s=BUSY_TIMEOUT_MS / 1000)
    except Locked:
        raise StoreUnavailable(
            f"{display_path(store)}: a restore of the store is under way; try again when it is done"
        ) from None
    return held
