"""The exam domain: drawing (seeded, across facts, mixed types), scoring every item type."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from quiz.errors import UsageError
from quiz.exam.sitting import Exam, Question, breakdown, draw, parse_types, pool
from quiz.decks.model import Deck, Item


def make_deck() -> Deck:
    items = [
        Item(id="tac-basic", type="basic", question="Which drug is also called FK506?", answer="Tacrolimus",
             tags=("tacrolimus",), fact="tac-name", source="Tacrolimus"),
        Item(id="tac-reverse", type="reverse", question="Tacrolimus", answer="also called FK506",
             tags=("tacrolimus",), fact="tac-name", source="Tacrolimus"),
        Item(id="tac-typed", type="typed", question="Tacrolimus ointment strength for adults?", answer="0.1%",
             accept=("0.1 percent",), tags=("tacrolimus", "dosing"), fact="tac-dose", source="Tacrolimus"),
        Item(id="voc-year", type="choice", question="FDA approval year of voclosporin?", answer="2021",
             distractors=("2015", "2018", "2023"), tags=("voclosporin", "approvals"), fact="voc-year",
             source="Voclosporin"),
        Item(id="voc-route", type="choice", question="How is voclosporin taken?", answer="Orally",
             distractors=("Topically", "Intravenously"), tags=("voclosporin",), fact="voc-route",
             source="Voclosporin"),
        Item(id="mech", type="cloze", text="Calcineurin inhibitors block {{c1::calcineurin}}.",
             tags=("mechanism",), fact="mech", source="Mechanism"),
        Item(id="tac-transplants", type="list", question="Transplants tacrolimus helps protect?",
             answers=("kidney", "liver", "heart"), tags=("tacrolimus", "transplant"), fact="tac-tx",
             source="Tacrolimus"),
        Item(id="cyc-form", type="typed", question="Eye drop form of which drug treats dry eyes?",
             answer="Cyclosporine", accept=("ciclosporin",), tags=("cyclosporine",), fact="cyc-eye",
             source="Cyclosporine"),
        Item(id="nofact", type="basic", question="Pimecrolimus is applied how?", answer="Topically",
             tags=("pimecrolimus",), source="Pimecrolimus"),
    ]
    return Deck(id="cni", name="CNI", items=tuple(items))


DECK = make_deck()


class Clock:
    def __init__(self) -> None:
        self.t = datetime(2026, 1, 1, 12, tzinfo=timezone.utc)

    def __call__(self) -> datetime:
        self.t += timedelta(seconds=30)
        return self.t


def by_id(exam: Exam, item_id: str) -> int:
    return next(i for i, q in enumerate(exam.questions) if q.id == item_id)


# --- drawing ---------------------------------------------------------------------------------


def test_same_seed_same_questions_and_options() -> None:
    a, b = draw([DECK], n=5, seed=7), draw([DECK], n=5, seed=7)
    assert a.questions == b.questions
    assert [q.options for q in a.questions] == [q.options for q in b.questions]


def test_different_seeds_differ() -> None:
    orders = {tuple((q.id, q.options) for q in draw([DECK], n=5, seed=s).questions) for s in range(10)}
    assert len(orders) > 1


def test_no_two_items_of_one_fact_while_facts_last() -> None:
    for seed in range(30):
        exam = draw([DECK], n=8, seed=seed)  # 8 distinct facts (nofact counts as its own)
        facts = [q.item.fact or q.id for q in exam.questions]
        assert len(set(facts)) == len(facts) == 8


def test_pool_too_small_repeats_facts_but_never_items() -> None:
    exam = draw([DECK], n=50, seed=3)
    ids = [q.id for q in exam.questions]
    assert len(ids) == len(set(ids)) == len(DECK.items)


def test_types_are_mixed() -> None:
    for seed in range(10):
        types = {q.type for q in draw([DECK], n=6, seed=seed).questions}
        # Six types, six questions: types take turns. Only when the reverse item's one fact
        # was taken by the basic item may a type go missing.
        assert len(types) >= 5
        assert len(types) == 6 or "tac-basic" in {q.id for q in draw([DECK], n=6, seed=seed).questions}


def test_choice_options_hold_answer_and_distractors() -> None:
    exam = draw([DECK], n=20, seed=1)
    q = exam.questions[by_id(exam, "voc-year")]
    assert sorted(q.options) == ["2015", "2018", "2021", "2023"]
    assert all(not x.options for x in exam.questions if x.type != "choice")


def test_filters_by_tags_and_types() -> None:
    exam = draw([DECK], n=20, tags=["voclosporin", "mechanism"], seed=1)
    assert {q.id for q in exam.questions} == {"voc-year", "voc-route", "mech"}
    exam = draw([DECK], n=20, types=("choice", "list"), seed=1)
    assert {q.id for q in exam.questions} == {"voc-year", "voc-route", "tac-transplants"}
    exam = draw([DECK], n=20, tags=["tacrolimus"], types=["typed"], seed=1)
    assert [q.id for q in exam.questions] == ["tac-typed"]


def test_seed_is_chosen_and_kept_when_not_given() -> None:
    exam = draw([DECK], n=4)
    again = draw([DECK], n=4, seed=exam.seed)
    assert [q.id for q in again.questions] == [q.id for q in exam.questions]


@pytest.mark.parametrize("n", [0, -3])
def test_n_must_be_positive(n: int) -> None:
    with pytest.raises(UsageError, match="at least 1"):
        draw([DECK], n=n)


def test_unknown_tag_is_a_usage_error_naming_it() -> None:
    with pytest.raises(UsageError, match="'side-effects'") as e:
        draw([DECK], tags=["voclosporin", "side-effects"])
    assert e.value.exit_code == 2


def test_filters_matching_nothing_together() -> None:
    with pytest.raises(UsageError, match="no items to ask"):
        pool([DECK], tags=["mechanism"], types=["list"])


@pytest.mark.parametrize("text, types", [("choice", ("choice",)), ("choice, typed", ("choice", "typed")),
                                         (["list", "cloze,list"], ("list", "cloze")), (None, ())])
def test_parse_types(text: object, types: tuple[str, ...]) -> None:
    assert parse_types(text) == types  # type: ignore[arg-type]


@pytest.mark.parametrize("text", ["choise", "choice,,typed", "", "choice,"])
def test_parse_types_rejects_malformed(text: str) -> None:
    with pytest.raises(UsageError, match="--types"):
        parse_types(text)


# --- scoring ---------------------------------------------------------------------------------


def full_exam() -> Exam:
    return draw([DECK], n=20, seed=5, clock=Clock())


def test_choice_by_letter_number_or_text() -> None:
    exam = full_exam()
    i = by_id(exam, "voc-year")
    q = exam.questions[i]
    letter = "ABCD"[q.options.index("2021")]
    assert exam.answer(i, letter.lower()).correct
    assert exam.answer(i, str(q.options.index("2021") + 1)).correct
    assert exam.answer(i, " 2021 ").correct
    wrong = next(o for o in q.options if o != "2021")
    out = exam.answer(i, "ABCD"[q.options.index(wrong)])
    assert not out.correct and out.given == wrong


def test_typed_forgiving_and_accept_forms() -> None:
    exam = full_exam()
    i = by_id(exam, "cyc-form")
    assert exam.answer(i, "cyclosporin").correct  # typo
    assert exam.answer(i, "CICLOSPORIN").correct  # accept form
    assert not exam.answer(i, "tacrolimus").correct
    j = by_id(exam, "tac-typed")
    assert exam.answer(j, "0.1 %").correct
    assert not exam.answer(j, "0.03%").correct  # numbers are exact


def test_cloze_typed_in() -> None:
    exam = full_exam()
    i = by_id(exam, "mech")
    assert exam.answer(i, "Calcineurin").correct
    assert not exam.answer(i, "calmodulin").correct


def test_list_partial_credit() -> None:
    exam = full_exam()
    i = by_id(exam, "tac-transplants")
    out = exam.answer(i, ["Liver", "kidnee", "lung", ""])
    assert not out.correct
    assert out.credit == pytest.approx(1 / 3)  # (2 right - 1 wrong) / 3
    assert out.missed == ("heart",) and out.extra == ("lung",)
    assert out.given == "Liver; kidnee; lung"
    assert exam.answer(i, ["heart", "liver", "kidney"]).correct


def test_basic_and_reverse_checked_forgivingly_then_self_marked() -> None:
    exam = full_exam()
    b, r = by_id(exam, "tac-basic"), by_id(exam, "tac-reverse")
    assert exam.answer(b, "tacrolimus").correct
    # a reverse item is asked as one of its two cards: card 0 wants the term, card 1 the description
    want = "Tacrolimus" if exam.questions[r].item.ord == 0 else "also called FK506"
    assert exam.questions[r].expected == want
    assert exam.answer(r, want).correct
    out = exam.mark(b, False)
    assert not out.correct and out.graded_by == "self" and out.given == "tacrolimus"
    assert exam.mark(r, True).correct
    with pytest.raises(ValueError):
        exam.mark(by_id(exam, "mech"), True)


def test_result_scores_tags_sources_and_time() -> None:
    exam = full_exam()
    exam.answer(by_id(exam, "voc-year"), "2021")  # right
    exam.answer(by_id(exam, "voc-route"), "Topically")  # wrong
    exam.answer(by_id(exam, "tac-transplants"), ["kidney", "liver"])  # 2/3
    exam.answer(by_id(exam, "tac-typed"), "0.1%")  # right
    r = exam.result()
    assert (r.correct, r.total, r.asked, r.unanswered) == (2, 4, 9, 5)
    assert r.percent == pytest.approx(round(100 * (2 + 2 / 3) / 4, 1))
    assert r.tags["voclosporin"] == {"correct": 1, "total": 2}
    assert r.tags["tacrolimus"] == {"correct": 1, "total": 2}
    assert r.sources["Voclosporin"] == {"correct": 1, "total": 2}
    assert r.seconds == 30.0  # the clock ticks 30 s per call: start, then finish
    assert r.seed == 5 and r.decks == ["cni"]
    qs = {q["id"]: q for q in r.questions}
    assert qs["voc-route"] == {
        "id": "voc-route", "deck": "cni", "type": "choice", "card": 0, "prompt": "How is voclosporin taken?",
        "given": "Topically", "expected": "Orally", "correct": False, "credit": 0.0,
        "graded_by": "auto", "why": "wrong", "overridden": False, "tags": ["voclosporin"], "source": "Voclosporin",
        "options": list(exam.questions[by_id(exam, "voc-route")].options),
    }
    assert qs["tac-transplants"]["missed"] == ["heart"]
    assert qs["voc-year"]["options"] == list(exam.questions[by_id(exam, "voc-year")].options)


def test_a_miss_can_be_counted_right_and_is_recorded_as_overridden() -> None:
    exam = full_exam()
    year, typed = by_id(exam, "voc-year"), by_id(exam, "tac-typed")
    exam.answer(year, "2021")
    exam.answer(typed, "0.2%")
    assert exam.override(year) is None  # already right: nothing to override
    out = exam.override(typed)
    assert out is not None and out.correct and out.credit == 1 and out.overridden
    r = exam.result()
    assert (r.correct, r.overridden) == (2, 1)
    q = next(q for q in r.questions if q["id"] == "tac-typed")
    assert q["correct"] and q["overridden"] and q["given"] == "0.2%"
    back = exam.override(typed)  # pressed again: as checked
    assert back is not None and not back.correct and not back.overridden
    assert exam.result().overridden == 0


def test_empty_exam_result() -> None:
    r = full_exam().result()
    assert (r.correct, r.total, r.percent) == (0, 0, 0.0)


def test_retake_has_only_missed_questions() -> None:
    exam = full_exam()
    for i, q in enumerate(exam.questions):
        if q.type == "choice":
            exam.answer(i, q.item.answer)
        elif q.type != "list":
            exam.answer(i, "no idea")
    missed = exam.retake()
    assert {q.type for q in missed.questions} == {"basic", "reverse", "typed", "cloze", "list"}
    assert all(q in exam.questions for q in missed.questions)
    assert missed.seed == exam.seed and not missed.outcomes
    for i, q in enumerate(missed.questions):
        if q.type == "list":
            missed.answer(i, list(q.item.answers))
    assert [q.type for q in missed.retake().questions if q.type == "list"] == []


def test_a_retake_shuffles_the_choices_again_reproducibly() -> None:
    def sittings(seed: int) -> list[Exam]:
        exam = draw([DECK], n=20, types=["choice"], seed=seed)  # nothing answered: all missed
        out = [exam]
        for _ in range(3):
            out.append(out[-1].retake())
        return out

    first = sittings(4)
    again = sittings(4)
    for a, b in zip(first, again):  # the same seed replays every sitting's order
        assert [q.options for q in a.questions] == [q.options for q in b.questions]
    for before, after in zip(first, first[1:]):
        assert [q.id for q in after.questions] == [q.id for q in before.questions]
        for p, q in zip(before.questions, after.questions):
            assert sorted(q.options) == sorted(p.options) and q.options != p.options
    assert [s.retake_no for s in first] == [0, 1, 2, 3]
    assert [s.result().retake for s in first] == [0, 1, 2, 3]
    # the retake's letters point at its own order
    retake = first[1]
    i = next(i for i, q in enumerate(retake.questions) if q.id == "voc-route")
    letter = "ABC"[retake.questions[i].options.index("Orally")]
    assert retake.answer(i, letter).correct


def test_history_marks_a_retake() -> None:
    from quiz.exam.plain import format_history
    from quiz.exam.result import ExamRecord

    exam = full_exam()
    exam.answer(by_id(exam, "mech"), "calcineurin")
    retake = exam.retake()
    retake.answer(0, "no idea")
    rows = [ExamRecord(id=i, started=None, finished="2026-01-02T10:00:00", decks=["cni"], correct=r.correct,
                       total=r.total, percent=r.percent, detail=r.as_json())
            for i, r in enumerate((exam.result(), retake.result()))]
    first, second = format_history(rows).splitlines()
    assert "retake" not in first
    assert "(retake 1; 1 of" in second


def test_breakdown_counts_each_key() -> None:
    exam = full_exam()
    exam.answer(by_id(exam, "tac-typed"), "0.1%")
    exam.answer(by_id(exam, "tac-basic"), "cyclosporine")
    tags = breakdown(exam.outcomes.values(), lambda o: o.question.item.tags)
    assert tags == {"dosing": {"correct": 1, "total": 1}, "tacrolimus": {"correct": 1, "total": 2}}


def test_question_resolve_choice_unknown_text_kept() -> None:
    q = Question("d", DECK.item("voc-route"), ("Orally", "Topically", "Intravenously"))
    assert q.resolve_choice("c") == "Intravenously"
    assert q.resolve_choice("4") == "4"
    assert q.resolve_choice("by mouth") == "by mouth"


def test_summary_wraps_long_lines_with_a_hanging_indent() -> None:
    from quiz.exam.plain import format_result

    prompt = "Which calcineurin inhibitor is given after an organ transplant to help prevent rejection?"
    item = Item(id="long", type="typed", question=prompt, answer="Tacrolimus, also called FK506 in the older papers",
                tags=("transplant medicine", "tacrolimus"), source="Tacrolimus")
    exam = Exam([Question("cni", item)], seed=7, decks=["cni"])
    exam.answer(0, "cyclosporine, which is given after transplants as well, but is another drug")
    text = format_result(exam.result(), width=50)
    lines = text.splitlines()
    assert all(len(line) <= 50 for line in lines)
    start = lines.index(next(line for line in lines if line.startswith("  - Which")))
    yours = next(i for i, line in enumerate(lines) if line.startswith("    your answer:  "))
    right = next(i for i, line in enumerate(lines) if line.startswith("    right answer: "))
    source = next(i for i, line in enumerate(lines) if line.startswith("    source: "))
    # the prompt's later lines hang under its text, not back at the margin
    assert yours > start + 1
    assert all(line.startswith("    ") and line[4] != " " for line in lines[start + 1:yours])
    assert " ".join(line.strip() for line in lines[start:yours]) == f"- {prompt}"
    # an answer's later lines line up under the answer, after the labels
    for first, end in ((yours, right), (right, source)):
        assert end > first + 1
        assert all(line.startswith(" " * 18) and line[18] != " " for line in lines[first + 1:end])
    assert " ".join(line.strip() for line in lines[right:source]) == f"right answer: {item.answer}"
    assert "transplant medicine 0/1" in text.replace("\n", " ").replace("        ", "")
    assert not any(line.endswith(" ") for line in lines)
    # at the default width (80) a line that fits is left whole
    assert f"    right answer: {item.answer}" in format_result(exam.result()).splitlines()


class FakeStore:
    """Stands in for quiz.storage.store.Store's exam history only (the real one: test_exam_cli)."""

    def __init__(self) -> None:
        self.rows: list[dict] = []

    def record_exam(self, result: dict) -> None:
        self.rows.append(result)


def test_save_result_keeps_answered_sittings_with_detail() -> None:
    from quiz.exam.result import save_result

    store = FakeStore()
    exam = full_exam()
    assert not save_result(store, exam.result()) and store.rows == []
    exam.answer(by_id(exam, "mech"), "calcineurin")
    exam.recorded = True
    assert save_result(store, exam.result())
    row = store.rows[0]
    assert (row["correct"], row["total"], row["recorded"]) == (1, 1, True)
    assert row["detail"]["questions"][0]["id"] == "mech"
