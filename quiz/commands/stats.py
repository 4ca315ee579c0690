from __future__ import annotations

import argparse
import json
import shutil
import sys

from quiz.safe_text import visible

HELP = "show due, new, learning and review counts, today's reviews and 30-day retention per deck"


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "decks", nargs="*", metavar="DECK",
        help="deck files, or ids or names of built-in or library decks, in any case (a name takes its sub-decks; "
        "default: the built-in decks and your library)",
    )
    p.add_argument("--json", action="store_true", help="print one JSON object (stable keys, for scripts)")


def run(args: argparse.Namespace) -> int:
    # why: loaded when this command runs, so `quiz --help` stays fast
    from quiz.collection import Collection
    from quiz.study.stats_table import TABLE_WIDTH, format_table

    with Collection.open(args.decks or None) as collection:
        # Without deck names: the decks in use plus every deck this store has studied; the
        # table lists those in use (as home), --json every one, each with its "status".
        stats = collection.stats(include_store_decks=not args.decks)
        unavailable = collection.unavailable
    for deck in unavailable:  # marked "(away)" in the table; why, as home says it
        print(visible(f"quiz: not available: {deck.message()}"), file=sys.stderr)
    if args.json:
        print(json.dumps(stats.as_json(), indent=2, default=str))
    else:
        # As wide as the terminal (or $COLUMNS), so long deck ids stay whole; 79 when piped.
        width = shutil.get_terminal_size((TABLE_WIDTH + 1, 24)).columns - 1
        print(visible(format_table(stats, width)))
    return 0
