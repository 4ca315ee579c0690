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

from quiz.errors import QuizError, display_path
from quiz.outfile import fsync_file
from quiz.storage.file_check import is_damage, one_line


class Damaged(Exception):
    """A copy failed SQLite's integrity_check: the database it was taken from is damaged."""


class NotAFolder(QuizError):
    """Something that is not a folder sits where the copies' folder belongs."""


def make_folder(d: Path) -> None:
    """Make the copies' folder; a file in its place is a NotAFolder (never "name taken")."""
    try:
        d.mkdir(parents=True, exist_ok=True)
    except FileExistsError:
        raise NotAFolder(f"{display_path(d)}: is not a folder; move it away so backups can be kept there") from None


def copy_db(src: sqlite3.Connection, dest: Path, *, replace: bool = False, verify: bool = False) -> Path:
    """Copy the database behind ``src`` to ``dest``; returns the path written.

    Without ``replace`` an existing file is never touched: ``FileExistsError`` is raised (the
    final link is atomic, so two processes cannot both claim one name). With ``verify`` the copy
    must pass SQLite's full integrity_check (every index against its table) before it gets its
    name: Damaged otherwise, and nothing is kept.
    """
    make_folder(dest.parent)
    tmp = dest.with_name(f".{dest.name}.{os.getpid()}.tmp")
    tmp.unlink(missing_ok=True)
    try:
        out = sqlite3.connect(tmp)
        try:
            src.backup(out)
            # A backup is a single self-contained file: no WAL beside it.
            out.execute("PRAGMA journal_mode = DELETE")
            if verify:
                _verify(out)
        finally:
            out.close()
        fsync_file(tmp)
        if replace:
            os.replace(tmp, dest)
        else:
            link_new(tmp, dest)
    finally:
        tmp.unlink(missing_ok=True)
    return dest


def _verify(conn: sqlite3.Connection) -> None:
    conn.text_factory = lambda b: b.decode("utf-8", "replace")  # reports quote names from the file
    try:
        report = conn.execute("PRAGMA integrity_check(1)").fetchone()[0]
    except (sqlite3.DatabaseError, UnicodeDecodeError) as e:
        if not is_damage(e):
            raise
        report = str(e)
    if report != "ok":
        raise Damaged(one_line(report))


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


def copy_db_new(src: sqlite3.Connection, dest: Path, *, verify: bool = False) -> Path:
    """Copy to ``dest`` or, when taken, the first free numbered name after it."""
    make_folder(dest.parent)  # before the loop: a file named like the folder is not "name taken"
    for name in candidates(dest):
        try:
            return copy_db(src, name, verify=verify)
        except FileExistsError:
            continue
    raise AssertionError("unreachable")


def stamp() -> str:
    return datetime.now().astimezone().strftime("%Y-%m-%dT%H%M%S")
