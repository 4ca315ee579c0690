"""`quiz add PATH…`: remember deck files of your own, so they are known by id and listed on home."""

from __future__ import annotations

import argparse
from pathlib import Path

HELP = "remember deck files of your own: listed on the home screen, named by deck id in every command"


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("paths", nargs="+", metavar="PATH", help="deck files (.yaml) to add to your library")


def run(args: argparse.Namespace) -> int:
    # why: loaded when this command runs, so `quiz --help` stays fast
    from quiz.decks.library import add_decks
    from quiz.errors import QuizError, display_path

    try:
        batch = add_decks([Path(p) for p in args.paths])
    except QuizError as refused:
        if len(args.paths) > 1:  # all or nothing: the good files named too were not added either
            raise QuizError(f"{refused}; nothing was added", exit_code=refused.exit_code) from None
        raise
    for added in batch:
        e = added.entry
        print(f"{added.how}: {e.deck_id} ({e.name}) at {display_path(e.path)}")
    return 0
