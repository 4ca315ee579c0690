from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from quiz.errors import UsageError

if TYPE_CHECKING:
    from quiz.decks.model import Deck

HELP = "write decks to an Anki package (.apkg); re-exporting after an edit updates the notes in Anki"

DEFAULT_OUT = "quiz.apkg"


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "decks", nargs="*", metavar="DECK",
        help="deck files, or ids or names of built-in or library decks, in any case (a name takes its sub-decks; "
        "default: the built-in decks and your library)",
    )
    p.add_argument(
        "-o", "--output", metavar="FILE.apkg", default=DEFAULT_OUT,
        help=f"package to write (default: {DEFAULT_OUT} in the current directory)",
    )
    # One value per flag, so that deck names may follow: `--tags faq,dosing DECK`.
    p.add_argument(
        "--tags", action="append", metavar="T,T", default=[],
        help="export only items with at least one of these tags (comma separated; may be repeated)",
    )


class _Percent:
    """A one-line percentage on stderr, redrawn in place."""

    def __init__(self) -> None:
        self.last = -1

    def __call__(self, done: int, total: int) -> None:
        pct = done * 100 // max(total, 1)
        if pct != self.last:
            self.last = pct
            print(f"\rexporting: {pct:3d}% ({done}/{total} notes)", end="", file=sys.stderr, flush=True)

    def clear(self) -> None:
        if self.last >= 0:
            print("\r\033[K", end="", file=sys.stderr, flush=True)


def _check_tags(tags: list[str], decks: list[Deck]) -> None:
    """A tag no item carries is a usage error (likely a typo), as in `quiz exam`."""
    known = {t for d in decks for it in d.items for t in it.tags}
    for t in tags:
        if t not in known:
            hint = f"; tags in these decks: {', '.join(sorted(known))}" if known else ""
            raise UsageError(f"--tags: no item has the tag {t!r}{hint}")


def run(args: argparse.Namespace) -> int:
    # why: loaded when this command runs, so `quiz --help` stays fast
    from quiz.anki.export import export_decks
    from quiz.decks.deck_names import load_decks
    from quiz.outfile import folder_made_for

    if not args.output.endswith(".apkg"):
        raise UsageError(f"output file {args.output!r} should end in .apkg")
    tags = [t.strip() for raw in args.tags for t in raw.split(",") if t.strip()]
    for t in tags:
        if t.endswith((".yaml", ".yml")):  # `--tags DECK`: the tag itself was left out
            raise UsageError(f"--tags: {t!r} looks like a deck file, not a tag (use --tags TAG DECK)")
    progress = _Percent() if sys.stderr.isatty() else None
    try:
        if progress is not None:
            print("reading decks...", end="", file=sys.stderr, flush=True)
            progress.last = 0  # so clear() wipes this line too
        decks = load_decks(args.decks)
        if not decks:
            raise UsageError("no decks to export (name deck files, or install the built-in decks)")
        _check_tags(tags, decks)
        with folder_made_for(Path(args.output)):  # as `quiz backup -o`: a new folder is made
            result = export_decks(decks, args.output, tags=tags, progress=progress)
    finally:
        if progress is not None:
            progress.clear()
    print(result.summary())
    return 0
