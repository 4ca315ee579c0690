"""`quiz build [FACTS…] [--check]`: facts files -> deck files, or check that decks are fresh."""

from __future__ import annotations

import argparse
import difflib
import sys
from pathlib import Path

from quiz.errors import UsageError, display_path
from quiz.outfile import write_atomic

HELP = "generate decks/<topic>.yaml from data/<topic>.facts.yaml (--check: exit 1 if decks are stale)"


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "facts",
        nargs="*",
        metavar="FACTS",
        help="facts files to build (default: every data/*.facts.yaml under the current directory)",
    )
    p.add_argument("--check", action="store_true", help="write nothing; show a diff and exit 1 if a deck is stale")
    p.add_argument("--out", default="decks", metavar="DIR", help="directory for the deck files (default: decks)")


def run(args: argparse.Namespace) -> int:
    from quiz.authoring.generate import plan  # why: loaded when this command runs, so `quiz --help` stays fast

    facts = [Path(f) for f in args.facts]
    if not facts:
        facts = sorted(Path("data").glob("*.facts.yaml"))
        if not facts:
            raise UsageError("no facts files given and none found in data/*.facts.yaml")
    out_dir = Path(args.out)
    if out_dir.exists() and not out_dir.is_dir():
        raise UsageError(f"--out {args.out}: not a directory")
    stale = 0
    for deck_path, text in plan(facts, out_dir):
        old = deck_path.read_text(encoding="utf-8") if deck_path.is_file() else None
        shown = display_path(deck_path)
        if old == text:
            print(f"{shown}: up to date")
            continue
        if args.check:
            stale += 1
            diff = difflib.unified_diff(
                (old or "").splitlines(keepends=True),
                text.splitlines(keepends=True),
                fromfile=f"{shown} (committed)" if old is not None else "/dev/null",
                tofile=f"{shown} (built from facts)",
            )
            sys.stdout.writelines(diff)
            print(f"{shown}: stale; run `quiz build` and commit the result", file=sys.stderr)
            continue
        out_dir.mkdir(parents=True, exist_ok=True)
        write_atomic(deck_path, text)
        print(f"{shown}: written")
    return 1 if stale else 0
