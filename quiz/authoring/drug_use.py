"""Templates for how a drug (or any thing) is used: what it treats or prevents, with what it is
combined, by which route, how often, in which forms, and what a regulator approved it for.

Each returns an item's text fields or None; quiz/authoring/templates.py lists them per relation.
"""

from __future__ import annotations

from quiz.authoring.fact_model import Fact
from quiz.authoring.wording import (
    MAX_DISTRACTORS,
    ROUTE_FORMS,
    Context,
    Fields,
    accepts,
    article,
    cap,
    count,
    form,
    percent_forms,
    pick,
)


# --- treating, preventing, recommending ---------------------------------------------------

def _treats_phrase(f: Fact) -> str:
    """'can help treat atopic dermatitis in adults' / 'may be recommended for children ...'."""
    if f.relation == "recommended-for":
        return f"may doctors recommend for {f.object}"
    pop = f.qualifiers.get("population")
    return f"is used for {f.object}" + (f" in {pop}" if pop else "")


def _group(f: Fact) -> str | None:
    return f.object if f.relation == "recommended-for" else f.qualifiers.get("population")


def treats_list(f: Fact, ctx: Context) -> Fields | None:
    if not f.is_list:
        return None
    category = f.hint("category") or "conditions"
    return {
        "question": f.hint("question") or f"Name {count(len(f.objects))} {category} that {f.subject} can help treat.",
        "answers": list(f.objects),
    }


def treats_basic(f: Fact, ctx: Context) -> Fields | None:
    if f.is_list or "severity" in f.qualifiers:
        return None
    q = f.qualifiers
    if f.hint("category"):  # the object is one example of a wider group
        question = f"Name {article(f.hint('category'))} that {form(f)} can help treat."
    else:
        question = f"{cap(form(f))} may help treat which condition"
        question += f" in {q['population']}" if "population" in q else ""
        question += f" when it affects {q['site']}" if "site" in q else ""
        question += "?"
        if q.get("label") == "off-label":
            question = "Off-label, " + question[0].lower() + question[1:]
    return {"question": question, "answer": cap(f.object), "accept": accepts(f, cap(f.object))}


def severity_basic(f: Fact, ctx: Context) -> Fields | None:
    sev = f.qualifiers.get("severity")
    if not sev:
        return None
    return {
        "question": f"{cap(form(f))} can ease the symptoms of which condition when it is {sev}?",
        "answer": cap(f.object),
    }


def severity_cloze(f: Fact, ctx: Context) -> Fields | None:
    sev = f.qualifiers.get("severity")
    if not sev:
        return None
    return {"text": f"{cap(form(f))} can ease symptoms when {f.object} is {{{{c1::{sev}}}}}."}


def concentration_typed(f: Fact, ctx: Context) -> Fields | None:
    conc = f.qualifiers.get("concentration")
    if not conc:
        return None
    route = f.qualifiers.get("route", "")
    what = f"{route} {f.subject}".strip()
    question = f"What concentration of {what} {_treats_phrase(f)}?"
    return {"question": question, "answer": conc, "accept": accepts(f, conc, *percent_forms(conc))}


def group_choice(f: Fact, ctx: Context) -> Fields | None:
    conc, group = f.qualifiers.get("concentration"), _group(f)
    if not conc or not group:
        return None
    others = [s for s in ctx.facts if s.id != f.id and s.subject == f.subject and s.qualifiers.get("concentration")
              and s.qualifiers.get("concentration") != conc]
    distractors = sorted({cap(g) for s in others if (g := _group(s)) and g != group})
    # Two options are a coin toss, and the other group's item would be its mirror image.
    if len(distractors) < 2:
        return None
    route = f.qualifiers.get("route", "")
    return {
        "question": f"For which group is {route} {f.subject} at a {conc} concentration used?".replace("  ", " "),
        "answer": cap(group),
        "distractors": distractors,
    }


def recommended_cloze(f: Fact, ctx: Context) -> Fields | None:
    conc = f.qualifiers.get("concentration")
    if not conc:
        return None
    route = f.qualifiers.get("route", "")
    what = f"{route} {f.subject}".strip()
    return {"text": f"The concentration of {what} that doctors may suggest for {f.object} is {{{{c1::{conc}}}}}."}


def prevents_cloze(f: Fact, ctx: Context) -> Fields | None:
    if f.hint("cloze"):
        return {"text": f.hint("cloze")}
    if f.hint("question"):
        return None
    return {"text": f"Doctors may give {f.subject} to help guard against {{{{c1::{f.object}}}}}."}


def transplants_list(f: Fact, ctx: Context) -> Fields:
    n = count(len(f.objects))
    if f.qualifiers.get("label") == "off-label":
        question = f"Name {n} transplants for which {f.subject} may be used off-label to help prevent rejection."
    else:
        question = f"Apart from its off-label uses, name {n} organ transplants for which doctors may recommend {f.subject}."
    return {"question": question, "answers": list(f.objects)}


def transplants_choice(f: Fact, ctx: Context) -> Fields | None:
    if f.qualifiers.get("label") != "off-label":
        return None
    on_label = [s for s in ctx.siblings(f, same_subject=True) if s.qualifiers.get("label") != "off-label"]
    distractors = ctx.pool(f, set(f.objects), on_label)
    if not distractors:
        return None
    key = f.id + ".choice"
    return {
        "question": f"For which of these transplants is {f.subject} used off-label to help prevent rejection?",
        "answer": pick(list(f.objects), 1, key)[0],
        "distractors": pick(distractors, MAX_DISTRACTORS, key),
    }


def lowers_risk_basic(f: Fact, ctx: Context) -> Fields | None:
    after = f.qualifiers.get("after")
    if not after:
        return None
    # The label is part of the claim: the source says this of the drug's off-label use.
    used = f"Used {f.qualifiers['label']}, " if f.qualifiers.get("label") else ""
    subject = f.subject if used else cap(f.subject)
    question = f"{used}{subject} may also lower the risk of which condition after {after}?"
    return {"question": cap(question), "answer": cap(f.object), "accept": accepts(f, cap(f.object))}


def lowers_risk_cloze(f: Fact, ctx: Context) -> Fields | None:
    after = f.qualifiers.get("after")
    if not after:
        return None
    return {"text": f"After {{{{c1::{after}}}}}, {f.subject} may make {f.object} less likely."}


# --- combinations, routes, forms, dosing --------------------------------------------------

def combined_list(f: Fact, ctx: Context) -> Fields | None:
    if not f.is_list:
        return None
    purpose = f.qualifiers.get("purpose", "")
    category = f.hint("category") or "medications"
    question = f"Name {count(len(f.objects))} {category} that doctors may give alongside {f.subject} {purpose}".strip()
    return {"question": question + ".", "answers": list(f.objects)}


def combined_basic(f: Fact, ctx: Context) -> Fields | None:
    if f.is_list or f.qualifiers.get("alone"):
        return None
    answer = cap(f.object)
    return {"question": f"What kind of drugs may a doctor recommend alongside {f.subject}?", "answer": answer, "accept": accepts(f, answer)}


ALONE_FORMS = ("alone", "by itself", "on its own", "without other medications", "as the only drug")


def combined_alone_typed(f: Fact, ctx: Context) -> Fields | None:
    """A drug that may be given alone as well as combined: ask for the other way, not yes/no."""
    if f.is_list or not f.qualifiers.get("alone"):
        return None
    answer = "On its own"
    return {
        "question": f"Doctors may give {f.subject} alongside {f.object}. How else may they prescribe it?",
        "answer": answer,
        "accept": accepts(f, answer, *ALONE_FORMS),
    }


def route_typed(f: Fact, ctx: Context) -> Fields | None:
    if f.is_list:
        return None
    answer = cap(f.object)
    return {
        "question": f"By which route is {f.subject} taken?",
        "answer": answer,
        "accept": accepts(f, answer, *ROUTE_FORMS.get(f.object, ())),
    }


def route_list(f: Fact, ctx: Context) -> Fields | None:
    if not f.is_list:
        return None
    purpose = f.qualifiers.get("purpose", "")
    question = f"Name the {count(len(f.objects))} routes by which {f.subject} may be given {purpose}".strip()
    forms = {o: ROUTE_FORMS.get(o, ()) for o in f.objects}
    return {"question": question + ".", "answers": list(f.objects), "answers_accept": forms}


def other_route_typed(f: Fact, ctx: Context) -> Fields | None:
    if not f.is_list or len(f.objects) != 2:
        return None
    known, asked = f.objects
    purpose = f.qualifiers.get("purpose", "")
    answer = cap(asked)
    return {
        "question": f"Besides the {known} route, by which route may {f.subject} be given {purpose}?".replace(" ?", "?"),
        "answer": answer,
        "accept": accepts(f, answer, *ROUTE_FORMS.get(asked, ())),
    }


def frequency_typed(f: Fact, ctx: Context) -> Fields:
    answer = cap(f.object)
    return {"question": f"How often is {f.subject} typically taken?", "answer": answer, "accept": accepts(f, answer)}


def forms_list(f: Fact, ctx: Context) -> Fields | None:
    if not f.is_list:
        return None
    return {"question": f"In which {count(len(f.objects))} forms does {f.subject} come?", "answers": list(f.objects)}


def form_typed(f: Fact, ctx: Context) -> Fields | None:
    if f.is_list:
        return None
    answer = cap(article(f.object))
    return {"question": f"In what form does {f.subject} come?", "answer": answer, "accept": accepts(f, answer, f.object)}


def suitable_typed(f: Fact, ctx: Context) -> Fields | None:
    if not (f.hint("question") and f.hint("answer")):
        return None
    return {"question": f.hint("question"), "answer": f.hint("answer"), "accept": accepts(f, f.hint("answer"))}


# --- approvals ------------------------------------------------------------------------------

def _approval(f: Fact) -> tuple[str, str, str]:
    q = f.qualifiers
    target = f.object + (f" in {q['population']}" if "population" in q else "")
    return q.get("regulator", "regulator"), q.get("year", ""), target


def approved_year_typed(f: Fact, ctx: Context) -> Fields | None:
    regulator, year, target = _approval(f)
    if not year:
        return None
    # Without the condition when the basic item asks for it: each would give the other away.
    if _only_approval(f, ctx):
        return {"question": f"In which year did the {regulator} approve {f.subject}?", "answer": year}
    return {"question": f"In which year did the {regulator} approve {f.subject} for {target}?", "answer": year}


def _only_approval(f: Fact, ctx: Context) -> bool:
    """The topic states no other approval of this drug: a question may leave out what for."""
    return not any(s.relation == f.relation and s.subject == f.subject and s.id != f.id for s in ctx.facts)


def approved_drug_choice(f: Fact, ctx: Context) -> Fields | None:
    regulator, year, target = _approval(f)
    approved = {s.subject for s in ctx.facts if s.relation == f.relation and s.object == f.object}
    drugs = {m for s in ctx.facts if s.relation == "has-member" for m in s.objects}
    distractors = sorted(drugs - approved)
    if not distractors:
        return None
    when = f" in {year}" if year else ""
    return {
        "question": f"Which of these drugs did the {regulator} approve{when} to treat {target}?",
        "answer": f.subject,
        "distractors": pick(distractors, MAX_DISTRACTORS, f.id + ".drug-choice"),
    }


def approved_for_basic(f: Fact, ctx: Context) -> Fields:
    q = f.qualifiers
    # Without the year when the drug has one approval: the year item asks for it.
    when = f"In {q['year']}, the" if q.get("year") and not _only_approval(f, ctx) else "The"
    who = f" in {q['population']}" if q.get("population") else ""
    question = f"{when} {q.get('regulator', 'regulator')} approved {f.subject} to treat which condition{who}?"
    answer = cap(f.object)
    return {"question": question, "answer": answer, "accept": accepts(f, answer)}
