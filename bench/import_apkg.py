"""Time `quiz import` of a big package made by Anki's own backend, against Anki importing it.

Run by hand: .venv/bin/python bench/import_apkg.py [--basic 30000 --cloze 2000 --reversed 1000]
Builds (once, cached in --work) a collection of Basic, Cloze and "Basic (and reversed card)"
notes in nested decks, with a review log on a few hundred cards, exported in Anki's default
format (legacy=False, with scheduling). Prints, as whole processes: `quiz import` of it into a
fresh folder and store, and Anki importing it into a new collection.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def build(path: Path, basic: int, cloze: int, reversed_: int) -> None:
    from anki.collection import AddNoteRequest, Collection, ExportAnkiPackageOptions

    col = Collection(str(path.with_suffix(".anki2")))
    decks = [col.decks.id(f"Pharmacology::{part}::Chapter {i}") for part in ("Renal", "Cardio") for i in range(5)]
    requests = []
    for kind, n in (("Basic", basic), ("Cloze", cloze), ("Basic (and reversed card)", reversed_)):
        model = col.models.by_name(kind)
        for i in range(n):
            note = col.new_note(model)
            if kind == "Cloze":
                note.fields[0] = f"Drug {i} acts on {{{{c1::target {i}}}}} in {{{{c2::organ {i % 7}}}}}."
                note.fields[1] = f"extra {i}"
            else:
                note.fields[0] = f"{kind} question {i}: what does drug <b>{i}</b> do?"
                note.fields[1] = f"It does thing {i * 7 % 1000}"
            requests.append(AddNoteRequest(note=note, deck_id=decks[i % len(decks)]))
    col.add_notes(requests)
    for cid in col.find_cards("")[:300]:  # some history to bring across
        for ease in (3, 3, 4):
            card = col.get_card(cid)
            card.start_timer()
            col.sched.answerCard(card, ease)
    col.export_anki_package(
        out_path=str(path),
        options=ExportAnkiPackageOptions(with_scheduling=True, with_deck_configs=False, with_media=True, legacy=False),
        limit=None,
    )
    col.close()


ANKI_IMPORT = """
import sys
from anki.collection import Collection, ImportAnkiPackageRequest
col = Collection(sys.argv[2])
col.import_anki_package(ImportAnkiPackageRequest(package_path=sys.argv[1]))
col.close()
"""


def timed(cmd: list[str], env: dict[str, str] | None = None) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, check=True, env=env, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--basic", type=int, default=30_000)
    p.add_argument("--cloze", type=int, default=2_000)
    p.add_argument("--reversed", type=int, default=1_000)
    p.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "quiz-bench-import")
    args = p.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    package = args.work / f"anki-{args.basic}-{args.cloze}-{args.reversed}.apkg"
    if not package.exists():
        build(package, args.basic, args.cloze, args.reversed)
    notes = args.basic + args.cloze + args.reversed
    print(f"{package} ({package.stat().st_size / 1e6:.1f} MB, {notes} notes)")
    with tempfile.TemporaryDirectory() as tmp:
        env = {"QUIZ_HOME": str(Path(tmp) / "home"), "PATH": "/usr/bin:/bin"}
        quiz = timed([sys.executable, "-m", "quiz", "import", str(package), "-o", str(Path(tmp) / "decks")], env)
        anki = timed([sys.executable, "-c", ANKI_IMPORT, str(package), str(Path(tmp) / "anki.anki2")])
    print(f"quiz import  {quiz:6.2f} s")
    print(f"anki import  {anki:6.2f} s")
    print(f"ratio        {quiz / anki:6.2f}x")


if __name__ == "__main__":
    main()
