"""Find decks by name or path: the built-in ones, or any deck file the user names."""

from __future__ import annotations

from pathlib import Path

from quiz.decks.cache import load_deck_cached
from quiz.errors import UsageError
from quiz.decks.model import Deck
from quiz.paths import builtin_decks_dir


def builtin_deck_paths() -> list[Path]:
    d = builtin_decks_dir()
    return sorted(d.glob("*.yaml")) if d.is_dir() else []


def resolve(names: list[str] | None) -> list[Path]:
    """Deck files for the names given (paths, or ids of built-in decks); all built-ins if none."""
    if not names:
        return builtin_deck_paths()
    builtins = {p.stem: p for p in builtin_deck_paths()}
    out: list[Path] = []
    for name in names:
        p = Path(name)
        if name in builtins and not p.exists():
            out.append(builtins[name])
        elif p.exists() or p.suffix in (".yaml", ".yml") or "/" in name:
            out.append(p)  # load_deck reports a missing or unreadable path itself
        else:
            known = ", ".join(sorted(builtins)) or "none"
            raise UsageError(f"unknown deck {name!r} (built-in decks: {known}; or give a path to a .yaml file)")
    return out


def load_decks(names: list[str] | None) -> list[Deck]:
    decks = [load_deck_cached(p) for p in resolve(names)]
    seen: dict[str, Path | None] = {}
    for d in decks:
        if d.id in seen:
            raise UsageError(f"two decks share the id {d.id!r}: {seen[d.id]} and {d.path}")
        seen[d.id] = d.path
    return decks
