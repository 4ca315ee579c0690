"""Validated decks cached on disk, so that start-up and every command skip parsing YAML.

A 33,000-item deck takes ~1 s to read and check even with libyaml; its cache entry loads in
a few milliseconds: what a start needs of the deck (name, card count, the store's signature,
whether it has images) is read at once, its items only when something asks for them (a study
of twelve library decks builds the items of the deck its first card comes from). Each item is
stored as the dict of the fields it sets (the others read as their defaults) and taken over as
it is read back. An entry is keyed on the deck file's bytes (so an edit made outside quiz is
picked up on the next start, whatever its mtime; their digest is remembered by the file's stat,
quiz.decks.file_digests), the quiz version and the loader's own source files. Entries are
``marshal`` data (plain dicts, tuples and strings: fast, and never runs code). An entry holds
the deck of the very bytes its key names (a deck parsed is keyed by the bytes it was parsed
from, not by an earlier look at a file that may have been saved again since), names its own
key and carries a checksum of the whole: a missing, damaged, renamed or foreign entry just means
parsing the deck again. A deck file with problems gets an entry of its problems, reported from it every time.
"""

from __future__ import annotations

import marshal
import os
import stat
import zlib
from dataclasses import fields
from functools import cache, cached_property
from pathlib import Path
from typing import Any

from quiz import __version__
from quiz.digests import blake2b
from quiz.decks.file_digests import digest, file_digest
from quiz.decks.model import Deck, Item, gc_paused, refreeze
from quiz.errors import InvalidFile, Problem, display_path
from quiz.outfile import sweep_stale_temps, write_atomic
from quiz.paths import home_dir

# Entries kept, the least recently used removed first: an edit makes a new entry, and a library
# of more decks than this would parse some of them on every start.
MAX_ENTRIES = 1024
MAX_TOTAL_BYTES = 512 * 1024 * 1024  # ~2.5 million items' entries
_STALE_S = 600
MAX_CACHED_BYTES = 64 * 1024 * 1024  # above the reader's own cap: such files go to the loader
_FORMAT = 8
_PACKAGE = Path(__file__).resolve().parent
_LOADER_FILES = ("loader.py", "yaml_reader.py", "yaml_text.py", "yaml_errors.py", "item_checks.py", "model.py", "cloze.py",
                 "cache.py")
_FIELDS = tuple(f.name for f in fields(Item))
_BAD_ENTRY = (ValueError, EOFError, TypeError)
_PROBLEMS = "problems"  # an entry of a deck file with problems: what they are


def _cache_dir() -> Path:
    return home_dir() / "cache" / "decks"


@cache
def _loader_stamp() -> bytes:
    """What else an entry depends on: this quiz's version and its loader's source files."""
    parts = [__version__]
    for name in _LOADER_FILES:
        try:
            parts.append(str(os.stat(_PACKAGE / name).st_mtime_ns))
        except OSError:
            pass
    return "\n".join(parts).encode()


def _key(file_digest: bytes) -> str:
    """The entry of a deck file whose bytes have this digest (file_digests)."""
    return blake2b(file_digest + _loader_stamp(), digest_size=16).hexdigest()


def _dump(deck: Deck, key: str) -> bytes:
    # Each item's dict as it is: an item read from a file holds only the fields written in it
    # (Item.from_values), the class holds the defaults of the others.
    rows = marshal.dumps([vars(item) for item in deck.items])
    warnings = [(w.message, w.line, w.col) for w in deck.warnings]  # the path is shown as asked each time
    head = (_FORMAT, _FIELDS, key, deck.id, deck.name, deck.description, deck.sync_signature,
            deck.card_count, deck.has_images, warnings)
    return _sealed(head, rows)


def _sealed(head: tuple[Any, ...], rows: bytes) -> bytes:
    """The entry: a checksum of all that follows, then its head (which names the entry's own
    key) and rows. An entry renamed, copied over another or damaged on disk is never taken for
    the deck its name says (checked on every read, _opened)."""
    body = marshal.dumps((head, rows))
    return zlib.crc32(body).to_bytes(4, "little") + body


def _opened(data: bytes, key: str) -> tuple[list[Any], bytes]:
    """What follows the head's key in the entry ``data``, and its rows; ValueError if it is not
    this key's entry in this format, or damaged."""
    body = memoryview(data)[4:]
    if len(data) < 4 or zlib.crc32(body) != int.from_bytes(data[:4], "little"):
        raise ValueError("damaged cache entry")
    head, rows = marshal.loads(body)
    form, names, own_key, *rest = head
    if form != _FORMAT or tuple(names) != _FIELDS or own_key != key or type(rows) is not bytes:
        raise ValueError("not this deck's cache entry")
    return rest, rows


class CachedDeck(Deck):
    """A deck read from its cache entry: its items are built from the entry when first asked
    for. Equal to the same deck parsed from its file."""

    # The item rows as stored, until ``items`` is first read; and the entry's key.
    _rows: bytes
    _key: str

    @cached_property
    def items(self) -> tuple[Item, ...]:
        with gc_paused():  # an item is a dict and an object: no GC passes while they pile up
            # The rows passed the entry's checksum when it was read (_opened).
            items = tuple([_restored(row) for row in marshal.loads(self._rows)])
        del self.__dict__["_rows"]
        refreeze()  # the study app froze the objects that live as long as it does: these do too
        return items

    def __eq__(self, other: object) -> bool:
        # One entry, one file's bytes: the same deck without building either one's items. (A
        # copy made with dataclasses.replace has its items, and no entry key.)
        key = self.__dict__.get("_key")
        if key is not None and isinstance(other, CachedDeck) and other.__dict__.get("_key") == key \
                and other.path == self.path:
            return True
        return super().__eq__(other)

    __hash__ = Deck.__hash__


def _dump_problems(key: str, problems: list[Problem]) -> bytes:
    rows = marshal.dumps([(p.message, p.line, p.col) for p in problems])
    return _sealed((_FORMAT, _FIELDS, key, _PROBLEMS), rows)


def _load(data: bytes, path: Path, key: str) -> Deck:
    rest, rows = _opened(data, key)
    shown = display_path(path)
    if rest == [_PROBLEMS]:  # the same bytes give the same problems: reported without parsing
        raise InvalidFile([Problem(shown, message, line, col) for message, line, col in marshal.loads(rows)])
    deck_id, name, description, signature, card_count, has_images, warnings = rest
    deck: CachedDeck = object.__new__(CachedDeck)
    # Stored with the entry (the key covers model.py), so neither the store's check nor home's
    # counts nor the image probe needs the items.
    object.__setattr__(deck, "__dict__", {
        "id": deck_id, "name": name, "description": description, "path": path,
        "warnings": tuple(Problem(shown, message, line, col) for message, line, col in warnings),
        "sync_signature": signature, "card_count": card_count, "has_images": has_images,
        "_rows": rows, "_key": key,
    })
    return deck


def _restored(values: dict[str, object]) -> Item:
    """The Item whose fields ``values`` holds (the others at their defaults), as it was dumped:
    its dict taken over, as unpickling would (Item.from_values would copy it, for nothing)."""
    item: Item = object.__new__(Item)
    object.__setattr__(item, "__dict__", values)
    return item


def _store(key: str, deck: Deck | list[Problem]) -> None:
    folder = _cache_dir()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        sweep_stale_temps(folder, _STALE_S)  # a cache write takes milliseconds
        write_atomic(folder / f"{key}.deck", _dump(deck, key) if isinstance(deck, Deck) else _dump_problems(key, deck))
        _evict(folder)
    except OSError:
        pass  # a cache we cannot write only costs speed (write_atomic leaves no partial temp file)


def _evict(folder: Path) -> None:
    """The least recently used entries out, down to MAX_ENTRIES and MAX_TOTAL_BYTES (a hit
    touches its entry: _cached)."""
    entries = []
    for entry in folder.glob("*.deck"):
        try:
            st = entry.stat()
        except OSError:
            continue  # removed meanwhile by another quiz
        entries.append((st.st_mtime_ns, st.st_size, entry))
    entries.sort()
    total = sum(size for _, size, _ in entries)
    for count, (_, size, entry) in zip(range(len(entries), 1, -1), entries):  # the newest always stays
        if count <= MAX_ENTRIES and total <= MAX_TOTAL_BYTES:
            break
        entry.unlink(missing_ok=True)
        total -= size


def prime(deck: Deck, data: bytes) -> str | None:
    """Cache a deck built from the bytes of its file (``quiz import`` writes ``data``), so the
    first study of it starts from the cache instead of parsing the file. The key of the entry
    if this made it (an import that is refused takes it back: ``forget``), else None."""
    key = _key(digest(data))
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
            return _key(file_digest(path, st))
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
    if key is not None and (deck := _cached(path, key)) is not None:
        return deck
    from quiz.decks.loader import load_deck  # why: a cached deck needs no YAML parser (start-up time)
    from quiz.decks.yaml_text import read_bytes  # why: with the loader

    # Keyed by the bytes parsed, not by the look taken before: the file may have been saved
    # again in between, and an entry must hold the deck of the very bytes its key names.
    data = read_bytes(path)
    read, key = key, _key(digest(data))
    if key != read and (deck := _cached(path, key)) is not None:  # saved again, to a version cached already
        return deck
    try:
        deck = load_deck(path, data)
    except InvalidFile as e:
        # Kept too: a broken 20,000-item deck takes seconds to parse with the exact messages.
        _store(key, e.problems)
        raise
    _store(key, deck)
    return deck


# Decks read from their entries in this process, by entry and path: a command reads a deck's
# name and id to resolve what was named, then loads it; the entry (the whole deck's rows) is read once.
_read: dict[tuple[Path, Path], Deck] = {}
_MAX_READ = 256


def _cached(path: Path, key: str) -> Deck | None:
    entry = _cache_dir() / f"{key}.deck"
    if (deck := _read.get((entry, path))) is not None:
        return deck
    try:
        deck = _load(entry.read_bytes(), path, key)
    except (OSError, *_BAD_ENTRY):
        return None  # missing or damaged entry: parse the deck
    if len(_read) >= _MAX_READ:
        _read.clear()
    _read[(entry, path)] = deck
    try:
        os.utime(entry)  # the least recently used entries go first (_store)
    except OSError:
        pass
    return deck
