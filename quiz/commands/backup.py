from __future__ import annotations

import argparse
from pathlib import Path

from quiz.errors import display_path

HELP = "copy the review store to a backup file (default: a new file in the backups folder)"


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("-o", "--output", metavar="FILE", help="where to write the backup (an existing FILE is refused)")
    p.add_argument("--force", action="store_true", help="with -o: replace FILE if it exists")


def run(args: argparse.Namespace) -> int:
    from quiz.collection import Collection  # why: loaded when this command runs, so `quiz --help` stays fast

    with Collection.open_store() as collection:
        dest = collection.backup(Path(args.output) if args.output else None, force=args.force)
    print(f"backed up to {display_path(dest)}")
    return 0
