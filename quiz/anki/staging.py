"""Deck files (and their images) written under temp names beside where they go, checked, and
moved into place only once every deck is ready, so a failure leaves nothing behind.

A deck is built in memory from the same rows its YAML is written from, and checked as the deck
loader would check the file (quiz.decks.item_checks): parsing our own YAML back was half the time
of a 33,000-note import. The tests read every file written back through the loader.
"""

from __future__ import annotations

import glob
import os
import shutil
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from quiz.anki.deck_yaml import dump_deck_lines
from quiz.anki.entries import Entry, item_ids
from quiz.anki.media import media_folder, reference
from quiz.anki.package_reader import Package
from quiz.decks.cache import forget, prime
from quiz.decks.item_checks import ID_RE, item_from_data, item_problems
from quiz.decks.model import Deck
from quiz.errors import QuizError
from quiz.outfile import temp_beside

if TYPE_CHECKING:  # made by a re-import only (quiz.anki.reimport)
    from quiz.anki.guids import KnownIds


class Staged:
    """Files and folders written under temp names, renamed into place on ``commit``, and the
    deck cache entries made for them (removed with them on ``discard``)."""

    def __init__(self) -> None:
        self.moves: list[tuple[Path, Path]] = []  # (temp, final)
        self.cached: list[str] = []  # keys of deck cache entries made for the staged decks

    def add(self, temp: Path, final: Path) -> None:
        self.moves.append((temp, final))

    def adopt(self, deck: StagedDeck) -> None:
        """Take over a deck staged by another process: kept or discarded with the rest."""
        self.add(deck.temp, deck.path)
        if deck.cached is not None:
            self.cached.append(deck.cached)

    def commit(self) -> None:
        for temp, final in self.moves:
            if temp.is_dir() and final.is_dir():
                shutil.rmtree(final)  # --force: the old deck's images go with the old deck
            os.replace(temp, final)
        self.moves, self.cached = [], []

    def discard(self) -> None:
        for temp, _ in self.moves:
            if temp.is_dir():
                shutil.rmtree(temp, ignore_errors=True)
            else:
                temp.unlink(missing_ok=True)
        for key in self.cached:
            forget(key)
        self.moves, self.cached = [], []


def discard_temps(deck_file: Path) -> None:
    """Remove temp files staged for ``deck_file`` (by a process that was stopped before it
    could hand them over): they are named as ``temp_beside`` names them."""
    for temp in deck_file.parent.glob(f".{glob.escape(deck_file.name)}.*.yaml"):
        temp.unlink(missing_ok=True)


@dataclass(frozen=True)
class DeckPlan:
    """Where a kept deck goes and its ``deck:`` section, decided once every deck is known."""

    path: Path
    section: dict[str, str]  # id, name and perhaps description
    new_guids: bool = False  # a fork (--deck-id): its notes must not take over the original's
    known: KnownIds | None = None  # the ids of the deck this one replaces (quiz.anki.guids)
    same_deck: bool = False  # updates a library deck of another file in place: refused if no note is in both

    @property
    def id(self) -> str:
        return self.section["id"]

    @property
    def name(self) -> str:
        return self.section["name"]


@dataclass(frozen=True)
class StagedDeck:
    """A deck file written under a temp name, and what the parent needs of it."""

    temp: Path
    path: Path
    deck_id: str
    name: str
    items: int
    images: frozenset[str]  # media names its items show (unpacked by the parent process)
    note_items: dict[int, str]  # Anki note id -> item id (its review history follows it)
    reversed: frozenset[str]  # ids of reverse items (Anki's card ordinals swap for them)
    deck: Deck | None  # None when staged by the twin process: read it from the deck cache
    cached: str | None = None  # the deck cache entry made for it, if one was
    kept: int = 0  # items that kept the id the replaced deck gives their note (by GUID)
    replaced: int | None = None  # items of the deck file it replaces (None: it replaces none)
    same_deck: bool = False  # as planned (DeckPlan.same_deck)


def stage_deck(staged: Staged, entries: list[Entry], plan: DeckPlan) -> StagedDeck:
    """Write a temp file beside ``plan.path`` that replaces it on commit, and build, check and
    cache the Deck it holds."""
    if plan.new_guids:
        for e in entries:
            e.guid = None  # GUIDs then derive from the new deck id like any deck's
    # Notes without a GUID (a CSV) are known by their text alone, as on a first import.
    known = plan.known if plan.known and any(e.guid for e in entries) else None
    ids = item_ids(entries, known)
    kept = _kept_by_guid(entries, ids, known) if known else 0
    rows = [e.as_yaml(i, lambda name: reference(plan.path, name)) for e, i in zip(entries, ids)]
    text, lines = dump_deck_lines(plan.section, rows)
    fd, tmp = temp_beside(plan.path, ".yaml")
    staged.add(Path(tmp), plan.path)
    data = text.encode("utf-8")
    with os.fdopen(fd, "wb") as f:
        f.write(data)
    deck = Deck(
        id=plan.section["id"], name=plan.section["name"], description=plan.section.get("description", ""),
        items=tuple(item_from_data(row, line) for row, line in zip(rows, lines)), path=plan.path,
    )
    why = _refused(deck)
    if why:  # a bug of ours, not the user's: say so plainly
        raise QuizError(f"the imported deck did not pass validation, nothing written: {plan.path}:{why}")
    cached = prime(deck, data)  # the first study of it starts from the cache
    if cached is not None:
        staged.cached.append(cached)
    return StagedDeck(
        Path(tmp), plan.path, deck.id, deck.name, len(entries),
        frozenset(n for e in entries for n in (*e.images, *e.answer_images)),
        {e.note_id: i for e, i in zip(entries, ids) if e.note_id is not None},
        frozenset(i for e, i in zip(entries, ids) if e.type == "reverse"),
        deck, cached, kept, len(known.by_guid) if known else None, plan.same_deck,
    )


def _kept_by_guid(entries: list[Entry], ids: list[str], known: KnownIds) -> int:
    by_guid = known.by_guid
    return sum(1 for e, i in zip(entries, ids) if e.guid is not None and by_guid.get(e.guid) == i)


_CHECKED = frozenset({"cloze", "choice", "list"})  # the types item_problems has rules for


def _refused(deck: Deck) -> str | None:
    """What the deck loader would refuse in the file (line: why), or None. Texts need no check:
    entries with a blank question or answer were skipped, and ``Entry.as_yaml`` writes no blank
    optional text or list element."""
    if not ID_RE.fullmatch(deck.id) or not deck.name.strip():
        return f" deck id {deck.id!r} or name {deck.name!r}"
    ids_ok = _all_ids([item.id for item in deck.items])
    for item in deck.items:
        if not ids_ok and not ID_RE.fullmatch(item.id):
            return f"{item.line}: item id {item.id!r}"
        if item.type in _CHECKED or item.images or item.answer_images:
            problems = item_problems(item)
            if problems:
                return f"{item.line}: {problems[0].message}"
    return None


_ID_CHARS = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-\n"


def _all_ids(ids: list[str]) -> bool:
    """Whether every one matches ID_RE, tested on them all at once (in C: a regex per id was a
    tenth of writing a 33,000-note deck). False sends the caller to find which one it is."""
    if not ids:
        return True
    joined = "\n".join(ids)
    if not joined.isascii() or joined.encode("ascii").translate(None, _ID_CHARS) or joined.count("\n") >= len(ids):
        return False  # a character no id may hold (a line break only between two)
    starts = joined[:1].isalnum() and not joined.endswith("\n")  # the first id's start, the last's end
    return starts and not any(bad in joined for bad in ("\n\n", "\n.", "\n_", "\n-"))


def stage_images(staged: Staged, pkg: Package, names: Iterable[str], deck_file: Path) -> int:
    """Unpack the images a deck shows into a temp folder for the deck's media folder."""
    names = sorted(set(names))
    if not names:
        return 0
    folder = media_folder(deck_file)
    temp = Path(tempfile.mkdtemp(dir=folder.parent, prefix=f".{folder.name}."))
    staged.add(temp, folder)
    for n in names:
        pkg.deadline.check()
        pkg.copy_media(n, temp / n)
    return len(names)
