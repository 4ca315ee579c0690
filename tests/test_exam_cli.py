"""`quiz exam`: plain mode through pipes, JSON, history, --record, bad input, schedule untouched."""

from __future__ import annotations

import io
import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from test_study_support import study_session
from quiz.cli import main
from quiz.exam.sitting import Exam, draw
from quiz.decks.deck_names import load_decks
from quiz.paths import store_path

REPO = Path(__file__).resolve().parent.parent
REAL_DECK = REPO / "decks" / "calcineurin-inhibitors.yaml"

def _item(id_: str, type_: str, tags: list[str], fact: str, source: str, **fields: object) -> dict:
    return {"id": id_, "type": type_, **fields, "tags": tags, "fact": fact, "source": source}


DECK_DATA = {
    "deck": {"id": "mini", "name": "Mini deck"},
    "items": [
        _item("tac-basic", "basic", ["tacrolimus"], "tac-name", "Tacrolimus",
              question="Which drug is also called FK506?", answer="Tacrolimus"),
        _item("tac-reverse", "reverse", ["tacrolimus"], "tac-name", "Tacrolimus",
              question="Tacrolimus", answer="the drug also called FK506"),
        _item("tac-strength", "typed", ["tacrolimus", "dosing"], "tac-dose", "Tacrolimus",
              question="Adult strength of tacrolimus ointment?", answer="0.1%", accept=["0.1 percent"]),
        _item("kid-strength", "typed", ["tacrolimus", "dosing"], "tac-kid-dose", "Tacrolimus",
              question="Child strength of tacrolimus ointment?", answer="0.03%"),
        _item("voc-year", "choice", ["voclosporin"], "voc-year", "Voclosporin",
              question="Year voclosporin was approved for lupus nephritis?", answer="2021",
              distractors=["2015", "2018", "2023"]),
        _item("voc-route", "choice", ["voclosporin"], "voc-route", "Voclosporin",
              question="How is voclosporin taken?", answer="By mouth", distractors=["On the skin", "Into a vein"]),
        _item("mech", "cloze", ["mechanism"], "mech", "Mechanism",
              text="These drugs block the protein {{c1::calcineurin}}."),
        _item("cells", "cloze", ["mechanism"], "cells", "Mechanism", text="Calcineurin helps switch on {{c1::T cells}}."),
        _item("tx", "list", ["tacrolimus", "transplant"], "tac-tx", "Tacrolimus",
              question="Transplants tacrolimus helps protect?", answers=["kidney", "liver", "heart"]),
        _item("topical", "list", ["topical"], "topical", "Overview",
              question="Topical calcineurin inhibitors?", answers=["pimecrolimus", "tacrolimus"]),
        _item("pime-age", "typed", ["pimecrolimus"], "pime-age", "Pimecrolimus",
              question="Minimum age in years for pimecrolimus in the US?", answer="2"),
        _item("cyc-eye", "basic", ["cyclosporine"], "cyc-eye", "Cyclosporine",
              question="Which drug comes as eye drops for dry eyes?", answer="Cyclosporine", accept=["ciclosporin"]),
    ],
}


@pytest.fixture
def deck(tmp_path: Path) -> Path:
    p = tmp_path / "mini.yaml"
    p.write_text(yaml.safe_dump(DECK_DATA, sort_keys=False), encoding="utf-8")
    return p


def answer_lines(exam: Exam, wrong: set[int] = frozenset()) -> list[str]:  # type: ignore[assignment]
    """What a student who knows everything (except the questions in ``wrong``) would type."""
    lines: list[str] = []
    for i, q in enumerate(exam.questions):
        if q.type == "choice":
            right = "ABCDEFGH"[q.options.index(q.item.answer)]
            lines.append(next(o for o in "ABCDEFGH"[: len(q.options)] if o != right) if i in wrong else right.lower())
        elif q.type == "list":
            lines += [*(q.item.answers[:1] if i in wrong else q.item.answers), ""]
        elif q.type in ("basic", "reverse"):  # answered, then marked against the answer shown
            lines += ["no idea", "n"] if i in wrong else [q.expected.upper(), "y"]
        else:
            lines.append("no idea" if i in wrong else q.expected.upper())
    return lines


def run_main(args: list[str], stdin: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]):
    monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    code = main(args)
    out, err = capsys.readouterr()
    return code, out, err


def dump(table: str) -> list[str]:
    """The table as SQL statements (sqlite3's own dump): equal dumps mean equal bytes of data."""
    con = sqlite3.connect(store_path())
    try:
        return [line for line in con.iterdump() if line.startswith(f'INSERT INTO "{table}"')]
    finally:
        con.close()


# --- plain mode ------------------------------------------------------------------------------


def test_plain_json_through_a_pipe_subprocess(deck: Path, quiz_home: Path) -> None:
    exam = draw(load_decks([str(deck)]), n=10, seed=1)
    wrong = {0, 3}
    stdin = "\n".join(answer_lines(exam, wrong)) + "\n"
    env = {**os.environ, "QUIZ_HOME": str(quiz_home)}
    p = subprocess.run([sys.executable, "-m", "quiz", "exam", str(deck), "--plain", "-n", "10", "--seed", "1", "--json"],
                       input=stdin, capture_output=True, text=True, env=env, timeout=60)
    assert p.returncode == 0, p.stderr
    result = json.loads(p.stdout)  # stdout is the JSON object alone
    assert (result["correct"], result["total"], result["unanswered"]) == (8, 10, 0)
    assert [q["id"] for q in result["questions"]] == [q.id for q in exam.questions]
    assert [q["correct"] for q in result["questions"]] == [i not in wrong for i in range(10)]
    partial = 1 / len(exam.questions[3].item.answers) if exam.questions[3].type == "list" else 0
    assert result["percent"] == round(100 * (8 + partial) / 10, 1)
    for q in result["questions"]:
        assert set(q) >= {"id", "type", "given", "expected", "correct"}
    assert "Question 1 of 10" in p.stderr and "Score: 8/10" in p.stderr  # the questions went to stderr


@pytest.mark.skipif(not REAL_DECK.exists(), reason="the built-in deck is not there yet")
def test_plain_json_on_the_real_deck(quiz_home: Path) -> None:
    exam = draw(load_decks([str(REAL_DECK)]), n=10, seed=1)
    env = {**os.environ, "QUIZ_HOME": str(quiz_home)}
    p = subprocess.run([sys.executable, "-m", "quiz", "exam", str(REAL_DECK), "--plain", "-n", "10", "--seed", "1", "--json"],
                       input="\n".join(answer_lines(exam)) + "\n", capture_output=True, text=True, env=env, timeout=60)
    assert p.returncode == 0, p.stderr
    result = json.loads(p.stdout)
    assert result["total"] == len(exam.questions) and result["correct"] == result["total"]
    assert result["percent"] == 100.0


def test_plain_without_json_prints_questions_and_score_on_stdout(deck: Path, monkeypatch, capsys) -> None:
    exam = draw(load_decks([str(deck)]), n=4, seed=2)
    code, out, err = run_main(["exam", str(deck), "--plain", "-n", "4", "--seed", "2"],
                              "\n".join(answer_lines(exam)) + "\n", monkeypatch, capsys)
    assert code == 0 and err == ""
    assert "Question 4 of 4" in out and "Score: 4/4 right, 100.0%" in out
    for q in exam.questions:
        assert q.prompt in out
    assert "Missed" not in out


def test_end_of_input_ends_the_exam_with_what_was_answered(deck: Path, monkeypatch, capsys) -> None:
    exam = draw(load_decks([str(deck)]), n=6, seed=3)
    lines = []  # right answers to the first three questions only, then end of input
    for q in exam.questions[:3]:
        lines += answer_lines(Exam([q], 0, ["mini"]))
    code, out, err = run_main(["exam", str(deck), "--plain", "-n", "6", "--seed", "3", "--json"],
                              "\n".join(lines) + "\n", monkeypatch, capsys)
    assert code == 0
    r = json.loads(out)
    assert (r["correct"], r["total"], r["asked"], r["unanswered"]) == (3, 3, 6, 3)
    assert "Exam ended early" in err
    assert "3 of 6 answered" in err  # the summary says the score is out of the answered ones


def test_summary_and_history_say_how_many_were_answered(deck: Path, monkeypatch, capsys) -> None:
    exam = draw(load_decks([str(deck)]), n=5, types=["typed", "choice", "cloze"], seed=5)
    lines = answer_lines(Exam(exam.questions[:3], 0, ["mini"]), wrong={0})
    code, out, _ = run_main(["exam", str(deck), "--plain", "-n", "5", "--types", "typed,choice,cloze", "--seed", "5"],
                            "\n".join(lines) + "\n", monkeypatch, capsys)
    assert code == 0
    assert "Score: 2/3 right, 66.7%" in out and "3 of 5 answered" in out
    code, out, _ = run_main(["exam", "--history"], "", monkeypatch, capsys)
    assert "2/3" in out and "(3 of 5 answered)" in out
    code, out, _ = run_main(["exam", "--history", "--json"], "", monkeypatch, capsys)
    detail = json.loads(out)[0]["detail"]
    assert (detail["total"], detail["asked"], detail["unanswered"]) == (3, 5, 2)


def test_list_cut_off_by_end_of_input_counts_the_lines_given(deck: Path, monkeypatch, capsys) -> None:
    exam = draw(load_decks([str(deck)]), n=1, types=["list"], seed=6)
    q = exam.questions[0]
    # two entries, then input ends without the closing empty line
    code, out, _ = run_main(["exam", str(deck), "--plain", "--json", "-n", "1", "--types", "list", "--seed", "6"],
                            "\n".join(q.item.answers[:2]), monkeypatch, capsys)
    r = json.loads(out)
    assert code == 0 and (r["total"], r["unanswered"]) == (1, 0)
    assert r["questions"][0]["given"] == "; ".join(q.item.answers[:2])
    assert r["points"] == round(2 / len(q.item.answers), 4)


def test_plain_basic_shows_the_answer_and_asks_right_or_wrong(deck: Path, monkeypatch, capsys) -> None:
    exam = draw(load_decks([str(deck)]), n=12, types=["basic"], seed=4)
    assert [q.type for q in exam.questions] == ["basic", "basic"]
    # first: typed right, but the student says it was a guess (n); second: a wrong wording the
    # student knows means the same (y, after one reply that is neither)
    stdin = f"{exam.questions[0].expected}\nn\nsomething else\nmaybe\ny\n"
    code, out, err = run_main(["exam", str(deck), "--plain", "--types", "basic", "--seed", "4", "--json"],
                              stdin, monkeypatch, capsys)
    r = json.loads(out)
    assert (r["correct"], r["total"]) == (1, 2)
    assert [q["graded_by"] for q in r["questions"]] == ["self", "self"]
    assert [q["correct"] for q in r["questions"]] == [False, True]
    assert [q["given"] for q in r["questions"]] == [exam.questions[0].expected, "something else"]
    for q in exam.questions:
        assert f"Answer: {q.expected}\nright? [y/n] " in err
    assert "Please answer y or n." in err


def test_feedback_names_the_picked_choice_and_the_right_one(deck: Path, monkeypatch, capsys) -> None:
    exam = draw(load_decks([str(deck)]), n=1, types=["choice"], seed=3)
    q = exam.questions[0]
    right = q.options.index(q.item.answer)
    wrong = next(i for i in range(len(q.options)) if i != right)
    code, out, err = run_main(["exam", str(deck), "--plain", "-n", "1", "--types", "choice", "--seed", "3",
                               "--feedback", "--json"], "ABCDEFGH"[wrong].lower() + "\n", monkeypatch, capsys)
    assert code == 0 and json.loads(out)["correct"] == 0
    assert (f"Wrong. You picked {'ABCDEFGH'[wrong]}) {q.options[wrong]}. "
            f"Answer: {'ABCDEFGH'[right]}) {q.item.answer}") in err
    code, out, err = run_main(["exam", str(deck), "--plain", "-n", "1", "--types", "choice", "--seed", "3",
                               "--feedback", "--json"], "ABCDEFGH"[right] + "\n", monkeypatch, capsys)
    assert f"Right. Answer: {'ABCDEFGH'[right]}) {q.item.answer}" in err and "You picked" not in err


def test_without_feedback_no_answer_is_shown_before_the_end(deck: Path, monkeypatch, capsys) -> None:
    exam = draw(load_decks([str(deck)]), n=3, types=["typed"], seed=5)
    code, out, _ = run_main(["exam", str(deck), "--plain", "--types", "typed", "--seed", "5"], "x\ny\nz\n",
                            monkeypatch, capsys)
    before_score = out.split("Score:")[0]
    assert "answer" not in before_score.lower()
    for q in exam.questions:
        if len(q.expected) > 2:  # "2" is in "Question 2 of 3"
            assert q.expected not in before_score
        assert f"right answer: {q.expected}" in out


# --- the schedule is never touched -----------------------------------------------------------


def seed_store(deck: Path) -> None:
    """A store with some review history, as a student who has studied would have."""
    from quiz.storage.store import Store
    from quiz.study.session import StudySession

    store = Store.open()
    try:
        session = study_session(store, load_decks([str(deck)]))
        for rating in (3, 1, 3, 4):
            card = session.next_card()
            assert card is not None
            session.grade(card, rating)
    finally:
        store.close()


def test_exam_leaves_cards_and_revlog_byte_for_byte(deck: Path, monkeypatch, capsys) -> None:
    seed_store(deck)
    cards, revlog = dump("cards"), dump("revlog")
    assert len(revlog) == 4
    exam = draw(load_decks([str(deck)]), n=8, seed=6)
    code, out, _ = run_main(["exam", str(deck), "--plain", "-n", "8", "--seed", "6", "--json"],
                            "\n".join(answer_lines(exam, {1, 2})) + "\n", monkeypatch, capsys)
    assert code == 0 and json.loads(out)["total"] == 8
    assert dump("cards") == cards
    assert dump("revlog") == revlog
    assert len(dump("exams")) == 1


def test_record_counts_answers_as_reviews(deck: Path, monkeypatch, capsys) -> None:
    seed_store(deck)
    before = dump("revlog")
    exam = draw(load_decks([str(deck)]), n=5, seed=7)
    code, out, _ = run_main(["exam", str(deck), "--plain", "-n", "5", "--seed", "7", "--json", "--record"],
                            "\n".join(answer_lines(exam, {0})) + "\n", monkeypatch, capsys)
    assert code == 0 and json.loads(out)["recorded"] is True
    after = dump("revlog")
    assert after[: len(before)] == before
    assert len(after) == len(before) + 5
    con = sqlite3.connect(store_path())
    ratings = [r for (r,) in con.execute("SELECT rating FROM revlog ORDER BY id")][len(before):]
    con.close()
    assert ratings[0] == 1 and all(r in (2, 3) for r in ratings[1:])


# --- history ---------------------------------------------------------------------------------


def test_history_lists_past_scores(deck: Path, monkeypatch, capsys) -> None:
    code, out, _ = run_main(["exam", "--history"], "", monkeypatch, capsys)
    assert code == 0 and "No exams taken yet." in out
    for seed, wrong in ((1, set()), (2, {0})):
        exam = draw(load_decks([str(deck)]), n=3, seed=seed)
        run_main(["exam", str(deck), "--plain", "-n", "3", "--seed", str(seed)],
                 "\n".join(answer_lines(exam, wrong)) + "\n", monkeypatch, capsys)
    code, out, _ = run_main(["exam", "--history"], "", monkeypatch, capsys)
    lines = out.strip().splitlines()
    assert len(lines) == 2
    assert "2/3" in lines[0] and "3/3" in lines[1]  # newest first
    code, out, _ = run_main(["exam", "--history", "--json"], "", monkeypatch, capsys)
    rows = json.loads(out)
    assert [(r["correct"], r["total"]) for r in rows] == [(2, 3), (3, 3)]
    assert rows[0]["decks"] == ["mini"]


def test_nothing_answered_is_not_recorded(deck: Path, monkeypatch, capsys) -> None:
    code, out, _ = run_main(["exam", str(deck), "--plain", "--json"], "", monkeypatch, capsys)
    assert code == 0 and json.loads(out)["total"] == 0
    assert dump("exams") == []


# --- bad input -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "args, message",
    [
        (["no-such-deck"], "unknown deck 'no-such-deck'"),
        (["missing.yaml"], "unknown deck 'missing.yaml'"),
        (["{deck}", "--tags", "side-effects"], "no item has the tag 'side-effects'"),
        (["{deck}", "--tags", "mechanism", "--types", "choice"], "no items to ask"),
        (["{deck}", "-n", "0"], "at least 1"),
        (["{deck}", "-n", "-2"], "at least 1"),
        (["{deck}", "--types", "choise"], "unknown item type 'choise'"),
        (["{deck}", "--types", "choice,,typed"], "--types"),
        (["--tags", "{deck}"], "looks like a deck file, not a tag"),
        (["{deck}", "-n", "ten"], "invalid int value"),
        (["{deck}", "--seed", "x"], "invalid int value"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(deck: Path, args: list[str], message: str, capsys) -> None:
    argv = ["exam", *(a.format(deck=deck) for a in args), "--plain"]
    try:
        code = main(argv)
    except SystemExit as e:  # argparse rejects bad ints itself
        code = e.code
    out, err = capsys.readouterr()
    assert code == 2
    assert message in err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err
    assert out == ""
    assert not store_path().exists() or dump("exams") == []


def test_help_explains_basic_items_in_plain_mode(capsys) -> None:
    with pytest.raises(SystemExit):
        main(["exam", "--help"])
    out = " ".join(capsys.readouterr().out.split())
    assert 'marked right or wrong by you against the answer shown (with --plain: an answer line, then "right? [y/n]")' in out
    assert "--record" in out and "--history" in out


def test_domain_modules_do_not_import_textual() -> None:
    code = ("import sys, quiz.study.grading, quiz.exam.sitting, quiz.exam.plain, quiz.commands.exam, quiz.cli; "
            "quiz.cli.build_parser(); print('textual' in sys.modules)")
    p = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert p.returncode == 0, p.stderr
    assert p.stdout.strip() == "False"


def test_tags_may_be_comma_separated(deck: Path, monkeypatch, capsys) -> None:
    code, out, _ = run_main(["exam", str(deck), "--plain", "--json", "--tags", "voclosporin,mechanism", "--seed", "1"],
                            "", monkeypatch, capsys)
    r = json.loads(out)
    assert code == 0 and r["asked"] == 4 and r["filters"]["tags"] == ["voclosporin", "mechanism"]


@pytest.mark.parametrize("tag_args", [
    ["--tags", "voclosporin", "--tags", "mechanism"],
    ["--tags", "voclosporin,mechanism"],
])
def test_decks_may_follow_tags(deck: Path, tag_args: list[str], monkeypatch, capsys) -> None:
    # --tags takes one value per flag, so the deck after it is a deck, not a tag.
    code, out, err = run_main(["exam", *tag_args, str(deck), "--plain", "--json", "--seed", "1"],
                              "", monkeypatch, capsys)
    assert code == 0, err
    r = json.loads(out)
    assert r["asked"] == 4 and r["decks"] == ["mini"] and r["filters"]["tags"] == ["voclosporin", "mechanism"]


def test_piped_answers_without_plain_run_line_by_line(deck: Path, monkeypatch, capsys) -> None:
    exam = draw(load_decks([str(deck)]), n=3, seed=8)
    code, out, err = run_main(["exam", str(deck), "-n", "3", "--seed", "8", "--json"],
                              "\n".join(answer_lines(exam)) + "\n", monkeypatch, capsys)
    assert code == 0 and "no terminal" in err
    assert json.loads(out)["correct"] == 3


@pytest.mark.parametrize("extra", [["--plain"], ["--history"]])
def test_corrupt_store_is_one_line_naming_it(deck: Path, extra: list[str], monkeypatch, capsys) -> None:
    store_path().parent.mkdir(parents=True, exist_ok=True)
    store_path().write_bytes(b"this is not a database" * 100)
    code, out, err = run_main(["exam", str(deck), *extra], "", monkeypatch, capsys)
    assert code == 1
    assert len(err.strip().splitlines()) == 1 and store_path().name in err and "Traceback" not in err
    assert store_path().read_bytes() == b"this is not a database" * 100  # never written to


def test_invalid_deck_file_names_the_line(tmp_path: Path, monkeypatch, capsys) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("deck:\n  id: x\n  name: X\nitems:\n  - id: a\n    type: nope\n")
    code, out, err = run_main(["exam", str(bad), "--plain"], "", monkeypatch, capsys)
    assert code == 1 and "bad.yaml:6:" in err and "Traceback" not in err


def test_same_seed_same_exam_from_the_command_line(deck: Path, monkeypatch, capsys) -> None:
    def sit(seed: str) -> list[tuple]:  # type: ignore[type-arg]
        code, out, _ = run_main(["exam", str(deck), "--plain", "--json", "-n", "8", "--seed", seed], "\nn\n" * 40,
                                monkeypatch, capsys)
        assert code == 0
        return [(q["id"], tuple(q.get("options", ()))) for q in json.loads(out)["questions"]]

    first = sit("42")
    assert len(first) == 8 and any(opts for _, opts in first)
    assert sit("42") == first
    assert sit("43") != first


# --- counts, history length, wording, Ctrl+C -------------------------------------------------


def test_asking_for_more_questions_than_there_are_says_so(deck: Path, monkeypatch, capsys) -> None:
    code, out, err = run_main(["exam", str(deck), "--plain", "--json", "-n", "1000"], "", monkeypatch, capsys)
    assert code == 0 and json.loads(out)["asked"] == len(DECK_DATA["items"])
    assert f"only {len(DECK_DATA['items'])} questions available; using all {len(DECK_DATA['items'])}" in err
    # the default count (20) is not the student's request: a small deck needs no note
    code, out, err = run_main(["exam", str(deck), "--plain", "--json"], "", monkeypatch, capsys)
    assert code == 0 and "available" not in err


def test_history_n_shows_the_last_n(deck: Path, monkeypatch, capsys) -> None:
    for seed in range(1, 5):
        exam = draw(load_decks([str(deck)]), n=seed, seed=seed)  # sitting k has k questions
        run_main(["exam", str(deck), "--plain", "-n", str(seed), "--seed", str(seed)],
                 "\n".join(answer_lines(exam)) + "\n", monkeypatch, capsys)
    code, out, _ = run_main(["exam", "--history", "-n", "3", "--json"], "", monkeypatch, capsys)
    assert code == 0 and [r["total"] for r in json.loads(out)] == [4, 3, 2]  # newest first
    code, out, _ = run_main(["exam", "--history", "-n", "3"], "", monkeypatch, capsys)
    assert len(out.strip().splitlines()) == 3
    code, out, err = run_main(["exam", "--history", "-n", "0"], "", monkeypatch, capsys)
    assert code == 2 and "at least 1" in err and out == ""


def test_reverse_prompt_asks_for_the_term(deck: Path, monkeypatch, capsys) -> None:
    args = ["exam", str(deck), "--plain", "--types", "reverse", "--seed", "0"]
    code, out, _ = run_main(args, "tacrolimus\ny\n", monkeypatch, capsys)
    assert code == 0
    assert "(reverse): the drug also called FK506" in out and "(name the term this describes, then mark" in out
    assert "answer to" not in out and "Score: 1/1" in out


def test_reverse_second_card_gives_the_term(deck: Path, monkeypatch, capsys) -> None:
    """A reverse item has two cards, as in study: the other one names the term."""
    args = ["exam", str(deck), "--plain", "--types", "reverse", "--seed", "1", "--json"]
    code, out, _ = run_main(args, "the drug also called FK506\ny\n", monkeypatch, capsys)
    assert code == 0
    q = json.loads(out)["questions"][0]
    assert (q["card"], q["prompt"], q["expected"], q["correct"]) == (1, "Tacrolimus", "the drug also called FK506", True)


class _CtrlCAfter(io.StringIO):
    """Lines from a string, then Ctrl+C (KeyboardInterrupt) instead of end of input."""

    def readline(self, *args: object) -> str:  # type: ignore[override]
        line = super().readline()
        if not line:
            raise KeyboardInterrupt
        return line


@pytest.mark.parametrize("extra", [[], ["--json"]])
def test_ctrl_c_shows_the_partial_result_and_exits_130(deck: Path, extra: list[str], monkeypatch, capsys) -> None:
    exam = draw(load_decks([str(deck)]), n=4, types=["typed", "choice", "cloze"], seed=7)
    lines = answer_lines(Exam(exam.questions[:2], 0, ["mini"]))
    monkeypatch.setattr(sys, "stdin", _CtrlCAfter("\n".join(lines) + "\n"))
    code = main(["exam", str(deck), "--plain", "-n", "4", "--types", "typed,choice,cloze", "--seed", "7", *extra])
    out, err = capsys.readouterr()
    assert code == 130
    human = err if extra else out
    assert "> \nExam ended early (interrupted)" in human  # a newline after the ^C on the prompt
    assert "Score: 2/2 right" in human and "2 of 4 answered" in human
    if extra:
        assert json.loads(out)["total"] == 2
    assert "Traceback" not in err
    code, out, _ = run_main(["exam", "--history", "--json"], "", monkeypatch, capsys)
    assert json.loads(out)[0]["total"] == 2  # the partial sitting was kept


class _Keyboard(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_plain_at_a_keyboard_asks_before_a_blank_answer(deck: Path, quiz_home: Path) -> None:
    from quiz.exam.plain import PlainExam

    exam = draw(load_decks([str(deck)]), n=2, types=["typed"], seed=1)
    out = io.StringIO()
    # a stray enter, "n" (not blank), the answer; then enter, "y": blank on purpose
    PlainExam(exam, _Keyboard(f"\nn\n{exam.questions[0].expected}\n\ny\n"), out).run()
    assert out.getvalue().count("Nothing typed. Hand in a blank answer? [y/n]") == 2
    assert exam.outcomes[0].correct and exam.outcomes[1].given == ""
    piped = draw(load_decks([str(deck)]), n=2, types=["typed"], seed=1)
    PlainExam(piped, io.StringIO("\n\n"), io.StringIO()).run()  # a pipe: blank lines are answers
    assert [o.given for o in piped.outcomes.values()] == ["", ""]


def test_feedback_and_result_do_not_repeat_a_bare_verdict(deck: Path, monkeypatch, capsys) -> None:
    """A plainly wrong (or right) answer reads "Wrong. Answer: ...", not "Wrong (wrong)."; a why
    that says more ("a typo") is still given."""
    exam = draw(load_decks([str(deck)]), n=3, types=["typed"], seed=5)
    answers = ["nothing like it", exam.questions[1].expected, exam.questions[2].expected + "x"]
    code, out, err = run_main(["exam", str(deck), "--plain", "--types", "typed", "--seed", "5", "--feedback"],
                              "\n".join(answers) + "\n", monkeypatch, capsys)
    assert code == 0
    text = out + err
    assert "(wrong)" not in text and "(right)" not in text
    assert f"Wrong. Answer: {exam.questions[0].expected}" in text
