"""Validated decks cached as JSON, so that start-up skips parsing YAML.

Parsing and checking the built-in deck with the safe pure-Python reader costs ~80 ms, over a
third of the time to the first card. A cache entry is keyed on the deck file's bytes, the quiz
version and the loader's own source files, so any edit of either parses and validates afresh.
`quiz validate` never reads the cache.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from dataclasses import asdict
from pathlib import Path
from typing import Any

from quiz import __version__
from quiz.decks.model import Deck, Item
from quiz.outfile import write_atomic
from quiz.paths import home_dir

MAX_ENTRIES = 64
_STALE_S = 600
_MAX_BYTES = 4 * 1024 * 1024  # larger files go straight to the loader, which reports them
_PACKAGE = Path(__file__).resolve().parent
_LOADER_FILES = ("loader.py", "yaml_reader.py", "model.py", "cloze.py", "cache.py")


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


def _to_json(deck: Deck) -> str:
    body: dict[str, object] = {"id": deck.id, "name": deck.name, "description": deck.description}
    body["items"] = [asdict(item) for item in deck.items]
    return json.dumps(body, ensure_ascii=False, separators=(",", ":"))


def _tuples(value: Any) -> Any:
    """JSON arrays back into the model's tuples (``answers_accept`` nests them)."""
    return tuple(_tuples(v) for v in value) if isinstance(value, list) else value


def _from_json(text: str, path: Path) -> Deck:
    body = json.loads(text)
    items = tuple(Item(**{k: _tuples(v) for k, v in raw.items()}) for raw in body["items"])
    return Deck(id=body["id"], name=body["name"], description=body["description"], items=items, path=path)


def _store(key: str, deck: Deck) -> None:
    folder = _cache_dir()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        _sweep(folder)
        write_atomic(folder / f"{key}.json", _to_json(deck))
        entries = sorted(folder.glob("*.json"), key=lambda p: p.stat().st_mtime)
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


def load_deck_cached(path: Path) -> Deck:
    """Like quiz.decks.loader.load_deck (same errors), from the cache when the file is unchanged."""
    key = None
    try:
        st = path.stat()
        if path.is_file() and st.st_size <= _MAX_BYTES:
            key = _key(path.read_bytes())
    except OSError:
        key = None
    if key is not None:
        try:
            return _from_json((_cache_dir() / f"{key}.json").read_text(encoding="utf-8"), path)
        except (OSError, ValueError, KeyError, TypeError):
            pass  # missing or damaged entry: parse the deck
    from quiz.decks.loader import load_deck  # why: a cached deck needs no YAML parser (start-up time)

    deck = load_deck(path)
    if key is not None:
        _store(key, deck)
    return deck
