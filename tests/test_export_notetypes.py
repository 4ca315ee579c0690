"""The hidden Id field of our note types, checked with the real Anki backend: cards never show it,
and a collection holding notes from before the field existed takes the new note types in place."""

from __future__ import annotations

import json
import sqlite3
import zipfile
from pathlib import Path

from test_export_helpers import anki_collection, anki_import, nasty_path, quiz_home  # noqa: F401

from quiz.decks.loader import load_deck
from quiz.anki.export import export_decks, note_guid
from quiz.anki.importer import import_file
from quiz.anki.note_types import ID_FIELD, NOTE_TYPES, TEMPLATES_TIME


def _without_id_field(package: Path, out: Path) -> Path:
    """``package`` as quiz wrote it before the Id field: no such field, older note types."""
    with zipfile.ZipFile(package) as z:
        data = z.read("collection.anki2")
    conn = sqlite3.connect(":memory:")
    conn.deserialize(data)
    (models_json,) = conn.execute("SELECT models FROM col").fetchone()
    models = json.loads(models_json)
    for m in models.values():
        assert m["flds"][-1]["name"] == ID_FIELD
        m["flds"].pop()
        m["mod"] = TEMPLATES_TIME - 86400
    conn.execute("UPDATE col SET models = ?", (json.dumps(models),))
    for nid, flds in conn.execute("SELECT id, flds FROM notes").fetchall():
        conn.execute("UPDATE notes SET flds = ? WHERE id = ?", (flds.rsplit("\x1f", 1)[0], nid))
    conn.commit()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("collection.anki2", conn.serialize())
        z.writestr("media", "{}")
    conn.close()
    return out


def test_every_note_carries_its_item_id_and_no_card_shows_it(tmp_path: Path, nasty_path: Path, quiz_home: Path) -> None:
    deck = load_deck(nasty_path)
    col = anki_collection(tmp_path / "col.anki2")
    anki_import(col, export_decks([deck], tmp_path / "out.apkg").path)
    notes = {col.get_note(nid).guid: col.get_note(nid) for nid in col.find_notes("")}
    for item in deck.items:
        note = notes[note_guid(deck, item)]
        assert list(note.keys())[-1] == ID_FIELD and note[ID_FIELD] == item.id
        for card in note.cards():
            assert item.id not in card.question() and item.id not in card.answer(), item.id
    for nt in NOTE_TYPES.values():
        assert all(ID_FIELD not in q and ID_FIELD not in a for _, q, a in nt.templates)
    col.close()


# The upgrade of notes from before the Id field, as the README advises it:
# test_anki_identity.test_readme_upgrade_advice_updates_notes_from_before_the_id_field.


def test_import_of_a_package_from_before_the_id_field_makes_ids_from_text(tmp_path: Path, nasty_path: Path) -> None:
    deck = load_deck(nasty_path)
    old = _without_id_field(export_decks([deck], tmp_path / "new.apkg", state=None).path, tmp_path / "old.apkg")
    back = load_deck(import_file(old, tmp_path / "back.yaml").path)
    assert [i.id for i in back.items][:2] == ["what-does-script-alert-1-script-do", "tom-amp-jerry"]
    assert [i.guid for i in back.items] == [note_guid(deck, i) for i in deck.items]
