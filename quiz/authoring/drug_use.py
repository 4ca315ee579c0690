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
        "question": f"{cap(form(f))} can ease the symptoms of which condition, in its {sev} forms?",
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
    if not distractors:
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
    return {"question": f"After {after}, {f.subject} may make which condition less likely?", "answer": cap(f.object)}


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
    if f.is_list:
        return None
    if f.qualifiers.get("alone"):
        return {
            "question": f"Must {f.subject} always be combined with {f.object}?",
            "answer": f"No: doctors may prescribe it alone or together with {f.object}",
        }
    return {"question": f"What kind of drugs may a doctor recommend alongside {f.subject}?", "answer": cap(f.object)}


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
    return {"question": question + ".", "answers": list(f.objects)}


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
    return {"question": f"How often do you typically take {f.subject}?", "answer": answer, "accept": accepts(f, answer)}


def forms_list(f: Fact, ctx: Context) -> Fields | None:
    if not f.is_list:
        return None
    return {"question": f"Name the {count(len(f.objects))} forms in which {f.subject} is available.", "answers": list(f.objects)}


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
    return {"question": f"In which year did the {regulator} approve {f.subject} for {target}?", "answer": year}


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
    regulator, year, target = _approval(f)
    when = f" in {year}" if year else ""
    return {"question": f"What did the {regulator} approve {f.subject} to treat{when}?", "answer": cap(target)}
