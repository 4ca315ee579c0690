"""Files written all or nothing (``write_atomic``): a temp file beside the target, renamed over it.

``tempfile.mkstemp`` makes its file 0600, and the rename keeps that mode: an exported package or
an imported deck would be unreadable to the group and others, unlike any file the user's tools
make. So the temp file gets the mode a new file gets under the current umask.
"""

from __future__ import annotations

import os
import stat
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from quiz.errors import QuizError, display_path


def fsync_file(path: str | Path) -> None:
    """Flush a written file's bytes to disk before it is renamed or linked into place."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def new_file_mode() -> int:
    """0666 less the process umask (read by setting it: Python has no getter before 3.13...)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return 0o666 & ~mask


def temp_beside(path: Path, suffix: str = ".tmp") -> tuple[int, str]:
    """An open temp file (fd, name) in ``path``'s folder, with a new file's normal mode."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=suffix)
    if hasattr(os, "fchmod"):  # not on Windows, where the mode bits mean little anyway
        try:
            os.fchmod(fd, new_file_mode())
        except BaseException:
            os.close(fd)
            Path(tmp).unlink(missing_ok=True)
            raise
    return fd, tmp


def write_atomic(
    path: Path, data: bytes | memoryview | str, *, check: Callable[[Path], None] | None = None, suffix: str = ".tmp"
) -> None:
    """Write ``data`` (text as UTF-8) all or nothing: into a temp file beside ``path``, then
    renamed over it once complete, so a crash never leaves half a file. ``check`` may read the
    complete temp file (named ``*suffix``) first; if it raises, ``path`` is left as it was."""
    fd, tmp = temp_beside(path, suffix)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data.encode("utf-8") if isinstance(data, str) else data)
        if check is not None:
            check(Path(tmp))
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


_KINDS = ((stat.S_ISDIR, "a folder"), (stat.S_ISFIFO, "a named pipe"), (stat.S_ISCHR, "a device"),
          (stat.S_ISBLK, "a device"), (stat.S_ISSOCK, "a socket"))


def refuse_special(path: Path) -> None:
    """Refuse a target that exists and is not a regular file: renaming over a FIFO or a device
    node (``-o /dev/null --force`` as root) would replace it with a plain file."""
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        return
    except OSError as e:
        raise QuizError(f"{display_path(path)}: cannot check the output file: {e.strerror or e}") from None
    if not stat.S_ISREG(mode):
        kind = next((name for test, name in _KINDS if test(mode)), "not a regular file")
        raise QuizError(f"{display_path(path)}: is {kind}, not a regular file; refusing to replace it")


def sweep_stale_temps(folder: Path, older_than_s: float) -> None:
    """Remove the hidden ``.*.tmp`` files in ``folder`` left by processes killed mid-write: any
    older than a write could possibly take."""
    stale = time.time() - older_than_s
    for p in folder.glob(".*.tmp"):
        try:
            if p.stat().st_mtime < stale:
                p.unlink()
        except OSError:
            pass



@contextmanager
def folder_made_for(path: Path) -> Iterator[None]:
    """The missing folders up to ``path``'s, made (as ``mkdir -p``: ``-o decks/x.yaml`` from a
    folder with no decks/ yet works, as `quiz backup -o` does); removed again, where left
    empty, if the body fails (a refused import or export leaves no folders behind)."""
    made: list[Path] = []
    folder = path.parent
    while not folder.exists() and folder != folder.parent:
        made.append(folder)
        folder = folder.parent
    if not folder.is_dir():
        raise QuizError(f"{folder}: is a file, not a folder (the output file would go in it)")  # as given
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise QuizError(f"{path.parent}: cannot make the folder for the output file: "
                        f"{e.strerror or e}") from None
    try:
        yield
    except BaseException:
        for d in made:  # deepest first
            try:
                d.rmdir()
            except OSError:
                break  # not empty: something else put files there meanwhile
        raise
