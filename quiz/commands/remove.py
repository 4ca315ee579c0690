"""`quiz remove DECK…`: forget library decks (by id, name with its sub-decks, or file); their
files and their review history are kept, and the message says where the files are."""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from quiz.decks.library_entry import LibraryEntry

HELP = "forget decks of your library (their files and review history are kept; `quiz add` brings one back)"


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "decks", nargs="+", metavar="DECK",
        help="ids or names of library decks (a name takes its sub-decks, as in Anki), or their files",
    )


def run(args: argparse.Namespace) -> int:
    # why: loaded when this command runs, so `quiz --help` stays fast
    from quiz.decks.library import read_library, remove_decks

    entries = read_library()
    ids = list(dict.fromkeys(i for name in args.decks for i in _library_ids(name, entries)))
    gone = remove_decks(ids)  # all or nothing: a wrong name above refused the lot
    print(_said(gone))
    return 0


def _library_ids(name: str, entries: Sequence[LibraryEntry]) -> list[str]:
    """The library decks a word on the line means, as every command reads it (keep_away: a
    deck whose file is gone can be forgotten too); a word that means none is a usage error."""
    from quiz.decks.deck_names import select  # why: with the command (see run)
    from quiz.errors import UsageError

    mine = {e.deck_id for e in entries}
    try:
        chosen = select([name], keep_away=True)
    except UsageError:
        chosen = []
    ids = [d.deck_id for d in chosen if d.deck_id in mine]
    if ids:
        return ids
    if chosen and all(d.deck_id and not d.in_library for d in chosen):
        raise UsageError(f"{name!r} is a built-in deck: it is always there and cannot be removed")
    known = ", ".join(e.deck_id for e in entries) or "none"
    raise UsageError(f"no deck {name!r} in the library (library decks: {known})")


def _said(gone: Sequence[LibraryEntry]) -> str:
    """What was removed, and where the files stay."""
    from quiz.errors import display_path  # why: with the command (see run)

    if len(gone) == 1:
        e = gone[0]
        return f"removed {e.deck_id} ({e.name}) from the library; {display_path(e.path)} and its review history are kept"
    folders = list(dict.fromkeys(e.path.parent for e in gone))
    where = f"in {display_path(folders[0]).rstrip('/')}/" if len(folders) == 1 else f"in {len(folders)} folders, where they were"
    lines = [f"removed {len(gone)} decks from the library:"]
    lines += [f"  {e.deck_id} ({e.name})" for e in gone]
    back = f"`quiz add {display_path(folders[0])}` brings them back" if len(folders) == 1 else "`quiz add FILE` brings a deck back"
    lines.append(f"their files are kept {where} (delete them if you no longer want them), and their review "
                 f"history too: {back}")
    return "\n".join(lines)
