from __future__ import annotations

import argparse

HELP = "open the study app (home screen); with decks named, start reviewing them at once"


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("decks", nargs="*", metavar="DECK", help="built-in deck ids or deck files (default: all built-in decks)")


def run(args: argparse.Namespace) -> int:
    # Everything that can fail on bad input happens before Textual starts, so a broken deck
    # or a corrupt store prints one line (via the CLI's QuizError handler), not a traceback
    # inside a full-screen app.
    import sys

    from quiz.decks.library import load_decks
    from quiz.errors import QuizError

    if sys.stdin is None or sys.stdout is None:
        raise QuizError("the study app needs a terminal, and stdin or stdout is closed "
                        "(for answers from a pipe: quiz exam --plain)")
    from quiz.settings import load_settings
    from quiz.storage.store import Store

    decks = load_decks(args.decks or None)
    settings = load_settings()
    store = Store.open()
    try:
        for deck in decks:
            store.sync_deck(deck)
        from quiz.tui.app import QuizApp

        app = QuizApp(store, decks, settings, start_decks=decks if args.decks else None)
        app.run()
        # A plain app.run() "succeeds" even after a crash inside the app: use its return code.
        return app.return_code or 0
    finally:
        store.close()
