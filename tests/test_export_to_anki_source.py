"""An Anki-imported deck exported back into the collection it came from, with the real Anki
backend: which import options update the original notes, and what becomes of their note types
(README, "Anki"; quiz.anki.export's docstring)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from test_export_helpers import anki_collection, quiz_home  # noqa: F401

from quiz.cli import main


@pytest.fixture(scope="module")
def source(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """(the collection, its package): a Basic and a Cloze note, reviewed, and a Basic note
    added after the export (not in the package)."""
    from anki.collection import ExportAnkiPackageOptions

    folder = tmp_path_factory.mktemp("source")
    col = anki_collection(folder / "source.anki2")
    try:
        def add(model: str, deck: str, *values: str) -> int:
            note = col.new_note(col.models.by_name(model))
            for i, v in enumerate(values):
                note.fields[i] = v
            col.add_note(note, col.decks.id(deck))
            return note.id

        for nid in (add("Basic", "Organs", "Which organ filters blood?", "kidney"),
                    add("Cloze", "Organs::Heart", "The heart has {{c1::four}} chambers.", "")):
            card = col.get_card(min(col.card_ids_of_note(nid)))
            card.start_timer()
            col.sched.answerCard(card, 3)  # type: ignore[arg-type]
        package = folder / "source.apkg"
        col.export_anki_package(out_path=str(package), options=ExportAnkiPackageOptions(
            with_scheduling=True, with_deck_configs=False, with_media=True, legacy=False), limit=None)
        add("Basic", "Other", "Not in the package", "untouched")
    finally:
        col.close()
    return folder / "source.anki2", package


def _import_into_copy(source: Path, package: Path, copy: Path, *, merge: bool, always: bool):
    from anki.collection import ImportAnkiPackageOptions, ImportAnkiPackageRequest
    from anki.import_export_pb2 import ImportAnkiPackageUpdateCondition as U

    shutil.copy(source, copy)
    col = anki_collection(copy)
    update = U.IMPORT_ANKI_PACKAGE_UPDATE_CONDITION_ALWAYS if always else U.IMPORT_ANKI_PACKAGE_UPDATE_CONDITION_IF_NEWER
    options = ImportAnkiPackageOptions(merge_notetypes=merge, update_notes=update, with_scheduling=False)
    log = col.import_anki_package(ImportAnkiPackageRequest(package_path=str(package), options=options)).log
    return col, log


def _notes(col) -> dict[str, tuple[str, str]]:  # first field -> (note type, second field)
    out = {}
    for nid in col.find_notes(""):
        note = col.get_note(nid)
        out[note.fields[0]] = (note.note_type()["name"], note.fields[1])
    return out


def test_only_merge_and_always_update_the_original_notes_and_the_export_says_so(
    source: tuple[Path, Path], tmp_path: Path, quiz_home: Path, capsys
) -> None:
    collection, package = source
    decks = tmp_path / "decks"
    assert main(["import", str(package), "-o", str(decks)]) == 0
    organs = decks / "organs.yaml"
    organs.write_text(organs.read_text(encoding="utf-8").replace("answer: kidney", "answer: the kidney"), encoding="utf-8")
    capsys.readouterr()
    back = tmp_path / "back.apkg"
    files = [str(p) for p in sorted(decks.glob("*.yaml"))]
    assert main(["export", *files, "-o", str(back)]) == 0
    out = capsys.readouterr().out
    assert "2 notes came from notes made in Anki (organs-heart/" in out
    assert "its import skips them as conflicting unless Merge note types is ticked and Update notes is Always" in out
    assert "converts them to quiz's note types" in out
    assert "no export record here" not in out  # its advice (Update notes: Always) does not hold for them

    col = anki_collection(collection)
    before = _notes(col)
    cards = sorted(col.find_cards(""))
    reviews = col.db.scalar("select count() from revlog")
    col.close()
    for merge, always in ((False, False), (False, True)):  # Anki's default, and "Update notes: Always"
        col, log = _import_into_copy(collection, back, tmp_path / f"c-{merge}-{always}.anki2", merge=merge, always=always)
        assert (len(log.conflicting), len(log.updated), len(log.new)) == (2, 0, 0)
        assert _notes(col) == before  # untouched
        col.close()
    # "Merge note types" alone converts the notes but does not update them.
    col, log = _import_into_copy(collection, back, tmp_path / "merge.anki2", merge=True, always=False)
    assert (len(log.conflicting), len(log.updated), len(log.duplicate)) == (0, 0, 2)
    assert _notes(col)["Which organ filters blood?"] == ("Quiz Basic", "kidney")
    col.close()
    # Both: updated in place, converted to quiz's note types; same cards, decks and history.
    col, log = _import_into_copy(collection, back, tmp_path / "both.anki2", merge=True, always=True)
    try:
        assert (len(log.conflicting), len(log.updated), len(log.new), len(log.duplicate)) == (0, 2, 0, 0)
        after = _notes(col)
        assert after["Which organ filters blood?"] == ("Quiz Basic", "the kidney")
        assert after["The heart has {{c1::four}} chambers."][0] == "Quiz Cloze"
        assert after["Not in the package"] == ("Basic", "untouched")  # other notes keep their type
        assert sorted(col.find_cards("")) == cards and col.db.scalar("select count() from revlog") == reviews
        assert len(col.find_cards('"deck:Organs::Heart" -deck:Quiz*')) == 1  # cards stay in their decks
        names = {m.name for m in col.models.all_names_and_ids()}
        assert "Basic" in names and "Cloze" not in names  # a note type left unused is deleted
    finally:
        col.close()
    # The note is recorded now: the next export does not repeat it.
    assert main(["export", *files, "-o", str(tmp_path / "again.apkg")]) == 0
    assert "came from notes made in Anki" not in capsys.readouterr().out
