"""The generator: deterministic, stable ids, provenance, sound distractors, own words."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from quiz.decks.cloze import reveal
from quiz.decks.loader import load_deck
from quiz.authoring.facts import load_topic
from quiz.authoring.generate import build_deck, generate, render
from quiz.decks.model import Item

REPO = Path(__file__).resolve().parent.parent
FACTS = REPO / "data" / "calcineurin-inhibitors.facts.yaml"
DECK = REPO / "decks" / "calcineurin-inhibitors.yaml"
SOURCE = REPO.parent / "shared" / "seed" / "calcineurin-inhibitors.txt"
MAX_SHARED_WORDS = 7  # 8 words in a row shared with the article count as copying
# A sentence that is an article sentence with one or two words swapped, or reads ~85% the same
# letter for letter, is a copy too (8-word runs miss "can play a part in" for "a role in").
MAX_WORD_EDITS = 2
MIN_COPY_RATIO = 85
MIN_SENTENCE_WORDS = 4  # shorter bits are terms (list entries, answers), not sentences


@pytest.fixture(scope="module")
def items() -> list[Item]:
    return generate(load_topic(FACTS))


def texts(item: Item) -> list[str]:
    return [item.question, item.answer, reveal(item.text), *item.answers, *item.accept, *item.distractors]


def test_two_runs_give_the_same_bytes() -> None:
    topic = load_topic(FACTS)
    assert render(build_deck(topic), FACTS.name) == render(build_deck(load_topic(FACTS)), FACTS.name)


def test_same_bytes_under_other_hash_seeds(tmp_path: Path) -> None:
    # Set iteration order changes with PYTHONHASHSEED: the output must not.
    code = (
        "import sys; from quiz.authoring.facts import load_topic; from quiz.authoring.generate import build_deck, render;"
        f"sys.stdout.write(render(build_deck(load_topic({str(FACTS)!r})), 'f'))"
    )
    outs = set()
    for seed in ("1", "2", "3"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        outs.add(subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True).stdout)
    assert len(outs) == 1


def test_ids_are_fact_id_dot_template(items: list[Item]) -> None:
    ids = [i.id for i in items]
    assert len(ids) == len(set(ids))
    assert all(i.id.startswith(f"{i.fact}.") for i in items)
    assert "voclosporin-approval.year-typed" in ids


def test_ids_stay_when_wording_changes(tmp_path: Path, items: list[Item]) -> None:
    text = FACTS.read_text(encoding="utf-8")
    reworded = (
        text.replace("object: active lupus nephritis", "object: active lupus nephritis (kidney inflammation in lupus)")
        .replace("question: If side effects are severe, what may your doctor suggest?", "question: What might a doctor do about severe side effects?")
        .replace("object: fungal skin infection", "object: fungal infection of the skin")
    )
    assert reworded != text
    copy = tmp_path / FACTS.name
    copy.write_text(reworded, encoding="utf-8")
    after = generate(load_topic(copy))
    assert [i.id for i in after] == [i.id for i in items]
    changed = {a.id for a, b in zip(items, after) if a != b}
    assert "voclosporin-approval.basic" in changed and "severe-side-effects.basic" in changed


def test_every_item_has_an_existing_fact_and_section_title(items: list[Item]) -> None:
    topic = load_topic(FACTS)
    fact_ids = {f.id for f in topic.facts}
    titles = set(topic.sections.values())
    assert all(i.fact in fact_ids and i.source in titles for i in items)


def test_every_fact_not_skipped_makes_an_item(items: list[Item]) -> None:
    topic = load_topic(FACTS)
    carded = {i.fact for i in items}
    missing = [f.id for f in topic.facts if not f.skip and f.id not in carded]
    assert missing == []
    assert all(f.skip for f in topic.facts if f.id not in carded)


def test_at_least_five_item_types(items: list[Item]) -> None:
    assert len({i.type for i in items}) >= 5


def test_distractors_are_never_correct(items: list[Item]) -> None:
    topic = load_topic(FACTS)
    choices = [i for i in items if i.type == "choice"]
    assert len(choices) >= 2
    for item in choices:
        fact = topic.fact(item.fact or "")
        lowered = {d.lower() for d in item.distractors}
        assert item.answer.lower() not in lowered, item.id
        assert len(lowered) == len(item.distractors), item.id
        # Nothing stated with the same relation and label of the same subject (or of every
        # calcineurin inhibitor) may be offered as wrong.
        true_values = {
            v.lower()
            for f in topic.facts
            if f.relation == fact.relation
            and f.subject in (fact.subject, "calcineurin inhibitors")
            and f.qualifiers.get("label") == fact.qualifiers.get("label")
            for v in f.objects
        }
        assert not lowered & true_values, item.id
        # For "which drug" questions the other subjects of the same relation and object are right too.
        if item.answer.lower() == fact.subject.lower():
            same = {f.subject.lower() for f in topic.facts if f.relation == fact.relation and f.objects == fact.objects}
            assert not lowered & same, item.id


def test_eye_drop_cyclosporine_is_never_a_wrong_topical_answer(items: list[Item]) -> None:
    item = next(i for i in items if i.id == "topical-cni-examples.choice")
    assert item.answer == "Pimecrolimus"
    assert "Cyclosporine" not in item.distractors and "Tacrolimus" not in item.distractors


def test_list_items_name_their_count(items: list[Item]) -> None:
    from quiz.authoring.wording import COUNT_WORDS

    for item in (i for i in items if i.type == "list"):
        assert re.search(rf"\b{COUNT_WORDS[len(item.answers)]}\b", item.question), item.id


def test_rendered_deck_round_trips(tmp_path: Path) -> None:
    deck = build_deck(load_topic(FACTS))
    out = tmp_path / "d.yaml"
    out.write_text(render(deck, FACTS.name), encoding="utf-8")
    loaded = load_deck(out)
    assert (loaded.id, loaded.name, loaded.description) == (deck.id, deck.name, deck.description)
    assert loaded.items == deck.items


def test_rendering_quotes_what_yaml_would_misread(tmp_path: Path) -> None:
    from quiz.decks.model import Deck

    tricky = ["2021", "yes", "no", "null", "a: b", "#x", "- y", "{{c1::z}}", "ümlaut ✓", "<b>html</b>", "0.1%", "'q'"]
    items = tuple(Item(id=f"i{n}", type="basic", question=t, answer=t, fact="f") for n, t in enumerate(tricky))
    out = tmp_path / "t.yaml"
    out.write_text(render(Deck(id="t", name="T", items=items), "t.facts.yaml"), encoding="utf-8")
    assert [i.answer for i in load_deck(out).items] == tricky
    assert "ümlaut ✓" in out.read_text(encoding="utf-8")  # Unicode kept, not escaped


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", text.lower())


def _shared_runs(texts: list[str], source: str, n: int) -> list[str]:
    sw = _words(source)
    grams = {tuple(sw[i : i + n]) for i in range(len(sw) - n + 1)}
    hits = []
    for t in texts:
        w = _words(t)
        hits += [" ".join(w[i : i + n]) for i in range(len(w) - n + 1) if tuple(w[i : i + n]) in grams]
    return hits


def test_shared_run_detector_catches_a_copy() -> None:
    source = "The quick brown fox jumps over the lazy dog every single day."
    assert _shared_runs(["Note: the quick brown fox jumps over the lazy dog!"], source, 8)
    assert not _shared_runs(["A quick brown fox jumps over a lazy dog."], source, 8)


def _sentences(text: str) -> list[list[str]]:
    """Word lists of the sentences of a text; bullet lines are list entries (terms), not sentences."""
    out = []
    for line in text.splitlines():
        if line.strip().startswith("•"):
            continue
        out += [w for s in re.split(r"(?<=[.!?:;])\s+", line) if len(w := _words(s)) >= MIN_SENTENCE_WORDS]
    return out


def _near_copies(texts: list[str], source: str) -> list[str]:
    from rapidfuzz import fuzz
    from rapidfuzz.distance import Levenshtein

    # Headings ("Topical calcineurin inhibitors") are names, and short: only real sentences count.
    originals = [s for s in _sentences(source) if len(s) > MIN_SENTENCE_WORDS]
    hits = []
    for t in texts:
        for words in _sentences(t):
            for original in originals:
                if Levenshtein.distance(words, original) <= MAX_WORD_EDITS or fuzz.ratio(" ".join(words), " ".join(original)) >= MIN_COPY_RATIO:
                    hits.append(f"{' '.join(words)!r} ~ {' '.join(original)!r}")
    return hits


def test_near_copy_detector() -> None:
    source = "T cells can play a role in organ transplant rejection.\nTopical calcineurin inhibitors\n  • return of a previous infection\n"
    assert _near_copies(["T cells can play a part in organ transplant rejection."], source)  # one word swapped
    assert _near_copies(["Note. T cells may play a part in organ transplant rejection!"], source)  # two
    assert _near_copies(["T cells can play a role in organ-transplant rejection"], source)
    assert not _near_copies(["One kind of white blood cell, T cells, can take part in the rejection of a transplanted organ."], source)
    # List entries and headings are terms: naming them is not copying.
    assert not _near_copies(["Return of a previous infection", "Name two topical calcineurin inhibitors."], source)


@pytest.mark.skipif(not SOURCE.is_file(), reason="the source article is not beside the repo (../shared/seed)")
def test_no_item_is_a_near_copy_of_a_source_sentence(items: list[Item]) -> None:
    source = SOURCE.read_text(encoding="utf-8")
    deck_texts = [t for i in load_deck(DECK).items for t in texts(i)]
    assert _near_copies([t for i in items for t in texts(i)] + deck_texts, source) == []


@pytest.mark.skipif(not SOURCE.is_file(), reason="the source article is not beside the repo (../shared/seed)")
def test_facts_file_has_no_near_copy_of_a_source_sentence() -> None:
    source = SOURCE.read_text(encoding="utf-8")
    values = [line.split(":", 1)[-1] for line in FACTS.read_text(encoding="utf-8").splitlines() if not line.lstrip().startswith("#")]
    assert _near_copies(values, source) == []


@pytest.mark.skipif(not SOURCE.is_file(), reason="the source article is not beside the repo (../shared/seed)")
def test_no_item_copies_the_source(items: list[Item]) -> None:
    source = SOURCE.read_text(encoding="utf-8")
    deck_texts = [t for i in load_deck(DECK).items for t in texts(i)]
    copied = _shared_runs([t for i in items for t in texts(i)] + deck_texts, source, MAX_SHARED_WORDS + 1)
    assert copied == []


@pytest.mark.skipif(not SOURCE.is_file(), reason="the source article is not beside the repo (../shared/seed)")
def test_facts_file_does_not_copy_the_source() -> None:
    source = SOURCE.read_text(encoding="utf-8")
    lines = [line.split(":", 1)[-1] for line in FACTS.read_text(encoding="utf-8").splitlines()]
    assert _shared_runs(lines, source, MAX_SHARED_WORDS + 1) == []


OTHER_TOPIC = """\
topic:
  id: solar-system
  name: The solar system
  source: {title: A made-up primer}
sections:
  planets: Planets
  words: Words
facts:
  - id: mars-class
    subject: Mars
    relation: is-a
    object: rocky planet
    section: planets
    hints: {category: planet}
  - id: inner-planets
    subject: inner planets
    relation: has-member
    object: [Mercury, Venus, Earth, Mars]
    section: planets
    hints: {singular: inner planet}
  - id: outer-planets
    subject: outer planets
    relation: has-member
    object: [Jupiter, Saturn, Uranus, Neptune]
    section: planets
    hints: {singular: outer planet}
  - id: au
    subject: AU
    relation: stands-for
    object: astronomical unit
    section: words
  - id: orbit-time
    subject: Earth
    relation: statement
    object: about 365 days
    section: planets
    hints:
      question: How long does Earth take to go round the Sun?
      cloze: Earth goes round the Sun in about {{c1::365}} days.
"""


def test_schema_fits_another_topic(tmp_path: Path) -> None:
    p = tmp_path / "solar-system.facts.yaml"
    p.write_text(OTHER_TOPIC, encoding="utf-8")
    deck = build_deck(load_topic(p))
    out = tmp_path / "solar-system.yaml"
    out.write_text(render(deck, p.name), encoding="utf-8")
    loaded = load_deck(out)
    by_id = {i.id: i for i in loaded.items}
    assert by_id["mars-class.type-typed"].question == "What type of planet is Mars?"
    assert by_id["inner-planets.list"].question == "Name four inner planets."
    choice = by_id["outer-planets.choice"]
    assert choice.answer in {"Jupiter", "Saturn", "Uranus", "Neptune"}
    assert set(choice.distractors) <= {"Mercury", "Venus", "Earth", "Mars"}
    assert by_id["au.reverse"].answer == "Astronomical unit"
    assert by_id["orbit-time.basic"].answer == "About 365 days"
    assert {i.type for i in loaded.items} == {"typed", "cloze", "list", "choice", "reverse", "basic"}


# --- QA review, second round: one defensible answer per item ---------------------------------


def test_a_cloze_or_typed_answer_is_not_given_away_by_its_own_question(items: list[Item]) -> None:
    # "Calcineurin inhibitors work by blocking [calcineurin]" taught nothing.
    from quiz.decks.cloze import blank, deletions

    for item in items:
        if item.type == "cloze":
            shown = " ".join(_words(blank(item.text)))
            answers = [d.answer for d in deletions(item.text)]
        elif item.type == "typed":
            shown, answers = " ".join(_words(item.question)), [item.answer]
        else:
            continue
        for answer in answers:
            assert f" {' '.join(_words(answer))} " not in f" {shown} ", item.id


def test_every_autoimmune_condition_named_is_in_the_autoimmune_list(items: list[Item]) -> None:
    # A list that leaves out one the source names (vitiligo) marks a right answer wrong.
    topic = load_topic(FACTS)
    named = {
        v
        for f in topic.facts
        if f.relation == "treats" and f.subject == "calcineurin inhibitors"
        and "autoimmune" in (f.hint("category") + f.hint("question")).lower()
        for v in f.objects
    }
    listed = next(i for i in items if i.id == "cni-autoimmune-disorders.list")
    assert named == set(listed.answers) == {"lupus", "psoriasis", "rheumatoid arthritis", "vitiligo"}
    assert "four" in listed.question


def test_reverse_items_pair_a_term_with_a_description_that_names_it_alone(items: list[Item]) -> None:
    reverse = [i for i in items if i.type == "reverse"]
    assert {i.id for i in reverse} >= {"off-label-definition.reverse", "tinea-incognito-fungal.reverse"}
    for item in reverse:
        # quiz shows the answer side and expects the question side: a short term.
        assert len(_words(item.question)) <= 3 < len(_words(item.answer)), item.id
        # The description does not give the term away.
        assert " ".join(_words(item.question)) not in " ".join(_words(item.answer)), item.id
    assert len({i.question.lower() for i in reverse}) == len({i.answer.lower() for i in reverse}) == len(reverse)


def test_questions_the_reviewer_found_ambiguous_are_reworded(items: list[Item]) -> None:
    by_id = {i.id: i for i in items}
    assert by_id["t-cells-white-blood-cells.type-typed"].question == "T cells are counted among which blood cells, the red or the white?"
    assert [i.type for i in items if i.fact == "calcineurin-protein"] == []  # its only choice was absurd
    assert "enzyme" not in " ".join(t.lower() for i in items for t in texts(i))
    assert by_id["voclosporin-combination.basic"].question.startswith("What kind of drugs")
    depends = by_id["side-effects-depend.other-typed"]
    assert depends.answer == "Whether it is topical or systemic" and "topical or systemic" in depends.accept
    assert not any(i.fact == "cni-block-calcineurin" for i in items)


def test_typed_number_answers_accept_written_forms_but_not_other_numbers(items: list[Item]) -> None:
    from quiz.study.grading import check_typed

    by_id = {i.id: i for i in items}
    conc = by_id["tacrolimus-topical-adults.concentration-typed"]
    for given in ("0.1%", "0.10%", "0.1 percent", "0.1"):
        assert check_typed(conc, given).correct, given
    for given in ("1%", "0.01%", "10%"):
        assert not check_typed(conc, given).correct, given
    age = by_id["pimecrolimus-age.typed"]
    assert check_typed(age, "two years old").correct and check_typed(age, "2 years").correct
    assert not check_typed(age, "15 years").correct


def test_templates_hint_makes_only_the_named_templates(tmp_path: Path) -> None:
    p = tmp_path / "solar-system.facts.yaml"
    p.write_text(OTHER_TOPIC.replace("    section: words\n", "    section: words\n    hints: {templates: [reverse]}\n"), encoding="utf-8")
    made = [i.id for i in generate(load_topic(p)) if i.fact == "au"]
    assert made == ["au.reverse"]
