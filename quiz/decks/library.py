"""Which decks quiz knows: the built-in ones and the user's library of their own deck files.

The library is a small JSON index in the user data dir (``library.json`` under QUIZ_HOME): one
entry per deck, its id and the absolute path of its file. ``quiz add`` and ``quiz remove`` edit
it; ``quiz import`` without ``-o`` writes into the ``library/`` folder beside it and registers
what it wrote. A library deck is named by its id anywhere a deck can be named (study, exam,
stats, export, validate) as well as by path. The index holds paths only, never review history:
that stays in the store under the deck id, so a removed deck, or one whose file is gone for a
while, gets its history back when it is added again or its file returns.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, NamedTuple, Protocol
from dataclasses import replace
from datetime import datetime, timezone
from pathlib import Path

from quiz.decks.ahead import parse_ahead
from quiz.decks.cache import load_deck_cached
from quiz.decks.file_digests import Stat, stat_signature
from quiz.decks.library_entry import LibraryEntry
from quiz.decks.model import Deck
from quiz.errors import InvalidFile, Problem, QuizError, UsageError, display_path
from quiz.outfile import write_atomic
from quiz.paths import builtin_decks_dir, home_dir

if TYPE_CHECKING:
    from quiz.decks.library_results import Added, DeckSet, UnavailableDeck

INDEX_VERSION = 1


def index_path() -> Path:
    return home_dir() / "library.json"


def library_dir() -> Path:
    """Where `quiz import` puts decks when no -o is given."""
    return home_dir() / "library"


def builtin_deck_paths() -> list[Path]:
    d = builtin_decks_dir()
    return sorted(d.glob("*.yaml")) if d.is_dir() else []


def read_library() -> tuple[LibraryEntry, ...]:
    """The library's entries in the order they were added; a damaged index is one clear error."""
    path = index_path()
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return ()
    except (OSError, UnicodeDecodeError) as e:
        raise QuizError(f"{display_path(path)}: cannot read the deck library ({getattr(e, 'strerror', None) or e})") from None
    try:
        body = json.loads(text)
        return tuple(
            LibraryEntry(str(d["id"]), Path(str(d["path"])), str(d.get("name") or d["id"]), str(d.get("added", "")))
            for d in body["decks"]
        )
    except (ValueError, KeyError, TypeError, AttributeError):
        if _newer(text):  # not damaged: a shape this quiz does not know
            raise QuizError(f"{display_path(path)}: the deck library was written by a newer quiz; update quiz to use it") from None
        raise QuizError(
            f"{display_path(path)}: the deck library index is damaged; fix or delete it (your decks and history are not in it)"
        ) from None


def _newer(text: str) -> int | None:
    """The version of a library.json a newer quiz wrote, else None."""
    try:
        version = json.loads(text).get("version")
    except (ValueError, AttributeError):
        return None
    return version if isinstance(version, int) and version > INDEX_VERSION else None


def _stat(path: Path) -> Stat | None:
    try:
        return stat_signature(path.stat())
    except OSError:
        return None


def files_stamp() -> tuple[object, ...]:
    """What changes when the library is added to, or one of its files comes back, goes away or
    is edited: stats only, so the home screen can look every few seconds. The same stat the
    deck cache trusts (file_digests.stat_signature), so an edit that keeps the size and mtime
    (touch -d, cp -p) is seen too: it changes the ctime or the inode."""
    try:
        entries = read_library()
    except QuizError:
        entries = ()
    return (_stat(index_path()), *((e.path, _stat(e.path)) for e in entries))


def _refuse_newer(path: Path) -> None:
    """A library.json a newer quiz wrote is read (its decks are what this quiz knows how to
    read) but never rewritten: this quiz would drop what it does not know and mark it older."""
    try:
        version = _newer(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError):
        return  # none yet, or unreadable: read_library says so
    if version is not None:
        raise QuizError(
            f"{display_path(path)}: the deck library was written by a newer quiz (version {version}; this one "
            f"writes version {INDEX_VERSION}); it is left unchanged: update quiz to change the library"
        )


def _write_library(entries: tuple[LibraryEntry, ...]) -> None:
    path = index_path()
    _refuse_newer(path)
    body = {
        "version": INDEX_VERSION,
        "decks": [{"id": e.deck_id, "path": str(e.path), "name": e.name, "added": e.added} for e in entries],
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(path, json.dumps(body, ensure_ascii=False, indent=2) + "\n")


def add_decks(paths: list[Path]) -> list[Added]:
    """Remember these deck files (each must be a valid deck); all or nothing (see remember)."""
    decks = []
    for raw in paths:
        path = Path(raw).expanduser().absolute()
        try:
            decks.append(replace(load_deck_cached(path), path=path))
        except InvalidFile as e:
            raise _one_line(e, path) from None
    return remember(decks)


class DeckFile(Protocol):
    """What the library keeps of a deck: a Deck, or a deck file ``quiz import`` just wrote."""

    @property
    def id(self) -> str: ...

    @property
    def name(self) -> str: ...

    @property
    def path(self) -> Path | None: ...


def remember(decks: Sequence[DeckFile]) -> list[Added]:
    """Put deck files known to be valid into the library (``quiz add`` loaded them, ``quiz
    import`` built them); all or nothing.

    A deck whose id is already in the library at a path that no longer exists is taken as
    moved: the entry follows it. Two different files with one id, or a built-in deck's id,
    are refused (their histories would mix).
    """
    entries = list(read_library())
    for clash in _clashes(decks, entries):
        where = display_path(clash.path)
        if clash.taken_by is None:
            raise QuizError(f"{where}: deck id {clash.deck_id!r} is a built-in deck's; give this deck another id")
        raise QuizError(
            f"{where}: deck id {clash.deck_id!r} is already in the library from {display_path(clash.taken_by)}; "
            f"`quiz remove {clash.deck_id}` first, or give this deck another id"
        )
    from quiz.decks.library_results import Added  # why: `quiz add`'s, not needed to study

    out: list[Added] = []
    changed = False
    for deck in decks:
        path = _absolute(Path(deck.path or ""))
        now = datetime.now(timezone.utc).isoformat(timespec="seconds")
        entry = LibraryEntry(deck.id, path, deck.name or deck.id, now)
        same = next((i for i, e in enumerate(entries) if e.deck_id == deck.id), None)
        renamed = next((i for i, e in enumerate(entries) if e.deck_id != deck.id and _same_file(e.path, path)), None)
        if same is None and renamed is not None:  # its id changed in the file: the entry follows
            old_id = entries[renamed].deck_id
            entries[renamed] = entry
            out.append(Added(entry, f"id changed (was {old_id!r}; its review history stays under that id)"))
            continue
        if same is None:
            entries.append(entry)
            out.append(Added(entry, "added"))
            continue
        old = entries[same]
        if _same_file(old.path, path):
            if old.name != entry.name:  # renamed in its file since: the library follows
                entries[same] = old = old._replace(name=entry.name)
                changed = True
            out.append(Added(old, "already in the library"))
        else:  # its file is gone (a clash was refused above): the entry follows the deck
            entries[same] = LibraryEntry(deck.id, path, entry.name, old.added)
            out.append(Added(entries[same], "moved"))
    if changed or any(a.how != "already in the library" for a in out):
        _write_library(tuple(entries))
    return out


class Clash(NamedTuple):
    """A deck ``remember`` would refuse: its id is another deck's."""

    deck_id: str
    path: Path  # the deck's file
    taken_by: Path | None  # the library deck's file that has the id; None: a built-in deck's id


def clashes(decks: Sequence[DeckFile]) -> list[Clash]:
    """The decks ``remember`` would refuse, found without writing anything (``quiz import``
    asks before it writes a file)."""
    return _clashes(decks, read_library())


def _clashes(decks: Sequence[DeckFile], entries: Sequence[LibraryEntry]) -> list[Clash]:
    builtins = {p.stem for p in builtin_deck_paths()}
    files = {e.deck_id: e.path for e in entries}
    out = []
    for deck in decks:  # in order: two decks of one batch with one id clash too
        if deck.path is None:
            raise ValueError(f"deck {deck.id!r} has no file")
        path = _absolute(Path(deck.path))
        old = files.get(deck.id)
        if deck.id in builtins:
            out.append(Clash(deck.id, path, None))
        elif old is not None and not _same_file(old, path) and old.exists():
            out.append(Clash(deck.id, path, old))
        else:
            files[deck.id] = path
    return out


@contextmanager
def remembering(decks: Sequence[DeckFile]) -> Iterator[list[Added]]:
    """``remember``, undone if the body fails: ``quiz import`` moves its files into place in
    it, so the library never lists a file that was not kept."""
    path = index_path()
    try:
        before: bytes | None = path.read_bytes()
    except FileNotFoundError:
        before = None
    added = remember(decks)
    try:
        yield added
    except BaseException:
        if before is None:
            path.unlink(missing_ok=True)
        else:
            write_atomic(path, before)
        raise


def library_id_of(path: Path) -> str | None:
    """The id of the library deck kept in this file, if one is."""
    try:
        entries = read_library()
    except QuizError:
        return None
    path = _absolute(path)
    return next((e.deck_id for e in entries if _same_file(e.path, path)), None)


def _absolute(path: Path) -> Path:
    """The path from the root, ``..`` and ``.`` taken out (symlinks kept as the user named them)."""
    return Path(os.path.normpath(path.expanduser().absolute()))


def _same_file(a: Path, b: Path) -> bool:
    if a == b:
        return True
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def _one_line(e: InvalidFile, path: Path) -> InvalidFile:
    """`quiz add` of a file that is no deck: its first problem, and where to see the rest."""
    first = e.problems[0] if e.problems else Problem(display_path(path), "invalid")
    more = len(e.problems) - 1
    rest = f" (and {more} more: quiz validate {display_path(path)})" if more > 0 else ""
    return InvalidFile([Problem(first.path, f"not a valid deck: {first.message}{rest}", first.line, first.col)])


def remove_decks(deck_ids: Sequence[str]) -> list[LibraryEntry]:
    """Forget these library decks, in one write (their files and review history stay)."""
    entries = read_library()
    gone = [e for e in entries if e.deck_id in deck_ids]
    _write_library(tuple(e for e in entries if e.deck_id not in deck_ids))
    return gone


def changed_id_message(path: Path, old: str, new: str) -> str:
    """A library deck whose file now says another id: why it is left out, and the two ways on."""
    return (
        f"{display_path(path)} now says deck id {new!r}, but the library knows it as {old!r} (its review history "
        f"is under that id): put `id: {old}` back in the file, or `quiz add {display_path(path)}` to go on as "
        f"{new!r} without that history"
    )


def load_deck_set() -> DeckSet:
    """Every built-in deck and every library deck that loads; the others, with why, beside them.

    A library file that is gone or broken (edited outside quiz) must not keep the user from
    studying the rest: it is reported on the home screen instead of stopping the start.
    """
    builtins, library = builtin_deck_paths(), read_library()
    with parse_ahead([*builtins, *(e.path for e in library)]) as load:
        return _deck_set(builtins, library, load)


def _deck_set(builtins: list[Path], library: tuple[LibraryEntry, ...], load: Callable[[Path], Deck]) -> DeckSet:
    decks = [load(p) for p in builtins]
    from quiz.decks.library_results import DeckSet, UnavailableDeck  # why: home's, not `quiz study DECK`'s

    unavailable: list[UnavailableDeck] = []
    taken = {d.id for d in decks}
    for entry in library:
        if not entry.path.exists():
            unavailable.append(UnavailableDeck(entry, "missing (moved or deleted?)"))
            continue
        try:
            deck = load(entry.path)
        except InvalidFile as e:
            first = e.problems[0] if e.problems else None
            where = f"line {first.line}: " if first is not None and first.line else ""
            unavailable.append(UnavailableDeck(entry, f"{where}{first.message if first else 'invalid'}"))
            continue
        if deck.id in taken:
            unavailable.append(UnavailableDeck(entry, f"its deck id is now {deck.id!r}, which another deck has"))
            continue
        if deck.id != entry.deck_id:  # studied under the new id, its history would seem lost
            unavailable.append(UnavailableDeck(entry, f"the file now says deck id {deck.id!r} (its history is under "
                                               f"{entry.deck_id!r}): put that id back, or `quiz add` the file to go on "
                                               f"as {deck.id!r}"))
            continue
        taken.add(deck.id)
        decks.append(deck)
    return DeckSet(tuple(decks), tuple(unavailable))
