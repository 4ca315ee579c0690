"""Which decks the names on a command line mean: a path, a built-in or library deck's id, or a
deck's name (with every deck under it, ``Name::...``, as Anki selects a deck); and those decks
loaded. Home shows the same names (quiz.decks.library keeps the library itself)."""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import NamedTuple

from quiz.decks.ahead import parse_ahead
from quiz.decks.cache import load_deck_cached
from quiz.decks.library import builtin_deck_paths, load_deck_set, read_library
from quiz.decks.library_entry import LibraryEntry
from quiz.decks.model import Deck
from quiz.errors import QuizError, QuizNotice, UsageError, display_path


def resolve(names: list[str] | None, *, keep_away: bool = False) -> list[Path]:
    """Deck files for the names given (paths, built-in or library deck ids, deck names); if
    none, every built-in deck and every library deck whose file is there. A bare word that is
    none of these is a usage error; a name that looks like a path (a slash, or .yaml/.yml) is
    kept, for the loader to say the file is missing. With ``keep_away`` (`quiz validate`, which
    reports missing files itself) a library deck whose file is away is kept too, not refused."""
    library = read_library()
    if not names:
        return builtin_deck_paths() + [e.path for e in library if e.path.is_file()]
    builtins = {p.stem: p for p in builtin_deck_paths()}
    by_id = {e.deck_id: e for e in library}
    named = cache(lambda: _named_decks(builtins, library))  # every deck's name read once, if a name is given
    out: list[Path] = []
    for name in names:
        p = Path(name)
        if name in builtins and not p.exists():
            out.append(builtins[name])
        elif name in by_id and not p.exists():
            entry = by_id[name]
            out.append(entry.path if keep_away else _present(entry.deck_id, entry.path, name))
        elif p.is_file() or (not p.exists() and (p.suffix in (".yaml", ".yml") or "/" in name)):
            out.append(p)  # load_deck reports a missing or unreadable path itself
        elif group := named_group(name, named()):
            out += [d.path for d in group] if keep_away else _present_members(name, group)
        elif p.exists():
            out.append(p)  # a folder, say: load_deck says what it is
        else:
            known = ", ".join(sorted(builtins)) or "none"
            mine = _listed([f"{e.deck_id} ({e.name})" if e.name != e.deck_id else e.deck_id for e in library])
            raise UsageError(
                f"unknown deck {name!r} (built-in decks: {known}; library decks: {mine}; "
                "or a library deck's name, or a path to a .yaml file)"
            )
    return list(dict.fromkeys(out))  # a deck named twice (by id and by its group) is read once


def _listed(names: list[str], most: int = 8) -> str:
    """Names for a one-line message: a long library is cut short."""
    if not names:
        return "none"
    shown = ", ".join(sorted(names)[:most])
    return shown if len(names) <= most else f"{shown} and {len(names) - most} more (`quiz` lists them)"


def _missing(path: Path) -> str:
    return f"{display_path(path)} is missing (moved or deleted?); its history is kept: `quiz add NEW_PATH` where it is now"


def _present(deck_id: str, path: Path, asked: str) -> Path:
    if not path.exists():
        raise QuizError(f"deck {asked!r}: {_missing(path)}, or `quiz remove {deck_id}`")
    return path


def _present_members(name: str, group: list[NamedDeck]) -> list[Path]:
    """The files of a group's decks; one whose file is away is left out with a notice (as home
    studies the rest), unless all are away."""
    away = [d for d in group if not d.path.exists()]
    if len(away) == len(group):
        _present(away[0].deck_id, away[0].path, away[0].deck_id)  # raises: nothing of the group is there
    for d in away:
        warnings.warn(QuizNotice(f"deck {d.deck_id!r} of {name!r} left out: {_missing(d.path)}"))
    return [d.path for d in group if d not in away]


class NamedDeck(NamedTuple):
    deck_id: str
    path: Path
    name: str  # as its file says now


def _named_decks(builtins: dict[str, Path], library: Sequence[LibraryEntry]) -> list[NamedDeck]:
    """Every built-in and library deck with its name as its file says it now (from the deck
    cache): a deck renamed in its file since `quiz add` is known by its new name, as on home."""

    def name_now(path: Path, known: str) -> str:
        try:
            return load_deck_cached(path).name or known
        except (QuizError, OSError):  # missing or broken: the name the library last saw
            return known

    return [NamedDeck(i, p, name_now(p, i)) for i, p in builtins.items()] + [
        NamedDeck(e.deck_id, e.path, name_now(e.path, e.name)) for e in library
    ]


def named_group(name: str, decks: Sequence[NamedDeck]) -> list[NamedDeck]:
    """The decks a name selects, as Anki selects a deck with its sub-decks: the deck called
    ``name`` and every deck under it (``name::...``). The name as written first; in any case
    only if no deck has it as written (home may show "Micro" and "micro" as two groups)."""
    wanted = name.strip()
    if not wanted:
        return []
    for key in (str, str.casefold):
        hits = [d for d in decks if key(d.name) == key(wanted) or key(d.name).startswith(key(wanted) + "::")]
        if hits:
            return hits
    return []


def _check_unique(decks: list[Deck]) -> None:
    seen: dict[str, Path | None] = {}
    for d in decks:
        if d.id in seen:
            raise UsageError(f"two decks share the id {d.id!r}: {seen[d.id]} and {d.path}")
        seen[d.id] = d.path


def load_decks(names: list[str] | None) -> list[Deck]:
    """The decks named (see resolve), or every available deck; a named deck that fails raises."""
    if not names:
        return list(load_deck_set().decks)
    paths = resolve(names)
    with parse_ahead(paths) as load:
        decks = [load(p) for p in paths]
    _check_unique(decks)
    return decks
