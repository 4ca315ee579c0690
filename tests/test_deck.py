"""Deck loading and `quiz validate`: every bad input from issue 2 point 3, both through
load_deck directly and through the real command in a subprocess."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from quiz.decks import loader as deck_mod
from quiz.decks import yaml_reader as yamlfile
from quiz.decks.loader import load_deck
from quiz.errors import InvalidFile

HEAD = "deck:\n  id: demo\n  name: Demo\nitems:\n"


def item(body: str) -> str:
    """A deck with one item whose lines are ``body`` (indented under '  - ')."""
    lines = body.strip("\n").split("\n")
    return HEAD + "  - " + lines[0] + "\n" + "".join(f"    {ln}\n" for ln in lines[1:])


BASIC = "id: q1\ntype: basic\nquestion: What?\nanswer: That"
VALID = item(BASIC)


def deep_block(levels: int) -> str:
    return "".join("  " * i + "a:\n" for i in range(levels)) + "  " * levels + "x\n"


def run_quiz(*args: str, cwd: Path, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "quiz", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=timeout,  # a hang fails the test instead of stalling the suite
        env={**os.environ, "PYTHONIOENCODING": "utf-8"},
    )


@dataclass
class Bad:
    name: str
    content: bytes | Callable[[Path], Path]  # file bytes, or a builder returning the path
    message: str  # expected substring of the problem
    where: tuple[int, int] | tuple[int] | None = None  # (line, col) / (line,) if located

    def make(self, tmp_path: Path) -> Path:
        if callable(self.content):
            return self.content(tmp_path)
        path = tmp_path / f"{self.name}.yaml"
        path.write_bytes(self.content)
        return path


def _missing(tmp: Path) -> Path:
    return tmp / "no-such-deck.yaml"


def _directory(tmp: Path) -> Path:
    (tmp / "adir.yaml").mkdir()
    return tmp / "adir.yaml"


def _fifo(tmp: Path) -> Path:
    if not hasattr(os, "mkfifo"):
        pytest.skip("no FIFOs on this platform")
    os.mkfifo(tmp / "fifo.yaml")
    return tmp / "fifo.yaml"


def _symlink_loop(tmp: Path) -> Path:
    (tmp / "loop-a.yaml").symlink_to(tmp / "loop-b.yaml")
    (tmp / "loop-b.yaml").symlink_to(tmp / "loop-a.yaml")
    return tmp / "loop-a.yaml"


def _too_big(tmp: Path) -> Path:
    path = tmp / "big.yaml"
    path.write_bytes(VALID.encode() + b"#" * yamlfile.MAX_BYTES)
    return path


BILLION_LAUGHS = b"""\
a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: [*d,*d,*d,*d,*d,*d,*d,*d,*d]
"""

BAD: list[Bad] = [
    # files that are not YAML text
    Bad("empty", b"", "file is empty"),
    Bad("blank", b"  \n\n\t\n", "file is empty"),
    Bad("only-comments", b"# a deck\n# to be written\n", "only comments"),
    Bad("latin1", b"deck:\n  name: caf\xe9\n", "not valid UTF-8", (2, 12)),
    Bad("binary", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "binary file"),
    Bad("utf16", "deck: x\n".encode("utf-16"), "UTF-16"),
    Bad("control-char", b"deck: {id: a, name: b\x07}\n", "U+0007", (1, 22)),
    Bad("too-big", _too_big, "larger than"),
    # YAML syntax
    Bad("syntax", b"deck: [a, b\nitems: []\n", "YAML syntax error", (2, 6)),
    Bad("unclosed-quote", b'deck: {id: a, name: "b}\nitems: []\n', "a quote opened here is never closed", (1, 21)),
    Bad("colon-in-text", item("id: a\ntype: basic\nquestion: Why: this\nanswer: b").encode(), "put the text in quotes", (7, 18)),
    Bad("tab-indent", b"deck:\n\tid: a\n", "indented with spaces", (2, 1)),
    Bad("bad-indent", b"deck:\n  id: a\n name: b\n", "indentation", (3, 2)),
    Bad("two-documents", (VALID + "---\n" + VALID).encode(), "more than one YAML document", (9, 1)),
    # wrong top-level shapes
    Bad("top-list", b"- id: a\n  type: basic\n", "a deck file must be a mapping of keys to values, got a list", (1, 1)),
    Bad("top-scalar", b"hello\n", "a deck file must be a mapping of keys to values, got text", (1, 1)),
    Bad("top-null", b"~\n", "got nothing (null)", (1, 1)),
    Bad("no-items", b"deck: {id: a, name: b}\n", "no 'items:' list", (1, 1)),
    Bad("no-deck", b"items: []\n", "no 'deck:' section", (1, 1)),
    Bad("items-mapping", b"deck: {id: a, name: b}\nitems: {a: b}\n", "'items' must be a list, got a mapping", (2, 8)),
    Bad("items-null", b"deck: {id: a, name: b}\nitems:\n", "'items' is empty; write 'items: []'", (2, 7)),
    Bad("null-item", (HEAD + "  -\n").encode(), "item 1 must be a mapping of keys to values, got nothing (null)", (5, 4)),
    Bad("text-item", (HEAD + "  - just a question\n").encode(), "item 1 must be a mapping", (5, 5)),
    # ids
    Bad("missing-item-id", item("type: basic\nquestion: q\nanswer: a").encode(), "item 1 has no 'id'", (5, 5)),
    Bad("empty-item-id", item('id: ""\ntype: basic\nquestion: q\nanswer: a').encode(), "item id is empty", (5, 9)),
    Bad("null-item-id", item("id:\ntype: basic\nquestion: q\nanswer: a").encode(), "item id has no value", (5, 8)),
    Bad("spaced-id", item("id: my item\ntype: basic\nquestion: q\nanswer: a").encode(), "may hold only ASCII letters", (5, 9)),
    Bad("block-id", item("id: |\n  a\ntype: basic\nquestion: q\nanswer: a").encode(), "may hold only ASCII letters", (5, 9)),
    Bad("missing-deck-id", b"deck: {name: b}\nitems: []\n", "'deck' needs 'id'", (1, 7)),
    Bad("empty-deck-id", b"deck: {id: '', name: b}\nitems: []\n", "deck id is empty", (1, 12)),
    Bad("duplicate-ids", (item(BASIC) + "  - " + BASIC.replace("\n", "\n    ") + "\n").encode(), "duplicate item id 'q1' (first at line 5)", (9, 9)),
    # keys
    Bad("duplicate-key", item(BASIC + "\nquestion: again").encode(), "duplicate key 'question' (first at line 7)", (9, 5)),
    Bad("duplicate-top-key", (VALID + "deck: {id: b, name: c}\n").encode(), "duplicate key 'deck' (first at line 1)", (9, 1)),
    Bad("unknown-key", item("id: a\ntype: basic\nquestoin: q\nanswer: a").encode(), "unknown key 'questoin' in a basic item (questoin → question?)", (7, 5)),
    Bad("unknown-top-key", (VALID + "itmes: []\n").encode(), "itmes → items?", (9, 1)),
    Bad("unknown-deck-key", b"deck: {id: a, name: b, nmae: c}\nitems: []\n", "nmae → name?", (1, 24)),
    Bad("key-of-other-type", item(BASIC + "\ndistractors: [x]").encode(), "'distractors' does not belong in a basic item", (9, 5)),
    Bad("integer-key", (VALID + "1: x\n").encode(), "unknown key '1' in a deck file", (9, 1)),
    Bad("list-key", (VALID + "? [a]\n: x\n").encode(), "a key must be plain text, not a list", (9, 3)),
    Bad("mapping-key", (VALID + "{a: b}: x\n").encode(), "a key must be plain text, not a mapping", (9, 1)),
    # value types
    Bad("list-for-text", item("id: a\ntype: basic\nquestion: [a, b]\nanswer: a").encode(), "question must be text, got a list", (7, 15)),
    Bad("mapping-for-text", item("id: a\ntype: basic\nquestion: q\nanswer: {a: b}").encode(), "answer must be text, got a mapping", (8, 13)),
    Bad("null-answer", item("id: a\ntype: basic\nquestion: q\nanswer: null").encode(), 'answer is null; write "null" in quotes', (8, 13)),
    Bad("mapping-for-tags", item(BASIC + "\ntags: {a: b}").encode(), "tags must be a list of text, got a mapping", (9, 11)),
    Bad("scalar-tags", item(BASIC + "\ntags: drugs").encode(), "write [drugs] for a list of one", (9, 11)),
    Bad("nested-tags", item(BASIC + "\ntags: [a, [b]]").encode(), "tags[1] must be text, got a list", (9, 15)),
    Bad("deck-is-list", b"deck: [a]\nitems: []\n", "'deck' must be a mapping", (1, 7)),
    Bad("type-is-list", item("id: a\ntype: [basic]\nquestion: q\nanswer: a").encode(), "type must be text, got a list", (6, 11)),
    # item types
    Bad("unknown-type", item("id: a\ntype: basix\nquestion: q\nanswer: a").encode(), "unknown item type 'basix' (basix → basic?)", (6, 11)),
    Bad("no-type", item("id: a\nquestion: q\nanswer: a").encode(), "item 1 has no 'type'", (5, 5)),
    Bad("basic-no-answer", item("id: a\ntype: basic\nquestion: q").encode(), "basic item needs 'answer'", (5, 5)),
    Bad("cloze-no-deletion", item("id: a\ntype: cloze\ntext: Calcineurin is blocked.").encode(), "cloze text has no deletion", (7, 11)),
    Bad("cloze-unclosed", item("id: a\ntype: cloze\ntext: 'a {{c1::b'").encode(), "cloze text has no deletion", (7, 11)),
    Bad("cloze-empty-deletion", item("id: a\ntype: cloze\ntext: 'a {{c1::}} b'").encode(), "cloze deletion c1 is empty", (7, 11)),
    Bad("cloze-nested", item("id: a\ntype: cloze\ntext: 'a {{c1::b {{c2::c}} d}} e'").encode(),
        "cloze deletion c1 holds another (c2): nested deletions are not supported", (7, 11)),
    Bad("choice-no-distractors", item("id: a\ntype: choice\nquestion: q\nanswer: a").encode(), "choice item needs 'distractors'", (5, 5)),
    Bad("choice-empty-distractors", item("id: a\ntype: choice\nquestion: q\nanswer: a\ndistractors: []").encode(), "needs at least one distractor", (9, 18)),
    Bad("choice-answer-in-distractors", item("id: a\ntype: choice\nquestion: q\nanswer: a\ndistractors: [b, a]").encode(), "repeats the answer", (9, 18)),
    Bad("list-one-answer", item("id: a\ntype: list\nquestion: q\nanswers: [a]").encode(), "at least two answers", (8, 14)),
    Bad("list-entry-no-answer", item("id: a\ntype: list\nquestion: q\nanswers: [a, {accept: [b]}]").encode(), "list entry answers[1] needs 'answer'", (8, 18)),
    Bad("list-entry-unknown-key", item("id: a\ntype: list\nquestion: q\nanswers: [a, {answer: b, acept: [c]}]").encode(), "unknown key 'acept' in list entry answers[1] (acept → accept?)", (8, 30)),
    Bad("list-entry-scalar-accept", item("id: a\ntype: list\nquestion: q\nanswers: [a, {answer: b, accept: c}]").encode(), "answers[1].accept must be a list of text", (8, 38)),
    Bad("list-entry-null-answer", item("id: a\ntype: list\nquestion: q\nanswers: [a, {answer: null}]").encode(), "answers[1].answer is null", (8, 27)),
    Bad("list-entry-nested-list", item("id: a\ntype: list\nquestion: q\nanswers: [a, [b]]").encode(), "answers[1] must be text, got a list", (8, 18)),
    Bad("list-form-of-two-entries", item("id: a\ntype: list\nquestion: q\nanswers: [oral, {answer: b, accept: [oral]}]").encode(), "'oral' is accepted for both 'oral' and 'b'", (8, 21)),
    # dangerous YAML
    Bad("python-object", b'!!python/object/apply:os.system ["echo pwned"]\n', "'!!python/object/apply:os.system' is not allowed", (1, 1)),
    Bad("python-object-in-item", item(BASIC.replace("That", "!!python/object/new:builtins.dict {}")).encode(), "!!python/object/new:builtins.dict", (8, 13)),
    Bad("custom-tag", item(BASIC.replace("That", "!secret That")).encode(), "YAML tag '!secret' is not allowed", (8, 13)),
    Bad("binary-tag", item(BASIC.replace("That", "!!binary aGVsbG8=")).encode(), "'!!binary' is not allowed", (8, 13)),
    Bad("set-tag", item(BASIC + "\ntags: !!set {a, b}").encode(), "'!!set' is not allowed", (9, 11)),
    Bad("billion-laughs", BILLION_LAUGHS, "aliases (*name) are not allowed", (2, 8)),
    Bad("alias", item(BASIC.replace("That", "&x That") + "\ntags: [*x]").encode(), "aliases", (9, 12)),
    Bad("merge-key", (VALID + "extra: &e {a: 1}\nmore:\n  <<: *e\n").encode(), "merge keys (<<) are not allowed", (11, 3)),
    Bad("merge-key-inline", (VALID + "more:\n  <<: {a: 1}\n").encode(), "merge keys (<<) are not allowed", (10, 3)),
    Bad("deep-flow", b"[" * 100_000, "nesting deeper than 32 levels", (1, 33)),
    Bad("deep-flow-closed", b"[" * 100_000 + b"]" * 100_000 + b"\n", "nesting deeper than 32 levels", (1, 33)),
    Bad("deep-flow-mapping", b"{a: " * 50_000 + b"x" + b"}" * 50_000, "nesting deeper than 32 levels", (1, 126)),
    Bad("deep-block", deep_block(1_000).encode(), "nesting deeper than 32 levels", (32,)),
    Bad("deep-dashes", b"- " * 100_000 + b"x\n", "nesting deeper than 32 levels", (1, 65)),
    # paths that are not deck files
    Bad("missing-path", _missing, "no such file"),
    Bad("directory", _directory, "is a directory"),
    Bad("fifo", _fifo, "not a regular file"),
    Bad("symlink-loop", _symlink_loop, "cannot read"),
]


def _check_problem_text(text: str, case: Bad, shown: str) -> None:
    assert "Traceback" not in text
    lines = [ln for ln in text.splitlines() if ln.strip()]
    assert lines, "no problem reported"
    assert all(ln.startswith(shown + ":") for ln in lines), text
    hits = [ln for ln in lines if case.message in ln]
    assert hits, f"{case.message!r} not in:\n{text}"
    if case.where is not None:
        where = ":".join(str(n) for n in case.where)
        assert any(ln.startswith(f"{shown}:{where}:") for ln in hits), f"expected at {where}:\n{text}"
    else:
        # Unlocated problems (the file as a whole) carry no line number.
        assert any(ln.startswith(f"{shown}: ") for ln in hits), text


@pytest.mark.parametrize("case", BAD, ids=lambda c: c.name)
def test_load_deck_rejects(case: Bad, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = case.make(tmp_path)
    monkeypatch.chdir(tmp_path)
    with pytest.raises(InvalidFile) as err:
        load_deck(path.name)
    assert err.value.problems
    assert all(p.path == path.name for p in err.value.problems)
    _check_problem_text(str(err.value), case, path.name)


@pytest.mark.parametrize("case", BAD, ids=lambda c: c.name)
def test_cli_validate_rejects(case: Bad, tmp_path: Path) -> None:
    path = case.make(tmp_path)
    result = run_quiz("validate", path.name, cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    assert result.stdout == ""
    _check_problem_text(result.stderr, case, path.name)


def test_absolute_path_outside_cwd_is_shown_as_given(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "elsewhere").mkdir()
    monkeypatch.chdir(tmp_path / "elsewhere")
    path = tmp_path / "d.yaml"
    path.write_text("- a\n")
    with pytest.raises(InvalidFile) as err:
        load_deck(path)
    assert str(err.value).startswith(f"{path}:1:1: ")


def test_every_problem_is_reported_not_just_the_first(tmp_path: Path) -> None:
    path = tmp_path / "d.yaml"
    path.write_text(
        HEAD
        + "  - {id: a, type: basic, questoin: q, answer: a}\n"
        + "  - {id: a, type: cloze, text: none}\n"
        + "  - {id: b, type: basix}\n"
    )
    with pytest.raises(InvalidFile) as err:
        load_deck(path)
    got = [(p.line, p.message.split(" (")[0]) for p in err.value.problems]
    assert got == [
        (5, "basic item needs 'question'"),
        (5, "unknown key 'questoin' in a basic item"),
        (6, "duplicate item id 'a'"),
        (6, "cloze text has no deletion like {{c1::answer}}"),
        (7, "unknown item type 'basix'"),
    ]


def test_duplicate_keys_are_reported_with_every_other_problem(tmp_path: Path) -> None:
    path = tmp_path / "d.yaml"
    path.write_text(
        HEAD
        + "  - {id: a, type: basic, question: q, answer: a, answer: again}\n"
        + "  - {id: b, type: cloze, text: none}\n"
        + "  - {id: c, type: basic, question: q, answer: a, question: [x]}\n"  # the first value counts
        + "deck: {id: other, name: Other}\n"
        + "itmes: []\n"
    )
    with pytest.raises(InvalidFile) as err:
        load_deck(path)
    got = [(p.line, p.col, p.message) for p in err.value.problems]
    assert got == [
        (5, 50, "duplicate key 'answer' (first at line 5)"),
        (6, 32, "cloze text has no deletion like {{c1::answer}}"),
        (7, 50, "duplicate key 'question' (first at line 7)"),
        (8, 1, "duplicate key 'deck' (first at line 1)"),
        (9, 1, "unknown key 'itmes' in a deck file (itmes → items?)"),
    ]
    result = run_quiz("validate", "d.yaml", cwd=tmp_path)
    assert result.returncode == 1 and result.stderr.splitlines() == [f"d.yaml:{ln}:{col}: {m}" for ln, col, m in got]


def test_a_hard_refusal_still_stops_reading_and_keeps_the_duplicates_before_it(tmp_path: Path) -> None:
    path = tmp_path / "d.yaml"
    path.write_text(
        HEAD
        + "  - {id: a, id: b, type: basic, question: q, answer: a}\n"
        + "  - {id: c, type: basic, question: !!binary eA==, answer: a}\n"
        + "  - {id: d, id: e\n"
    )
    with pytest.raises(InvalidFile) as err:
        load_deck(path)
    assert [(p.line, p.message.split(" (")[0]) for p in err.value.problems] == [
        (5, "duplicate key 'id'"),
        (6, "YAML tag '!!binary' is not allowed here"),
    ]


def test_problem_flood_is_capped(tmp_path: Path) -> None:
    path = tmp_path / "d.yaml"
    path.write_text(HEAD + "  - ~\n" * 500)
    with pytest.raises(InvalidFile) as err:
        load_deck(path)
    problems = err.value.problems
    assert len(problems) == deck_mod.MAX_PROBLEMS + 1
    assert problems[-1].message.startswith("... and 400 more problems")


def test_too_many_values_are_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(yamlfile, "MAX_NODES", 50)
    path = tmp_path / "d.yaml"
    path.write_text(HEAD + "".join(f"  - {{id: i{n}, type: basic, question: q, answer: a}}\n" for n in range(20)))
    with pytest.raises(InvalidFile, match="more than 50 values in one file"):
        load_deck(path)


def test_unreadable_file(tmp_path: Path) -> None:
    if os.name != "posix" or os.geteuid() == 0:
        pytest.skip("root can read anything")
    path = tmp_path / "d.yaml"
    path.write_text(VALID)
    path.chmod(0)
    with pytest.raises(InvalidFile, match="permission denied"):
        load_deck(path)


def test_nul_in_path_is_an_invalid_file() -> None:
    with pytest.raises(InvalidFile, match="not a valid file name"):
        load_deck("deck\0.yaml")


@pytest.mark.parametrize("field", ["type", "key"])
def test_huge_values_are_cut_short_in_messages(tmp_path: Path, field: str) -> None:
    path = tmp_path / "d.yaml"
    huge = "k" * 100_000
    itype = huge if field == "type" else "basic"
    path.write_text(item(f"id: a\ntype: {itype}\nquestion: q\nanswer: a\n? {huge}\n: x"))  # long keys need "?"
    with pytest.raises(InvalidFile) as err:
        load_deck(path)
    assert len(err.value.problems) == 1  # (an unknown type stops the checks of that item)
    assert all(len(p.message) < 240 for p in err.value.problems), err.value
    assert "kkkk…'" in str(err.value)


def test_messages_stay_on_one_line_whatever_the_key(tmp_path: Path) -> None:
    path = tmp_path / "d.yaml"
    path.write_text(item('id: a\ntype: "basic\\n"\nquestion: q\nanswer: a') + item('id: b\ntype: basic\n"questoin\\n": q\nanswer: a')[len(HEAD):])
    with pytest.raises(InvalidFile) as err:
        load_deck(path)
    assert [p.message for p in err.value.problems] == [
        "unknown item type 'basic\\n'; expected one of: basic, reverse, cloze, choice, typed, list",
        "basic item needs 'question'",
        "unknown key 'questoin\\n' in a basic item (expected one of: accept, answer, answer_images, extra, fact, guid, id, images, question, source, tags, type)",
    ]


def test_images_and_extra_are_read_and_image_paths_stay_inside(tmp_path: Path) -> None:
    path = tmp_path / "d.yaml"
    path.write_text(item(BASIC + "\nextra: more\nimages: [d.media/a.png]\nanswer_images: [d.media/b.png]"))
    it = load_deck(path).items[0]
    assert (it.extra, it.images, it.answer_images) == ("more", ("d.media/a.png",), ("d.media/b.png",))
    assert (it.prompt_images, it.answer_side_images) == (("d.media/a.png",), ("d.media/b.png",))
    for bad in ("../x.png", "/etc/x.png", "a/../../x.png", "a\\\\b.png"):
        path.write_text(item(BASIC + f"\nimages: ['{bad}']"))
        with pytest.raises(InvalidFile) as err:
            load_deck(path)
        assert "must be a relative path inside the deck's folder" in str(err.value), bad


def test_the_readme_example_deck_is_a_valid_deck(tmp_path: Path) -> None:
    # a newcomer copies it: every item type the README shows must load as written
    import re

    from quiz.decks.loader import load_deck

    readme = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    block = re.search(r"```yaml\n(deck:.*?)```", readme, re.S)
    assert block is not None
    path = tmp_path / "example.yaml"
    path.write_text(block.group(1), encoding="utf-8")
    deck = load_deck(path)
    assert {i.type for i in deck.items} >= {"typed", "cloze", "reverse", "choice", "list"}
    reverse = next(i for i in deck.items if i.type == "reverse")
    assert len(reverse.question.split()) < len(reverse.answer.split())  # the term is the question
