from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from quiz.anki.importer import ImportResult
    from quiz.decks.model import Deck

HELP = "turn an Anki package (.apkg) or a Quizlet/Anki CSV/TSV export into a deck file"


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("file", metavar="FILE", help=".apkg package, or .csv/.tsv/.txt with term and definition columns")
    p.add_argument(
        "-o", "--output", metavar="DECK.yaml",
        help="deck file to write, e.g. decks/NAME.yaml (default: FILE's name with .yaml in your library folder, "
        "and the deck is added to your library)",
    )
    p.add_argument(
        "--delimiter", metavar="SEP",
        help="CSV column separator: ',' or 'tab' or ';' (default: Anki's #separator header, else tab if the "
        "first line has one, else comma, or ';' if the line has no comma)",
    )
    p.add_argument(
        "--deck-id", metavar="ID", help="id of the new deck (default: made from its name; another id makes a copy with Anki notes of its own)"
    )
    p.add_argument("--name", help="name of the new deck (default: the Anki deck's name, else FILE's name)")
    p.add_argument(
        "--force", action="store_true",
        help="replace the output file if it exists; into the library: update the library's decks of the same ids in "
        "place (notes keep their item ids and review history by Anki GUID)",
    )


def run(args: argparse.Namespace) -> int:
    # why: loaded when this command runs, so `quiz --help` stays fast
    from quiz.anki.importer import import_file
    from quiz.decks.library import library_dir

    if args.delimiter is not None:
        from quiz.anki.import_csv import delimiter_for  # why: the CSV reader, only when asked for (start-up time)

        delimiter_for(args.delimiter)  # a usage error (exit 2) before any reading

    out = Path(args.output) if args.output else library_dir() / (Path(args.file).stem + ".yaml")
    made = not args.output and Path(args.file).is_file() and not out.parent.exists()
    if made:  # (only for a file there: a typo must not leave folders behind)
        out.parent.mkdir(parents=True)
    try:
        # Into the library with the files, all or nothing: decks written but not listed would
        # be refused by the next import as "already exists" and missing from every command.
        result = import_file(
            args.file, out, delimiter=args.delimiter, deck_id=args.deck_id, name=args.name, force=args.force,
            into_library=not args.output,
        )
    except BaseException as e:
        if made:  # a refused first import leaves no empty library folder either
            _remove_if_empty(out.parent)
        if isinstance(e, KeyboardInterrupt):  # the importer leaves nothing behind: say so
            print("quiz: interrupted; nothing was imported", file=sys.stderr)
            return 130
        raise
    for line in result.skipped:
        print(f"quiz: skipped {line}", file=sys.stderr)
    for line in result.notices:
        print(f"quiz: {line}", file=sys.stderr)
    print(result.summary(Path(args.file)))
    for line in result.updates():
        print(line)
    images = sum(d.images for d in result.decks)
    if images:
        print(f"copied {images} image{'s' * (images != 1)} into the decks' media folders")
    if result.history:
        print(_bring_history(result))
    updated = {d.deck_id for d in result.decks if d.replaced is not None}
    for a in result.added:
        if a.how == "already in the library" and a.entry.deck_id in updated:
            continue  # said above
        print(f"{a.how}: {a.entry.deck_id} (in your library: `quiz study {a.entry.deck_id}`)")
    return 0


def _remove_if_empty(folder: Path) -> None:
    try:
        folder.rmdir()
    except OSError:
        pass  # not empty: another import put decks there meanwhile


def _bring_history(result: ImportResult) -> str:
    """Replay the package's review log into the store, and take Anki's state of the cards
    (suspended, buried, due dates set by hand), so study continues where Anki left off."""
    from quiz.collection import Collection  # why: the store only when there is history to bring

    with Collection.open(decks=_decks(result)) as collection:
        collection.sync()
        histories = {(h.deck_id, h.item_id, h.ordinal): h.reviews for h in result.history if h.reviews}
        states = {(h.deck_id, h.item_id, h.ordinal): h.state for h in result.history if h.state}
        b = collection.bring_history(histories, states, [d.deck_id for d in result.decks])
    more = f" ({b.missing} card{'s' * (b.missing != 1)} with no card here to go to left out)" if b.missing else ""
    told = [f"{n} {what}" for n, what in (
        (b.suspended, "suspended"), (b.unsuspended, "unsuspended"), (b.buried, "buried for today"),
        (b.due_set, "due as Anki set by hand"), (b.reset, "new again (reset in Anki)")) if n]
    state = f"; from Anki's cards: {', '.join(told)}" if told else ""
    if not b.reviews:
        if told:
            return f"no new reviews from Anki{state}{more}"
        return f"review history already here (nothing new from Anki){more}"
    return (f"brought {b.reviews} review{'s' * (b.reviews != 1)} of {b.cards} card{'s' * (b.cards != 1)} "
            f"across from Anki{state}{more}")


def _decks(result: ImportResult) -> list[Deck]:
    """The decks written, as the importer built them (those its twin process built are read
    from the deck cache it filled)."""
    from quiz.decks.cache import load_deck_cached  # why: only for the twin's decks

    return [written.deck or load_deck_cached(written.path) for written in result.decks]
