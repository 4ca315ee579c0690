"""Import an Anki package or a Quizlet/Anki CSV/TSV export into deck files.

The readers (quiz.anki.import_apkg, quiz.anki.import_csv) turn the input into ``Imported`` decks
of ``Entry`` objects; this module gives them ids, writes each deck's YAML, builds the same deck
in memory and checks it as the deck loader would (quiz.decks.item_checks; parsing our own YAML
back was half the time of a 33,000-note import), and only then moves it into place, so a
failure leaves no partial deck file.

Where decks go: a package with one deck, or a CSV, becomes the file ``out`` when it ends in
.yaml/.yml; otherwise ``out`` is a folder (made if missing; ``X.yaml`` with several decks means
the folder ``X``) holding one ``<deck id>.yaml`` per Anki deck. Images go to
``<deck file stem>.media/`` beside each deck file.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from quiz.anki.deck_yaml import dump_deck_lines
from quiz.anki.entries import ID_RE, Entry, Imported, item_ids, notes, slug
from quiz.anki.history import CardHistory, card_histories
from quiz.anki.import_apkg import PackageContents, read_package
from quiz.anki.import_csv import read_csv
from quiz.anki.media import media_folder, reference
from quiz.anki.package_reader import Package, open_package
from quiz.decks.item_checks import ID_RE as DECK_ID_RE, item_from_data, item_problems
from quiz.decks.model import Deck, gc_paused
from quiz.errors import QuizError, UsageError
from quiz.outfile import refuse_special, temp_beside
from quiz.safe_text import strip_controls

YAML_SUFFIXES = (".yaml", ".yml")


@dataclass(frozen=True)
class WrittenDeck:
    path: Path
    deck_id: str
    name: str
    items: int
    images: int
    deck: Deck | None = None  # as the loader read it back (None: not kept)


@dataclass(frozen=True)
class ImportResult:
    decks: tuple[WrittenDeck, ...]
    skipped: list[str]  # "N notes <why>", one line each
    notices: list[str]  # what came along as references only (sounds, LaTeX, missing images)
    history: tuple[CardHistory, ...] = ()  # reviews of imported cards, for quiz.study.replay

    @property
    def path(self) -> Path:
        return self.decks[0].path

    @property
    def items(self) -> int:
        return sum(d.items for d in self.decks)

    def summary(self, source: Path) -> str:
        if len(self.decks) == 1:
            return f"imported {self.items} item{'s' * (self.items != 1)} from {source} to {self.path}"
        lines = [f"imported {self.items} items from {source} into {len(self.decks)} decks in {self.path.parent}:"]
        lines += [f"  {d.path.name}: {d.name} ({d.items} item{'s' * (d.items != 1)})" for d in self.decks]
        return "\n".join(lines)


def import_file(
    source: str | Path,
    out: str | Path,
    *,
    delimiter: str | None = None,
    deck_id: str | None = None,
    name: str | None = None,
    force: bool = False,
) -> ImportResult:
    source, out = Path(source), Path(out)
    if not source.is_file():
        raise QuizError(f"{source}: no such file")
    if deck_id is not None and not ID_RE.match(deck_id):
        raise UsageError(f"deck id {deck_id!r} may hold only letters, digits, '.', '_' and '-'")
    if not _is_zip(source):
        return _write_decks([read_csv(source, delimiter)], source, out, deck_id, name, force, None)
    if delimiter:
        raise UsageError("--delimiter applies to CSV/TSV files, not to Anki packages")
    # A package is hundreds of thousands of objects that live until the end: the cyclic GC,
    # triggered over and over while they pile up, found nothing and took a third of the time.
    with open_package(source) as pkg, gc_paused():
        contents = read_package(pkg)
        return _write_decks(contents.decks, source, out, deck_id, name, force, (pkg, contents))


def _write_decks(
    decks: list[Imported],
    source: Path,
    out: Path,
    deck_id: str | None,
    name: str | None,
    force: bool,
    package: tuple[Package, PackageContents] | None,
) -> ImportResult:
    skipped = list(package[1].skipped) if package else []
    kept: list[tuple[Imported, list[Entry]]] = []
    rejected: dict[str, int] = {}
    for imported in decks:
        skipped += imported.skipped
        entries = []
        for e in imported.entries:
            e.drop_controls()
            why = e.problem()
            if why:
                rejected[why] = rejected.get(why, 0) + 1
            else:
                entries.append(e)
        if entries:
            kept.append((imported, entries))
    skipped += [f"{notes(n)} with {why}" for why, n in rejected.items()]
    if not kept:
        raise QuizError(f"{source}: nothing to import" + (f" ({'; '.join(skipped)})" if skipped else ""))
    if len(kept) > 1 and (deck_id or name):
        raise UsageError(f"{source} holds {len(kept)} decks; --deck-id and --name apply to a package with one deck")

    targets = _targets(out, [(deck_id or slug(name or i.name or source.stem) or "imported") for i, _ in kept])
    for path in targets:
        refuse_special(path)  # a FIFO or device is never replaced, --force or not
        if path.exists() and not force:
            raise QuizError(f"{path} already exists (use --force to replace it)")
        media = media_folder(path)
        if media.exists() and not media.is_dir():
            raise QuizError(f"{media}: exists and is not a folder (where the deck's images go)")
    written, note_items = [], {}
    reversed_items: set[tuple[str, str]] = set()
    made_folder = not targets[0].parent.exists()
    staged = _Staged()
    try:
        if made_folder:
            targets[0].parent.mkdir()
        for (imported, entries), path in zip(kept, targets):
            deck_name = strip_controls(name or imported.name or source.stem)
            # One deck keeps the id it always had; several are named by their files (unique).
            default_id = slug(deck_name) or "imported"
            if deck_id not in (None, default_id):
                # A deck of its own (a fork): the notes it exports must not take over the original's
                # notes in Anki, so its GUIDs derive from the new deck id like any deck's.
                for e in entries:
                    e.guid = None
            deck: dict[str, object] = {"id": (deck_id or default_id) if len(kept) == 1 else path.stem, "name": deck_name}
            if imported.description:
                deck["description"] = strip_controls(imported.description)
            ids = item_ids(entries)
            images = _stage_images(staged, package[0], entries, path) if package else 0
            rows = [e.as_yaml(i, _ref(path)) for e, i in zip(entries, ids)]
            loaded = _stage_deck(staged, path, deck, rows)
            written.append(WrittenDeck(path, loaded.id, loaded.name, len(entries), images, loaded))
            note_items.update({e.note_id: (loaded.id, i) for e, i in zip(entries, ids) if e.note_id is not None})
            reversed_items.update((loaded.id, i) for e, i in zip(entries, ids) if e.type == "reverse")
        # Read before anything is kept: a package refused here leaves nothing behind.
        history = card_histories(package[0], package[1].cards, note_items) if package else []
        # Anki's reversed card 0 asks front -> back; quiz's card 0 of a reverse item is the other
        # way (description -> term, the way quiz always asked it), so the two ordinals swap.
        history = [replace(h, ordinal=1 - h.ordinal) if (h.deck_id, h.item_id) in reversed_items else h
                   for h in history]
        staged.commit()
    except BaseException as e:
        staged.discard()
        if made_folder:
            shutil.rmtree(targets[0].parent, ignore_errors=True)
        if isinstance(e, OSError):
            raise QuizError(f"{targets[0].parent}: cannot write: {e.strerror or e}") from None
        raise
    if package is None:
        return ImportResult(tuple(written), skipped, [])
    return ImportResult(tuple(written), skipped, _notices(package[1]), tuple(history))


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


def _ref(path: Path) -> Callable[[str], str]:
    return lambda name: reference(path, name)


class _Staged:
    """Files and folders written under temp names, renamed into place only once all are ready,
    so a bad package (a media bomb, a deck that fails validation) leaves nothing behind."""

    def __init__(self) -> None:
        self.moves: list[tuple[Path, Path]] = []  # (temp, final)

    def add(self, temp: Path, final: Path) -> None:
        self.moves.append((temp, final))

    def commit(self) -> None:
        for temp, final in self.moves:
            if temp.is_dir():
                if final.is_dir():
                    shutil.rmtree(final)  # --force: the old deck's images go with the old deck
                os.replace(temp, final)
            else:
                os.replace(temp, final)
        self.moves = []

    def discard(self) -> None:
        for temp, _ in self.moves:
            if temp.is_dir():
                shutil.rmtree(temp, ignore_errors=True)
            else:
                temp.unlink(missing_ok=True)
        self.moves = []


def _stage_images(staged: _Staged, pkg: Package, entries: list[Entry], deck_file: Path) -> int:
    """Unpack the images the entries show into a temp folder for the deck's media folder."""
    names = sorted({n for e in entries for n in (*e.images, *e.answer_images)})
    if not names:
        return 0
    folder = media_folder(deck_file)
    temp = Path(tempfile.mkdtemp(dir=folder.parent, prefix=f".{folder.name}."))
    staged.add(temp, folder)
    for n in names:
        pkg.deadline.check()
        pkg.copy_media(n, temp / n)
    return len(names)


def _notices(contents: PackageContents) -> list[str]:
    out = []
    if contents.sounds:
        out.append(f"{contents.sounds} sound reference{'s' * (contents.sounds != 1)} kept as text ([sound:...]); quiz does not play them")
    if contents.latex:
        out.append(f"{contents.latex} LaTeX expression{'s' * (contents.latex != 1)} kept as source text")
    if contents.missing_images:
        n = len(contents.missing_images)
        out.append(f"{n} image{'s' * (n != 1)} not in the package (or not images) left out")
    return out


def _is_zip(path: Path) -> bool:
    try:
        with path.open("rb") as f:
            return f.read(4) == b"PK\x03\x04" or path.suffix.lower() in (".apkg", ".colpkg", ".zip")
    except OSError as e:
        raise QuizError(f"{path}: cannot read: {e.strerror or e}") from None


def _stage_deck(staged: _Staged, out: Path, deck: dict[str, object], rows: list[dict[str, object]]) -> Deck:
    """Write a temp file beside ``out`` that replaces ``out`` on commit, and the Deck it holds,
    built from the same rows and checked as the loader would check the file."""
    text, lines = dump_deck_lines(deck, rows)
    fd, tmp = temp_beside(out, ".yaml")
    staged.add(Path(tmp), out)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(text)
    built = Deck(
        id=str(deck["id"]), name=str(deck["name"]), description=str(deck.get("description", "")),
        items=tuple(item_from_data(row, line) for row, line in zip(rows, lines)), path=out,
    )
    why = _refused(built)
    if why:  # a bug of ours, not the user's: say so plainly
        raise QuizError(f"the imported deck did not pass validation, nothing written: {out}:{why}")
    return built


_CHECKED = frozenset({"cloze", "choice", "list"})  # the types item_problems has rules for


def _refused(deck: Deck) -> str | None:
    """What the deck loader would refuse in the file (line: why), or None. Texts need no check:
    entries with a blank question or answer were skipped, and ``Entry.as_yaml`` writes no blank
    optional text or list element."""
    if not DECK_ID_RE.fullmatch(deck.id) or not deck.name.strip():
        return f" deck id {deck.id!r} or name {deck.name!r}"
    for item in deck.items:
        if not DECK_ID_RE.fullmatch(item.id):
            return f"{item.line}: item id {item.id!r}"
        if item.type in _CHECKED or item.images or item.answer_images:
            problems = item_problems(item)
            if problems:
                return f"{item.line}: {problems[0].message}"
    return None
