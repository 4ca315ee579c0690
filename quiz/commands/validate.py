from __future__ import annotations

import argparse
import sys

HELP = "check deck files and report every problem as PATH:LINE:COL: message"


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("decks", nargs="+", metavar="DECK", help="deck files to check")


def run(args: argparse.Namespace) -> int:
    from quiz.deck import load_deck
    from quiz.errors import InvalidFile

    bad = 0
    for path in args.decks:
        try:
            deck = load_deck(path)
        except InvalidFile as e:
            bad += 1
            print(e, file=sys.stderr)
        else:
            print(f"{path}: ok ({len(deck.items)} items)")
    return 1 if bad else 0
