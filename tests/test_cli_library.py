"""The library from the command line: names and ids in any case (a parent's name takes its
sub-decks), `quiz remove` of several decks or a parent, a deck whose id changed in its file,
and a library.json from a newer quiz."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from test_library import DECK, run, write_deck

from quiz.decks.library import index_path, read_library


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
