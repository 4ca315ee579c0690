"""Hostile deck text (issue 12, point 6): control characters in a deck, a package or a CSV never
reach the terminal raw from the plain exam, `quiz stats` or the JSON output; `quiz validate`
warns about them with PATH:LINE:COL."""

from __future__ import annotations

import io
import json
import re
import sqlite3
import zipfile
from pathlib import Path

import pytest

from quiz.cli import main
from quiz.decks.loader import load_deck
from quiz.safe_text import CONTROLS, json_text, strip_controls, visible

# Escapes as a YAML author writes them: ESC (title, clipboard, colours), CSI as C1, BEL, DEL.
HOSTILE_YAML = r"""deck:
  id: hostile
  name: "Evil \e]2;PWNED-NAME\a deck [/b]"
  description: "\x9b31m described"
items:
  - id: b1
    type: basic
    question: "What \e]2;PWNED\a is [/H+] one?"
    answer: "o\ane"
    tags: ["t\e[31mag", "[/t]"]
    source: "Sec \e]52;c;SGVsbG8=\a"
  - id: t1
    type: typed
    question: "Type \x9b2J two"
    answer: "tw\eo"
  - id: c1
    type: choice
    question: "Pick [/x]"
    answer: "A\a"
    distractors: ["B\e[5m", "[/C]"]
  - id: l1
    type: list
    question: "List [/H+]"
    answers: ["x\e]0;T\a", "[/y]"]
  - id: z1
    type: cloze
    text: "Cloze {{c1::d\eeep}} [/q] \x7f"
  - id: r1
    type: reverse
    question: "Rev \a"
    answer: "[/rev] back\x9b"
"""

RAW = re.compile("[" + "".join(re.escape(chr(c)) for c in sorted(CONTROLS)) + "]")


def raw_controls(text: str) -> list[str]:
    return sorted({f"U+{ord(c):04X}" for c in RAW.findall(text)})


@pytest.fixture
def hostile(tmp_path: Path) -> Path:
    p = tmp_path / "hostile.yaml"
    p.write_text(HOSTILE_YAML, encoding="utf-8")
    return p


def test_visible_shows_every_control_but_newline_and_tab() -> None:
    every = "".join(chr(c) for c in range(0x100))
    shown = visible(every)
    assert raw_controls(shown) == []
    assert "\n" in shown and "\t" in shown and "\u241b" in shown and "\ufffd" in shown
    assert len(shown) == len(every)  # one for one: styled spans over the text stay in place
    assert visible("plain [b]text[/b]\nline\ttab é") == "plain [b]text[/b]\nline\ttab é"
    assert strip_controls("a\x1b]2;t\x07b\x9bc\nd") == "a]2;tbc\nd"
    assert json.loads(json_text({"k": every})) == {"k": every}
    assert raw_controls(json_text({"k": every})) == []


def test_plain_exam_writes_no_control_characters(hostile: Path, monkeypatch, capsys) -> None:
    answers = "x\x1b]2;given\x07\ny\n\n" * 12  # an answer, "y" if asked to mark it, an end of list
    monkeypatch.setattr("sys.stdin", io.StringIO(answers))
    assert main(["exam", "--plain", "--feedback", "--seed", "3", str(hostile)]) == 0
    out, err = capsys.readouterr()
    assert "Question 6 of 6" in out
    assert raw_controls(out) == [] and raw_controls(err) == []
    assert "\u241b]2;PWNED\u2407" in out or "\u241b]0;T\u2407" in out  # shown, not dropped


def test_plain_exam_json_and_history_carry_no_raw_controls(hostile: Path, monkeypatch, capsys) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("a\x9b\ny\n\n" * 12))
    assert main(["exam", "--plain", "--json", "--seed", "3", str(hostile)]) == 0
    out = capsys.readouterr().out
    assert raw_controls(out) == []
    result = json.loads(out)  # the JSON keeps the exact text, escaped
    assert len(result["questions"]) == 6
    assert any("\x1b" in q["prompt"] or "\x1b" in str(q["expected"]) for q in result["questions"])
    for args in (["exam", "--history"], ["exam", "--history", "--json"]):
        assert main(args) == 0
        assert raw_controls(capsys.readouterr().out) == []


def test_stats_prints_no_control_characters(hostile: Path, capsys) -> None:
    for args in (["stats", str(hostile)], ["stats", "--json", str(hostile)]):
        assert main(args) == 0
        out = capsys.readouterr().out
        assert raw_controls(out) == [], args


def test_validate_warns_with_the_position_and_still_passes(hostile: Path, capsys) -> None:
    assert main(["validate", str(hostile)]) == 0
    out, err = capsys.readouterr()
    assert "ok (6 items)" in out
    assert raw_controls(err) == []
    lines = err.splitlines()
    # deck name at line 3, col 9 (the value's start); the question of b1 at 8:15.
    assert any(line.startswith(f"{hostile}:3:9: warning: ") and "U+001B" in line for line in lines), err
    assert any(line.startswith(f"{hostile}:8:15: warning: ") for line in lines), err
    assert len([line for line in lines if "warning" in line]) >= 12
    deck = load_deck(hostile)  # loading keeps the text exactly: only showing it is made safe
    assert "\x1b]2;PWNED\x07" in deck.item("b1").question


def test_validate_of_raw_control_characters_is_an_error(tmp_path: Path, capsys) -> None:
    """A raw control character is not even YAML: an error, as before (escapes are warnings)."""
    p = tmp_path / "raw.yaml"
    p.write_bytes(b"deck:\n  id: raw\n  name: Raw \x1b]2;x\x07\nitems: []\n")
    assert main(["validate", str(p)]) == 1
    err = capsys.readouterr().err
    assert f"{p}:3:" in err and raw_controls(err) == []


def _csv(tmp_path: Path) -> Path:
    p = tmp_path / "evil.csv"
    p.write_text("front\x1b]2;csv\x07 one,back\x9b one\nfront two,back two\n", encoding="utf-8")
    return p


def test_imported_text_loses_its_control_characters(tmp_path: Path, capsys) -> None:
    out = tmp_path / "from-csv.yaml"
    assert main(["import", str(_csv(tmp_path)), "-o", str(out)]) == 0
    capsys.readouterr()
    assert main(["validate", str(out)]) == 0
    assert "warning" not in capsys.readouterr().err
    deck = load_deck(out)
    assert [i.question for i in deck.items][0] == "front]2;csv one"
    assert raw_controls(out.read_text(encoding="utf-8")) == []


def test_imported_package_text_loses_its_control_characters(tmp_path: Path, hostile: Path, capsys) -> None:
    from quiz.anki.export import export_decks

    package = export_decks([load_deck(hostile)], tmp_path / "h.apkg", state=None).path
    out = tmp_path / "back.yaml"
    assert main(["import", str(package), "-o", str(out)]) == 0
    capsys.readouterr()
    assert main(["validate", str(out)]) == 0
    assert "warning" not in capsys.readouterr().err
    with zipfile.ZipFile(package) as z:
        conn = sqlite3.connect(":memory:")
        conn.deserialize(z.read("collection.anki2"))
    flds = [f for (f,) in conn.execute("SELECT flds FROM notes")]
    assert any("\x1b" in f for f in flds)  # the package did carry them


@pytest.mark.parametrize("escape", ["\\0", "\\a", "\\b", "\\v", "\\f", "\\r", "\\e", "\\N", "\\x9b", "\\u0007", "\\U0000001b"])
def test_every_escape_that_makes_a_control_character_is_warned_about(tmp_path: Path, escape: str) -> None:
    # The loader looks for control characters only in files that may hold one (may_hold_controls):
    # each escape that makes one must open that door.
    p = tmp_path / "esc.yaml"
    p.write_text('deck: {id: d, name: D}\nitems:\n  - id: a\n    type: basic\n'
                 f'    question: "q {escape} x"\n    answer: a\n', encoding="utf-8")
    deck = load_deck(p)
    assert [(w.line, w.col) for w in deck.warnings] == [(5, 15)]
    assert "control character" in deck.warnings[0].message
