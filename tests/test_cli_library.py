"""The library from the command line: names and ids in any case (a parent's name takes its
sub-decks), `quiz remove` of several decks or a parent, a deck whose id changed in its file,
and a library.json from a newer quiz."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import pytest
from test_library import DECK, run, write_deck

from quiz.decks.library import index_path, load_deck_set, read_library


def test_a_newer_library_is_read_but_never_rewritten(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    mine = write_deck(tmp_path / "mine.yaml")
    body = {"version": 2, "decks": [{"id": "mine", "path": str(mine), "name": "My deck", "added": ""}],
            "groups": [{"name": "kept by the newer quiz"}]}
    index_path().parent.mkdir(parents=True, exist_ok=True)
    index_path().write_text(json.dumps(body), encoding="utf-8")
    before = index_path().read_bytes()
    # reading goes on: its decks are studied as before
    code, out, _ = run("stats", "mine", "--json", capsys=capsys)
    assert code == 0 and set(json.loads(out)["decks"]) == {"mine"}
    # writing is refused in one line, the file left as it was
    for args in (("add", str(write_deck(tmp_path / "other.yaml", deck_id="other"))), ("remove", "mine")):
        code, out, err = run(*args, capsys=capsys)
        assert code == 1 and out == "" and len(err.splitlines()) == 1, err
        assert "library.json" in err and "newer quiz" in err and "update quiz" in err
        assert index_path().read_bytes() == before
    # a newer shape this quiz cannot read is not called damaged
    index_path().write_text(json.dumps({"version": 3, "decks": {"mine": "elsewhere"}}), encoding="utf-8")
    code, _, err = run("stats", capsys=capsys)
    assert code == 1 and "newer quiz" in err and "damaged" not in err


def _tree(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    """A package's decks as an import leaves them: the top deck's id is its name in lower case."""
    folder = tmp_path / "library" / "pharm"
    for deck_id, name in (("pharmacology", "Pharmacology"), ("pharmacology-cardio", "Pharmacology::Cardio"),
                          ("renal-drugs", "Renal-drugs"), ("renal-drugs-loop", "Renal-drugs::Loop")):
        write_deck(folder / f"{deck_id}.yaml", deck_id, name)
    assert run("add", *(str(f) for f in sorted(folder.iterdir())), capsys=capsys)[0] == 0
    return folder


def _decks(*args: str, capsys: pytest.CaptureFixture[str]) -> tuple[set[str], str]:
    code, out, err = run("stats", *args, "--json", capsys=capsys)
    assert code == 0, err
    return set(json.loads(out)["decks"]), err


def test_an_id_and_a_name_mean_the_same_decks_in_any_case(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    folder = _tree(tmp_path, capsys)
    whole = {"pharmacology", "pharmacology-cardio"}
    for word in ("Pharmacology", "PHARMACOLOGY", "pharmacology"):
        decks, err = _decks(word, capsys=capsys)
        assert decks == whole, word
    # the word that is the top deck's id as written: one line says what it was taken for
    assert err.splitlines() == [
        "quiz: 'pharmacology' is the deck Pharmacology with everything under it (2 decks); "
        f"for the deck 'pharmacology' alone, name its file: {folder / 'pharmacology.yaml'}"
    ]
    assert _decks("Pharmacology", capsys=capsys)[1] == ""  # the name as home shows it: nothing to say
    assert _decks(str(folder / "pharmacology.yaml"), capsys=capsys)[0] == {"pharmacology"}  # the deck alone
    for word in ("renal-drugs", "Renal-drugs"):
        assert _decks(word, capsys=capsys)[0] == {"renal-drugs", "renal-drugs-loop"}
    assert _decks("renal-drugs-loop", capsys=capsys) == ({"renal-drugs-loop"}, "")  # a leaf: its id alone
    # study and exam read the names the same way
    code, out, err = run("exam", "pharmacology", "--plain", "--json", "-n", "4", capsys=capsys)
    assert code == 0 and set(json.loads(out)["decks"]) == whole and err.count("everything under it") == 1
    code, _, err = run("export", "pharmacology", "-o", str(tmp_path / "p.apkg"), capsys=capsys)
    assert code == 0 and "2 decks" in err


def test_an_id_that_is_another_decks_name_stays_the_id(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for deck_id, name in (("micro", "Microbiology"), ("virus", "Micro"), ("bact", "Micro::Bacteria")):
        run("add", str(write_deck(tmp_path / f"{deck_id}.yaml", deck_id, name)), capsys=capsys)
    decks, err = _decks("micro", capsys=capsys)
    assert decks == {"micro"} and len(err.splitlines()) == 1
    assert "'micro' is the id of the deck Microbiology" in err and "virus, bact: name them by id" in err
    assert _decks("Micro", capsys=capsys)[0] == {"virus", "bact"}


def test_remove_takes_several_decks_a_parents_name_and_says_where_the_files_stay(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = _tree(tmp_path, capsys)
    code, out, err = run("remove", "Pharmacology", "renal-drugs-loop", capsys=capsys)
    assert code == 0, err
    assert out.splitlines()[0] == "removed 3 decks from the library:"
    assert set(out.splitlines()[1:4]) == {"  pharmacology (Pharmacology)", "  pharmacology-cardio (Pharmacology::Cardio)",
                                          "  renal-drugs-loop (Renal-drugs::Loop)"}
    assert f"their files are kept in {folder}/" in out and f"review history too: `quiz add {folder}` brings them back" in out
    assert [e.deck_id for e in read_library()] == ["renal-drugs"]
    assert (folder / "pharmacology.yaml").is_file()  # files the user did not ask to delete stay
    # a wrong word among several removes nothing
    code, out, err = run("remove", "renal-drugs", "nope", capsys=capsys)
    assert (code, out) == (2, "") and "no deck 'nope' in the library" in err
    assert [e.deck_id for e in read_library()] == ["renal-drugs"]
    # by its file, and one whose file is gone
    code, out, _ = run("remove", str(folder / "renal-drugs.yaml"), capsys=capsys)
    assert code == 0 and out.startswith("removed renal-drugs (Renal-drugs) from the library") and read_library() == ()
    assert run("add", str(folder / "renal-drugs.yaml"), capsys=capsys)[0] == 0
    (folder / "renal-drugs.yaml").unlink()
    code, out, _ = run("remove", "renal-drugs", capsys=capsys)
    assert code == 0 and out.startswith("removed renal-drugs (Renal-drugs) from the library") and read_library() == ()


def test_a_deck_whose_id_changed_in_its_file_is_named_not_hidden(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = _tree(tmp_path, capsys)
    cardio = folder / "pharmacology-cardio.yaml"
    cardio.write_text(DECK.format(id="cardio-two", name="Pharmacology::Cardio"), encoding="utf-8")
    said = (f"{cardio} now says deck id 'cardio-two', but the library knows it as 'pharmacology-cardio' (its "
            "review history is under that id): put `id: pharmacology-cardio` back in the file, or "
            f"`quiz add {cardio}` to go on as 'cardio-two' without that history")
    for word in ("pharmacology-cardio", "cardio-two", str(cardio)):  # the old id, the new one, the file
        for command in ("stats", "study", "exam"):
            code, out, err = run(command, word, capsys=capsys)
            assert (code, out, err) == (1, "", f"quiz: {said}\n"), (command, word)
    # in a group: the rest, and the same line
    decks, err = _decks("Pharmacology", capsys=capsys)
    assert decks == {"pharmacology"} and err == f"quiz: deck 'pharmacology-cardio' of 'Pharmacology' left out: {said}\n"
    # with no deck named (home, stats): listed as not available, with why
    code, out, err = run("stats", capsys=capsys)
    assert code == 0 and "Pharmacology::Cardio (pharmacology-cardio)" in err and "now says deck id 'cardio-two'" in err
    assert "(away)" in out
    (gone,) = load_deck_set().unavailable  # home's "Not available" list, with the same why
    assert gone.entry.deck_id == "pharmacology-cardio" and "now says deck id 'cardio-two'" in gone.reason
    # `quiz add` takes the new id: the entry follows, not a second one for the same file
    code, out, _ = run("add", str(cardio), capsys=capsys)
    assert code == 0 and out.startswith("id changed (was 'pharmacology-cardio'; its review history stays under that id)")
    assert [e.deck_id for e in read_library() if e.path == cardio] == ["cardio-two"]
    assert _decks("cardio-two", capsys=capsys)[0] == {"cardio-two"}


def test_a_refusal_gives_one_remove_command(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from quiz.anki.into_library import remove_command

    _tree(tmp_path, capsys)
    write_deck(tmp_path / "gp.yaml", "gp", "General practice")
    run("add", str(tmp_path / "gp.yaml"), capsys=capsys)
    # the decks a parent's name covers exactly: by that name (it runs as given)
    assert remove_command(["pharmacology", "pharmacology-cardio"]) == "quiz remove Pharmacology"
    assert remove_command(["gp"]) == "quiz remove gp"  # one deck: by the id the refusal names
    # not all of the parent's decks: by their ids, still one command
    assert remove_command(["pharmacology-cardio", "renal-drugs"]) == "quiz remove pharmacology-cardio renal-drugs"
    assert run("remove", "General practice", capsys=capsys)[0] == 0 and "gp" not in {e.deck_id for e in read_library()}
