"""A package imported again after its notes changed in Anki: each note keeps its item id, and so
its review history, by its Anki GUID; a new note never takes an id that is another note's. And
the round trip of a library deck through Anki (exported, studied on a phone, exported with
scheduling) comes back into the same deck with `quiz import FILE --force`.

Packages are made with Anki's own backend (the ``anki`` package)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from quiz.anki import importer
from quiz.cli import main
from quiz.cores import can_fork
from quiz.decks.library import read_library
from quiz.decks.loader import load_deck
from quiz.storage.store import Store

DECK = """deck:
  id: made-up
  name: Made up
items:
  - id: zorb-colour
    type: basic
    question: What colour is a zorb?
    answer: blue
  - id: blip-legs
    type: basic
    question: How many legs has a blip?
    answer: five
  - id: flim-cloze
    type: cloze
    text: A flim lives in {{c1::the sea}}.
"""


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def ok(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    code, out, err = run(capsys, *args)
    assert code == 0, err
    return out


def refused(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    code, out, err = run(capsys, *args)
    assert (code, out) == (1, ""), err
    assert len(err.splitlines()) == 1 and "Traceback" not in err
    return err


def export(col: Any, out: Path, *, scheduling: bool = True) -> Path:
    from anki.collection import ExportAnkiPackageOptions

    out.parent.mkdir(parents=True, exist_ok=True)
    col.export_anki_package(
        out_path=str(out),
        options=ExportAnkiPackageOptions(with_scheduling=scheduling, with_deck_configs=False, with_media=True, legacy=False),
        limit=None,
    )
    return out


def answer(col: Any, note_id: int, times: int) -> None:
    cid = min(col.card_ids_of_note(note_id))
    for _ in range(times):
        card = col.get_card(cid)
        card.start_timer()
        col.sched.answerCard(card, 3)


def add(col: Any, deck: str, front: str, back: str) -> int:
    note = col.new_note(col.models.by_name("Basic"))
    note.fields[0], note.fields[1] = front, back
    col.add_note(note, col.decks.id(deck))
    return int(note.id)


def cards(deck_id: str) -> dict[str, tuple[int, bool]]:
    """item id -> (reps of its first card, hidden) for every card the store has of the deck."""
    with Store.open() as store:
        return {
            item: (info.reps, info.hidden)
            for item in _items(store, deck_id)
            if (info := store.card_info(deck_id, item, 0)) is not None
        }


def _items(store: Store, deck_id: str) -> list[str]:
    from quiz.storage import queries

    everything = queries.card_briefs(store, deck_id)
    return sorted({item for item, _ in everything})


def items(path: Path) -> dict[str, str]:
    """item id -> question of a deck file."""
    return {i.id: i.prompt for i in load_deck(path).items}


@pytest.mark.parametrize("how", ["same file", "another file"])
def test_an_edited_note_keeps_its_id_and_history(
    how: str, quiz_home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from anki.collection import Collection

    col = Collection(str(tmp_path / "c.anki2"))
    add(col, "Edits", "Question one?", "a1")
    two = add(col, "Edits", "Question two?", "a2")
    answer(col, two, 2)
    first = export(col, tmp_path / "v1" / "edits.apkg")
    note = col.get_note(two)
    note.fields[0] = "Question number two?"
    col.update_note(note)
    second = export(col, tmp_path / ("v1-again" if how == "same file" else "v2") / (
        "edits.apkg" if how == "same file" else "edits-edited.apkg"), scheduling=False)
    col.close()

    ok(capsys, "import", str(first))
    (entry,) = read_library()
    assert items(entry.path) == {"question-one": "Question one?", "question-two": "Question two?"}
    assert cards("edits")["question-two"] == (2, False)

    err = refused(capsys, "import", str(second))
    assert "--force to update it from the package" in err if how == "same file" else f"`quiz import {second} --force`" in err
    out = ok(capsys, "import", str(second), "--force")
    assert "edits: updated in place, 2 items kept their id and history, 0 new, 0 gone" in out
    assert read_library() == (entry,)  # the same deck, in the same file
    assert items(entry.path) == {"question-one": "Question one?", "question-two": "Question number two?"}
    assert cards("edits") == {"question-one": (0, False), "question-two": (2, False)}


def test_a_note_never_takes_the_id_of_another_with_the_same_front(
    quiz_home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from anki.collection import Collection

    col = Collection(str(tmp_path / "c.anki2"))
    calcineurin = add(col, "Same", "What does this drug inhibit?", "calcineurin")
    add(col, "Same", "What does this drug inhibit?", "mTOR")
    answer(col, calcineurin, 3)
    ok(capsys, "import", str(export(col, tmp_path / "1" / "same.apkg")))
    (entry,) = read_library()
    answers = {i.id: i.expected for i in load_deck(entry.path).items}
    assert answers == {"what-does-this-drug-inhibit": "calcineurin", "what-does-this-drug-inhibit-2": "mTOR"}
    assert cards("same") == {"what-does-this-drug-inhibit": (3, False), "what-does-this-drug-inhibit-2": (0, False)}

    col.remove_notes([calcineurin])  # deleted in Anki: its id and history are no other note's
    out = ok(capsys, "import", str(export(col, tmp_path / "2" / "same.apkg")), "--force")
    assert "same: updated in place, 1 item kept its id and history, 0 new, 1 gone" in out
    assert {i.id: i.expected for i in load_deck(entry.path).items} == {"what-does-this-drug-inhibit-2": "mTOR"}
    ok(capsys, "stats")  # the store follows the deck file (a card gone from it is hidden)
    assert cards("same") == {"what-does-this-drug-inhibit": (3, True), "what-does-this-drug-inhibit-2": (0, False)}

    # a new note with that front: not in the file any more, but the store remembers the id
    add(col, "Same", "What does this drug inhibit?", "purine synthesis")
    out = ok(capsys, "import", str(export(col, tmp_path / "3" / "same.apkg")), "--force")
    assert "same: updated in place, 1 item kept its id and history, 1 new, 0 gone" in out
    assert {i.id: i.expected for i in load_deck(entry.path).items} == {
        "what-does-this-drug-inhibit-2": "mTOR", "what-does-this-drug-inhibit-3": "purine synthesis"
    }
    assert cards("same")["what-does-this-drug-inhibit"] == (3, True)
    col.close()


def test_a_library_deck_studied_in_anki_comes_back_with_its_progress(
    quiz_home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from anki.collection import Collection, ImportAnkiPackageOptions, ImportAnkiPackageRequest

    mine = tmp_path / "decks" / "made-up.yaml"
    mine.parent.mkdir()
    mine.write_text(DECK, encoding="utf-8")
    ok(capsys, "add", str(mine))
    sent = tmp_path / "sent.apkg"
    ok(capsys, "export", "made-up", "-o", str(sent))

    (tmp_path / "phone").mkdir()
    phone = Collection(str(tmp_path / "phone" / "c.anki2"))
    phone.import_anki_package(ImportAnkiPackageRequest(
        package_path=str(sent), options=ImportAnkiPackageOptions(with_scheduling=True)))
    for cid in phone.find_cards("deck:Quiz*"):
        card = phone.get_card(cid)
        card.start_timer()
        phone.sched.answerCard(card, 3)
    back = export(phone, tmp_path / "back.apkg")
    phone.close()

    err = refused(capsys, "import", str(back))
    assert "'made-up' is already in your library" in err and f"`quiz import {back} --force`" in err
    # beside the library's deck under its id, it would share the deck's history: refused
    copy = tmp_path / "copy.yaml"
    err = refused(capsys, "import", str(back), "-o", str(copy))
    assert "'made-up' is already in your library" in err and "--force` (no -o)" in err and "--deck-id" in err
    assert not copy.exists() and cards("made-up") == {}

    out = ok(capsys, "import", str(back), "--force")
    assert "made-up: updated in place, 3 items kept their id and history, 0 new, 0 gone" in out
    assert "brought 3 reviews of 3 cards across from Anki" in out
    assert [(e.deck_id, e.path) for e in read_library()] == [("made-up", mine)]
    deck = load_deck(mine)
    assert (deck.id, deck.name) == ("made-up", "Made up")
    assert [(i.id, i.prompt) for i in deck.items] == [
        ("zorb-colour", "What colour is a zorb?"), ("blip-legs", "How many legs has a blip?"),
        ("flim-cloze", "A flim lives in [...].")]
    assert cards("made-up") == {"zorb-colour": (1, False), "blip-legs": (1, False), "flim-cloze": (1, False)}
    # once more: nothing new to bring, and it says so
    out = ok(capsys, "import", str(back), "--force")
    assert "3 items kept their id and history, 0 new, 0 gone" in out and "review history already here" in out
    assert cards("made-up") == {"zorb-colour": (1, False), "blip-legs": (1, False), "flim-cloze": (1, False)}


def test_force_does_not_replace_another_deck_that_has_the_id(
    quiz_home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from anki.collection import Collection

    mine = tmp_path / "decks" / "edits.yaml"
    mine.parent.mkdir()
    mine.write_text(DECK.replace("id: made-up", "id: edits"), encoding="utf-8")
    ok(capsys, "add", str(mine))
    col = Collection(str(tmp_path / "c.anki2"))
    add(col, "Edits", "Question one?", "a1")
    package = export(col, tmp_path / "edits.apkg")
    col.close()
    before = mine.read_bytes()
    err = refused(capsys, "import", str(package), "--force")
    assert "the library's deck 'edits' (" in err and "shares no note with the package's" in err
    assert "`quiz remove edits` first" in err and "--deck-id" in err
    assert mine.read_bytes() == before and read_library()[0].path == mine
    assert not (quiz_home / "library" / "edits.yaml").exists()


@pytest.mark.skipif(not can_fork(), reason="the import is split only where quiz.cores.can_fork says so")
def test_the_twin_process_keeps_the_ids_of_its_half(
    quiz_home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Split between two processes, each deck's notes keep their ids by GUID in either one."""
    from anki.collection import Collection

    forks: list[object] = []
    real_twin = importer.Twin
    monkeypatch.setattr(importer, "SPLIT_FROM_NOTES", 0)
    monkeypatch.setattr(importer, "Twin", lambda work: forks.append(work) or real_twin(work))
    col = Collection(str(tmp_path / "c.anki2"))
    first = [add(col, deck, "Which one?", f"{deck} {n}") for deck in ("Left", "Right") for n in (1, 2)]
    ok(capsys, "import", str(export(col, tmp_path / "1" / "two.apkg")))
    assert len(forks) == 1
    expected = {e.deck_id: {i.id: i.expected for i in load_deck(e.path).items} for e in read_library()}
    assert expected == {
        "left": {"which-one": "Left 1", "which-one-2": "Left 2"}, "right": {"which-one": "Right 1", "which-one-2": "Right 2"}
    }
    col.remove_notes([first[0], first[2]])
    out = ok(capsys, "import", str(export(col, tmp_path / "2" / "two.apkg")), "--force")
    col.close()
    assert len(forks) == 2
    assert "left: updated in place, 1 item kept its id and history, 0 new, 1 gone" in out
    assert "right: updated in place, 1 item kept its id and history, 0 new, 1 gone" in out
    assert {e.deck_id: {i.id: i.expected for i in load_deck(e.path).items} for e in read_library()} == {
        "left": {"which-one-2": "Left 2"}, "right": {"which-one-2": "Right 2"}
    }


def test_a_csv_imported_again_keeps_its_ids(quiz_home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """No GUIDs: its rows are known by their text, as before."""
    csv = tmp_path / "words.csv"
    csv.write_text("zorb,a blue made-up fruit\nblip,a five-legged made-up animal\n", encoding="utf-8")
    ok(capsys, "import", str(csv))
    (entry,) = read_library()
    before = items(entry.path)
    csv.write_text("zorb,a blue made-up fruit\nblip,a five-legged made-up animal\nflim,a made-up sea creature\n", encoding="utf-8")
    out = ok(capsys, "import", str(csv), "--force")
    assert "updated in place" not in out
    assert items(entry.path) == {**before, "flim": "flim"}
