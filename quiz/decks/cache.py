"""Validated decks cached on disk, so that start-up and every command skip parsing YAML.

A 33,000-item deck takes ~1 s to read and check even with libyaml; its cache entry loads in
~0.06 s (each item's field dict is stored, and taken over as it is read back). An entry is
keyed on the deck file's bytes (so an edit made outside quiz is picked up on the next start,
whatever its mtime), the quiz version and the loader's own source files. Entries are
``marshal`` data (plain dicts, tuples and strings: fast, and never runs code); a missing,
damaged or foreign entry just means parsing the deck again. Invalid decks are never cached, so
their problems are reported every time.
"""

from __future__ import annotations

import marshal
import os
import stat
from dataclasses import fields
from pathlib import Path

from quiz import __version__
from quiz.digests import blake2b
from quiz.decks.model import Deck, Item, gc_paused
from quiz.errors import Problem, display_path
from quiz.outfile import sweep_stale_temps, write_atomic
from quiz.paths import home_dir

MAX_ENTRIES = 64
_STALE_S = 600
MAX_CACHED_BYTES = 64 * 1024 * 1024  # above the reader's own cap: such files go to the loader
_FORMAT = 5
_PACKAGE = Path(__file__).resolve().parent
_LOADER_FILES = ("loader.py", "yaml_reader.py", "yaml_text.py", "item_checks.py", "model.py", "cloze.py", "cache.py")
_FIELDS = tuple(f.name for f in fields(Item))


def _cache_dir() -> Path:
    return home_dir() / "cache" / "decks"


def _key(data: bytes) -> str:
    h = blake2b(data, digest_size=16)
    h.update(__version__.encode())
    for name in _LOADER_FILES:
        try:
            h.update(str(os.stat(_PACKAGE / name).st_mtime_ns).encode())
        except OSError:
            pass
    return h.hexdigest()


def _dump(deck: Deck) -> bytes:
    # Each item as the dict of its fields it holds (an Item keeps nothing else): written as it is
    # and taken over as it is read back, no item's fields are copied either way.
    rows = [vars(item) for item in deck.items]
    warnings = [(w.message, w.line, w.col) for w in deck.warnings]  # the path is shown as asked each time
    return marshal.dumps((_FORMAT, _FIELDS, deck.id, deck.name, deck.description, deck.sync_signature, warnings, rows))


def _load(data: bytes, path: Path) -> Deck:
    with gc_paused():  # unmarshalling makes a dict and tuples per item: no GC passes meanwhile
        form, names, deck_id, name, description, signature, warnings, rows = marshal.loads(data)
        first = rows[0] if type(rows) is list and rows else dict.fromkeys(_FIELDS)
        if form != _FORMAT or tuple(names) != _FIELDS or type(first) is not dict or first.keys() != set(_FIELDS):
            raise ValueError("cache entry of another format")
        items = tuple([_restored(row) for row in rows])
    shown = display_path(path)
    deck = Deck(id=deck_id, name=name, description=description, items=items, path=path,
                warnings=tuple(Problem(shown, message, line, col) for message, line, col in warnings))
    # Stored with the entry (the key covers model.py), so the store's check needs no pass over the items.
    deck.__dict__["sync_signature"] = signature
    return deck


def _restored(values: dict[str, object]) -> Item:
    """The Item whose every field ``values`` holds, as it was dumped: its dict taken over, as
    unpickling would (Item.from_values would copy it onto the defaults, for nothing)."""
    item: Item = object.__new__(Item)
    object.__setattr__(item, "__dict__", values)
    return item


def _store(key: str, deck: Deck) -> None:
    folder = _cache_dir()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        sweep_stale_temps(folder, _STALE_S)  # a cache write takes milliseconds
        write_atomic(folder / f"{key}.deck", _dump(deck))
        entries = sorted(folder.glob("*.deck"), key=lambda p: p.stat().st_mtime)
        for old in entries[:-MAX_ENTRIES]:
            old.unlink(missing_ok=True)
    except OSError:
        pass  # a cache we cannot write only costs speed (write_atomic leaves no partial temp file)


def prime(deck: Deck, data: bytes) -> str | None:
    """Cache a deck built from the bytes of its file (``quiz import`` writes ``data``), so the
    first study of it starts from the cache instead of parsing the file. The key of the entry
    if this made it (an import that is refused takes it back: ``forget``), else None."""
    key = _key(data)
    entry = _cache_dir() / f"{key}.deck"
    if entry.exists():
        return None
    _store(key, deck)
    return key if entry.exists() else None


def forget(key: str) -> None:
    """Remove the entry ``prime`` made for a deck file that was never kept."""
    (_cache_dir() / f"{key}.deck").unlink(missing_ok=True)


def cache_key(path: Path) -> str | None:
    """The key of the deck file ``path`` as it is now (None: not a file the cache takes)."""
    try:
        st = os.stat(path)
        if stat.S_ISREG(st.st_mode) and st.st_size <= MAX_CACHED_BYTES:
            return _key(path.read_bytes())
    except (OSError, ValueError):
        pass
    return None


def is_cached(key: str) -> bool:
    return (_cache_dir() / f"{key}.deck").exists()


def load_deck_cached(path: Path, key: str | None = None) -> Deck:
    """Like quiz.decks.loader.load_deck (same errors), from the cache when the file is unchanged
    (``key``: its cache_key, when the caller has just taken it)."""
    if key is None:
        key = cache_key(path)
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
