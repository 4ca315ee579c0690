from __future__ import annotations

import argparse
import sys
from pathlib import Path

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
    p.add_argument("--force", action="store_true", help="replace the output file if it exists")


def run(args: argparse.Namespace) -> int:
    # why: loaded when this command runs, so `quiz --help` stays fast
    from quiz.anki.import_csv import delimiter_for
    from quiz.anki.importer import import_file
    from quiz.decks.library import add_decks, library_dir

    if args.delimiter is not None:
        delimiter_for(args.delimiter)  # a usage error (exit 2) before any reading

    out = Path(args.output) if args.output else library_dir() / (Path(args.file).stem + ".yaml")
    if not args.output and Path(args.file).is_file():  # a typo must not leave folders behind
        out.parent.mkdir(parents=True, exist_ok=True)
    result = import_file(
        args.file, out, delimiter=args.delimiter, deck_id=args.deck_id, name=args.name, force=args.force
    )
    for line in result.skipped:
        print(f"quiz: skipped {line}", file=sys.stderr)
    print(result.summary(Path(args.file)))
    if not args.output:
        for added in add_decks([result.path]):
            print(f"{added.how}: {added.entry.deck_id} (in your library: `quiz study {added.entry.deck_id}`)")
    return 0
