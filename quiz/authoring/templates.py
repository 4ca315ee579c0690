"""Templates per relation: each turns one fact into at most one item of one type.

A template returns the item's text fields (question/answer/text/answers/accept/distractors)
or None when the fact does not suit it (e.g. a choice needs sibling facts for distractors).
quiz/authoring/generate.py adds the id (``<fact id>.<template name>``), type, tags, fact and source.
Wording lives here, per relation; a fact may steer it with ``hints`` (docs/facts.md).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from quiz.authoring.fact_model import Fact
from quiz.authoring.drug_use import (
    approved_drug_choice,
    approved_for_basic,
    approved_year_typed,
    combined_alone_typed,
    combined_basic,
    combined_list,
    concentration_typed,
    form_typed,
    forms_list,
    frequency_typed,
    group_choice,
    lowers_risk_basic,
    lowers_risk_cloze,
    other_route_typed,
    prevents_cloze,
    recommended_cloze,
    route_list,
    route_typed,
    severity_basic,
    severity_cloze,
    suitable_typed,
    transplants_choice,
    transplants_list,
    treats_basic,
    treats_list,
)
from quiz.authoring.wording import (
    Fields,
    MAX_DISTRACTORS,
    Context,
    accepts,
    article,
    cap,
    count,
    is_plural,
    pick,
)

# --- shared templates -------------------------------------------------------------------

def hinted_basic(f: Fact, ctx: Context) -> Fields | None:
    if not f.hint("question"):
        return None
    return {"question": f.hint("question"), "answer": cap(f.hint("answer") or f.object)}


def hinted_cloze(f: Fact, ctx: Context) -> Fields | None:
    return {"text": f.hint("cloze")} if f.hint("cloze") else None


def hinted_list(f: Fact, ctx: Context) -> Fields | None:
    if not f.is_list or len(f.objects) < 2:
        return None
    question = f.hint("question") or f"Name the {count(len(f.objects))} {f.hint('category') or 'items'} for {f.subject}."
    return {"question": question, "answers": list(f.objects)}


# --- is-a / part-of / stands-for / defined-as ------------------------------------------

def is_a_typed(f: Fact, ctx: Context) -> Fields:
    verb = "are" if is_plural(f) else "is"
    answer = cap(f.object + "s") if is_plural(f) else cap(article(f.object))
    # "What type of cell…" can have several right answers (immune cell, white blood cell):
    # a fact whose class is not the only one the source gives words its own question.
    question = f.hint("question") or f"What type of {f.hint('category') or 'thing'} {verb} {f.subject}?"
    answer = f.hint("answer") or answer
    return {"question": question, "answer": answer, "accept": accepts(f, answer, f.object)}


def is_a_cloze(f: Fact, ctx: Context) -> Fields:
    if f.hint("cloze"):
        return {"text": f.hint("cloze")}
    verb = "are" if is_plural(f) else "is"
    return {"text": f"{cap(f.subject)} {verb} one kind of {{{{c1::{f.object}}}}}."}


def is_a_choice(f: Fact, ctx: Context) -> Fields | None:
    """Which of these is X? Only where the author names the facts whose classes are wrong
    answers (``distractors_from``): a class from elsewhere in the topic may also be true."""
    if not f.hint_list("distractors_from"):
        return None
    distractors = [article(d) for d in ctx.pool(f, set(f.objects), [])]
    return {
        "question": f"Which of these {'are' if is_plural(f) else 'is'} {f.subject}?",
        "answer": article(f.object),
        "distractors": pick(distractors, MAX_DISTRACTORS, f.id + ".choice"),
    }


def described_reverse(f: Fact, ctx: Context) -> Fields | None:
    """Term <-> description, both ways in Anki: the description (hint ``describe``) must name
    the subject and nothing else the topic mentions."""
    if not f.hint("describe"):
        return None
    return {"question": cap(f.subject), "answer": cap(f.hint("describe"))}


def part_of_typed(f: Fact, ctx: Context) -> Fields:
    the = f.hint("article")
    answer = cap(f"{the} {f.object}" if the else f.object)
    return {
        "question": f"Which body system are {f.subject} part of?",
        "answer": answer,
        "accept": accepts(f, answer, f.object),
    }


def stands_for_typed(f: Fact, ctx: Context) -> Fields:
    return {
        "question": f"What does the abbreviation {f.subject} stand for?",
        "answer": cap(f.object),
        "accept": accepts(f, cap(f.object), f.object),
    }


def stands_for_reverse(f: Fact, ctx: Context) -> Fields:
    return {"question": f.subject, "answer": cap(f.object)}


def defined_as_reverse(f: Fact, ctx: Context) -> Fields:
    # A term and its definition: Anki asks both ways; quiz shows the definition.
    return {"question": cap(f.subject), "answer": cap(f.hint("describe") or f.hint("answer") or f.object)}


# --- groups and members -----------------------------------------------------------------

def members_list(f: Fact, ctx: Context) -> Fields:
    return {"question": f"Name {count(len(f.objects))} {f.subject}.", "answers": list(f.objects)}


def members_choice(f: Fact, ctx: Context) -> Fields | None:
    siblings = ctx.siblings(f)
    elsewhere = {v for s in siblings for v in s.objects}
    unique = [m for m in f.objects if m not in elsewhere]
    distractors = ctx.pool(f, set(f.objects), siblings)
    if not unique or not distractors:
        return None
    singular = f.hint("singular") or f.subject
    return {
        "question": f"Which of these is {article(singular)}?",
        "answer": unique[0],
        "distractors": pick(distractors, MAX_DISTRACTORS, f.id + ".choice"),
    }


def uses_list(f: Fact, ctx: Context) -> Fields | None:
    if not f.is_list:
        return None
    question = f.hint("question") or f"Name {count(len(f.objects))} uses of {f.subject}."
    return {"question": question, "answers": list(f.objects)}


# --- mechanism ------------------------------------------------------------------------------

def blocks_cloze(f: Fact, ctx: Context) -> Fields:
    return {"text": f"{cap(f.subject)} work by blocking {{{{c1::{f.object}}}}}."}


def activates_typed(f: Fact, ctx: Context) -> Fields:
    category = f.hint("category") or "cell"
    return {
        "question": f.hint("question") or f"Name a type of {category} that {f.subject} helps to activate.",
        "answer": f.object,
        "accept": accepts(f, f.object),
    }


def activates_cloze(f: Fact, ctx: Context) -> Fields:
    category = f.hint("category") or "cell"
    return {"text": f"{cap(f.subject)} helps {{{{c1::activate}}}} {category}s such as {f.object}."}


def role_cloze(f: Fact, ctx: Context) -> Fields:
    if f.hint("cloze"):
        return {"text": f.hint("cloze")}
    return {"text": f"{{{{c1::{f.subject}}}}} can take part in {f.object}."}


def caused_by_basic(f: Fact, ctx: Context) -> Fields:
    answer = cap(f.object)
    return {"question": f"What does {f.subject} develop from?", "answer": answer, "accept": accepts(f, answer)}


# --- side effects ---------------------------------------------------------------------------

def _ranked_sibling(f: Fact, ctx: Context) -> Fact | None:
    return next((s for s in ctx.siblings(f, same_subject=True) if s.qualifiers.get("rank")), None)


def side_effect_ranked_typed(f: Fact, ctx: Context) -> Fields | None:
    rank = f.qualifiers.get("rank")
    if not rank or f.is_list:
        return None
    answer = cap(f.object)
    return {"question": f"Which side effect of {f.subject} is the {rank}?", "answer": answer, "accept": accepts(f, answer)}


def side_effects_list(f: Fact, ctx: Context) -> Fields | None:
    if not f.is_list or f.qualifiers.get("rank"):
        return None
    n = count(len(f.objects))
    ranked = _ranked_sibling(f, ctx)
    if f.hint("question"):
        question = f.hint("question")
    elif f.hint("category"):
        question = f"Name the {n} {f.hint('category')} listed for {f.subject}."
    elif ranked:
        question = f"Besides {ranked.object}, name the {n} other side effects listed for {f.subject}."
    else:
        question = f"Name the {n} side effects listed for {f.subject}."
    return {"question": question, "answers": list(f.objects)}


def side_effect_site_typed(f: Fact, ctx: Context) -> Fields | None:
    """A side effect felt in a named part of the body: the site is the cue, the feeling the answer."""
    site = f.qualifiers.get("site")
    if not site or f.is_list:
        return None
    answer = cap(f.object)
    what = f.hint("category") or "side effect"
    return {"question": f"What {what} may {f.subject} cause in {site}?", "answer": answer, "accept": accepts(f, answer)}


def depends_list(f: Fact, ctx: Context) -> Fields | None:
    if not f.is_list:
        return None
    return {"question": f"Name the {count(len(f.objects))} things that {f.subject} can depend on.", "answers": list(f.objects)}


def depends_other_typed(f: Fact, ctx: Context) -> Fields | None:
    """Of two things something depends on, give the first and ask for the second: one short
    answer to type instead of two clumsy list entries."""
    if not f.is_list or len(f.objects) != 2:
        return None
    known, asked = f.objects
    answer = cap(asked)
    return {"question": f"Besides {known}, what can {f.subject} depend on?", "answer": answer, "accept": accepts(f, answer)}


# --- the registry -----------------------------------------------------------------------------

@dataclass(frozen=True)
class Template:
    name: str  # the second half of the item id: never rename one, ids would change
    type: str
    make: Callable[[Fact, Context], Fields | None]


T = Template
RELATIONS: dict[str, tuple[Template, ...]] = {
    "is-a": (
        T("type-typed", "typed", is_a_typed),
        T("cloze", "cloze", is_a_cloze),
        T("choice", "choice", is_a_choice),
        T("reverse", "reverse", described_reverse),
    ),
    "part-of": (T("typed", "typed", part_of_typed),),
    "stands-for": (T("typed", "typed", stands_for_typed), T("reverse", "reverse", stands_for_reverse)),
    "defined-as": (T("reverse", "reverse", defined_as_reverse),),
    "kinds": (T("list", "list", hinted_list),),
    "has-member": (T("list", "list", members_list), T("choice", "choice", members_choice)),
    "used-for": (T("list", "list", uses_list),),
    "treats": (
        T("list", "list", treats_list),
        T("basic", "basic", treats_basic),
        T("severity-basic", "basic", severity_basic),
        T("severity-cloze", "cloze", severity_cloze),
        T("concentration-typed", "typed", concentration_typed),
        T("group-choice", "choice", group_choice),
    ),
    "recommended-for": (
        T("concentration-typed", "typed", concentration_typed),
        T("group-choice", "choice", group_choice),
        T("cloze", "cloze", recommended_cloze),
    ),
    "suitable-for": (T("typed", "typed", suitable_typed),),
    "prevents": (T("cloze", "cloze", prevents_cloze), T("basic", "basic", hinted_basic)),
    "prevents-rejection-of": (T("list", "list", transplants_list), T("choice", "choice", transplants_choice)),
    "lowers-risk-of": (T("basic", "basic", lowers_risk_basic), T("cloze", "cloze", lowers_risk_cloze)),
    "combined-with": (
        T("list", "list", combined_list),
        T("basic", "basic", combined_basic),
        T("alone-typed", "typed", combined_alone_typed),
    ),
    "route": (T("typed", "typed", route_typed), T("list", "list", route_list), T("other-typed", "typed", other_route_typed)),
    "frequency": (T("typed", "typed", frequency_typed),),
    "available-as": (T("list", "list", forms_list), T("typed", "typed", form_typed)),
    "approved-for": (
        T("year-typed", "typed", approved_year_typed),
        T("drug-choice", "choice", approved_drug_choice),
        T("basic", "basic", approved_for_basic),
        T("reverse", "reverse", described_reverse),
    ),
    "blocks": (T("cloze", "cloze", blocks_cloze),),
    "helps-activate": (T("typed", "typed", activates_typed), T("cloze", "cloze", activates_cloze)),
    "role-in": (T("cloze", "cloze", role_cloze),),
    "caused-by": (T("basic", "basic", caused_by_basic),),
    "side-effect": (
        T("typed", "typed", side_effect_ranked_typed),
        T("list", "list", side_effects_list),
        T("site-typed", "typed", side_effect_site_typed),
    ),
    "depends-on": (T("list", "list", depends_list), T("other-typed", "typed", depends_other_typed)),
    # Any topic: a fact phrased entirely by its hints (question/answer and/or cloze).
    "statement": (T("basic", "basic", hinted_basic), T("cloze", "cloze", hinted_cloze)),
}
