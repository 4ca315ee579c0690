"""Output files written all or nothing: a temp file beside the target, renamed over it.

``tempfile.mkstemp`` makes its file 0600, and the rename keeps that mode: an exported package or
an imported deck would be unreadable to the group and others, unlike any file the user's tools
make. So the temp file gets the mode a new file gets under the current umask.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


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
