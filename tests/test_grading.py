"""Answer checking: forgiving typed answers, exact numbers, list partial credit, choices."""

from __future__ import annotations

import random

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from quiz.study.answer_text import NUMBER as _NUMBER, spelling
from quiz.study.near_miss import is_word, token_miss
from quiz.study.grading import (
    AGAIN,
    GOOD,
    Reason,
    TermIndex,
    HARD,
    char_diff,
    check_choice,
    check_list,
    check_text,
    check_typed,
    choice_options,
    is_close,
    normalise,
    typo_budget,
)
from quiz.decks.model import Item


def typed(answer: str, *accept: str, type_: str = "typed", question: str = "Q?") -> Item:
    return Item(id="t", type=type_, question=question, answer=answer, accept=accept)  # type: ignore[arg-type]


LIST = Item(
    id="l",
    type="list",
    question="Name the side effects",
    answers=("nephrotoxicity", "hypertension", "tremor", "hyperkalaemia"),
)
CHOICE = Item(id="c", type="choice", question="Which?", answer="Tacrolimus", distractors=("Sirolimus", "Azathioprine", "Mycophenolate"))


# --- normalise -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw, norm",
    [
        ("  Tacrolimus ", "tacrolimus"),
        ("CICLOSPORIN", "ciclosporin"),
        ("Café", "cafe"),
        ("naïve-élan", "naive elan"),
        ("Straße", "strasse"),
        ("calcineurin,   NFAT!!", "calcineurin nfat"),
        ("tab\tand\nnewline", "tab and newline"),
        ("ﬁve", "five"),  # ligature decomposed by NFKD
        ("", ""),
        ("?!", ""),
    ],
)
def test_normalise_examples(raw: str, norm: str) -> None:
    assert normalise(raw) == norm


@given(st.text())
def test_normalise_is_idempotent(s: str) -> None:
    n = normalise(s)
    assert normalise(n) == n


@given(st.text())
def test_normalise_output_is_squeezed_and_folded(s: str) -> None:
    n = normalise(s)
    assert n == n.strip()
    assert "  " not in n
    assert n.casefold() == n


# --- typed answers ---------------------------------------------------------------------------


def test_exact_answer_is_good() -> None:
    v = check_typed(typed("Tacrolimus"), "tacrolimus")
    assert (v.correct, v.exact, v.suggested) == (True, True, GOOD)
    assert v.diff == (("ok", "Tacrolimus"),)


@pytest.mark.parametrize("given_", ["TACROLIMUS", "  tacrolimus. ", "Tácrolimus", "tacro limus"])
def test_case_accents_punctuation_and_spacing_do_not_count(given_: str) -> None:
    v = check_typed(typed("Tacrolimus"), given_)
    assert v.correct and v.exact


def test_typo_is_correct_but_not_exact() -> None:
    v = check_typed(typed("Tacrolimus"), "tacrolimsu")  # a transposition
    assert v.correct and not v.exact
    assert v.suggested == HARD
    assert any(kind != "ok" for kind, _ in v.diff)


def test_too_many_typos_is_wrong() -> None:
    v = check_typed(typed("Tacrolimus"), "takrolymas")
    assert not v.correct and v.suggested == AGAIN


def test_completely_different_answer_is_wrong() -> None:
    v = check_typed(typed("Tacrolimus"), "cyclosporine")
    assert not v.correct and not v.exact
    assert v.expected == "Tacrolimus"


def test_empty_answer_is_wrong_and_diff_shows_it_missing() -> None:
    v = check_typed(typed("Tacrolimus"), "   ")
    assert not v.correct
    assert v.diff == (("missing", "Tacrolimus"),)


@pytest.mark.parametrize("answer, wrong", [("2021", "2012"), ("2021", "2020"), ("5 mg", "6 mg"), ("CYP3A4", "CYP3A5")])
def test_numbers_must_match_exactly(answer: str, wrong: str) -> None:
    assert not check_typed(typed(answer), wrong).correct
    assert check_typed(typed(answer), answer).exact


@pytest.mark.parametrize("answer, given_", [("protein", "protien"), ("daily", "dialy"), ("once daily", "once dialy"),
                                            ("Tacrolimus", "Tacrolmius")])
def test_swapped_neighbours_are_one_typo(answer: str, given_: str) -> None:
    # "protein" has a budget of one edit: the swap must count as one, not two substitutions.
    v = check_typed(typed(answer), given_)
    assert (v.correct, v.exact, v.suggested) == (True, False, HARD)


def test_two_swaps_in_a_short_word_are_wrong() -> None:
    assert not check_typed(typed("protein"), "rpotien").correct


@pytest.mark.parametrize("answer, given_", [
    ("0.1%", "0.10%"), ("0.1%", ".1%"), ("0.1%", "0.1 %"), ("2 years old", "two years old"),
    ("2", "Two"), ("twelve weeks", "12 weeks"), ("21", "twenty-one"), ("zero", "0"), ("20", "twenty"),
    ("1000 mg", "1,000 mg"), ("5 mg", "5.0 mg"),
])
def test_numbers_compare_by_value(answer: str, given_: str) -> None:
    v = check_typed(typed(answer), given_)
    assert v.correct and v.exact and v.suggested == GOOD


@pytest.mark.parametrize("answer, wrong", [("2021", "2012"), ("15 mg", "1.5 mg"), ("0.1%", "0.01%"),
                                           ("2 years old", "three years old"), ("0.03%", "0.3%")])
def test_numbers_by_value_are_still_exact(answer: str, wrong: str) -> None:
    v = check_typed(typed(answer), wrong)
    assert not v.correct and v.suggested == AGAIN


def test_number_words_inside_other_words_are_words() -> None:
    assert not check_typed(typed("someone"), "some 1").correct
    assert check_typed(typed("often"), "often").exact


def test_a_wrong_answer_far_from_the_expected_one_gets_no_diff() -> None:
    v = check_typed(typed("calcineurin"), "Aenzym protein")
    assert not v.correct and v.diff == ()
    assert (v.given, v.expected) == ("Aenzym protein", "calcineurin")  # what the UI shows instead
    assert not is_close("cyclosporine", "Tacrolimus")


@pytest.mark.parametrize("answer, wrong", [("Tacrolimus", "takrolymas"), ("Tacrolimus", "sirolimus"), ("2021", "2012")])
def test_a_wrong_answer_near_the_expected_one_gets_a_diff(answer: str, wrong: str) -> None:
    v = check_typed(typed(answer), wrong)
    assert not v.correct and is_close(wrong, answer)
    assert "".join(t for k, t in v.diff if k != "wrong") == answer


def test_number_with_unit_tolerates_spacing_and_typo_in_words() -> None:
    assert check_typed(typed("12 hours"), "12hours").exact
    assert check_typed(typed("12 hours"), "12 hourss").correct


def test_short_answers_get_no_typo_budget() -> None:
    assert not check_typed(typed("IL2"), "IL3").correct
    assert not check_typed(typed("NFAT"[:3]), "NFT").correct


@pytest.mark.parametrize("n, budget", [(0, 0), (3, 0), (4, 1), (7, 1), (8, 2), (15, 2), (20, 3), (40, 6)])
def test_typo_budget_scales_with_length(n: int, budget: int) -> None:
    assert typo_budget("x" * n) == budget


def test_accept_forms_count_as_exact() -> None:
    item = typed("Ciclosporin", "cyclosporine", "CsA")
    for g in ("cyclosporine", "csa", "CYCLOSPORIN"):
        v = check_typed(item, g)
        assert v.correct, g
    assert check_typed(item, "csa").exact
    assert check_typed(item, "csa").expected == "Ciclosporin"  # reports show the main answer


def test_diff_is_against_the_accept_form_that_matched() -> None:
    v = check_typed(typed("Ciclosporin", "cyclosporine"), "cyclosporinne")
    assert v.correct
    assert "".join(t for k, t in v.diff if k != "wrong") == "cyclosporine"


def test_parenthesised_aside_may_be_left_out() -> None:
    item = typed("calcineurin (protein phosphatase 2B)")
    assert check_typed(item, "calcineurin").exact
    assert check_typed(item, "calcineurin protein phosphatase 2B").exact


def test_reverse_expects_the_question_side() -> None:
    item = typed("blocks calcineurin", type_="reverse", question="Tacrolimus")
    assert check_typed(item, "tacrolimus").exact
    assert not check_typed(item, "blocks calcineurin").correct


def test_basic_is_checked_like_typed() -> None:
    item = typed("Tacrolimus", "FK506", type_="basic")
    assert check_typed(item, "fk-506").exact


def test_cloze_expects_the_deletions_joined() -> None:
    item = Item(id="z", type="cloze", text="{{c1::Tacrolimus}} binds {{c2::FKBP12::a protein}}.")
    assert check_typed(item, "tacrolimus; FKBP12").exact
    assert check_typed(item, "Tacrolimus, fkbp12").exact
    assert check_typed(item, "tacrolimus fkbp 12").exact
    assert not check_typed(item, "tacrolimus").correct
    assert not check_typed(item, "tacrolimus fkbp13").correct


# --- the character diff ----------------------------------------------------------------------


def test_diff_marks_wrong_and_missing_characters() -> None:
    assert char_diff("tacrolimos", "tacrolimus") == (("ok", "tacrolim"), ("wrong", "o"), ("missing", "u"), ("ok", "s"))
    assert char_diff("tacrolimu", "tacrolimus") == (("ok", "tacrolimu"), ("missing", "s"))
    assert char_diff("tacrolimuss", "tacrolimus") == (("ok", "tacrolimus"), ("wrong", "s"))


def test_diff_ok_text_comes_from_the_expected_answer() -> None:
    assert char_diff("TACROLIMUS", "Tacrolimus") == (("ok", "Tacrolimus"),)


words = st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=1, max_size=12)
answers = st.text(alphabet=st.characters(blacklist_characters="()", blacklist_categories=("Cs",)), max_size=40)


@given(answers, st.text(max_size=40))
def test_diff_rebuilds_the_expected_answer(expected: str, given_: str) -> None:
    v = check_text(given_, expected)
    if v.diff or v.correct or not normalise(given_):
        assert "".join(t for k, t in v.diff if k != "wrong") == expected
    assert {k for k, _ in v.diff} <= {"ok", "wrong", "missing"}


# --- properties ------------------------------------------------------------------------------


@given(st.text(max_size=60), st.lists(st.text(max_size=20), max_size=3))
def test_the_expected_answer_always_grades_exact(expected: str, accept: list[str]) -> None:
    item = typed(expected, *accept)
    v = check_typed(item, expected)
    assert v.correct and v.exact and v.suggested == GOOD
    for a in accept:
        if normalise(a):  # a blank accept form is ignored, never makes a blank answer right
            assert check_typed(item, a).correct


@given(st.lists(words, min_size=1, max_size=4), st.randoms(use_true_random=False))
def test_case_and_punctuation_changes_stay_exact(ws: list[str], rnd: random.Random) -> None:
    expected = " ".join(ws)
    mangled = "".join(c.upper() if rnd.random() < 0.5 else c for c in expected).replace(" ", rnd.choice([" ", ", ", " - ", "  "]))
    assert check_text(mangled + rnd.choice(["", ".", "!", " ?"]), expected).exact


def _assume_not_another_word(typo: str, word: str) -> None:
    # A real word ("abba" for "abbb") or a flipped prefix ("ef" for "af") is another answer.
    assume(not is_word(typo))
    # "aaaoe" for "aaaae": both fold to "aaae", British and American spellings of one word.
    assume(spelling(typo) != spelling(word))
    miss = token_miss(typo, word)
    assume(miss is None or miss.reason is not Reason.PREFIX)


@given(st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=4, max_size=30), st.data())
def test_one_substitution_is_a_typo_above_three_letters(word: str, data: st.DataObject) -> None:
    i = data.draw(st.integers(0, len(word) - 1))
    c = data.draw(st.sampled_from([x for x in "abcdefghijklmnopqrstuvwxyz" if x != word[i]]))
    typo = word[:i] + c + word[i + 1 :]
    # Number words ("nine", "ten") are numbers, compared exactly: "aine" for "nine" is wrong.
    assume(not any(_NUMBER.search(w) for w in (word, typo)))
    _assume_not_another_word(typo, word)
    v = check_text(typo, word)
    assert v.correct and not v.exact and v.suggested == HARD


@given(st.sampled_from(["a", "an", "the", "A", "An", "The"]),
       st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=4, max_size=30), st.data())
def test_one_substitution_after_a_dropped_article_is_a_typo(article: str, word: str, data: st.DataObject) -> None:
    i = data.draw(st.integers(0, len(word) - 1))
    c = data.draw(st.sampled_from([x for x in "abcdefghijklmnopqrstuvwxyz" if x != word[i]]))
    typo = word[:i] + c + word[i + 1 :]
    assume(not any(_NUMBER.search(w) for w in (word, typo)))
    _assume_not_another_word(typo, word)
    v = check_text(typo, f"{article} {word}")
    assert v.correct and not v.exact and v.suggested == HARD


@pytest.mark.parametrize(("given_", "exact"), [
    ("protein", True), ("the protein", True), ("a protein", True),
    ("protien", False), ("a protien", False), ("the protien", False),
])
def test_a_leading_article_never_counts(given_: str, exact: bool) -> None:
    v = check_text(given_, "A protein")
    assert v.correct and v.exact == exact
    assert v.suggested == (GOOD if exact else HARD)


def test_an_article_alone_is_not_stripped() -> None:
    assert check_text("a", "a").exact
    assert not check_text("", "A protein").correct
    assert not check_text("a", "A protein").correct
    assert not check_text("the prtn", "A protein").correct  # 2 edits: over a 7-letter budget


@given(st.integers(0, 10**6), st.integers(0, 10**6))
def test_different_numbers_are_never_right(a: int, b: int) -> None:
    v = check_text(str(b), str(a))
    assert v.correct == (a == b)


@given(st.text(max_size=40), st.text(max_size=40))
def test_verdict_is_consistent(expected: str, given_: str) -> None:
    v = check_text(given_, expected)
    assert not v.exact or v.correct
    assert v.suggested == (GOOD if v.exact else HARD if v.correct else AGAIN)


# --- lists -----------------------------------------------------------------------------------


def test_list_all_entries_in_any_order() -> None:
    v = check_list(LIST, ["Tremor", "hyperkalaemia", "HYPERTENSION", "nephrotoxicity"])
    assert v.score == 1.0 and v.suggested == GOOD
    assert v.found == LIST.answers and v.missed == () and v.extra == ()


def test_list_partial_credit_with_typos_and_extras() -> None:
    v = check_list(LIST, ["tremor", "hypertensoin", "", "hair loss"])
    assert v.found == ("hypertension", "tremor")
    assert v.missed == ("nephrotoxicity", "hyperkalaemia")
    assert v.extra == ("hair loss",)
    assert v.score == 0.25 and v.suggested == AGAIN  # (2 right - 1 wrong) / 4
    v = check_list(LIST, ["tremor", "hypertensoin", "nephrotoxicity"])
    assert v.score == 0.75 and v.suggested == HARD


def test_list_all_found_with_a_typo_suggests_hard_as_a_typed_answer_does() -> None:
    v = check_list(LIST, ["tremor", "hypertensoin", "nephrotoxicity", "hyperkalaemia"])
    assert v.correct and v.score == 1.0 and v.suggested == HARD
    assert check_text("hypertensoin", "hypertension").suggested == HARD  # the typed rule it follows
    # The exact naming of an entry given twice keeps it: no typo counted then.
    v = check_list(LIST, ["tremor", "hypertensoin", "hypertension", "nephrotoxicity", "hyperkalaemia"])
    assert v.correct and v.suggested == GOOD


def test_list_few_found_is_again() -> None:
    v = check_list(LIST, ["tremor"])
    assert v.score == 0.25 and v.suggested == AGAIN


def test_list_nothing_given() -> None:
    v = check_list(LIST, [])
    assert v.score == 0 and v.missed == LIST.answers and v.extra == ()


def test_list_entry_counts_once() -> None:
    v = check_list(LIST, ["tremor", "Tremor", "tremr"])
    assert v.found == ("tremor",) and v.extra == ()  # a repeat is neither right twice nor wrong
    assert v.duplicates == ("Tremor", "tremr") and v.score == 0.25


def test_list_exact_match_wins_over_a_typo_for_another_line() -> None:
    item = Item(id="l2", type="list", question="q", answers=("hypertension", "hypotension"))
    # "hypotension" is within typo reach of both; the exact line must not lose its entry.
    v = check_list(item, ["hypertensionn", "hypotension"])
    assert v.score == 1.0


def test_list_typed_on_one_line_with_commas() -> None:
    v = check_list(LIST, ["tremor, hypertension; hair loss"])
    assert v.found == ("hypertension", "tremor")
    assert v.extra == ("hair loss",) and v.score == 0.25


def test_list_entry_containing_a_comma_still_matches_whole() -> None:
    item = Item(id="l3", type="list", question="q", answers=("nausea, vomiting", "tremor"))
    assert check_list(item, ["Nausea, vomiting", "tremor"]).score == 1.0


@given(st.permutations(LIST.answers), st.integers(0, 4))
def test_list_score_counts_the_entries_given(perm: list[str], k: int) -> None:
    v = check_list(LIST, [a.upper() for a in perm[:k]])
    assert v.score == k / 4
    assert set(v.found) == set(perm[:k])
    assert set(v.found) | set(v.missed) == set(LIST.answers)


# --- choices ---------------------------------------------------------------------------------


def test_choice_right_and_wrong() -> None:
    assert check_choice(CHOICE, "Tacrolimus").correct
    assert check_choice(CHOICE, "tacrolimus").correct
    v = check_choice(CHOICE, "Sirolimus")
    assert not v.correct and v.suggested == AGAIN
    assert v.diff == (("wrong", "Sirolimus"), ("missing", "Tacrolimus"))


def test_choice_typo_is_not_right() -> None:
    # A pick is a pick: no typo budget, or a near-identical distractor would count.
    assert not check_choice(CHOICE, "Tacrolimu").correct


def test_choice_options_hold_every_option_once() -> None:
    opts = choice_options(CHOICE, random.Random(1))
    assert sorted(opts) == sorted(["Tacrolimus", *CHOICE.distractors])


@settings(max_examples=30)
@given(st.integers())
def test_choice_options_same_seed_same_order(seed: int) -> None:
    assert choice_options(CHOICE, random.Random(seed)) == choice_options(CHOICE, random.Random(seed))


def test_choice_options_are_shuffled() -> None:
    orders = {tuple(choice_options(CHOICE, random.Random(s))) for s in range(20)}
    assert len(orders) > 1
    firsts = {o[0] for o in orders}
    assert "Tacrolimus" in firsts and len(firsts) > 1


def test_blank_accept_form_does_not_make_a_blank_answer_right() -> None:
    assert not check_typed(typed("Tacrolimus", "", "?"), "").correct


# --- near misses, terms, list credit -----------------------------------------------------------


def test_a_verdict_says_why() -> None:
    terms = TermIndex(["T cells", "B cells"])
    assert check_text("B cells", "T cells", terms=terms).why == "a different term: B cells"
    assert check_text("t cells", "T cells", terms=terms).why == "right"
    assert check_text("IV", "intravenous", ("IV",)).why == "an accepted form"
    assert check_text("acetaminophin", "acetaminophen").why == "a typo"
    assert check_text("hypoglycemia", "hyperglycemia").why == "a prefix that changes the meaning: hypo- for hyper-"


def test_synonyms_in_the_decks_are_not_other_terms() -> None:
    # "ciclosporin" is accepted for cyclosporine in one item: for an item asking cyclosporine
    # without it, "cyclosporin" is a typo of the answer, not the other item's term.
    terms = TermIndex([("cyclosporine", "ciclosporin"), "voclosporin"])
    assert check_text("cyclosporin", "cyclosporine", terms=terms).why == "a typo"
    assert check_text("cyclosporin", "voclosporin", terms=terms).why.startswith("a different term")


def test_without_terms_the_short_word_rule_still_holds() -> None:
    assert check_text("B cells", "T cells").why == "a different short word or code: B for T"


@settings(deadline=None, max_examples=60)
@given(st.lists(words, min_size=2, max_size=6, unique=True), st.integers(0, 6), st.data())
def test_list_credit_is_right_minus_wrong_over_expected(entries: list[str], k: int, data: st.DataObject) -> None:
    entries = [f"{w}zq" for w in entries]  # no number words, no dictionary words
    assume(len({normalise(e) for e in entries}) == len(entries))
    item = Item(id="l", type="list", question="q", answers=tuple(entries))
    named = data.draw(st.integers(0, len(entries)))
    wrong = [f"{i}{i}{i} wrong thing {i}" for i in range(k)]
    v = check_list(item, [*entries[:named], *wrong, *entries[:named]])  # each named twice
    assert len(v.found) == named and len(v.extra) == k
    assert v.credit == pytest.approx(max(0.0, (named - k) / len(entries)))
    assert v.correct == (named == len(entries) and k == 0)
