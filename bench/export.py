"""Time `quiz export` against the anki library's own exporter for the same notes.

Run by hand: .venv/bin/python bench/export.py [--sizes 10000 100000]
Prints, per size: quiz (first export, and a re-export that reads the note-times record), Anki's
legacy .apkg export of a collection holding the same notes, and the ratio. Goal: quiz <= 1.5x
Anki at 10,000 and linear growth to 100,000.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

from quiz.decks.model import Deck, Item


def make_deck(n: int) -> Deck:
    items = tuple(
        Item(
            id=f"item-{i}",
            type="basic",
            question=f"What is fact number {i} about drug <{i % 97}> & its dose?",
            answer=f"Answer {i}: {i * 7 % 1000} mg",
            tags=("bench", f"group-{i % 10}"),
            fact=f"fact-{i // 3}",
            source=f"Section {i % 12}",
        )
        for i in range(n)
    )
    return Deck(id=f"bench-{n}", name=f"Bench {n}", description="benchmark deck", items=items)


def anki_collection(deck: Deck, work: Path):
    """A collection holding the same notes as our export: our note type, fields and tags."""
    from anki.collection import AddNoteRequest, Collection, ImportAnkiPackageRequest

    from quiz.anki.export import anki_deck_name, export_decks, note_tags
    from quiz.anki.note_types import NOTE_TYPES

    col = Collection(str(work / f"anki-{len(deck.items)}.anki2"))
    seed = work / "seed.apkg"  # brings in our note type exactly as Anki stores it
    export_decks([Deck(id="seed", name="Seed", items=deck.items[:1])], seed, state=None)
    col.import_anki_package(ImportAnkiPackageRequest(package_path=str(seed)))
    col.remove_notes(col.find_notes(""))
    model = col.models.get(NOTE_TYPES["basic"].model_id)
    did = col.decks.id(anki_deck_name(deck))
    requests = []
    for item in deck.items:
        note = col.new_note(model)
        note.fields[:] = NOTE_TYPES["basic"].note_fields(item)
        note.tags = note_tags(item)
        requests.append(AddNoteRequest(note=note, deck_id=did))
    col.add_notes(requests)
    return col


def genanki_package(deck: Deck):
    """The same notes as plain genanki objects, for reference (genanki writes them row by row)."""
    import genanki

    from quiz.anki.export import anki_deck_id, anki_deck_name, note_guid, note_tags
    from quiz.anki.note_types import NOTE_TYPES

    nt = NOTE_TYPES["basic"]
    gdeck = genanki.Deck(anki_deck_id(deck.id), anki_deck_name(deck))
    for item in deck.items:
        gdeck.add_note(genanki.Note(nt.model, nt.note_fields(item), tags=note_tags(item), guid=note_guid(deck, item)))
    return genanki.Package(gdeck)


def timed(fn) -> float:
    t = time.perf_counter()
    fn()
    return time.perf_counter() - t


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", nargs="+", type=int, default=[10_000, 100_000])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    from quiz.anki.export import export_decks

    print(f"best of {args.repeat} runs each, interleaved; quiz times are export_decks() from loaded decks")
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        print(
            f"{'items':>8} {'quiz 1st':>9} {'quiz again':>10} {'anki':>8} {'quiz/anki':>9}"
            f" {'quiz us/item':>12} {'genanki':>8} {'genanki/anki':>12}"
        )
        for n in args.sizes:
            deck = make_deck(n)
            home = work / f"home-{n}"
            os.environ["QUIZ_HOME"] = str(home)
            state = home / "anki-export.json"

            def first() -> None:
                state.unlink(missing_ok=True)  # a first export: no note-times record yet
                export_decks([deck], work / "quiz.apkg")

            from anki.collection import ExportAnkiPackageOptions

            col = anki_collection(deck, work)
            options = ExportAnkiPackageOptions(
                with_scheduling=False, with_deck_configs=False, with_media=False, legacy=True
            )
            anki_out = str(work / "anki.apkg")
            runs: dict[str, list[float]] = {"first": [], "again": [], "anki": [], "genanki": []}
            package = genanki_package(deck)
            for _ in range(args.repeat):  # interleaved, best of each: the machine is shared
                runs["first"].append(timed(first))
                runs["again"].append(timed(lambda: export_decks([deck], work / "quiz.apkg")))
                runs["anki"].append(
                    timed(lambda: col.export_anki_package(out_path=anki_out, options=options, limit=None))
                )
                runs["genanki"].append(timed(lambda: package.write_to_file(str(work / "genanki.apkg"))))
            col.close()
            t_first, t_again, t_anki, t_genanki = (min(runs[k]) for k in ("first", "again", "anki", "genanki"))
            print(
                f"{n:>8} {t_first:>8.3f}s {t_again:>9.3f}s {t_anki:>7.3f}s {t_first / t_anki:>8.2f}x"
                f" {t_first / n * 1e6:>12.1f} {t_genanki:>7.3f}s {t_genanki / t_anki:>11.2f}x"
            )


if __name__ == "__main__":
    main()
