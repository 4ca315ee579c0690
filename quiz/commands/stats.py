from __future__ import annotations

import argparse

HELP = "show due, new, learning and review counts, today's reviews and 30-day retention per deck"


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "decks", nargs="*", metavar="DECK",
        help="deck files, or ids of built-in or library decks (default: the built-in decks and your library)",
    )
    p.add_argument("--json", action="store_true", help="print one JSON object (stable keys, for scripts)")


def run(args: argparse.Namespace) -> int:
    import json
    from datetime import datetime, timezone

    from quiz.decks.library import load_decks
    from quiz.settings import load_settings
    from quiz.study.stats import compute_stats, format_table
    from quiz.storage.store import Store

    settings = load_settings()
    decks = load_decks(args.decks or None)
    with Store.open() as store:
        # Without deck names: the built-in decks plus every deck this store has studied.
        stats = compute_stats(store, decks, settings, datetime.now(timezone.utc), include_store_decks=not args.decks)
    if args.json:
        print(json.dumps(stats, indent=2, default=str))
    else:
        print(format_table(stats))
    return 0
