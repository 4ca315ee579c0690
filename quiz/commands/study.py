from __future__ import annotations

import argparse
import gc
import sys

from quiz.errors import QuizError

HELP = "open the study app (home screen); with decks named, start reviewing them at once"


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "decks", nargs="*", metavar="DECK",
        help="deck files, or ids or names of built-in or library decks, in any case (a name takes its sub-decks; "
        "default: the built-in decks and your library)",
    )


def run(args: argparse.Namespace) -> int:
    # Start-up makes tens of thousands of objects that live as long as the app (modules, classes,
    # the decks, the first screen's widgets) and next to no cyclic garbage: collections before the
    # first screen is painted only cost time. The app turns the collector back on after that
    # paint (QuizApp.on_mount); `finally` does if it never gets there.
    gc.disable()
    try:
        return _run(args)
    finally:
        gc.enable()


def _run(args: argparse.Namespace) -> int:
    # Everything that can fail on bad input happens before Textual starts, so a broken deck
    # or a corrupt store prints one line (via the CLI's QuizError handler), not a traceback
    # inside a full-screen app.
    from quiz.collection import Collection  # why: loaded when this command runs, so `quiz --help` stays fast

    if sys.stdin is None or sys.stdout is None:
        raise QuizError("the study app needs a terminal, and stdin or stdout is closed "
                        "(for answers from a pipe: quiz exam --plain)")

    with Collection.open(args.decks or None) as collection:
        collection.sync()  # the home screen counts every item of every deck
        if not (sys.stdin.isatty() and sys.stderr.isatty()):
            # Textual reads keys from stdin and draws on stderr: with either not a terminal the
            # app could only hang or draw into a file.
            raise QuizError("the study app needs a terminal, and stdin or stderr is not one "
                            "(for answers from a pipe: quiz exam --plain)")
        from quiz.decks.model import freeze_long_lived  # why: with the app (start-up of other commands)
        from quiz.tui.app import QuizApp  # why: Textual loads only once the input is known good

        app = QuizApp(collection, start_decks=collection.decks if args.decks else None)
        # The decks and the app stay for the whole run: out of the cyclic GC's sight, or each
        # full collection walks every item (~80 ms with a 100,000-item deck, between two cards).
        freeze_long_lived()
        app.run()
        # A plain app.run() "succeeds" even after a crash inside the app: use its return code.
        return app.return_code or 0
