"""Backups of the store with SQLite's online backup API (consistent even while others write).

- ``daily_backup``: the first open of each local day copies the store to
  $QUIZ_HOME/backups/quiz-YYYY-MM-DD.sqlite3 and keeps the newest ``KEEP_DAILY`` of those.
- ``backup_to``: ``quiz backup [-o FILE [--force]]``.
- ``restore_from``: ``quiz restore FILE`` checks FILE is a quiz store first, and keeps the store
  it replaces as a backup.
Every copy is written to a temporary name and linked into place, so a crash never leaves a
half-written backup that looks complete, and an existing backup is never replaced: a name
already taken (two backups or restores in the same second) gets a counter, ``-2``, ``-3``...
Only ``quiz backup -o FILE --force`` replaces a file, one the user named.

Rotation keeps the newest ``KEEP_DAILY`` automatic copies (``quiz-YYYY-MM-DD.sqlite3``) and
never deletes anything else: manual (``quiz-manual-*``), before-restore and before-migration
copies stay until the user removes them.
"""

from __future__ import annotations

import os
import re
import sqlite3
import time
from datetime import datetime
from pathlib import Path

from quiz.errors import QuizError, display_path
from quiz.paths import store_path
from quiz.storage.copying import candidates, link_new, stamp
from quiz.storage.file_check import check_store_file
from quiz.storage.store import Store, StoreError

KEEP_DAILY = 7
DAILY_RE = re.compile(r"^quiz-\d{4}-\d{2}-\d{2}\.sqlite3$")


def daily_path(store_file: Path, now: datetime | None = None) -> Path:
    """Where today's automatic backup of ``store_file`` goes (local date)."""
    day = (now or datetime.now()).astimezone().strftime("%Y-%m-%d")
    return store_file.parent / "backups" / f"quiz-{day}.sqlite3"


def open_with_daily_backup(path: Path | None = None, now: datetime | None = None) -> Store:
    """Open the store and, on the first open of the local day, back it up.

    Before the day's backup every page is checked: a damaged store must never be copied into the
    backups and rotate the good ones out.
    """
    p = path or store_path()
    store = Store.open(p, deep_check=not daily_path(p, now).exists())
    try:
        daily_backup(store, now)
    except BaseException:
        store.close()
        raise
    return store


def daily_backup(store: Store, now: datetime | None = None, keep: int = KEEP_DAILY) -> Path | None:
    """Back the store up once per local day (into backups/ beside the store); prune old ones."""
    dest = daily_path(store.path, now)
    d = dest.parent
    if dest.exists():
        return None
    try:
        store.copy_to(dest)
    except FileExistsError:
        return None  # another process made today's copy meanwhile
    except (OSError, sqlite3.Error, StoreError):
        return None  # a backup that cannot be written (disk full, read-only) must not stop studying
    prune(d, keep)
    return dest


def prune(d: Path, keep: int = KEEP_DAILY) -> None:
    """Keep the newest ``keep`` daily backups; drop copies left half-written by a crash."""
    daily = sorted(p for p in d.iterdir() if DAILY_RE.match(p.name))
    for p in daily[: max(0, len(daily) - keep)]:
        p.unlink(missing_ok=True)
    stale = time.time() - 3600  # an hour: no live backup takes that long, so it was abandoned
    for p in d.glob(".*.tmp"):
        try:
            if p.stat().st_mtime < stale:
                p.unlink()
        except OSError:
            pass


def backup_to(store: Store, dest: Path | None = None, *, force: bool = False) -> Path:
    """``quiz backup``: copy the store to ``dest``; returns the file written.

    Default: a new timestamped file in backups/ (numbered if that second's name is taken). A
    ``dest`` that exists is refused unless ``force``.
    """
    if dest is not None and dest.is_dir():
        raise QuizError(f"{display_path(dest)}: is a folder; give a file name for the backup")
    try:
        if dest is None:
            return store.copy_new(store.path.parent / "backups" / f"quiz-manual-{stamp()}.sqlite3")
        return store.copy_to(dest, replace=force)
    except FileExistsError:
        raise QuizError(f"{display_path(dest)}: already exists; use --force to replace it") from None
    except OSError as e:
        raise QuizError(f"{display_path(dest)}: cannot write the backup: {e.strerror}") from None


def _move_new(store_file: Path, dest: Path) -> Path:
    """Move a (damaged) store and its -wal/-shm to the first free name from ``dest``."""
    for name in candidates(dest):
        try:
            link_new(store_file, name)
        except FileExistsError:
            continue
        if store_file.exists() and name.exists() and os.path.samefile(store_file, name):
            store_file.unlink()
        for suffix in ("-wal", "-shm"):
            p = Path(f"{store_file}{suffix}")
            if p.exists():
                os.replace(p, Path(f"{name}{suffix}"))
        return name
    raise AssertionError("unreachable")


def restore_from(src: Path, target: Path | None = None) -> Path | None:
    """Replace the store with ``src`` (checked first); returns where the old store was kept."""
    target = target or store_path()
    if not src.is_file():
        raise QuizError(f"{display_path(src)}: no such file")
    check_store_file(src, hint=None)  # not a quiz store, damaged, too new: refuse before touching anything
    if target.exists() and src.resolve() == target.resolve():
        raise QuizError(f"{display_path(src)}: that is the store itself")
    kept: Path | None = target.parent / "backups" / f"quiz-before-restore-{stamp()}.sqlite3"
    assert kept is not None
    kept.parent.mkdir(parents=True, exist_ok=True)
    current: Store | None = None
    if target.exists():
        try:
            current = Store.open(target)
        except StoreError:
            # Damaged: keep its bytes exactly as they are, then restore into a fresh store.
            kept = _move_new(target, kept)
        else:
            kept = current.copy_new(kept)
    else:
        kept = None
    if current is None:
        current = Store.open(target)
    try:
        current.load_from(src)
    finally:
        current.close()
    # An older store schema is brought up to date by the normal open path.
    Store.open(target).close()
    return kept
