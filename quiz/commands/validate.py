from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from quiz.errors import InvalidFile, UsageError, display_path
from quiz.safe_text import visible

if TYPE_CHECKING:
    from quiz.decks.model import Deck

HELP = "check deck files and report every problem as PATH:LINE:COL: message"

LOCAL_DECKS = Path("decks")


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "decks", nargs="*", metavar="DECK",
        help="deck files, or ids or names of built-in or library decks, to check "
        f"(default: as every command, the built-in decks and your library; and {LOCAL_DECKS}/*.yaml if that "
        "folder is here)",
    )


def _default_decks(builtin_deck_paths: Callable[[], list[Path]]) -> tuple[list[Path], str]:
    """The decks to check when none are named, as every command's default (the built-in decks
    and the library), with the deck files of a decks/ folder here; and words saying which."""
    from quiz.decks.library import read_library  # why: with the command (see run)

    paths, parts = [], []
    if LOCAL_DECKS.is_dir():
        local = sorted(LOCAL_DECKS.glob("*.yaml"))
        if not local:
            raise UsageError(f"{LOCAL_DECKS}/ holds no deck files (*.yaml); name the decks to check")
        paths += local
        parts.append(f"{LOCAL_DECKS}/*.yaml")
    builtins = builtin_deck_paths()
    if builtins and not (LOCAL_DECKS.is_dir() and LOCAL_DECKS.resolve() == builtins[0].parent.resolve()):
        paths += builtins
        parts.append(f"the built-in decks in {display_path(builtins[0].parent)}")
    library = read_library()
    for e in library:
        if e.path.exists():
            paths.append(e.path)
        else:  # as home and `quiz stats` say it; nothing to check
            print(visible(f"quiz: not available: {e.name} ({e.deck_id}): {display_path(e.path)}: missing "
                          "(moved or deleted?)"), file=sys.stderr)
    if library:
        parts.append(f"your library ({len(library)} deck{'s' * (len(library) != 1)})")
    if not paths:
        raise UsageError("no deck files to check (no decks/ folder here, no built-in decks, no library); name them")
    seen = {p.resolve(): p for p in reversed(paths)}  # a file in two of these is checked once, first named
    return [p for p in paths if seen.get(p.resolve()) is p], ", ".join(parts[:-1]) + " and " * (len(parts) > 1) + parts[-1]


def run(args: argparse.Namespace) -> int:
    # A deck unchanged since it was last checked comes from the validated-deck cache (keyed on its bytes).
    # why: loaded when this command runs; only pyyaml is needed here, not the TUI's imports.
    from quiz.decks.ahead import parse_ahead
    from quiz.decks.deck_names import resolve
    from quiz.decks.library import builtin_deck_paths

    paths: list[str | Path] = list(args.decks)
    if not paths:
        found, where = _default_decks(builtin_deck_paths)
        print(f"checking {len(found)} deck file{'s' * (len(found) != 1)}: {where}")
        paths = list(found)
    else:
        # Named as every command names decks; an unknown bare word is a usage error (exit 2).
        paths = list(resolve(args.decks, keep_away=True))
    with parse_ahead([Path(p) for p in paths]) as load:
        return _report(paths, load)


def _report(paths: list[str | Path], load: Callable[[Path], Deck]) -> int:
    bad = 0
    for path in paths:
        try:
            deck = load(Path(path))
        except InvalidFile as e:
            bad += 1
            print(visible(str(e)), file=sys.stderr)
        else:
            for warning in deck.warnings:
                print(warning, file=sys.stderr)
            # Not in the cached load: whether an image is there depends on the folder, not the bytes.
            for item in deck.items:
                for ref in (*item.images, *item.answer_images):
                    if not (Path(path).parent / ref).is_file():
                        print(visible(f"{display_path(path)}:{item.line}: warning: image {ref!r} not found"),
                              file=sys.stderr)
            # Same path form as in the problem lines, so the output reads as one list.
            n = len(deck.items)
            print(f"{display_path(path)}: ok ({n} item{'s' * (n != 1)})")
    return 1 if bad else 0
