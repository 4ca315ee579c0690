from __future__ import annotations

import argparse
from pathlib import Path

from quiz.errors import display_path
from quiz.paths import store_path

HELP = "replace the review store with a backup (the current store is kept in the backups folder)"


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("file", metavar="FILE", help="a backup made by quiz (see the backups folder)")


def run(args: argparse.Namespace) -> int:
    from quiz.collection import restore_from  # why: loaded when this command runs, so `quiz --help` stays fast

    kept = restore_from(Path(args.file))
    msg = f"restored {display_path(store_path())} from {display_path(args.file)}"
    if kept is not None:
        msg += f"; the previous store is kept as {display_path(kept)}"
    print(msg)
    return 0
