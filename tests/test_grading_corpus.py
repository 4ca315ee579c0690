"""The checker against tests/grading_corpus.yaml: each (expected, given, verdict) case alone, and
the whole corpus as one `quiz exam --plain --json` sitting whose correct/credit must agree."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from quiz.cli import main
from quiz.decks.loader import load_deck
from quiz.decks.model import Deck
from quiz.exam.sitting import draw
from quiz.study.grading import TermIndex, check_list, check_typed

CORPUS = yaml.safe_load((Path(__file__).parent / "grading_corpus.yaml").read_text(encoding="utf-8"))
KINDS = ("typed", "cloze", "list")
CASES: list[tuple[str, dict[str, Any]]] = [(f"{kind}-{i}", case) for kind in KINDS
                                            for i, case in enumerate(CORPUS[kind])]
VERDICTS = {"right": ("right", "another spelling"), "accepted": ("an accepted form",), "spelling": ("another spelling",),
            "typo": ("a typo",)}


def corpus_deck_data() -> dict[str, Any]:
    items: list[dict[str, Any]] = []
    for case_id, case in CASES:
        kind = case_id.split("-")[0]
        if kind == "typed":
            items.append({"id": case_id, "type": "typed", "question": f"Question {case_id}?",
                          "answer": case["expected"], **({"accept": case["accept"]} if "accept" in case else {})})
        elif kind == "cloze":
            items.append({"id": case_id, "type": "cloze", "text": case["text"]})
        else:
            items.append({"id": case_id, "type": "list", "question": f"Name them ({case_id}).",
                          "answers": case["answers"]})
    terms = CORPUS["terms"]
    items.append({"id": "terms", "type": "choice", "question": "Which?", "answer": terms[0], "distractors": terms[1:]})
    return {"deck": {"id": "corpus", "name": "Grading corpus"}, "items": items}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Deck, TermIndex]:
    path = tmp_path_factory.mktemp("corpus") / "corpus.yaml"
    path.write_text(yaml.safe_dump(corpus_deck_data(), sort_keys=False, allow_unicode=True), encoding="utf-8")
    deck = load_deck(path)
    return path, deck, TermIndex.from_decks([deck])


def test_the_corpus_is_big_enough_and_covers_every_kind() -> None:
    assert len(CASES) >= 80
    for kind in KINDS:
        assert sum(1 for cid, _ in CASES if cid.startswith(kind)) >= 10, kind
    assert {c["verdict"] for cid, c in CASES if not cid.startswith("list")} == {*VERDICTS, "wrong"}


@pytest.mark.parametrize(("case_id", "case"), CASES, ids=[cid for cid, _ in CASES])
def test_case(corpus: tuple[Path, Deck, TermIndex], case_id: str, case: dict[str, Any]) -> None:
    _, deck, terms = corpus
    item = deck.item(case_id)
    if item.type == "list":
        lv = check_list(item, case["given"], terms)
        assert lv.credit == pytest.approx(case["credit"], abs=1e-4), lv
        for key in ("missed", "extra", "duplicates"):
            if key in case:
                assert list(getattr(lv, key)) == case[key], key
        assert lv.correct == (case["credit"] == 1)
        return
    v = check_typed(item, case["given"], terms)
    why = case.get("why")
    if case["verdict"] == "wrong":
        assert not v.correct, v.why
    else:
        assert v.correct and v.exact == (case["verdict"] != "typo"), v.why
        assert v.reason.value in VERDICTS[case["verdict"]], v.why
    if why:
        assert v.why.startswith(why), v.why


def test_plain_exam_json_agrees_with_the_corpus(corpus: tuple[Path, Deck, TermIndex], quiz_home: Path,
                                                 monkeypatch: pytest.MonkeyPatch,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    path, deck, terms = corpus
    args = ["--seed", "7", "-n", str(len(CASES)), "--types", "typed,cloze,list"]
    exam = draw([deck], n=len(CASES), types=("typed", "cloze", "list"), seed=7)
    by_id = dict(CASES)
    lines: list[str] = []
    for q in exam.questions:
        given = by_id[q.id]["given"]
        lines += [*given, ""] if q.type == "list" else [given]
    monkeypatch.setattr(sys, "stdin", io.StringIO("\n".join(lines) + "\n"))
    assert main(["exam", str(path), "--plain", "--json", *args]) == 0
    result = json.loads(capsys.readouterr().out)
    assert [q["id"] for q in result["questions"]] == [q.id for q in exam.questions]
    asked = {q.id: q.item for q in exam.questions}
    for q in result["questions"]:
        case = by_id[q["id"]]
        card = asked[q["id"]]
        if card != deck.item(q["id"]):
            # A cloze with c1, c2... is asked as one of its cards (the other gaps shown filled),
            # as in study: the checker's verdict on that card is what the exam must report.
            want_correct = check_typed(card, case["given"], terms).correct
            assert (q["correct"], q["credit"]) == (want_correct, 1.0 if want_correct else 0.0), (q, case)
            continue
        if q["type"] == "list":
            want_credit = case["credit"]
            want_correct = want_credit == 1
        else:
            want_correct = case["verdict"] != "wrong"
            want_credit = 1.0 if want_correct else 0.0
        assert (q["correct"], q["credit"]) == (want_correct, pytest.approx(want_credit, abs=1e-4)), (q, case)
    assert result["correct"] == sum(q["correct"] for q in result["questions"])


def test_the_built_in_decks_grade_their_own_answers_right() -> None:
    """With every built-in term known, each answer, accepted form and full list still counts."""
    from quiz.decks.deck_names import load_decks

    decks = load_decks([])
    terms = TermIndex.from_decks(decks)
    checked = 0
    for item in (it for d in decks for it in d.items):
        if item.type == "list":
            lists = [list(item.answers), [e.forms[-1] for e in item.entries]]
            assert all(check_list(item, given, terms).correct for given in lists), item.id
        elif item.type in ("typed", "basic"):
            for form in (item.answer, *item.accept):
                assert check_typed(item, form, terms).correct, (item.id, form)
        elif item.type in ("reverse", "cloze"):
            assert check_typed(item, item.question if item.type == "reverse" else item.expected, terms).exact
        checked += 1
    assert checked >= 20
