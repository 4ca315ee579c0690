"""`quiz add PATH…`: remember deck files of your own, so they are known by id and listed on home."""

from __future__ import annotations

import argparse
from pathlib import Path

HELP = "remember deck files of your own: listed on the home screen, named by deck id in every command"


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("paths", nargs="+", metavar="PATH",
                   help="deck files (.yaml) to add to your library, or folders: every deck file in them")


def run(args: argparse.Namespace) -> int:
    # why: loaded when this command runs, so `quiz --help` stays fast
    from quiz.decks.library import add_decks
    from quiz.errors import QuizError, display_path

    files = [f for p in args.paths for f in _deck_files(Path(p))]
    try:
        batch = add_decks(files)
    except QuizError as refused:
        if len(files) > 1:  # all or nothing: the good files named too were not added either
            raise QuizError(f"{refused}; nothing was added", exit_code=refused.exit_code) from None
        raise
    for added in batch:
        e = added.entry
        print(f"{added.how}: {e.deck_id} ({e.name}) at {display_path(e.path)}")
    for folder in (Path(p) for p in args.paths if Path(p).is_dir()):
        n = sum(f.parent == folder for f in files)
        print(f"{n} deck file{'s' * (n != 1)} from {display_path(folder)}")
    return 0


def _deck_files(path: Path) -> list[Path]:
    """A file as named; a folder: the deck files in it (*.yaml, *.yml; not its subfolders,
    where an import keeps images), or a one-line refusal if it holds none."""
    from quiz.errors import QuizError, display_path  # why: with the command (see run)

    if not path.is_dir():
        return [path]
    found = sorted(f for f in path.iterdir() if f.suffix.lower() in (".yaml", ".yml") and f.is_file())
    if not found:
        raise QuizError(f"{display_path(path)}: a folder with no deck files (*.yaml) in it; name the deck files to add")
    return found
