from __future__ import annotations

import argparse
import sys

HELP = "check deck files and report every problem as PATH:LINE:COL: message"


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("decks", nargs="+", metavar="DECK", help="deck files to check")


def run(args: argparse.Namespace) -> int:
    # Only pyyaml is needed here: keep `quiz validate` fast and free of the TUI's imports.
    from quiz.deck import load_deck
    from quiz.errors import InvalidFile, display_path

    bad = 0
    for path in args.decks:
        try:
            deck = load_deck(path)
        except InvalidFile as e:
            bad += 1
            print(e, file=sys.stderr)
        else:
            # Same path form as in the problem lines, so the output reads as one list.
            print(f"{display_path(path)}: ok ({len(deck.items)} items)")
    return 1 if bad else 0
