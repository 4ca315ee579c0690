"""What the deck loader must accept, and what it turns it into."""

from __future__ import annotations

from pathlib import Path

import pytest

from quiz.decks.loader import load_deck
from quiz.decks.model import ITEM_TYPES, Deck, ListEntry

ALL_TYPES = """\
deck:
  id: demo
  name: Demo deck
  description: One item of each type.
items:
  - id: basic-1
    type: basic
    question: In which year was it approved?
    answer: 2021
    accept: [twenty twenty-one]
    tags: [approvals, year]
    fact: approval-year
    source: Approval
  - id: reverse-1
    type: reverse
    question: tacrolimus
    answer: a calcineurin inhibitor
  - id: cloze-1
    type: cloze
    text: They block {{c1::calcineurin}} and so {{c2::T cells::cell type}}.
  - id: choice-1
    type: choice
    question: Which one is a calcineurin inhibitor?
    answer: ciclosporin
    distractors: [methotrexate, azathioprine]
  - id: typed-1
    type: typed
    question: Name the drug.
    answer: voclosporin
    accept: [Lupkynis]
  - id: list-1
    type: list
    question: Name two.
    answers: [ciclosporin, tacrolimus]
    guid: "abc`def~1"
"""


def load(tmp_path: Path, text: str | bytes, name: str = "deck.yaml") -> Deck:
    path = tmp_path / name
    if isinstance(text, str):
        path.write_text(text, encoding="utf-8", newline="")
    else:
        path.write_bytes(text)
    return load_deck(path)


def test_every_item_type_loads_into_model_objects(tmp_path: Path) -> None:
    deck = load(tmp_path, ALL_TYPES)
    assert (deck.id, deck.name, deck.description) == ("demo", "Demo deck", "One item of each type.")
    assert deck.path == tmp_path / "deck.yaml"
    assert [it.type for it in deck.items] == list(ITEM_TYPES)
    basic = deck.item("basic-1")
    assert basic.answer == "2021"  # any plain scalar is text
    assert basic.accept == ("twenty twenty-one",)
    assert basic.tags == ("approvals", "year")
    assert (basic.fact, basic.source, basic.line) == ("approval-year", "Approval", 6)
    assert deck.item("cloze-1").expected == "calcineurin; T cells"
    assert deck.item("choice-1").distractors == ("methotrexate", "azathioprine")
    assert deck.item("list-1").answers == ("ciclosporin", "tacrolimus")
    assert deck.item("list-1").guid == "abc`def~1"


def test_utf8_bom_and_crlf(tmp_path: Path) -> None:
    plain = load(tmp_path, ALL_TYPES, "plain.yaml")
    crlf = load(tmp_path, b"\xef\xbb\xbf" + ALL_TYPES.replace("\n", "\r\n").encode(), "crlf.yaml")
    assert crlf.items == plain.items
    assert [it.line for it in crlf.items] == [it.line for it in plain.items]
    assert "\r" not in crlf.item("basic-1").question


@pytest.mark.parametrize(
    "value",
    [
        "Ciclosporin 🧪💊 and 👩🏽‍⚕️",  # emoji, skin tone, ZWJ sequence
        "תרופה מדכאת חיסון",  # Hebrew (RTL)
        "مثبطات الكالسينيورين",  # Arabic (RTL)
        "カルシニューリン阻害薬 / 钙调神经磷酸酶抑制剂",  # CJK
        "Cafe\u0301 n\u0303 a\u0308\u0301",  # combining marks, kept un-normalised
        "\u202eRTL override\u202c and zero\u200bwidth",
        "𝔘𝔫𝔦𝔠𝔬𝔡𝔢 outside the BMP",
    ],
)
def test_any_unicode_is_kept_exactly(tmp_path: Path, value: str) -> None:
    text = ALL_TYPES.replace("answer: 2021", f'answer: "{value}"').replace("tacrolimus\n    answer:", f"{value}\n    answer:")
    deck = load(tmp_path, text)
    assert deck.item("basic-1").answer == value
    assert deck.item("reverse-1").question == value


@pytest.mark.parametrize(
    ("yaml_value", "expected"),
    [
        ("<b>bold</b> & <i>x</i>", "<b>bold</b> & <i>x</i>"),
        ("'<script>alert(1)</script>'", "<script>alert(1)</script>"),
        ("'&lt;not unescaped&gt; &amp;'", "&lt;not unescaped&gt; &amp;"),
        ('"{{c1::x}} in a basic item"', "{{c1::x}} in a basic item"),
        ("2021", "2021"),
        ("1.50", "1.50"),
        ("0x1F", "0x1F"),
        ("1e3", "1e3"),
        ("yes", "yes"),
        ("off", "off"),
        ("2021-03-04", "2021-03-04"),
        (".inf", ".inf"),
        ('"null"', "null"),
        ("a # comment", "a"),
    ],
)
def test_scalars_are_text_verbatim(tmp_path: Path, yaml_value: str, expected: str) -> None:
    deck = load(tmp_path, ALL_TYPES.replace("answer: 2021", f"answer: {yaml_value}"))
    assert deck.item("basic-1").answer == expected


def test_empty_deck_is_valid(tmp_path: Path) -> None:
    deck = load(tmp_path, "deck: {id: empty, name: Empty}\nitems: []\n")
    assert deck.items == ()
    assert deck.description == ""


def test_document_markers_and_comments_are_fine(tmp_path: Path) -> None:
    deck = load(tmp_path, "# my deck\n%YAML 1.1\n---\n" + ALL_TYPES + "...\n# the end\n")
    assert len(deck.items) == len(ITEM_TYPES)


def test_block_scalars_and_a_very_long_line(tmp_path: Path) -> None:
    long = "x" * 1_000_000
    text = ALL_TYPES.replace("question: tacrolimus", "question: |\n      two\n      lines").replace(
        "answer: ciclosporin\n", f"answer: {long}\n"
    )
    deck = load(tmp_path, text)
    assert deck.item("reverse-1").question == "two\nlines\n"
    assert deck.item("choice-1").answer == long


def test_anchor_without_alias_and_explicit_str_tag(tmp_path: Path) -> None:
    deck = load(tmp_path, ALL_TYPES.replace("answer: 2021", "answer: &year !!str 2021"))
    assert deck.item("basic-1").answer == "2021"


def test_list_entries_take_their_own_accepted_forms(tmp_path: Path) -> None:
    deck = load(tmp_path, ALL_TYPES.replace(
        "answers: [ciclosporin, tacrolimus]",
        "answers: [oral, {answer: intravenous, accept: [IV, i.v.]}, {answer: topical}]"))
    item = deck.item("list-1")
    assert item.answers == ("oral", "intravenous", "topical")  # the main forms, as shown
    assert item.entries == (ListEntry("oral"), ListEntry("intravenous", ("IV", "i.v.")), ListEntry("topical"))
    assert item.expected == "oral; intravenous; topical"


def test_an_item_has_one_representation_of_its_entries() -> None:
    from quiz.decks.model import Item

    plain = Item(id="l", type="list", answers=("a", "b"))
    assert Item(id="l", type="list", answers=("a", "b"), answers_accept=((), ())) == plain
    assert Item(id="l", type="list", answers=("a", "b"), answers_accept=(("x",), ())).answers_accept == (("x",),)
