"""Shared fixtures for the export/import tests: a deck with every item type and nasty text,
and helpers that import a package into a scratch collection of the real Anki backend."""

from __future__ import annotations

from pathlib import Path

import pytest

NASTY_DECK = """\
deck:
  id: nasty
  name: Nasty & <Co>
  description: "Every item type, with text that looks like markup: <b>bold</b> & co."
items:
  - id: basic-script
    type: basic
    question: "What does <script>alert(1)</script> do?"
    answer: "Nothing: a < b & c"
    accept: ["nothing", "<none>"]
    tags: [markup, "two words"]
    fact: fact-one
    source: "Section 1 & <2>"
  - id: reverse-amp
    type: reverse
    question: "Tom &amp; Jerry"
    answer: "<b>cat</b> and mouse"
    tags: [reverse]
  - id: cloze-two
    type: cloze
    text: "Cats {{c1::<i>purr</i>}} and dogs {{c2::bark & bite::sound}}; x < y.\\nSecond line."
    source: Cloze section
  - id: choice-one
    type: choice
    question: "Which is <em>right</em>?"
    answer: "A & B"
    distractors: ["<script>x</script>", "C > D", "plain"]
    fact: fact-two
  - id: typed-one
    type: typed
    question: "Type the word 'café'"
    answer: café
    accept: [cafe]
  - id: list-one
    type: list
    question: "Name both <tags>"
    answers: ["<div>", "&nbsp;", {answer: "i.v. & <b>", accept: [IV, "<i>iv</i>"]}]
    tags: [list]
"""


@pytest.fixture
def quiz_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "home"
    monkeypatch.setenv("QUIZ_HOME", str(home))
    return home


@pytest.fixture
def nasty_path(tmp_path: Path) -> Path:
    p = tmp_path / "nasty.yaml"
    p.write_text(NASTY_DECK, encoding="utf-8")
    return p


def anki_collection(path: Path):
    from anki.collection import Collection

    return Collection(str(path))


def anki_import(col, package: Path):
    from anki.collection import ImportAnkiPackageRequest

    return col.import_anki_package(ImportAnkiPackageRequest(package_path=str(package))).log
