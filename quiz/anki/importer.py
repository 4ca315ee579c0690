"""Import an Anki package or a Quizlet/Anki CSV/TSV export into deck files.

The readers (quiz.anki.import_apkg, quiz.anki.import_csv) turn the input into ``Imported`` decks
of ``Entry`` objects; this module sifts out what a deck cannot hold, decides where each deck
goes, and has quiz.anki.staging write and check them; only when every deck is ready are they
moved into place, so a failure leaves no partial deck file. A package of several decks and
thousands of notes is read and written half here and half in a twin process (quiz.anki.twin):
both cores, about half the time.

Where decks go: a package with one deck, or a CSV, becomes the file ``out`` when it ends in
.yaml/.yml; otherwise ``out`` is a folder (made if missing; ``X.yaml`` with several decks means
the folder ``X``) holding one ``<deck id>.yaml`` per Anki deck. Images go to
``<deck file stem>.media/`` beside each deck file.
"""

from __future__ import annotations

import shutil
from collections import Counter
from contextlib import nullcontext
from dataclasses import dataclass, field, replace
from functools import partial
from multiprocessing.connection import Connection
from pathlib import Path
from typing import TYPE_CHECKING

from quiz.anki.entries import ID_RE, Entry, Imported, notes, slug
from quiz.anki.history import CardHistory, card_histories
from quiz.anki.import_apkg import PackageContents, PackageNotes, group_notes, read_decks
from quiz.anki.into_library import add_hint, refuse_clashes, remembering_all
from quiz.anki.media import media_folder, named
from quiz.anki.package_reader import Package, open_package
from quiz.anki.staging import DeckPlan, Staged, StagedDeck, discard_temps, stage_deck, stage_images
from quiz.anki.twin import Twin
from quiz.cores import can_fork
from quiz.decks.library import library_id_of
from quiz.decks.model import Deck, gc_paused
from quiz.errors import QuizError, UsageError
from quiz.outfile import refuse_special
from quiz.safe_text import strip_controls

if TYPE_CHECKING:
    from quiz.decks.library_results import Added

YAML_SUFFIXES = (".yaml", ".yml")
SPLIT_FROM_NOTES = 4000  # below this a second process costs more than it saves


@dataclass(frozen=True)
class WrittenDeck:
    """A deck file the import wrote."""

    path: Path
    deck_id: str
    name: str
    items: int
    images: int
    deck: Deck | None = None  # as built and checked (None: built by the twin, in the deck cache)
    kept: int = 0  # items that kept their id by Anki GUID (a deck file replaced)
    replaced: int | None = None  # items of the deck file it replaced (None: a new file)

    @property
    def id(self) -> str:
        return self.deck_id

    def update(self) -> str | None:
        """What an import over an existing deck did to its items, or None for a new file."""
        if self.replaced is None:
            return None
        new, gone = self.items - self.kept, self.replaced - self.kept
        kept = f"{self.kept} item{'s' * (self.kept != 1)} kept {'its' if self.kept == 1 else 'their'} id and history"
        return f"{self.deck_id}: updated in place, {kept}, {new} new, {gone} gone"


@dataclass(frozen=True)
class ImportResult:
    """What ``import_file`` wrote, skipped and brought along."""

    decks: tuple[WrittenDeck, ...]
    skipped: list[str]  # "N notes <why>", one line each
    notices: list[str]  # what came along as references only (sounds, LaTeX, missing images)
    history: tuple[CardHistory, ...] = ()  # reviews of imported cards, for quiz.study.replay
    added: tuple[Added, ...] = ()  # what the library did with each deck (an import into it)

    @property
    def path(self) -> Path:
        return self.decks[0].path

    @property
    def items(self) -> int:
        return sum(d.items for d in self.decks)

    def summary(self, source: Path) -> str:
        if len(self.decks) == 1:
            return f"imported {self.items} item{'s' * (self.items != 1)} from {source} to {self.path}"
        folder = self.path.parent
        one = all(d.path.parent == folder for d in self.decks)  # else some were updated in place
        lines = [f"imported {self.items} items from {source} into {len(self.decks)} decks" + (f" in {folder}:" if one else ":")]
        lines += [f"  {d.path.name if one else d.path}: {d.name} ({d.items} item{'s' * (d.items != 1)})" for d in self.decks]
        return "\n".join(lines)

    def updates(self) -> list[str]:
        """A line per deck file replaced: how many items kept their id."""
        return [line for d in self.decks if (line := d.update())]


def import_file(
    source: str | Path,
    out: str | Path,
    *,
    delimiter: str | None = None,
    deck_id: str | None = None,
    name: str | None = None,
    force: bool = False,
    into_library: bool = False,
) -> ImportResult:
    """Write the decks of ``source``; ``into_library``: and put them into the library, all or
    nothing (a deck whose id the library has for another file is refused before any writing)."""
    source, out = Path(source), Path(out)
    if source.is_dir():
        raise QuizError(f"{source}: is a folder, not a file to import")
    if not source.is_file():
        raise QuizError(f"{source}: no such file")
    if deck_id is not None and not ID_RE.match(deck_id):
        raise UsageError(f"deck id {deck_id!r} may hold only letters, digits, '.', '_' and '-'")
    request = _Request(source, out, deck_id, name, force, into_library)
    if source.suffix.lower() in YAML_SUFFIXES:
        raise QuizError(f"{source}: is a quiz deck already; to study it by its id, add it to your library: quiz add {source}")
    if not _is_zip(source):
        from quiz.anki.import_csv import read_csv  # why: a package import does without it (start-up time)

        return _write([_sift(0, read_csv(source, delimiter))], request)
    if delimiter:
        raise UsageError("--delimiter applies to CSV/TSV files, not to Anki packages")
    # A package is hundreds of thousands of objects that live until the end: the cyclic GC,
    # triggered over and over while they pile up, found nothing and took a third of the time.
    with open_package(source) as pkg, gc_paused():
        return _import_package(pkg, request)


@dataclass
class _Request:
    """What the user asked for, and the plans once every deck is known."""

    source: Path
    out: Path
    deck_id: str | None
    name: str | None
    force: bool
    into_library: bool
    plans: list[DeckPlan] = field(default_factory=list)  # once decided


@dataclass
class _Kept:
    """A deck's entries that will be written (those a deck could not hold are counted)."""

    index: int  # the deck's place among the package's decks
    name: str
    description: str
    entries: list[Entry]
    skipped: list[str]  # said by the reader
    rejected: Counter[str]  # why -> how many entries
    count: int = 0  # entries kept

    def summary(self) -> _Kept:
        """What the parent process needs to plan the deck (its entries stay in the twin)."""
        return replace(self, entries=[])


def _sift(index: int, imported: Imported) -> _Kept:
    kept = _Kept(index, imported.name, imported.description, [], imported.skipped, Counter())
    for e in imported.entries:
        e.drop_controls()
        why = e.problem()
        if why:
            kept.rejected[why] += 1
        else:
            kept.entries.append(e)
    kept.count = len(kept.entries)
    return kept


def _import_package(pkg: Package, request: _Request) -> ImportResult:
    notes = group_notes(pkg)
    contents = PackageContents([], [], notes.cards)
    contents.skipped_notes.update(notes.skipped)
    mine, theirs = _halves(notes) if not (request.deck_id or request.name) else (notes.deck_ids(), [])
    index = {did: i for i, did in enumerate(notes.deck_ids())}
    twin = Twin(partial(_twin_work, pkg, notes, theirs, index)) if theirs else None
    try:
        kept = [_sift(index[did], d) for did, d in read_decks(pkg, notes, mine, contents)]
        if twin:
            their_kept, their_contents = twin.receive()
            kept = sorted(kept + their_kept, key=lambda k: k.index)
            contents.add(their_contents)
        return _write(kept, request, (pkg, contents), twin)
    except BaseException:
        if twin:
            # Interrupted or failed while the twin was writing: once it has ended, anything it
            # staged and never handed over goes too.
            twin.close()
            for plan in request.plans:
                discard_temps(plan.path)
        raise
    finally:
        if twin:
            twin.close()


def _halves(notes: PackageNotes) -> tuple[list[int], list[int]]:
    """The package's decks in two halves of about as many notes, for this process and its twin;
    everything in this one when there is too little to be worth a second process."""
    sizes = {did: len(n) for did, n in notes.by_deck.items()}
    if len(sizes) < 2 or sum(sizes.values()) < SPLIT_FROM_NOTES or not can_fork():
        return list(sizes), []
    halves: tuple[list[int], list[int]] = ([], [])
    weight = [0, 0]
    for did in sorted(sizes, key=lambda d: -sizes[d]):
        lighter = weight.index(min(weight))
        halves[lighter].append(did)
        weight[lighter] += sizes[did]
    return halves


def _twin_work(pkg: Package, notes: PackageNotes, deck_ids: list[int], index: dict[int, int], conn: Connection) -> None:
    """The twin's half: read and sift its decks, report them, then stage the plans it is sent."""
    contents = PackageContents([], [], {})
    kept = [_sift(index[did], d) for did, d in read_decks(pkg, notes, deck_ids, contents)]
    contents.decks, contents.cards = [], {}
    conn.send(("ok", ([k.summary() for k in kept], contents)))
    plans = conn.recv()
    if plans is None:
        return  # the parent stopped (nothing to import, or it failed)
    staged = Staged()
    try:
        done = [stage_deck(staged, k.entries, plans[k.index]) for k in kept if k.index in plans]
        conn.send(("ok", [replace(d, deck=None) for d in done]))  # the parent owns the files now
    except BaseException:
        staged.discard()
        raise


def _write(
    kept: list[_Kept], request: _Request, package: tuple[Package, PackageContents] | None = None, twin: Twin | None = None
) -> ImportResult:
    source = request.source
    skipped = package[1].skipped_lines() if package else []
    rejected: Counter[str] = Counter()
    for k in kept:
        skipped += k.skipped
        rejected.update(k.rejected)
    skipped += [f"{notes(n)} with {why}" for why, n in rejected.items()]
    kept = [k for k in kept if k.count]
    if not kept:
        raise QuizError(f"{source}: nothing to import" + (f" ({'; '.join(skipped)})" if skipped else ""))
    if len(kept) > 1 and (request.deck_id or request.name):
        raise UsageError(f"{source} holds {len(kept)} decks; --deck-id and --name apply to a package with one deck")
    plans = request.plans = _plans(kept, request)
    folder = plans[0].path.parent
    # Several folders only when decks are updated in place beside new ones (a re-import).
    made = [f for f in dict.fromkeys(p.path.parent for p in plans) if not f.exists()]
    staged = Staged()
    try:
        for f in made:
            f.mkdir()
        by_index = {k.index: plan for k, plan in zip(kept, plans)}
        if twin:
            twin.send(by_index)
        done = [stage_deck(staged, k.entries, by_index[k.index]) for k in kept if k.entries]
        if twin:
            theirs: list[StagedDeck] = twin.receive()
            for d in theirs:
                staged.adopt(d)  # from here on, this process keeps or discards them
            order = {plan.path: i for i, plan in enumerate(plans)}
            done = sorted(done + theirs, key=lambda d: order[d.path])
        if any(d.same_deck for d in done):
            from quiz.anki.reimport import refuse_other_decks  # why: a re-import's (a first import does without it)

            refuse_other_decks(source, done)
        written, history = _finish(staged, done, package)
        with remembering_all(source, written) if request.into_library else nullcontext([]) as added:
            staged.commit()
    except BaseException as e:
        staged.discard()
        for f in made:
            shutil.rmtree(f, ignore_errors=True)
        if isinstance(e, OSError):
            raise QuizError(f"{folder}: cannot write: {e.strerror or e}") from None
        raise
    if package is None:
        return ImportResult(tuple(written), skipped, [], added=tuple(added))
    return ImportResult(tuple(written), skipped, _notices(package[1]), tuple(history), tuple(added))


def _plans(kept: list[_Kept], request: _Request) -> list[DeckPlan]:
    """Where each deck goes and its id: one deck keeps the id it always had (or --deck-id);
    several are named by their files, which are unique."""
    deck_id, name, source = request.deck_id, request.name, request.source
    targets = _targets(request.out, [(deck_id or slug(name or k.name or source.stem) or "imported") for k in kept])
    plans = []
    for k, path in zip(kept, targets):
        deck_name = strip_controls(name or k.name or source.stem)
        default_id = slug(deck_name) or "imported"
        section = {"id": (deck_id or default_id) if len(kept) == 1 else path.stem, "name": deck_name}
        if k.description:
            section["description"] = strip_controls(k.description)
        plans.append(DeckPlan(path, section, new_guids=deck_id not in (None, default_id)))
    if request.force or not request.into_library:
        # why: a re-import's, and -o's check (a first import into the library does without it)
        from quiz.anki.reimport import in_place, refuse_output_clash, with_known_ids
    if request.into_library:  # before the files: the clash is what to fix first
        if request.force:  # the library's decks of these ids are updated where they are
            plans = in_place(plans)
        refuse_clashes(source, plans)
    for plan in plans:
        path = plan.path
        refuse_special(path)  # a FIFO or device is never replaced, --force or not
        if path.exists() and not request.force:
            known = library_id_of(path)
            if known is not None:  # imported before: it is there to study
                raise QuizError(f"{path} already exists and is in your library: `quiz study {known}` "
                                "(or --force to update it from the package, review history kept)")
            raise QuizError(f"{path} already exists (use --force to replace it{add_hint(path)})")
        media = media_folder(path)
        if media.exists() and not media.is_dir():
            raise QuizError(f"{media}: exists and is not a folder (where the deck's images go)")
    if not request.into_library:
        refuse_output_clash(source, plans)
    return with_known_ids(plans) if request.force else plans


def _finish(
    staged: Staged, done: list[StagedDeck], package: tuple[Package, PackageContents] | None
) -> tuple[list[WrittenDeck], list[CardHistory]]:
    """Unpack the images, and read the review history before anything is kept: a package
    refused here leaves nothing behind."""
    written = []
    for d in done:
        images = stage_images(staged, package[0], d.images, d.path) if package else 0
        written.append(WrittenDeck(d.path, d.deck_id, d.name, d.items, images, d.deck, d.kept, d.replaced))
    if package is None:
        return written, []
    note_items = {nid: (d.deck_id, item) for d in done for nid, item in d.note_items.items()}
    history = card_histories(package[0], package[1].cards, note_items)
    # Anki's reversed card 0 asks front -> back; quiz's card 0 of a reverse item is the other
    # way (description -> term, the way quiz always asked it), so the two ordinals swap.
    reversed_items = {(d.deck_id, i) for d in done for i in d.reversed}
    history = [replace(h, ordinal=1 - h.ordinal) if (h.deck_id, h.item_id) in reversed_items else h for h in history]
    return written, history


def _targets(out: Path, ids: list[str]) -> list[Path]:
    """The deck file for each deck: ``out`` itself when it names a .yaml file and there is one
    deck; else ``<deck id>.yaml`` in the folder ``out`` (``X.yaml`` -> ``X``)."""
    as_file = out.suffix.lower() in YAML_SUFFIXES
    if as_file and len(ids) == 1:
        refuse_special(out)  # a folder, FIFO or device named *.yaml is not replaced
        if not out.parent.is_dir():
            raise QuizError(f"{out.parent}: no such directory for the output file")
        return [out]
    folder = out.with_suffix("") if as_file else out
    if folder.exists() and not folder.is_dir():
        raise QuizError(f"{folder}: exists and is not a folder (the package holds {len(ids)} decks)")
    if not folder.parent.is_dir():
        raise QuizError(f"{folder.parent}: no such directory for the output folder")
    seen: dict[str, int] = {}
    paths = []
    for deck_id in ids:  # two Anki decks may slug alike ("A B" and "A-B")
        seen[deck_id] = seen.get(deck_id, 0) + 1
        paths.append(folder / (f"{deck_id}.yaml" if seen[deck_id] == 1 else f"{deck_id}-{seen[deck_id]}.yaml"))
    return paths


def _notices(contents: PackageContents) -> list[str]:
    out = []
    if contents.sounds:
        out.append(
            f"{contents.sounds} sound reference{'s' * (contents.sounds != 1)} kept as text ([sound:...]) only:"
            " quiz does not play sounds or copy their files (an export sends a sound only if its file is"
            " put in the deck's .media folder, else as text)"
        )
    if contents.latex:
        out.append(f"{contents.latex} LaTeX expression{'s' * (contents.latex != 1)} kept as source text")
    if contents.missing_images:
        n = len(contents.missing_images)
        out.append(f"{n} image{'s' * (n != 1)} not in the package (or not images) left out: {named(contents.missing_images)}")
    return out


def _is_zip(path: Path) -> bool:
    try:
        with path.open("rb") as f:
            return f.read(4) == b"PK\x03\x04" or path.suffix.lower() in (".apkg", ".colpkg", ".zip")
    except OSError as e:
        raise QuizError(f"{path}: cannot read: {e.strerror or e}") from None


