"""Which decks the names on a command line mean: a path, a built-in or library deck's id, or a
deck's name (with every deck under it, ``Name::...``, as Anki selects a deck); and those decks
loaded. Home shows the same names (quiz.decks.library keeps the library itself)."""

from __future__ import annotations

import warnings
from collections.abc import Callable, Sequence
from functools import cache
from pathlib import Path
from typing import NamedTuple

from quiz.decks.ahead import parse_ahead
from quiz.decks.cache import cache_key, is_cached, load_deck_cached
from quiz.decks.library import builtin_deck_paths, changed_id_message, library_id_of, load_deck_set, read_library
from quiz.decks.model import Deck
from quiz.errors import QuizError, QuizNotice, UsageError, display_path


def resolve(names: list[str] | None, *, keep_away: bool = False) -> list[Path]:
    """Deck files for the names given (paths, built-in or library deck ids, deck names); if
    none, every built-in deck and every library deck whose file is there. A bare word that is
    none of these is a usage error; a name that looks like a path (a slash, or .yaml/.yml) is
    kept, for the loader to say the file is missing. With ``keep_away`` (`quiz validate`, which
    reports missing files itself; `quiz remove`) a library deck whose file is away, or now says
    another id, is kept too, not refused."""
    if not names:
        return builtin_deck_paths() + [e.path for e in read_library() if e.path.is_file()]
    return [d.path for d in select(names, keep_away=keep_away)]


class NamedDeck(NamedTuple):
    deck_id: str  # the id quiz knows the deck by ("" for a file the library does not know)
    path: Path
    name: str  # as its file says now
    file_id: str = ""  # the id its file says now, if it was read and differs from deck_id
    in_library: bool = False


def select(names: list[str], *, keep_away: bool = False) -> list[NamedDeck]:
    """The decks the names mean (see resolve). An id and a deck's name are one word in any
    case: `pharmacology` and `Pharmacology` both mean the deck called Pharmacology with its
    sub-decks when its id is that word too (a line on stderr says so, and how to name the deck
    alone), as home's row of that name studies them."""
    library = read_library()
    builtins = [NamedDeck(p.stem, p, p.stem) for p in builtin_deck_paths()]
    known = builtins + [NamedDeck(e.deck_id, e.path, e.name, in_library=True) for e in library]
    named = cache(lambda: [_now(d) for d in known])  # every deck's name read once, if a name is given
    _parse_cold(_to_read(names, known))
    out: list[NamedDeck] = []
    for name in names:
        p = Path(name)
        by_id = None if p.exists() else _by_id(name, known)
        if by_id is not None:
            out += _id_or_group(name, by_id, known, named, keep_away)
        elif p.is_file() or (not p.exists() and (p.suffix in (".yaml", ".yml") or "/" in name)):
            out.append(_as_file(p, known, keep_away))  # load_deck reports a missing or unreadable path itself
        elif group := named_group(name, named()):
            out += group if keep_away else _present_members(name, group)
        elif not p.exists() and (by_id := _by_id(name, known, key=str.casefold)) is not None:
            out += _id_or_group(name, by_id, known, named, keep_away)
        elif p.exists():
            out.append(NamedDeck("", p, name))  # a folder, say: load_deck says what it is
        else:
            raise _unknown(name, builtins, named())
    # A deck named twice (by id and by its group) is read once.
    return list({(d.deck_id or d.path): d for d in reversed(out)}.values())[::-1]


def _to_read(names: list[str], known: list[NamedDeck]) -> list[Path]:
    """The deck files ``select`` reads to learn their names and ids now (``_now``)."""
    out: list[Path] = []
    for name in names:
        p = Path(name)
        deck = None if p.exists() else (_by_id(name, known) or _by_id(name, known, key=str.casefold))
        if p.is_file():
            out.append(p)
        elif deck is None or _group_may_hold_others(name, deck, known):
            return [d.path for d in known]  # a name, or an id whose group may hold others: every deck's
        else:
            out.append(deck.path)
    return out


def _parse_cold(paths: list[Path]) -> None:
    """Deck files not in the deck cache yet, parsed into it on two cores (quiz.decks.ahead) before
    ``_now`` reads them one by one: else a first run on a big library parsed them all serially
    here, and the command's own parallel parse found nothing left to do."""
    cold = [p for p in dict.fromkeys(paths) if p.is_file() and (key := cache_key(p)) is not None and not is_cached(key)]
    if len(cold) < 2:
        return
    with parse_ahead(cold) as load:
        for path in cold:
            try:
                load(path)
            except (QuizError, OSError):
                pass  # said when the deck is read for its name, or by the command


def _by_id(name: str, known: list[NamedDeck], key: Callable[[str], str] = str) -> NamedDeck | None:
    """The deck with this id (``key``: in any case, after the names; then if only one has it)."""
    hits = [d for d in known if key(d.deck_id) == key(name)]
    return hits[0] if len(hits) == 1 else None


def _now(deck: NamedDeck) -> NamedDeck:
    """The deck with its name, and its id if another, as its file says them now (from the deck
    cache): a deck renamed in its file since `quiz add` is known by its new name, as on home."""
    try:
        read = load_deck_cached(deck.path)
    except (QuizError, OSError):  # missing or broken: the name the library last saw
        return deck
    return deck._replace(name=read.name or deck.name, file_id="" if read.id == deck.deck_id else read.id)


def _as_file(path: Path, known: list[NamedDeck], keep_away: bool) -> NamedDeck:
    """A path named on the line: the library's deck if it is one's file (a changed id is seen)."""
    mine = library_id_of(path) if path.is_file() else None
    deck = next((d for d in known if d.deck_id == mine and d.in_library), None)
    if deck is None:
        return NamedDeck("", path, str(path))
    now = _now(deck)._replace(path=path)
    if not keep_away:
        _same_id(now)
    return now


def _id_or_group(
    name: str, deck: NamedDeck, known: list[NamedDeck], named: Callable[[], list[NamedDeck]], keep_away: bool
) -> list[NamedDeck]:
    """A word that is a deck's id: that deck, or the group of that name when the deck heads it
    (what home's row of that name studies); a line on stderr says which when the two differ."""
    now = _now(deck)
    # Every deck's name is read (from the deck cache) only when another deck could be in this
    # word's group (start-up time: `quiz study ID` reads one).
    if _group_may_hold_others(name, deck, known):
        group = named_group(name, named())
        ids = [d.deck_id for d in group]
        if deck.deck_id in ids and len(group) > 1:
            if deck.deck_id == name:  # the word is the id as written: say what it was taken for
                warnings.warn(QuizNotice(
                    f"{name!r} is the deck {now.name} with everything under it ({len(group)} decks); "
                    f"for the deck {deck.deck_id!r} alone, name its file: {display_path(deck.path)}"
                ))
            return group if keep_away else _present_members(name, group)
        if group and deck.deck_id not in ids:
            warnings.warn(QuizNotice(
                f"{name!r} is the id of the deck {now.name}, not the deck{'s' * (len(group) > 1)} named so "
                f"({', '.join(ids)}: name {'them' if len(group) > 1 else 'it'} by id)"
            ))
    if not keep_away:
        _present(deck.deck_id, deck.path, name)
        _same_id(now)
    return [now]


def _group_may_hold_others(word: str, deck: NamedDeck, known: list[NamedDeck]) -> bool:
    """Whether a deck besides ``deck`` is in ``word``'s group by the name the library last saw."""
    return any(_under(d.name, word) for d in known if d.deck_id != deck.deck_id)


def _under(deck_name: str, word: str) -> bool:
    """Whether a deck of this name is in ``word``'s group, in any case."""
    a, b = deck_name.casefold(), word.strip().casefold()
    return bool(b) and (a == b or a.startswith(b + "::"))


def _same_id(deck: NamedDeck) -> None:
    """A library deck whose file now says another id is refused: its history is under the old."""
    if deck.in_library and deck.file_id:
        raise QuizError(changed_id_message(deck.path, deck.deck_id, deck.file_id))


def _unknown(name: str, builtins: list[NamedDeck], named: list[NamedDeck]) -> QuizError:
    """Why a word names no deck: a library file now says this id (changed in the file), else
    the decks one may name."""
    changed = next((d for d in named if d.in_library and d.file_id == name), None)
    if changed is not None:
        return QuizError(changed_id_message(changed.path, changed.deck_id, name))
    known = ", ".join(sorted(d.deck_id for d in builtins)) or "none"
    mine = _listed([f"{d.deck_id} ({d.name})" if d.name != d.deck_id else d.deck_id for d in named if d.in_library])
    return UsageError(
        f"unknown deck {name!r} (built-in decks: {known}; library decks: {mine}; "
        "or a library deck's name, or a path to a .yaml file)"
    )


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


def _present_members(name: str, group: list[NamedDeck]) -> list[NamedDeck]:
    """A group's decks; one whose file is away, or now says another id, is left out with a
    notice (as home studies the rest), unless all are."""
    out: list[NamedDeck] = []
    for d in group:
        try:
            _present(d.deck_id, d.path, d.deck_id)
            _same_id(d)
        except QuizError as e:
            if len(group) == 1 or (not out and d is group[-1]):
                raise  # nothing of the group is there
            why = _missing(d.path) if not d.path.exists() else str(e)
            warnings.warn(QuizNotice(f"deck {d.deck_id!r} of {name!r} left out: {why}"))
        else:
            out.append(d)
    return out


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
    return load_paths(resolve(names))


def load_paths(paths: list[Path]) -> list[Deck]:
    """The decks of these files (resolve's), each checked; two with one id are refused."""
    with parse_ahead(paths) as load:
        decks = [load(p) for p in paths]
    _check_unique(decks)
    return decks
