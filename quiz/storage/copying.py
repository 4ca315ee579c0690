"""Copying an SQLite database file safely: SQLite's online backup API into a temporary name,
fsynced, then linked into place, so a crash never leaves a half-written copy that looks complete
and an existing file is never replaced unless asked. Used by the store (the copy kept before a
migration) and by backup/restore.
"""

from __future__ import annotations

import itertools
import os
import sqlite3
from datetime import datetime
from pathlib import Path


def copy_db(src: sqlite3.Connection, dest: Path, *, replace: bool = False) -> Path:
    """Copy the database behind ``src`` to ``dest``; returns the path written.

    Without ``replace`` an existing file is never touched: ``FileExistsError`` is raised (the
    final link is atomic, so two processes cannot both claim one name).
    """
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = dest.with_name(f".{dest.name}.{os.getpid()}.tmp")
    tmp.unlink(missing_ok=True)
    try:
        out = sqlite3.connect(tmp)
        try:
            src.backup(out)
            # A backup is a single self-contained file: no WAL beside it.
            out.execute("PRAGMA journal_mode = DELETE")
        finally:
            out.close()
        fd = os.open(tmp, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
        if replace:
            os.replace(tmp, dest)
        else:
            link_new(tmp, dest)
    finally:
        tmp.unlink(missing_ok=True)
    return dest


def link_new(src: Path, dest: Path) -> None:
    """Give ``src`` the name ``dest`` only if nothing has it (FileExistsError otherwise)."""
    try:
        os.link(src, dest)
    except FileExistsError:
        raise
    except OSError:
        # No hard links on this file system: check, then rename (a narrow race, same result).
        if dest.exists() or dest.is_symlink():
            raise FileExistsError(str(dest)) from None
        os.replace(src, dest)


def candidates(dest: Path) -> itertools.chain[Path]:
    """``dest``, then ``NAME-2.sqlite3``, ``NAME-3.sqlite3``...: the names a new copy may take."""
    numbered = (dest.with_name(f"{dest.stem}-{n}{dest.suffix}") for n in itertools.count(2))
    return itertools.chain([dest], numbered)


def copy_db_new(src: sqlite3.Connection, dest: Path) -> Path:
    """Copy to ``dest`` or, when taken, the first free numbered name after it."""
    for name in candidates(dest):
        try:
            return copy_db(src, name)
        except FileExistsError:
            continue
    raise AssertionError("unreachable")


def stamp() -> str:
    return datetime.now().astimezone().strftime("%Y-%m-%dT%H%M%S")
