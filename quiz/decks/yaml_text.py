"""A deck file's text: read safely (what is not a readable UTF-8 text file of a sane size is
one clear problem), and which characters it may hold, told in one pass where a regex would
take several milliseconds per 600 KB file."""

from __future__ import annotations

import codecs
import os
import re
import stat
from pathlib import Path

from quiz.errors import InvalidFile, Problem, display_path
from quiz.safe_text import CONTROL_RE

MAX_BYTES = 48 * 1024 * 1024  # about 150,000 items (see yaml_reader's MAX_NODES)

# Files saved as UTF-16/32 are full of NUL bytes; say what they are rather than "binary".
_OTHER_BOMS = (
    (codecs.BOM_UTF32_LE, "UTF-32"),
    (codecs.BOM_UTF32_BE, "UTF-32"),
    (codecs.BOM_UTF16_LE, "UTF-16"),
    (codecs.BOM_UTF16_BE, "UTF-16"),
)


def read_text(path: Path) -> str:
    """The file's text, or InvalidFile for anything that is not a readable UTF-8 text file."""
    return decode_text(path, read_bytes(path))


def _bad(path: Path, message: str, line: int | None = None, col: int | None = None) -> InvalidFile:
    return InvalidFile([Problem(display_path(path), message, line, col)])


def read_bytes(path: Path) -> bytes:
    """The bytes of a regular file of at most MAX_BYTES (+1, to tell a bigger one), or
    InvalidFile: what read_text reads, for a caller that keys them (the deck cache) before
    decoding them with decode_text."""
    try:
        # stat first: opening a FIFO or a terminal device would block forever.
        st = os.stat(path)
        if stat.S_ISDIR(st.st_mode):
            raise _bad(path, "is a directory, not a file")
        if not stat.S_ISREG(st.st_mode):
            raise _bad(path, "is not a regular file")
        with open(path, "rb") as f:
            return f.read(MAX_BYTES + 1)
    except (FileNotFoundError, NotADirectoryError):
        raise _bad(path, "no such file") from None
    except PermissionError:
        raise _bad(path, "permission denied") from None
    except OSError as e:
        raise _bad(path, f"cannot read: {e.strerror or e}") from None
    except ValueError:  # e.g. a NUL byte in the path
        raise _bad(path, "not a valid file name") from None


def decode_text(path: Path, data: bytes) -> str:
    """The text of ``data`` (read_bytes' of ``path``), or InvalidFile naming the file."""
    if len(data) > MAX_BYTES:
        raise _bad(path, f"larger than {MAX_BYTES // (1024 * 1024)} MiB, the limit for one file (about 150,000 "
                   "items); is this really a deck? split a bigger collection into several decks")
    for bom, name in _OTHER_BOMS:
        if data.startswith(bom):
            raise _bad(path, f"file is {name} encoded; save it as UTF-8")
    if data.startswith(b"PK\x03\x04"):  # an .apkg or .colpkg is a zip
        raise _bad(path, f"a package (zip), not a deck file: for an Anki package, `quiz import {display_path(path)}` "
                   "makes a deck of it")
    if data.startswith(b"SQLite format 3\x00"):  # Anki's collection.anki2, or a quiz store
        raise _bad(path, "a database (SQLite), not a deck file: for an Anki collection, export it from Anki "
                   "as a package (.apkg) and `quiz import` that")
    if b"\x00" in data:
        raise _bad(path, "binary file (contains NUL bytes), expected YAML text")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = data.count(b"\n", 0, e.start) + 1
        start = data.rfind(b"\n", 0, e.start) + 1
        col = len(data[start : e.start].decode("utf-8", "replace")) + 1
        raise _bad(path, "not valid UTF-8 text (save the file as UTF-8)", line, col) from None
    if not text.strip():
        raise _bad(path, "file is empty")
    return text


# The YAML escapes that make a control character (C0 but tab and newline, DEL, C1): \0 \a \b
# \v \f \r \e \N (NEL), and any \x, \u or \U.
_CONTROL_ESCAPE = re.compile(r"\\[0abvfreNxuU]")


def may_hold_controls(text: str) -> bool:
    """Whether a value read from ``text`` (read_text's) may hold a control character: only the
    character itself or an escape in a double-quoted scalar makes one. False: no value needs
    looking at (a \\ before one of those letters is an escaped backslash: looked at anyway)."""
    if not plain_ascii(text) and CONTROL_RE.search(text):
        return True
    return bool(_CONTROL_ESCAPE.search(text))


_PRINTABLE_ASCII = bytes(range(0x20, 0x7F)) + b"\t\n"


def plain_ascii(text: str) -> bool:
    """``text`` is ASCII with no control character but tab and newline, as most deck files are:
    then it holds neither a character YAML forbids nor a control character. One pass in C,
    where each of those two regexes takes ~4 ms over a 600 KB file."""
    return text.isascii() and not text.encode("ascii").translate(None, _PRINTABLE_ASCII)
