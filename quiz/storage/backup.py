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
copies and ``quiz-last-good.sqlite3`` stay until the user removes them.

Every daily and manual backup must pass SQLite's integrity_check before it gets its name, so a
damaged store is never copied over good backups, and ``quiz-last-good.sqlite3`` (a hard link to
the newest daily one) is always a known-good copy.
"""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
from datetime import datetime
from pathlib import Path

from quiz.errors import QuizError, display_path
from quiz.outfile import refuse_special, sweep_stale_temps
from quiz.paths import store_path
from quiz.storage.copying import Damaged, NotAFolder, candidates, link_new, make_folder, stamp
from quiz.storage.file_check import RESTORE_HINT, StoreUnavailable, check_store_file, reason
from quiz.storage.lock import Locked, StoreLock
from quiz.storage.store import Store, StoreError

KEEP_DAILY = 7
LAST_GOOD = "quiz-last-good.sqlite3"
DAILY_RE = re.compile(r"^quiz-\d{4}-\d{2}-\d{2}\.sqlite3$")


def daily_path(store_file: Path, now: datetime | None = None) -> Path:
    """Where today's automatic backup of ``store_file`` goes (local date)."""
    day = (now or datetime.now()).astimezone().strftime("%Y-%m-%d")
    return store_file.parent / "backups" / f"quiz-{day}.sqlite3"


def open_with_daily_backup(path: Path | None = None, now: datetime | None = None) -> Store:
    """Open the store and, on the first open of the local day, back it up (a store that fails
    the backup's integrity_check is refused: StoreError). A store this open creates is not
    backed up: it holds nothing yet."""
    p = path or store_path()
    new = not (p.exists() or p.is_symlink())
    store = Store.open(p)
    if new:
        return store  # nothing in it to keep yet: the day's backup is made on the next open
    try:
        daily_backup(store, now)
    except BaseException:
        store.close()
        raise
    return store


def daily_backup(store: Store, now: datetime | None = None, keep: int = KEEP_DAILY) -> Path | None:
    """Back the store up once per local day (into backups/ beside the store); prune old ones.

    The copy must pass the full integrity_check, so every daily backup is known good, and the
    newest one is also linked as ``quiz-last-good.sqlite3``, which rotation never removes. A
    store that fails the check is refused (StoreError) rather than copied over good backups.
    """
    dest = daily_path(store.path, now)
    d = dest.parent
    if dest.exists():
        return None
    try:
        store.copy_to(dest, verify=True)
    except FileExistsError:
        return None  # another process made today's copy meanwhile
    except Damaged as e:
        raise StoreError(f"{display_path(store.path)}: the store is damaged ({e}); {RESTORE_HINT}") from None
    except (OSError, sqlite3.Error, StoreError, NotAFolder):
        return None  # a backup that cannot be written (disk full, read-only) must not stop studying
    _mark_last_good(dest)
    prune(d, keep)
    return dest


def _mark_last_good(backup: Path) -> None:
    """Point ``quiz-last-good.sqlite3`` at ``backup`` (a hard link: no second copy on disk)."""
    link = backup.parent / LAST_GOOD
    tmp = backup.with_name(f".{LAST_GOOD}.{os.getpid()}.tmp")
    try:
        tmp.unlink(missing_ok=True)
        try:
            os.link(backup, tmp)
        except OSError:
            shutil.copyfile(backup, tmp)  # no hard links here: a copy then
        os.replace(tmp, link)
    except OSError:
        pass  # the dated backup itself is still there
    finally:
        tmp.unlink(missing_ok=True)


def prune(d: Path, keep: int = KEEP_DAILY) -> None:
    """Keep the newest ``keep`` daily backups; drop copies left half-written by a crash."""
    daily = sorted(p for p in d.iterdir() if DAILY_RE.match(p.name))  # never LAST_GOOD
    for p in daily[: max(0, len(daily) - keep)]:
        p.unlink(missing_ok=True)
    sweep_stale_temps(d, 3600)  # an hour: no live backup takes that long, so it was abandoned


def backup_to(store: Store, dest: Path | None = None, *, force: bool = False) -> Path:
    """``quiz backup``: copy the store to ``dest``; returns the file written.

    Default: a new timestamped file in backups/ (numbered if that second's name is taken). A
    ``dest`` that exists is refused unless ``force``.
    """
    named = dest is not None
    if dest is None:
        dest = store.path.parent / "backups" / f"quiz-manual-{stamp()}.sqlite3"
    elif dest.is_dir():
        raise QuizError(f"{display_path(dest)}: is a folder; give a file name for the backup")
    elif force:
        refuse_special(dest)
    try:
        if not named:
            return store.copy_new(dest, verify=True)
        return store.copy_to(dest, replace=force, verify=True)
    except FileExistsError:
        raise QuizError(f"{display_path(dest)}: already exists; use --force to replace it") from None
    except Damaged as e:
        raise StoreError(f"{display_path(store.path)}: the store is damaged ({e}), so it was not backed up; "
                         f"{RESTORE_HINT}") from None
    except OSError as e:
        raise QuizError(f"{display_path(dest)}: cannot write the backup: {reason(e, dest)}") from None


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
    """Replace the store with ``src`` (checked first); returns where the old store was kept.

    Holds the store's lock exclusively from the copy of the old store through the swap, so no
    grade can fall between them; refused while another quiz has the store open.
    """
    target = target or store_path()
    if not src.is_file():
        raise QuizError(f"{display_path(src)}: " + ("not a regular file" if src.exists() else "no such file"))
    # Not a quiz store, damaged (every index checked), too new: refuse before touching anything.
    check_store_file(src, hint=None, integrity=True)
    if target.exists() and src.resolve() == target.resolve():
        raise QuizError(f"{display_path(src)}: that is the store itself")
    make_folder(target.parent / "backups")
    lock = StoreLock(target)
    try:
        lock.acquire(exclusive=True)
    except Locked:
        raise StoreUnavailable(
            f"{display_path(target)}: the store is open in another quiz (study, exam, stats...); "
            "close it, then restore"
        ) from None
    try:
        return _swap_in(src, target)
    finally:
        lock.release()


def _swap_in(src: Path, target: Path) -> Path | None:
    kept: Path | None = target.parent / "backups" / f"quiz-before-restore-{stamp()}.sqlite3"
    assert kept is not None
    current: Store | None = None
    if target.exists():
        try:
            current = Store.open(target, lock=False)
        except StoreUnavailable:
            raise
        except StoreError:
            # Damaged: keep its bytes exactly as they are, then restore into a fresh store.
            kept = _move_new(target, kept)
        else:
            try:
                kept = current.copy_new(kept)
            except BaseException:
                current.close()
                raise
    else:
        kept = None
    if current is None:
        current = Store.open(target, lock=False)
    try:
        current.load_from(src)  # one SQLite transaction; any Store still open on it stops writing
    finally:
        current.close()
    # An older store schema is brought up to date by the normal open path.
    Store.open(target, lock=False).close()
    return kept
