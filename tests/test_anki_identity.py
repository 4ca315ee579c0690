"""Note identity and stamps across the Anki round trip (issue 12, points 11-14), checked with the
real Anki backend: a changed item type, a lost export record, a forked deck, the upgrade from
packages without the hidden Id field, and what a multiple-choice front shows."""

from __future__ import annotations

import time
from pathlib import Path

from test_export_helpers import anki_collection, anki_import, nasty_path, quiz_home  # noqa: F401
from test_export_notetypes import _without_id_field

from quiz.anki.export import STATE_FILE, export_decks, note_guid
from quiz.anki.importer import import_file
from quiz.anki.note_types import ID_FIELD, NOTE_TYPES
from quiz.decks.loader import load_deck

TWO = """\
deck:
  id: ident
  name: Identity
items:
  - id: kept
    type: basic
    question: What is one?
    answer: "1"
  - id: flips
    type: {flips_type}
    question: Type two
    answer: two
"""

SAME_STEM = """\
deck:
  id: stems
  name: Stems
items:
  - id: stem-a
    type: choice
    question: Which of these is a fruit?
    answer: apple
    distractors: [brick, cloud, spoon]
  - id: stem-b
    type: choice
    question: Which of these is a fruit?
    answer: pear
    distractors: [stone, chair, rope]
"""


def _deck(tmp_path: Path, text: str, name: str = "deck.yaml"):
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return load_deck(p)


def _import(col, package: Path, **options):
    from anki.collection import ImportAnkiPackageOptions, ImportAnkiPackageRequest

    request = ImportAnkiPackageRequest(package_path=str(package), options=ImportAnkiPackageOptions(**options))
    return col.import_anki_package(request).log


def _by_guid(col) -> dict:
    return {col.get_note(nid).guid: col.get_note(nid) for nid in col.find_notes("")}


# --- point 11: a type change keeps the item id -------------------------------------------------


def test_a_type_change_gives_the_note_a_new_identity_and_says_so(tmp_path: Path, quiz_home: Path) -> None:
    basic = _deck(tmp_path, TWO.format(flips_type="basic"))
    col = anki_collection(tmp_path / "col.anki2")
    first = export_decks([basic], tmp_path / "a.apkg", now=time.time() - 120)
    assert len(anki_import(col, first.path).new) == 2
    old_guid = note_guid(basic, basic.item("flips"))
    old_fields = list(_by_guid(col)[old_guid].fields)

    typed = _deck(tmp_path, TWO.format(flips_type="typed"))
    second = export_decks([typed], tmp_path / "b.apkg", now=time.time() - 60)
    assert "changed type (ident/flips)" in second.summary()
    log = anki_import(col, second.path)
    assert (len(log.new), len(log.conflicting)) == (1, 0)  # skipped silently before
    notes = _by_guid(col)
    new = [n for g, n in notes.items() if g not in (old_guid, note_guid(typed, typed.item("kept")))]
    assert len(new) == 1 and new[0]["Question"] == "Type two" and new[0]["Id"] == "flips"
    assert list(notes[old_guid].fields) == old_fields  # the old note is left alone

    # "Merge note types" must not blank anything either.
    log = _import(col, second.path, merge_notetypes=True)
    assert len(log.conflicting) == 0
    assert all(any(f.strip() for f in col.get_note(nid).fields[:2]) for nid in col.find_notes(""))
    assert list(_by_guid(col)[old_guid].fields) == old_fields
    # The next export of the unchanged typed item keeps its new identity.
    third = export_decks([typed], tmp_path / "c.apkg", now=time.time())
    assert "changed type" not in third.summary()
    assert len(anki_import(col, third.path).new) == 0
    col.close()


# --- point 12: packages from before the hidden Id field -----------------------------------------


def test_readme_upgrade_advice_updates_notes_from_before_the_id_field(
    tmp_path: Path, nasty_path: Path, quiz_home: Path
) -> None:
    """What the README says, as a user does it: the new package is exported first, imported later."""
    from anki.import_export_pb2 import IMPORT_ANKI_PACKAGE_UPDATE_CONDITION_ALWAYS as always

    deck = load_deck(nasty_path)
    old = _without_id_field(export_decks([deck], tmp_path / "x.apkg", state=None).path, tmp_path / "old.apkg")
    col = anki_collection(tmp_path / "col.anki2")
    assert len(anki_import(col, old).new) == 6
    cards_before = sorted(col.find_cards(""))
    new = export_decks([deck], tmp_path / "new.apkg", now=time.time() + 1).path
    time.sleep(2.1)  # the import happens after the export, as in life
    # "Merge note types" alone: Anki stamps the merged notes with the import time, so every
    # incoming note looks older and is skipped.
    scratch = anki_collection(tmp_path / "scratch.anki2")
    assert len(anki_import(scratch, old).new) == 6
    log = _import(scratch, new, merge_notetypes=True)
    assert (len(log.updated), len(log.duplicate)) == (0, 6)
    scratch.close()
    # The README's advice: Merge note types + Update notes: Always.
    log = _import(col, new, merge_notetypes=True, update_notes=always)
    assert (len(log.new), len(log.updated), len(log.conflicting)) == (0, 6, 0)
    assert sorted(col.find_cards("")) == cards_before  # same cards: their Anki history stays
    assert {n["Id"] for n in _by_guid(col).values()} == {i.id for i in deck.items}
    basic = col.models.get(NOTE_TYPES["basic"].model_id)
    assert [f["name"] for f in basic["flds"]] == [*NOTE_TYPES["basic"].fields, ID_FIELD]
    readme = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    assert "Merge note types" in readme and "Update notes" in readme and "Always" in readme
    col.close()


# --- point 13: a lost export record, a forked deck ----------------------------------------------


def test_losing_the_export_record_never_overwrites_edits_made_in_anki(tmp_path: Path, quiz_home: Path) -> None:
    deck = _deck(tmp_path, TWO.format(flips_type="basic"))
    col = anki_collection(tmp_path / "col.anki2")
    anki_import(col, export_decks([deck], tmp_path / "a.apkg", now=time.time() - 3600).path)
    note = _by_guid(col)[note_guid(deck, deck.item("kept"))]
    note["Back"] = "one, edited in Anki"
    col.update_note(note)

    (quiz_home / STATE_FILE).unlink()  # a new machine
    again = export_decks([deck], tmp_path / "b.apkg", now=time.time() + 3600)
    log = anki_import(col, again.path)
    assert len(log.updated) == 0
    assert _by_guid(col)[note_guid(deck, deck.item("kept"))]["Back"] == "one, edited in Anki"
    assert "record" in again.summary()  # the user is told why changes may not reach Anki
    col.close()


def test_export_stamps_are_stable_without_a_record(tmp_path: Path, quiz_home: Path) -> None:
    deck = _deck(tmp_path, TWO.format(flips_type="basic"))
    a = export_decks([deck], tmp_path / "a.apkg", now=time.time(), state=None)
    b = export_decks([deck], tmp_path / "b.apkg", now=time.time() + 86400, state=None)
    assert _stamps(a.path) == _stamps(b.path)


def _stamps(package: Path) -> list[tuple[str, int]]:
    import sqlite3
    import zipfile

    with zipfile.ZipFile(package) as z:
        data = z.read("collection.anki2")
    conn = sqlite3.connect(":memory:")
    conn.deserialize(data)
    try:
        return sorted(conn.execute("SELECT guid, mod FROM notes").fetchall())
    finally:
        conn.close()


def test_a_forked_deck_gets_new_guids(tmp_path: Path, nasty_path: Path, quiz_home: Path) -> None:
    deck = load_deck(nasty_path)
    package = export_decks([deck], tmp_path / "orig.apkg").path
    same = load_deck(import_file(package, tmp_path / "same.yaml").path)
    fork = load_deck(import_file(package, tmp_path / "fork.yaml", deck_id="my-fork").path)
    original = {note_guid(deck, i) for i in deck.items}
    assert {note_guid(same, i) for i in same.items} == original  # a round trip keeps them
    forked = {note_guid(fork, i) for i in fork.items}
    assert not forked & original
    col = anki_collection(tmp_path / "col.anki2")
    anki_import(col, package)
    log = anki_import(col, export_decks([fork], tmp_path / "fork.apkg", now=time.time() + 60).path)
    assert (len(log.new), len(log.updated)) == (6, 0)
    col.close()


# --- point 14: multiple choice in Anki ----------------------------------------------------------


def test_choice_front_does_not_reveal_the_answer_and_shared_stems_are_not_duplicates(
    tmp_path: Path, quiz_home: Path
) -> None:
    from anki.notes import NoteFieldsCheckResult

    deck = _deck(tmp_path, SAME_STEM)
    col = anki_collection(tmp_path / "col.anki2")
    assert len(anki_import(col, export_decks([deck], tmp_path / "s.apkg").path).new) == 2
    for item in deck.items:
        note = _by_guid(col)[note_guid(deck, item)]
        assert note.fields_check() != NoteFieldsCheckResult.DUPLICATE, item.id
        (card,) = note.cards()
        front = card.question()
        assert 'class="correct"' not in front and "\u2713" not in front.split("</style>")[-1]
        assert item.question in front and all(d in front for d in item.distractors)
        assert item.answer in front  # among the options, unmarked
        back = card.answer()
        assert item.answer in back.split('id="answer"', 1)[1]  # named after the line
    assert col.find_notes("dupe:" + str(note.mid) + ",Which of these is a fruit?") == []
    back = load_deck(import_file(tmp_path / "s.apkg", tmp_path / "back.yaml").path)
    assert [(i.question, i.answer, sorted(i.distractors)) for i in back.items] == [
        (i.question, i.answer, sorted(i.distractors)) for i in deck.items
    ]
    col.close()
