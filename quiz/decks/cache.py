"""Validated decks cached on disk, so that start-up and every command skip parsing YAML.

A 33,000-item deck takes ~1.5 s to read and check even with libyaml; its cache entry loads in
~0.15 s. An entry is keyed on the deck file's bytes (so an edit made outside quiz is picked up
on the next start, whatever its mtime), the quiz version and the loader's own source files.
Entries are ``marshal`` data (plain tuples and strings: fast, and never runs code); a missing,
damaged or foreign entry just means parsing the deck again. Invalid decks are never cached, so
their problems are reported every time.
"""

from __future__ import annotations

import hashlib
import marshal
import os
import time
from dataclasses import fields
from operator import attrgetter
from pathlib import Path

from quiz import __version__
from quiz.decks.model import Deck, Item, gc_paused
from quiz.outfile import write_atomic
from quiz.paths import home_dir

MAX_ENTRIES = 64
_STALE_S = 600
MAX_CACHED_BYTES = 64 * 1024 * 1024  # above the reader's own cap: such files go to the loader
_FORMAT = 2
_PACKAGE = Path(__file__).resolve().parent
_LOADER_FILES = ("loader.py", "yaml_reader.py", "model.py", "cloze.py", "cache.py")
_FIELDS = tuple(f.name for f in fields(Item))


def _cache_dir() -> Path:
    return home_dir() / "cache" / "decks"


def _key(data: bytes) -> str:
    h = hashlib.blake2b(data, digest_size=16)
    h.update(__version__.encode())
    for name in _LOADER_FILES:
        try:
            h.update(str(os.stat(_PACKAGE / name).st_mtime_ns).encode())
        except OSError:
            pass
    return h.hexdigest()


def _dump(deck: Deck) -> bytes:
    row = attrgetter(*_FIELDS)
    rows = tuple(row(item) for item in deck.items)
    return marshal.dumps((_FORMAT, _FIELDS, deck.id, deck.name, deck.description, rows))


def _load(data: bytes, path: Path) -> Deck:
    form, names, deck_id, name, description, rows = marshal.loads(data)
    if form != _FORMAT or tuple(names) != _FIELDS:
        raise ValueError("cache entry of another format")
    with gc_paused():
        items = tuple(Item(*row) for row in rows)
    return Deck(id=deck_id, name=name, description=description, items=items, path=path)


def _store(key: str, deck: Deck) -> None:
    folder = _cache_dir()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        _sweep(folder)
        write_atomic(folder / f"{key}.deck", _dump(deck))
        entries = sorted(folder.glob("*.deck"), key=lambda p: p.stat().st_mtime)
        for old in entries[:-MAX_ENTRIES]:
            old.unlink(missing_ok=True)
    except OSError:
        pass  # a cache we cannot write only costs speed (write_atomic leaves no partial temp file)


def _sweep(folder: Path) -> None:
    """Remove temp files left by processes killed mid-write (a write takes milliseconds)."""
    stale = time.time() - _STALE_S
    for p in folder.glob(".*.tmp"):
        try:
            if p.stat().st_mtime < stale:
                p.unlink()
        except OSError:
            pass


def prime(deck: Deck, data: bytes) -> None:
    """Cache a deck built from the bytes of its file (``quiz import`` writes ``data``), so the
    first study of it starts from the cache instead of parsing the file."""
    key = _key(data)
    if not (_cache_dir() / f"{key}.deck").exists():
        _store(key, deck)


def load_deck_cached(path: Path) -> Deck:
    """Like quiz.decks.loader.load_deck (same errors), from the cache when the file is unchanged."""
    key = None
    try:
        if path.is_file() and path.stat().st_size <= MAX_CACHED_BYTES:
            key = _key(path.read_bytes())
    except OSError:
        key = None
    if key is not None:
        try:
            return _load((_cache_dir() / f"{key}.deck").read_bytes(), path)
        except (OSError, ValueError, EOFError, TypeError):
            pass  # missing or damaged entry: parse the deck
    from quiz.decks.loader import load_deck  # why: a cached deck needs no YAML parser (start-up time)

    deck = load_deck(path)
    if key is not None:
        _store(key, deck)
    return deck
