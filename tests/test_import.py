"""quiz import: Anki packages (ours and Anki's own) and Quizlet/Anki CSV/TSV into deck files."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from test_export_helpers import anki_collection, anki_import, nasty_path, quiz_home  # noqa: F401

from quiz.cli import main
from quiz.decks.loader import load_deck
from quiz.anki.export import export_decks, note_guid


def _anki_package(tmp_path: Path, legacy: bool = True) -> Path:
    """A package from Anki's own exporter with its stock note types and one it cannot map."""
    from anki.collection import ExportAnkiPackageOptions

    col = anki_collection(tmp_path / "src.anki2")
    did = col.decks.id("Medicine::Pharmacology")
    col.decks.save({**col.decks.get(did), "desc": "<b>Drugs</b> &amp; doses"})

    def add(model_name: str, *fields: str, tags: str = "") -> None:
        note = col.new_note(col.models.by_name(model_name))
        for i, value in enumerate(fields):
            note.fields[i] = value
        note.tags = tags.split()
        col.add_note(note, did)

    add("Basic", "What is <b>1 + 1</b>?", "2 &amp; not 3<br>really", tags="maths fact::sums")
    add("Basic (and reversed card)", "hund", "dog")
    add("Basic (optional reversed card)", "katze", "cat", "y")
    add("Basic (optional reversed card)", "maus", "mouse", "")
    add("Basic (type in the answer)", "Capital of France?", "Paris")
    add("Cloze", "The {{c1::heart}} pumps {{c2::blood}}.", "extra")
    add("Cloze", "Nested {{c1::outer {{c2::inner}} text}} here.", "")  # Anki 23.10+ nests; quiz does not
    add("Basic", "<img src='x.png'>", "only a picture")
    solo = col.models.new("Solo")
    col.models.add_field(solo, col.models.new_field("Only"))
    tmpl = col.models.new_template("Card 1")
    tmpl["qfmt"], tmpl["afmt"] = "{{Only}}", "{{FrontSide}}"
    col.models.add_template(solo, tmpl)
    col.models.add(solo)
    for text in ("one", "two"):
        add("Solo", text)
    out = tmp_path / ("anki.apkg" if legacy else "anki-new.apkg")
    col.export_anki_package(
        out_path=str(out),
        options=ExportAnkiPackageOptions(with_scheduling=False, with_deck_configs=False, with_media=False, legacy=legacy),
        limit=None,
    )
    col.close()
    return out


def test_round_trip_keeps_questions_answers_and_guids(tmp_path: Path, nasty_path: Path, quiz_home: Path, capsys) -> None:
    deck = load_deck(nasty_path)
    package = export_decks([deck], tmp_path / "out.apkg").path
    assert main(["import", str(package), "-o", str(tmp_path / "back.yaml")]) == 0
    assert "imported 6 items from" in capsys.readouterr().out
    back = load_deck(tmp_path / "back.yaml")
    assert back.name == deck.name and back.description == deck.description
    assert len(back.items) == len(deck.items)
    for old, new in zip(deck.items, back.items):
        assert (new.type, new.prompt, new.expected) == (old.type, old.prompt, old.expected), old.id
        assert new.text == old.text and new.answers == old.answers and new.accept == old.accept
        assert new.entries == old.entries
        assert sorted(new.distractors) == sorted(old.distractors)
        assert (new.fact, new.source) == (old.fact, old.source)
        assert list(new.tags) == [t.replace(" ", "_") for t in old.tags]
        assert new.guid == note_guid(deck, old)
        assert new.id == old.id  # from the hidden Id field: review history follows the round trip
    # Exported again (under any deck id), the imported deck maps back onto the same notes.
    col = anki_collection(tmp_path / "col.anki2")
    anki_import(col, package)
    renamed = back.__class__(**{**back.__dict__, "id": "other-id"})
    log = anki_import(col, export_decks([renamed], tmp_path / "again.apkg", now=2_000_000_000).path)
    assert len(log.new) == 0 and col.note_count() == 6
    col.close()


def test_anki_stock_note_types(tmp_path: Path, capsys) -> None:
    package = _anki_package(tmp_path)
    assert main(["import", str(package), "-o", str(tmp_path / "pharm.yaml")]) == 0
    captured = capsys.readouterr()
    assert "imported 6 items" in captured.out
    assert captured.err.splitlines() == [
        "quiz: skipped 2 notes of note type 'Solo' (no question and answer fields)",
        "quiz: skipped 1 note with a cloze deletion holding another (nested deletions are not supported)",
        "quiz: skipped 1 note with an empty question or answer (images or sounds only?)",
        "quiz: 1 image not in the package (or not images) left out: x.png (Medicine::Pharmacology)",
    ]
    deck = load_deck(tmp_path / "pharm.yaml")
    assert (deck.id, deck.name, deck.description) == ("medicine-pharmacology", "Medicine::Pharmacology", "Drugs & doses")
    got = [(i.type, i.question, i.answer, i.text) for i in deck.items]
    assert got == [
        ("basic", "What is 1 + 1?", "2 & not 3\nreally", ""),
        ("reverse", "hund", "dog", ""),
        ("reverse", "katze", "cat", ""),
        ("basic", "maus", "mouse", ""),
        ("typed", "Capital of France?", "Paris", ""),
        ("cloze", "", "", "The {{c1::heart}} pumps {{c2::blood}}."),
    ]
    first = deck.items[0]
    assert first.id == "what-is-1-1" and first.tags == ("maths",) and first.fact == "sums" and first.guid


def test_newer_anki_format_reads_like_the_legacy_one(tmp_path: Path, capsys) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    legacy, latest = _anki_package(tmp_path / "a"), _anki_package(tmp_path / "b", legacy=False)
    assert main(["import", str(legacy), "-o", str(tmp_path / "legacy.yaml")]) == 0
    assert main(["import", str(latest), "-o", str(tmp_path / "latest.yaml")]) == 0
    old, new = load_deck(tmp_path / "legacy.yaml"), load_deck(tmp_path / "latest.yaml")
    assert (new.id, new.name, new.description) == (old.id, old.name, old.description)
    assert [(i.type, i.question, i.answer, i.text, i.extra) for i in new.items] == [
        (i.type, i.question, i.answer, i.text, i.extra) for i in old.items
    ]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("junk.apkg", b"\x00not a zip at all", "junk.apkg: not an Anki package (not a readable zip file"),
        ("other.apkg", None, "other.apkg: not an Anki package (no collection inside the zip)"),
        ("garbage.apkg", b"collection.anki2", "garbage.apkg: the collection inside is not a readable Anki database"),
        ("empty.csv", b"", "empty.csv: no cards in the file (it is empty)"),
        ("blank.csv", b"#separator:comma\n\n  \n", "blank.csv: no cards in the file"),
        ("cols.csv", b"a,b\nc,d\ne,f,g\n", "cols.csv:3: expected 2 comma-separated columns (term, definition), found 3"),
        ("cols.tsv", b"a\tb\n\nc\n", "cols.tsv:3: expected 2 tab-separated columns (term, definition), found 1"),
        ("latin1.csv", "caf\u00e9,coffee\n".encode("latin-1"), "latin1.csv: not UTF-8 text"),
    ],
)
def test_bad_input_is_one_line_exit_1_and_no_output(tmp_path: Path, monkeypatch, capsys, name, content, message) -> None:
    monkeypatch.chdir(tmp_path)
    path = tmp_path / name
    if content is None or name == "garbage.apkg":
        with zipfile.ZipFile(path, "w") as z:
            if content is None:
                z.writestr("readme.txt", "hello")
            else:
                z.writestr(content.decode(), b"\x01" * 4096)
    else:
        path.write_bytes(content)
    assert main(["import", name, "-o", "out.yaml"]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"quiz: {message}") and err.count("\n") == 1, err
    assert sorted(p.name for p in tmp_path.iterdir()) == [name]


def test_quizlet_tsv_and_comma_csv(tmp_path: Path, monkeypatch, capsys) -> None:
    monkeypatch.chdir(tmp_path)
    Path("quizlet.txt").write_text('"Quoted" term\tits <definition> & more\nmitochondria\tpowerhouse\n', encoding="utf-8")
    assert main(["import", "quizlet.txt", "-o", "quizlet.yaml", "--name", "Bio 101"]) == 0
    assert "imported 2 items from quizlet.txt to quizlet.yaml" in capsys.readouterr().out
    deck = load_deck("quizlet.yaml")
    assert (deck.id, deck.name) == ("bio-101", "Bio 101")
    assert [(i.id, i.question, i.answer) for i in deck.items] == [
        ("quoted-term", '"Quoted" term', "its <definition> & more"),
        ("mitochondria", "mitochondria", "powerhouse"),
    ]
    Path("pairs.csv").write_text('\ufeffterm,definition\n"a, b",c\nterm,again\n', encoding="utf-8")
    assert main(["import", "pairs.csv", "-o", "pairs.yaml", "--deck-id", "pairs"]) == 0
    assert capsys.readouterr().err == "quiz: skipped the header row on line 1 ('term', 'definition')\n"
    deck = load_deck("pairs.yaml")
    assert [(i.id, i.question, i.answer) for i in deck.items] == [("a-b", "a, b", "c"), ("term", "term", "again")]
    Path("hash.tsv").write_text("#note: not a header\tdef\n", encoding="utf-8")
    assert main(["import", "hash.tsv", "-o", "hash.yaml"]) == 0
    assert load_deck("hash.yaml").items[0].question == "#note: not a header"
    Path("hash.tsv").write_text("#separator:tab\n#tags:all of-them\nq\ta\n", encoding="utf-8")
    assert main(["import", "hash.tsv", "-o", "hash.yaml", "--force"]) == 0
    assert load_deck("hash.yaml").items[0].tags == ("all", "of-them")
    Path("semi.csv").write_text("x;y\n", encoding="utf-8")
    assert main(["import", "semi.csv", "-o", "semi.yaml", "--delimiter", ";"]) == 0
    assert main(["import", "semi.csv", "--delimiter", "|"]) == 2
    assert main(["import", "semi.csv", "-o", "semi.yaml"]) == 1  # semi.yaml exists
    assert main(["import", "semi.csv", "-o", "semi.yaml", "--force"]) == 0  # ';' found without being told
    assert load_deck("semi.yaml").items[0].answer == "y"
    assert "semi.yaml already exists (use --force" in capsys.readouterr().err
    assert main(["import", "semi.csv", "-o", "semi.yaml", "--delimiter", ";", "--force", "--deck-id", "bad id"]) == 2
    Path("dir.yaml").mkdir()
    assert main(["import", "semi.csv", "-o", "dir.yaml", "--delimiter", ";", "--force"]) == 1
    assert "dir.yaml: is a folder, not a regular file" in capsys.readouterr().err
    Path("decks").mkdir()  # a folder (not named *.yaml) takes the deck file inside it
    assert main(["import", "semi.csv", "-o", "decks", "--delimiter", ";"]) == 0
    assert load_deck("decks/semi.yaml").items[0].answer == "y"
    capsys.readouterr()
    assert main(["import", "nope.csv"]) == 1
    assert "nope.csv: no such file" in capsys.readouterr().err
    # no temp files left behind ("home" is QUIZ_HOME: the deck cache of what was written)
    assert sorted(p.name for p in Path().iterdir()) == sorted(
        ["home", "decks", "dir.yaml", "hash.tsv", "hash.yaml", "pairs.csv", "pairs.yaml", "quizlet.txt", "quizlet.yaml", "semi.csv", "semi.yaml"]
    )


@pytest.mark.parametrize(
    ("content", "line", "header"),
    [
        ("Front,Back\nhund,dog\n", 1, "'Front', 'Back'"),
        ("\n QUESTION ; Answer \nhund;dog\n", 2, "'QUESTION', 'Answer'"),
        ("word\tmeaning\nhund\tdog\n", 1, "'word', 'meaning'"),
        ("#separator:tab\n#html:true\nterm\t<b>Definition</b>\nhund\tdog\n", 3, "'term', 'Definition'"),
    ],
)
def test_a_header_row_is_skipped_and_reported(tmp_path: Path, capsys, content: str, line: int, header: str) -> None:
    src = tmp_path / "cards.csv"
    src.write_text(content, encoding="utf-8")
    assert main(["import", str(src), "-o", str(tmp_path / "cards.yaml")]) == 0
    assert capsys.readouterr().err == f"quiz: skipped the header row on line {line} ({header})\n"
    assert [(i.question, i.answer) for i in load_deck(tmp_path / "cards.yaml").items] == [("hund", "dog")]


def test_header_like_rows_after_the_first_card_and_lone_headers(tmp_path: Path, capsys) -> None:
    src = tmp_path / "cards.csv"
    src.write_text("hund,dog\nfront,back\nterm,meaning of a term\n", encoding="utf-8")
    assert main(["import", str(src), "-o", str(tmp_path / "cards.yaml")]) == 0
    assert capsys.readouterr().err == ""
    assert [i.question for i in load_deck(tmp_path / "cards.yaml").items] == ["hund", "front", "term"]
    src.write_text("Term,Definition\n", encoding="utf-8")
    assert main(["import", str(src), "-o", str(tmp_path / "lone.yaml")]) == 1
    assert "cards.csv: no cards in the file (only a header row)" in capsys.readouterr().err
    assert not (tmp_path / "lone.yaml").exists()


def test_anki_plain_text_export(tmp_path: Path, capsys) -> None:

    col = anki_collection(tmp_path / "src.anki2")
    for front, back, tags in (("a <b>bold</b>", "x &amp; y<br>z", "t1 t2"), ("tab\there", 'quote " here', "")):
        note = col.new_note(col.models.by_name("Basic"))
        note.fields[:] = [front, back]
        note.tags = tags.split()
        col.add_note(note, 1)
    cloze = col.new_note(col.models.by_name("Cloze"))
    cloze.fields[:] = ["A {{c1::gap}} here", ""]
    col.add_note(cloze, 1)
    out = tmp_path / "notes.txt"
    col.export_note_csv(out_path=str(out), limit=None, with_html=True, with_tags=True,
                        with_deck=True, with_notetype=True, with_guid=True)
    guids = {col.get_note(n).fields[0]: col.get_note(n).guid for n in col.find_notes("")}
    col.close()
    assert out.read_text().startswith("#separator:tab")
    assert main(["import", str(out), "-o", str(tmp_path / "notes.yaml")]) == 0
    deck = load_deck(tmp_path / "notes.yaml")
    got = [(i.type, i.question or i.text, i.answer, i.tags, i.guid) for i in deck.items]
    assert got == [
        ("basic", "a bold", "x & y\nz", ("t1", "t2"), guids["a <b>bold</b>"]),
        ("basic", "tab here", 'quote " here', (), guids["tab\there"]),
        ("cloze", "A {{c1::gap}} here", "", (), guids["A {{c1::gap}} here"]),
    ]


def test_builtin_deck_round_trip(tmp_path: Path, quiz_home: Path) -> None:
    from quiz.anki.importer import import_file
    from quiz.decks.deck_names import load_decks

    decks = load_decks(["calcineurin-inhibitors"])
    package = export_decks(decks, tmp_path / "cni.apkg").path
    back = load_deck(import_file(package, tmp_path / "back.yaml").path)
    (deck,) = decks
    assert (back.name, back.description) == (deck.name, deck.description)
    assert [(i.id, i.type, i.prompt, i.expected, i.source, i.fact) for i in back.items] == [
        (i.id, i.type, i.prompt, i.expected, i.source, i.fact) for i in deck.items
    ]


def test_ids_kept_from_our_notes_and_made_from_text_otherwise() -> None:
    from quiz.anki.entries import Entry, item_ids as _ids

    entries = [
        Entry("basic", question="Made from text?", answer="a"),
        Entry("basic", question="q", answer="a", id="kept.id-1"),
        Entry("basic", question="q", answer="a", id="kept.id-1"),  # two notes, one id: the first keeps it
        Entry("basic", question="q", answer="a", id="not an id!"),
        Entry("basic", question="Kept id 1", answer="a"),
    ]
    assert _ids(entries) == ["made-from-text", "kept.id-1", "q", "q-2", "kept-id-1"]


def test_a_deck_file_is_not_imported_but_pointed_at_quiz_add(tmp_path: Path, capsys) -> None:
    deck = tmp_path / "mine.yaml"
    deck.write_text("deck: {id: mine, name: Mine}\nitems: []\n", encoding="utf-8")
    assert main(["import", str(deck)]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and f"quiz add {deck}" in err and "columns" not in err


def test_rows_repeating_an_earlier_row_exactly_are_skipped_and_counted(tmp_path: Path, capsys) -> None:
    src = tmp_path / "dup.csv"
    src.write_text("heart,pumps blood\nheart,pumps blood\nlung,breathes\nheart,pumps blood\nheart,beats\n", encoding="utf-8")
    assert main(["import", str(src), "-o", str(tmp_path / "dup.yaml")]) == 0
    assert "skipped 2 rows repeating an earlier row exactly" in capsys.readouterr().err
    deck = load_deck(tmp_path / "dup.yaml")
    assert [(i.question, i.answer) for i in deck.items] == [("heart", "pumps blood"), ("lung", "breathes"), ("heart", "beats")]


def test_an_interrupted_import_says_nothing_was_imported(tmp_path: Path, capsys, monkeypatch) -> None:
    from quiz.anki import importer

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(importer, "import_file", interrupted)
    src = tmp_path / "cards.csv"
    src.write_text("heart,pumps blood\n", encoding="utf-8")
    assert main(["import", str(src)]) == 130
    assert capsys.readouterr().err == "quiz: interrupted; nothing was imported\n"


def test_excels_unicode_text_utf16_with_a_bom_is_read(tmp_path: Path, capsys) -> None:
    src = tmp_path / "excel.txt"
    src.write_bytes("heart\tpumps blood\ncafé\tcoffee\n".encode("utf-16"))  # BOM first, as Excel writes
    assert main(["import", str(src), "-o", str(tmp_path / "excel.yaml")]) == 0
    deck = load_deck(tmp_path / "excel.yaml")
    assert [(i.question, i.answer) for i in deck.items] == [("heart", "pumps blood"), ("café", "coffee")]


def test_a_folder_is_named_as_one(tmp_path: Path, capsys) -> None:
    assert main(["import", str(tmp_path)]) == 1
    assert capsys.readouterr().err == f"quiz: {tmp_path}: is a folder, not a file to import\n"
