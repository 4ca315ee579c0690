"""quiz export: every package goes through the real Anki backend (the `anki` package)."""

from __future__ import annotations

import os
import time
import zipfile
import shutil
from pathlib import Path

import genanki
import pytest
from test_export_helpers import anki_collection, anki_import, nasty_path, quiz_home  # noqa: F401

from quiz.cli import main
from quiz.decks.loader import load_deck
from quiz.errors import QuizError
from quiz.anki.export import anki_deck_id, export_decks, note_guid
from quiz.anki.note_types import NOTE_TYPES

CARDS_PER_ITEM = {"basic-script": 1, "reverse-amp": 2, "cloze-two": 2, "choice-one": 1, "typed-one": 1, "list-one": 1}


def _notes_by_guid(col) -> dict:
    return {col.get_note(nid).guid: col.get_note(nid) for nid in col.find_notes("")}


@pytest.fixture
def imported(tmp_path: Path, nasty_path: Path, quiz_home: Path):
    deck = load_deck(nasty_path)
    out = tmp_path / "out.apkg"
    export_decks([deck], out)
    col = anki_collection(tmp_path / "col.anki2")
    log = anki_import(col, out)
    yield deck, col, log, _notes_by_guid(col)
    col.close()


def test_every_item_becomes_one_note_with_its_cards(imported) -> None:
    deck, col, log, notes = imported
    assert len(log.new) == len(deck.items) == col.note_count() == 6
    # Nothing Anki would warn about.
    assert not (log.updated or log.duplicate or log.conflicting or log.missing_notetype or log.empty_first_field)
    for item in deck.items:
        note = notes[note_guid(deck, item)]
        assert len(note.cards()) == CARDS_PER_ITEM[item.id], item.id
        assert note.note_type()["name"] == NOTE_TYPES[item.type].name
        assert note.note_type()["id"] == NOTE_TYPES[item.type].model_id
    assert col.card_count() == sum(CARDS_PER_ITEM.values())


def test_deck_name_and_description(imported) -> None:
    deck, col, _, notes = imported
    names = {col.decks.name(c.did) for n in notes.values() for c in n.cards()}
    assert names == {"Quiz::Nasty & <Co>"}
    anki_deck = col.decks.by_name("Quiz::Nasty & <Co>")
    assert anki_deck["desc"] == "Every item type, with text that looks like markup: &lt;b&gt;bold&lt;/b&gt; &amp; co."


def test_fields_and_tags(imported) -> None:
    deck, _, _, notes = imported
    basic = notes[note_guid(deck, deck.item("basic-script"))]
    assert basic["Front"] == "What does &lt;script&gt;alert(1)&lt;/script&gt; do?"
    assert basic["Back"] == "Nothing: a &lt; b &amp; c"
    assert basic["Source"] == "Section 1 &amp; &lt;2&gt;"
    assert sorted(basic.tags) == ["fact::fact-one", "markup", "two_words"]
    cloze = notes[note_guid(deck, deck.item("cloze-two"))]
    assert cloze["Text"] == (
        "Cats {{c1::&lt;i&gt;purr&lt;/i&gt;}} and dogs {{c2::bark &amp; bite::sound}}; x &lt; y.<br>Second line."
    )
    reverse = notes[note_guid(deck, deck.item("reverse-amp"))]
    assert reverse["Front"] == "Tom &amp;amp; Jerry"  # a literal "&amp;" stays literal
    assert reverse.tags == ["reverse"]


def _sides(note) -> list[tuple[str, str]]:
    return [(c.question(), c.answer()) for c in sorted(note.cards(), key=lambda c: c.ord)]


def test_rendered_cards_show_item_text_literally(imported) -> None:
    deck, _, _, notes = imported
    for item in deck.items:
        for q, a in _sides(notes[note_guid(deck, item)]):
            for html in (q, a):
                assert "<script" not in html and "<b>" not in html and "<i>" not in html
                assert "<em>" not in html and "<tags>" not in html and "<div>" not in html
    (q, a), = _sides(notes[note_guid(deck, deck.item("basic-script"))])
    assert "What does &lt;script&gt;alert(1)&lt;/script&gt; do?" in q
    assert "Nothing: a &lt; b &amp; c" in a and "Nothing" not in q
    assert "Section 1 &amp; &lt;2&gt;" in a and "Section 1" not in q  # source: back only
    assert "<li>&lt;none&gt;</li>" in a
    (q1, a1), (q2, a2) = _sides(notes[note_guid(deck, deck.item("reverse-amp"))])
    assert "Tom &amp;amp; Jerry" in q1 and "&lt;b&gt;cat&lt;/b&gt; and mouse" in a1
    assert "&lt;b&gt;cat&lt;/b&gt; and mouse" in q2 and "Tom &amp;amp; Jerry" in a2.split('id="answer"')[1]


def test_cloze_one_card_per_deletion(imported) -> None:
    deck, _, _, notes = imported
    (q1, a1), (q2, a2) = _sides(notes[note_guid(deck, deck.item("cloze-two"))])
    assert "[...]" in q1 and ">bark &amp; bite</span>" in q1
    assert '<span class="cloze" data-ordinal="1">&lt;i&gt;purr&lt;/i&gt;</span>' in a1
    assert "[sound]" in q2 and ">&lt;i&gt;purr&lt;/i&gt;</span>" in q2
    assert '<span class="cloze" data-ordinal="2">bark &amp; bite</span>' in a2
    assert "x &lt; y.<br>Second line." in q1


def test_choice_typed_and_list_cards(imported) -> None:
    deck, _, _, notes = imported
    (q, a), = _sides(notes[note_guid(deck, deck.item("choice-one"))])
    for choice in ("<li>&lt;script&gt;x&lt;/script&gt;</li>", "<li>C &gt; D</li>", "<li>plain</li>", ">A &amp; B</li>"):
        assert choice in q and choice in a
    assert 'class="correct"' not in q  # the front gives nothing away, not even to CSS-less clients
    assert '<div class="quiz back">' in a and '<div class="answer">A &amp; B</div>' in a
    (q, a), = _sides(notes[note_guid(deck, deck.item("typed-one"))])
    assert "[[type:Answer]]" in q and "Type the word 'café'" in q
    assert "<li>cafe</li>" in a
    (q, a), = _sides(notes[note_guid(deck, deck.item("list-one"))])
    assert "3 answers" in q and "&amp;nbsp;" not in q
    assert "<li>&lt;div&gt;</li><li>&amp;nbsp;</li>" in a
    # An entry's own accepted forms: a list nested in its <li>, shown as "(also: ...)".
    assert '<li>i.v. &amp; &lt;b&gt;<ul class="accept"><li>IV</li><li>&lt;i&gt;iv&lt;/i&gt;</li></ul></li>' in a


def test_choices_keep_their_order_across_exports(tmp_path: Path, nasty_path: Path) -> None:
    deck = load_deck(nasty_path)
    choices = [NOTE_TYPES["choice"].to_fields(deck.item("choice-one"))[1] for _ in range(2)]
    assert choices[0] == choices[1]
    item = deck.item("choice-one")
    orders = {NOTE_TYPES["choice"].to_fields(type(item)(**{**item.__dict__, "id": f"c{i}"}))[1] for i in range(12)}
    assert len(orders) > 1  # shuffled per item, not always the same order


def test_ids_are_stable_and_independent(tmp_path: Path, nasty_path: Path) -> None:
    deck = load_deck(nasty_path)
    item = deck.item("list-one")
    assert note_guid(deck, item) == genanki.guid_for("nasty", "list-one")
    assert note_guid(deck, type(item)(**{**item.__dict__, "guid": "kept"})) == "kept"
    assert anki_deck_id("nasty") == anki_deck_id("nasty") != anki_deck_id("other")
    assert (1 << 30) <= anki_deck_id("nasty") < (1 << 31)
    # Note type ids are constants: the same for two unrelated decks.
    ids = set()
    for name, d in (("a", deck), ("b", deck.__class__(id="b", name="B", items=deck.items[:1]))):
        out = tmp_path / f"{name}.apkg"
        export_decks([d], out, state=None)
        col = anki_collection(tmp_path / f"{name}.anki2")
        anki_import(col, out)
        ids |= {m["id"] for m in col.models.all() if m["name"] == "Quiz Basic"}
        col.close()
    assert ids == {NOTE_TYPES["basic"].model_id}


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_reexport_after_an_edit_updates_that_note_only(tmp_path: Path, nasty_path: Path, quiz_home: Path) -> None:
    col = anki_collection(tmp_path / "col.anki2")
    # Anki stamps imported notes with the import time, so the exports are dated after it.
    t = int(time.time()) + 3600
    first = export_decks([load_deck(nasty_path)], tmp_path / "1.apkg", now=t)
    anki_import(col, first.path)
    before = col.note_count()
    _edit(nasty_path, "Name both <tags>", "Name both <tags> please")
    _edit(nasty_path, "  - id: cloze-two", "  - id: inserted\n    type: basic\n    question: q\n    answer: a\n  - id: cloze-two")
    deck = load_deck(nasty_path)
    deck = deck.__class__(**{**deck.__dict__, "items": tuple(i for i in deck.items if i.id != "inserted")})
    # Same second as the first export: the note times must still order the edit after it.
    second = export_decks([deck], tmp_path / "2.apkg", now=t)
    log = anki_import(col, second.path)
    assert (len(log.new), len(log.updated), len(log.duplicate)) == (0, 1, 5)
    assert col.note_count() == before
    note = _notes_by_guid(col)[genanki.guid_for("nasty", "list-one")]
    assert note["Question"] == "Name both &lt;tags&gt; please"
    # Unchanged again later: nothing to update.
    third = export_decks([deck], tmp_path / "3.apkg", now=t + 500)
    log = anki_import(col, third.path)
    assert (len(log.new), len(log.updated), len(log.duplicate)) == (0, 0, 6)
    col.close()


def test_removing_an_item_keeps_the_other_notes(tmp_path: Path, nasty_path: Path, quiz_home: Path) -> None:
    deck = load_deck(nasty_path)
    col = anki_collection(tmp_path / "col.anki2")
    anki_import(col, export_decks([deck], tmp_path / "1.apkg").path)
    smaller = deck.__class__(**{**deck.__dict__, "items": deck.items[1:]})
    log = anki_import(col, export_decks([smaller], tmp_path / "2.apkg").path)
    assert (len(log.new), len(log.updated), len(log.duplicate)) == (0, 0, 5)
    col.close()


def test_cli_export_summary_and_tag_filter(tmp_path: Path, nasty_path: Path, quiz_home: Path, capsys, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["export", str(nasty_path)]) == 0
    assert capsys.readouterr().out.startswith("wrote 6 notes in 1 deck to quiz.apkg (8 cards)")
    assert zipfile.ZipFile(tmp_path / "quiz.apkg").namelist() == ["collection.anki2", "media"]
    assert main(["export", str(nasty_path), "-o", "tagged.apkg", "--tags", "markup", "--tags", "list"]) == 0
    assert "wrote 2 notes in 1 deck to tagged.apkg" in capsys.readouterr().out
    assert main(["export", str(nasty_path), "-o", "tagged.apkg", "--tags", "markup,reverse"]) == 0
    assert "wrote 2 notes in 1 deck to tagged.apkg" in capsys.readouterr().out
    # One value per --tags: a deck named after it is a deck.
    assert main(["export", "-o", "after.apkg", "--tags", "markup", str(nasty_path)]) == 0
    assert "wrote 1 note in 1 deck to after.apkg" in capsys.readouterr().out
    assert main(["export", "-o", "x.apkg", "--tags", str(nasty_path)]) == 2
    assert "looks like a deck file, not a tag" in capsys.readouterr().err


def test_cli_export_bad_input(tmp_path: Path, nasty_path: Path, quiz_home: Path, capsys, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["export", str(nasty_path), "--tags", "nope"]) == 2  # a usage error, as in `quiz exam`
    err = capsys.readouterr().err
    assert "no item has the tag 'nope'; tags in these decks:" in err and len(err.strip().splitlines()) == 1
    assert main(["export", str(nasty_path), "-o", "missing/dir/x.apkg"]) == 0  # made, as `quiz backup -o` does
    assert (tmp_path / "missing" / "dir" / "x.apkg").is_file()
    (tmp_path / "plain").write_text("a file", encoding="utf-8")
    assert main(["export", str(nasty_path), "-o", "plain/dir/x.apkg"]) == 1
    assert capsys.readouterr().err.endswith("quiz: plain: is a file, not a folder (the output file would go in it)\n")
    shutil.rmtree(tmp_path / "missing")
    (tmp_path / "plain").unlink()
    (tmp_path / "dir.apkg").mkdir()
    assert main(["export", str(nasty_path), "-o", "dir.apkg"]) == 1
    assert "dir.apkg: is a folder, not a regular file" in capsys.readouterr().err
    (tmp_path / "dir.apkg").rmdir()
    assert main(["export", str(nasty_path), "-o", "x.zip"]) == 2
    assert "should end in .apkg" in capsys.readouterr().err
    broken = tmp_path / "broken.yaml"
    broken.write_text("deck: {id: x}\nitems: 3\n")
    assert main(["export", str(broken)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("broken.yaml:") and "Traceback" not in err
    # No output, no temp files (the quiz home holds the deck cache).
    assert sorted(p.name for p in tmp_path.iterdir() if p != quiz_home) == ["broken.yaml", "nasty.yaml"]


def test_a_failed_write_leaves_the_old_file_and_no_temp(tmp_path: Path, nasty_path: Path, monkeypatch) -> None:
    out = tmp_path / "out.apkg"
    out.write_bytes(b"previous")

    real_fdopen = os.fdopen

    class Full:
        def __init__(self, *args) -> None:
            self.f = real_fdopen(*args)

        def __enter__(self):
            return self

        def __exit__(self, *exc) -> None:
            self.f.close()

        def write(self, data) -> None:
            self.f.write(bytes(data)[:100])  # a partial file, then the disk is full
            raise OSError(28, "disk full")

    monkeypatch.setattr(os, "fdopen", Full)
    with pytest.raises(QuizError, match="out.apkg: cannot write: disk full"):
        export_decks([load_deck(nasty_path)], out, state=tmp_path / "state.json")
    assert out.read_bytes() == b"previous"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["nasty.yaml", "out.apkg"]  # no temp, no state


def test_progress_reports_up_to_the_total(tmp_path: Path, nasty_path: Path) -> None:
    calls: list[tuple[int, int]] = []
    export_decks([load_deck(nasty_path)], tmp_path / "o.apkg", state=None, progress=lambda d, t: calls.append((d, t)))
    assert calls[-1] == (6, 6) and [d for d, _ in calls] == sorted(d for d, _ in calls)


def test_builtin_decks_import_cleanly(tmp_path: Path, quiz_home: Path, capsys, monkeypatch) -> None:
    from quiz.decks.deck_names import load_decks

    decks = load_decks(None)
    if not decks:
        pytest.skip("no built-in decks yet")
    monkeypatch.chdir(tmp_path)
    assert main(["export"]) == 0
    items = [it for d in decks for it in d.items]
    assert f"wrote {len(items)} notes in {len(decks)} deck" in capsys.readouterr().out
    col = anki_collection(tmp_path / "col.anki2")
    log = anki_import(col, tmp_path / "quiz.apkg")
    assert len(log.new) == col.note_count() == len(items)
    assert not (log.conflicting or log.missing_notetype or log.empty_first_field)
    expected_cards = sum(len(NOTE_TYPES[it.type].card_ords(it)) for it in items)
    assert col.card_count() == expected_cards
    names = {d.name for d in col.decks.all_names_and_ids()}
    assert {f"Quiz::{d.name}" for d in decks} <= names
    col.close()


def test_guid_for_matches_genanki() -> None:
    from quiz.anki.export import guid_for

    values = [("nasty", "list-one"), ("", ""), (0,), ("d", "x" * 300), ("ü", "日本")]
    values += [(f"deck-{i}", f"item-{i * 7919}") for i in range(2000)]
    for v in values:
        assert guid_for(*v) == genanki.guid_for(*v), v


def test_note_times_only_move_for_changed_notes(tmp_path: Path) -> None:
    from quiz.anki.export import UNRECORDED_TIME, NoteTimes

    path = tmp_path / "times.json"
    first = NoteTimes(path, 100)
    # No record yet: the fixed old time, so a copy Anki may already hold never looks older.
    assert (first.stamp("a", "one"), first.stamp("b", "two")) == (UNRECORDED_TIME, UNRECORDED_TIME)
    assert first.unrecorded == 2
    first.save()
    now = UNRECORDED_TIME + 100
    same_second = NoteTimes(path, now)
    assert same_second.stamp("a", "one") == UNRECORDED_TIME  # unchanged: Anki sees nothing newer
    assert same_second.stamp("b", "TWO") == now  # changed: newer
    same_second.save()
    again = NoteTimes(path, now)
    assert again.stamp("b", "2") == now + 1  # changed twice in a second: still newer
    again.save()
    later = NoteTimes(path, now + 400)
    assert (later.stamp("a", "one"), later.stamp("b", "2"), later.stamp("b", "3")) == (
        UNRECORDED_TIME, now + 1, now + 400
    )
    assert later.unrecorded == 0
    path.write_text("{not json")
    assert NoteTimes(path, 7).stamp("a", "one") == UNRECORDED_TIME  # a damaged record is not fatal


def test_every_note_type_has_source_on_the_back_and_night_mode_css() -> None:
    assert len({nt.model_id for nt in NOTE_TYPES.values()}) == len(NOTE_TYPES) == 6
    for nt in NOTE_TYPES.values():
        assert "Source" in nt.fields
        for _, front, back in nt.templates:
            assert "{{Source}}" in back and "Source" not in front
        css = nt.model.css
        assert ".nightMode .card" in css and ".night_mode .card" in css and "@media (max-width" in css
    assert "{{cloze:Text}}" in NOTE_TYPES["cloze"].templates[0][1] and NOTE_TYPES["cloze"].cloze
    assert "{{type:Answer}}" in NOTE_TYPES["typed"].templates[0][1]


def test_user_template_edits_survive_a_reexport(tmp_path: Path, nasty_path: Path, quiz_home: Path) -> None:
    col = anki_collection(tmp_path / "col.anki2")
    deck = load_deck(nasty_path)
    anki_import(col, export_decks([deck], tmp_path / "1.apkg").path)
    model = col.models.get(NOTE_TYPES["basic"].model_id)
    model["css"] += "\n.card { color: purple; }"
    col.models.update_dict(model)
    anki_import(col, export_decks([deck], tmp_path / "2.apkg", now=time.time() + 86400).path)
    assert "purple" in col.models.get(NOTE_TYPES["basic"].model_id)["css"]
    col.close()
