from __future__ import annotations

import argparse

HELP = "open the study app (home screen); with decks named, start reviewing them at once"


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "decks", nargs="*", metavar="DECK",
        help="deck files, or ids of built-in or library decks (default: the built-in decks and your library)",
    )


def run(args: argparse.Namespace) -> int:
    # Everything that can fail on bad input happens before Textual starts, so a broken deck
    # or a corrupt store prints one line (via the CLI's QuizError handler), not a traceback
    # inside a full-screen app.
    from quiz.decks.library import load_deck_set, load_decks
    from quiz.settings import load_settings
    from quiz.storage.store import Store

    if args.decks:
        decks, unavailable = load_decks(args.decks), ()
    else:
        deck_set = load_deck_set()
        decks, unavailable = list(deck_set.decks), tuple(u.message() for u in deck_set.unavailable)
    settings = load_settings()
    store = Store.open()
    try:
        for deck in decks:
            store.sync_deck(deck)
        from quiz.tui.app import QuizApp

        app = QuizApp(store, decks, settings, start_decks=decks if args.decks else None,
                      unavailable=unavailable)
        app.run()
        # A plain app.run() "succeeds" even after a crash inside the app: use its return code.
        return app.return_code or 0
    finally:
        store.close()
