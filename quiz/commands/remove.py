"""`quiz remove DECK`: forget a library deck; its file and its review history are kept."""

from __future__ import annotations

import argparse

HELP = "forget a deck of your library (its file and review history are kept; `quiz add` brings it back)"


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("deck", metavar="DECK", help="id of a library deck (see the home screen or `quiz stats`)")


def run(args: argparse.Namespace) -> int:
    # why: loaded when this command runs, so `quiz --help` stays fast
    from quiz.decks.library import remove_deck
    from quiz.errors import display_path

    e = remove_deck(args.deck)
    print(f"removed {e.deck_id} ({e.name}) from the library; {display_path(e.path)} and its review history are kept")
    return 0
