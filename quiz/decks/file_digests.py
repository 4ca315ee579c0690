"""A deck file's digest (what the deck cache's key is made from), remembered by the file's
stat, so that a start does not read and hash every deck file again: twelve library decks of
33,000 items are 8 MB, ~15 ms of every start.

A remembered digest is used only while the file's size, mtime, ctime, inode and device are
all as they were. Any write changes the ctime, which tools that keep a file's mtime (cp -p,
rsync -t, touch -d) cannot set back. A digest is remembered only when the file was last
changed over two seconds before it was read: a write in the same clock tick as that reading
would leave the stat as it was (git's "racy" case), so such a file is hashed each time until
it has settled. A missing or damaged memo only costs the hashing.
"""

from __future__ import annotations

import marshal
import os
import time
from pathlib import Path

from quiz.digests import blake2b
from quiz.outfile import write_atomic
from quiz.paths import home_dir

SETTLED_NS = 2_000_000_000  # a file unchanged this long before it was read is remembered
MAX_REMEMBERED = 512

Stat = tuple[int, int, int, int, int]
_memo: dict[str, tuple[Stat, bytes]] | None = None  # per process, read once


def digest(data: bytes) -> bytes:
    return blake2b(data, digest_size=16).digest()


def file_digest(path: Path, st: os.stat_result) -> bytes:
    """The digest of the file at ``path`` (``st``: its stat, taken before this is called)."""
    seen = stat_signature(st)
    memo = _read_memo()
    name = str(path)
    hit = memo.get(name)
    if type(hit) is tuple and len(hit) == 2 and hit[0] == seen and type(hit[1]) is bytes:
        return hit[1]
    found = digest(path.read_bytes())
    # Remembered only if the file was the same before and after the reading (a save in between
    # gives bytes of another version than ``seen``), and settled.
    if stat_signature(os.stat(path)) == seen and time.time_ns() - max(st.st_mtime_ns, st.st_ctime_ns) > SETTLED_NS:
        memo.pop(name, None)
        memo[name] = (seen, found)
        while len(memo) > MAX_REMEMBERED:
            del memo[next(iter(memo))]  # the longest remembered
        _write_memo(memo)
    return found


def stat_signature(st: os.stat_result) -> Stat:
    """What tells one version of a file from another without reading it (see the module doc)."""
    return (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino, st.st_dev)


def _memo_path() -> Path:
    return home_dir() / "cache" / "decks" / "file-digests"


def _read_memo() -> dict[str, tuple[Stat, bytes]]:
    global _memo
    if _memo is None:
        try:
            found = marshal.loads(_memo_path().read_bytes())
            _memo = found if type(found) is dict else {}
        except (OSError, ValueError, EOFError, TypeError):
            _memo = {}
    return _memo


def _write_memo(memo: dict[str, tuple[Stat, bytes]]) -> None:
    path = _memo_path()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(path, marshal.dumps(memo))
    except OSError:
        pass  # a memo we cannot write only costs speed

