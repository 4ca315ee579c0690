"""The facts loader: the shipped file loads; every kind of mistake is reported with its place."""

from __future__ import annotations

from pathlib import Path

import pytest

from quiz.cli import main
from quiz.errors import InvalidFile
from quiz.authoring.facts import load_topic

REPO = Path(__file__).resolve().parent.parent
FACTS = REPO / "data" / "calcineurin-inhibitors.facts.yaml"

HEAD = """\
topic:
  id: demo
  name: Demo
  source: {title: A demo article}
sections:
  intro: Introduction
  more: More
facts:
"""


def write(tmp_path: Path, facts: str, head: str = HEAD) -> Path:
    p = tmp_path / "demo.facts.yaml"
    p.write_text(head + facts, encoding="utf-8")
    return p


def problems(path: Path) -> list[str]:
    with pytest.raises(InvalidFile) as e:
        load_topic(path)
    return [str(p) for p in e.value.problems]


GOOD_FACT = """\
  - id: a
    subject: water
    relation: is-a
    object: liquid
    section: intro
"""


def test_shipped_facts_load() -> None:
    topic = load_topic(FACTS)
    assert topic.id == "calcineurin-inhibitors"
    assert "overview" in topic.sections and topic.sections["faq"] == "Frequently asked questions"
    assert len(topic.facts) >= 40
    assert all(f.section in topic.sections for f in topic.facts)
    vocl = topic.fact("voclosporin-approval")
    assert vocl.qualifiers == {"regulator": "FDA", "year": "2021", "population": "adults"}
    systemic = topic.fact("systemic-side-effects")
    assert systemic.is_list and len(systemic.objects) == 11
    assert len(topic.fact("topical-other-side-effects").objects) == 7


def test_minimal_topic_loads(tmp_path: Path) -> None:
    topic = load_topic(write(tmp_path, GOOD_FACT))
    (fact,) = topic.facts
    assert (fact.subject, fact.relation, fact.objects, fact.is_list) == ("water", "is-a", ("liquid",), False)
    assert fact.line == 9


def test_unknown_fact_key_suggests_the_close_one(tmp_path: Path) -> None:
    p = write(tmp_path, GOOD_FACT.replace("subject:", "subjcet:"))
    out = problems(p)
    assert any("demo.facts.yaml:10:5: unknown key 'subjcet' in a fact (subjcet → subject?)" in line for line in out)
    assert any("needs 'subject'" in line for line in out)


def test_unknown_section_is_an_error_with_suggestion(tmp_path: Path) -> None:
    out = problems(write(tmp_path, GOOD_FACT.replace("section: intro", "section: intr")))
    assert out == [f"{tmp_path / 'demo.facts.yaml'}:13:14: unknown section 'intr' (intr → intro?)"] or any(
        line.endswith(":13:14: unknown section 'intr' (intr → intro?)") for line in out
    )


def test_unknown_section_in_also(tmp_path: Path) -> None:
    out = problems(write(tmp_path, GOOD_FACT + "    also: [more, nowhere]\n"))
    assert len(out) == 1 and "unknown section 'nowhere'" in out[0]


def test_duplicate_fact_ids(tmp_path: Path) -> None:
    out = problems(write(tmp_path, GOOD_FACT + GOOD_FACT))
    assert len(out) == 1
    assert out[0].endswith(":14:5: duplicate fact id 'a' (first at line 9)")


def test_unknown_relation_suggests(tmp_path: Path) -> None:
    out = problems(write(tmp_path, GOOD_FACT.replace("relation: is-a", "relation: is-an")))
    assert any("unknown relation 'is-an' (is-an → is-a?)" in line for line in out)


def test_unknown_qualifier_and_hint(tmp_path: Path) -> None:
    extra = "    qualifiers: {yeer: '2020'}\n    hints: {acept: [x]}\n"
    out = problems(write(tmp_path, GOOD_FACT + extra))
    assert any("unknown key 'yeer' in 'qualifiers' (yeer → year?)" in line for line in out)
    assert any("unknown key 'acept' in 'hints' (acept → accept?)" in line for line in out)


def test_wrong_value_types(tmp_path: Path) -> None:
    bad = GOOD_FACT.replace("object: liquid", "object: {a: b}").replace("subject: water", "subject: [w]")
    out = problems(write(tmp_path, bad))
    assert any("object must be text, got a mapping" in line for line in out)
    assert any("subject must be text, got a list" in line for line in out)


def test_empty_object_list_and_bad_id(tmp_path: Path) -> None:
    bad = GOOD_FACT.replace("object: liquid", "object: []").replace("id: a", "id: Not An Id")
    out = problems(write(tmp_path, bad))
    assert any("object is an empty list" in line for line in out)
    assert any("fact id 'Not An Id' may hold only" in line for line in out)


def test_distractors_from_must_name_a_fact(tmp_path: Path) -> None:
    out = problems(write(tmp_path, GOOD_FACT + "    hints: {distractors_from: [b]}\n"))
    assert len(out) == 1 and "distractors_from names unknown fact 'b'" in out[0]


def test_templates_hint_must_name_templates_of_the_relation(tmp_path: Path) -> None:
    out = problems(write(tmp_path, GOOD_FACT + "    hints: {templates: [cloze, type-typd]}\n"))
    # Line 14, column 12: the hints mapping of the fact (the head takes 8 lines).
    assert len(out) == 1
    assert out[0].endswith("demo.facts.yaml:14:12: hint templates: relation 'is-a' has no template 'type-typd' (type-typd → type-typed?)")
    assert load_topic(write(tmp_path, GOOD_FACT + "    hints: {templates: [cloze]}\n")).facts[0].hint_list("templates") == ("cloze",)


LIST_FACT = """\
  - id: routes
    subject: a drug
    relation: route
    object: [oral, intravenous]
    section: intro
"""


def test_entry_accept_gives_list_entries_their_own_forms(tmp_path: Path) -> None:
    from quiz.authoring.generate import build_deck

    fact = load_topic(write(tmp_path, LIST_FACT + "    hints: {entry_accept: {oral: [per os]}}\n")).facts[0]
    assert fact.entry_accept == {"oral": ("per os",)}
    item = build_deck(load_topic(write(tmp_path, LIST_FACT + "    hints: {entry_accept: {oral: [per os]}}\n"))).item("routes.list")
    # The fact's forms, then the route template's own ("IV" for intravenous), never the entry itself.
    assert [e.accept for e in item.entries][0] == ("orally", "by mouth", "per os")
    assert "IV" in item.entries[1].accept and "intravenous" not in item.entries[1].accept


def test_entry_accept_keys_must_be_entries_of_the_list(tmp_path: Path) -> None:
    out = problems(write(tmp_path, LIST_FACT + "    hints: {entry_accept: {orl: [by mouth]}}\n"))
    assert len(out) == 1 and "hint entry_accept: 'orl' is not an entry of the object list (orl → oral?)" in out[0]
    out = problems(write(tmp_path, LIST_FACT + "    hints: {entry_accept: [oral]}\n"))
    assert len(out) == 1 and "hint entry_accept must be a mapping" in out[0]


def test_missing_sections_and_topic_keys(tmp_path: Path) -> None:
    p = tmp_path / "x.facts.yaml"
    p.write_text("topic: {id: x}\nfacts: []\n", encoding="utf-8")
    out = problems(p)
    assert any("'topic' needs 'name'" in line for line in out)
    assert any("no 'sections:' section" in line for line in out)


@pytest.mark.parametrize(
    "content, message",
    [
        ("", "file is empty"),
        ("topic: [\n", "YAML syntax error"),
        ("- just\n- a list\n", "a facts file must be a mapping"),
        ("a: &x 1\nb: *x\n", "aliases"),
        ("topic: !!python/object:os.system {}\n", "not allowed"),
    ],
)
def test_broken_files(tmp_path: Path, content: str, message: str) -> None:
    p = tmp_path / "broken.facts.yaml"
    p.write_text(content, encoding="utf-8")
    out = problems(p)
    assert any(message in line for line in out), out
    assert all("broken.facts.yaml" in line for line in out)


def test_build_reports_each_problem_on_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    bad = GOOD_FACT.replace("section: intro", "section: nope") + GOOD_FACT.replace("relation: is-a", "relation: eats")
    write(tmp_path, bad)
    assert main(["build", "demo.facts.yaml"]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 3  # unknown section, unknown relation, duplicate id
    assert all(line.startswith("demo.facts.yaml:") for line in err)
    assert "Traceback" not in "".join(err)
    assert not (tmp_path / "decks").exists()


def test_build_missing_facts_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["build", "nope.facts.yaml"]) == 1
    assert capsys.readouterr().err.strip() == "nope.facts.yaml: no such file"


def test_hint_cloze_needs_a_deletion(tmp_path: Path) -> None:
    out = problems(write(tmp_path, GOOD_FACT + "    hints: {cloze: Water is wet.}\n"))
    assert len(out) == 1 and out[0].endswith("hint cloze has no deletion like {{c1::answer}}")


def test_fact_that_makes_no_item_is_an_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    silent = GOOD_FACT.replace("id: a", "id: b").replace("relation: is-a", "relation: statement")
    write(tmp_path, GOOD_FACT + silent)
    assert main(["build", "demo.facts.yaml"]) == 1
    assert capsys.readouterr().err.strip() == (
        "demo.facts.yaml:14: fact 'b' makes no items: add hints (question/answer or cloze) or 'skip: reason'"
    )
    (tmp_path / "demo.facts.yaml").write_text(HEAD + GOOD_FACT + silent + "    skip: nothing to ask\n", encoding="utf-8")
    assert main(["build", "demo.facts.yaml"]) == 0
    assert (tmp_path / "decks" / "demo.yaml").is_file()


# --- random input never escapes as anything but InvalidFile -------------------------------

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.text(max_size=12))
_keys = st.sampled_from(["topic", "sections", "facts", "id", "name", "source", "title", "subject", "relation",
                         "object", "section", "qualifiers", "hints", "also", "skip", "year", "cloze", "accept",
                         "distractors_from", "intro", "x"])
_trees = st.recursive(_scalars, lambda kids: st.one_of(st.lists(kids, max_size=4), st.dictionaries(_keys, kids, max_size=5)), max_leaves=25)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(tree=_trees)
def test_random_yaml_is_loaded_or_rejected(tmp_path: Path, tree: object) -> None:
    import yaml

    p = tmp_path / "fuzz.facts.yaml"
    p.write_text(yaml.safe_dump(tree, allow_unicode=True), encoding="utf-8")
    try:
        load_topic(p)
    except InvalidFile as e:
        assert e.problems and all(str(pr).startswith("fuzz.facts.yaml") or "fuzz.facts.yaml" in str(pr) for pr in e.problems)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(cut=st.integers(min_value=0, max_value=10_000), drop=st.integers(min_value=1, max_value=5))
def test_damaged_shipped_file_is_loaded_or_rejected(tmp_path: Path, cut: int, drop: int) -> None:
    from quiz.authoring.generate import build_deck

    lines = FACTS.read_text(encoding="utf-8").splitlines(keepends=True)
    start = cut % len(lines)
    p = tmp_path / "damaged.facts.yaml"
    p.write_text("".join(lines[:start] + lines[start + drop :]), encoding="utf-8")
    try:
        build_deck(load_topic(p))
    except InvalidFile:
        pass
