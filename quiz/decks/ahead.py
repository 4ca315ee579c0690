"""Deck files not in the deck cache yet, parsed on two cores (Linux).

A first start on a big library, or `quiz validate` of many decks, parses every file (~50 µs an
item: 1.5 s for 33,000). ``parse_ahead`` forks a child that parses the last of the files (about
half of the bytes) into the deck cache while the caller reads the first ones; coming to one of
the child's, the caller waits for the child, then finds the deck in the cache. The cache is the
only channel: whatever the child does not leave there (an invalid deck, a crash, a cache that
cannot be written) the caller parses itself, with the same errors as ever.
"""

from __future__ import annotations

import os
import signal
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from quiz.cores import can_fork
from quiz.decks.cache import cache_key, is_cached, load_deck_cached
from quiz.decks.model import Deck

MIN_BYTES = 1024 * 1024  # less than this parses faster than a second process starts


def _split(paths: Sequence[Path], keys: dict[Path, str]) -> list[Path]:
    """The child's share: uncached files from the end, until about half of all uncached bytes.
    Fills ``keys`` (path -> cache key), so that a cached file is not looked at twice."""
    sizes = []
    for p in dict.fromkeys(paths):
        key = cache_key(p)
        if key is None:
            continue  # not a file the cache takes: the caller reports it, or parses it
        keys[p] = key
        if not is_cached(key):
            sizes.append((p, os.stat(p).st_size))
    total = sum(size for _, size in sizes)
    if len(sizes) < 2 or total < MIN_BYTES:
        return []
    theirs: list[Path] = []
    share = 0
    for p, size in reversed(sizes[1:]):
        if share + size / 2 > total / 2:
            break
        theirs.append(p)
        share += size
    return theirs


def _child(paths: list[Path]) -> None:
    try:
        for p in paths:
            try:
                load_deck_cached(p)
            except Exception:  # noqa: BLE001 - the caller parses it again and reports it
                pass
    finally:
        os._exit(0)  # nothing of the parent's (buffers, atexit, the store) is touched


@contextmanager
def parse_ahead(paths: Sequence[Path]) -> Iterator[Callable[[Path], Deck]]:
    """A loader (like load_deck_cached) for ``paths``, read in their order, with the uncached
    ones parsed on two cores when there is enough to parse and the platform allows it."""
    keys: dict[Path, str] = {}
    theirs = set(_split(paths, keys)) if can_fork() else set()
    pid = None
    if theirs:
        sys.stdout.flush()  # nothing buffered may be written twice
        sys.stderr.flush()
        try:
            pid = os.fork()
        except OSError:  # no second process to be had (process or memory limits): parse here
            theirs = set()
        if pid == 0:
            _child([p for p in dict.fromkeys(paths) if p in theirs])

    def load(path: Path) -> Deck:
        nonlocal pid
        if pid is not None and path in theirs:
            os.waitpid(pid, 0)
            pid = None
        return load_deck_cached(path, keys.get(path))

    try:
        yield load
    finally:
        if pid is not None:  # left early (an error): its work is not wanted
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
