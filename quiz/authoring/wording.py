"""Wording helpers shared by the templates: counts, articles, accepted answer forms, and
the Context through which a template sees the topic's other facts (for distractors).
"""

from __future__ import annotations

import hashlib
import random

from quiz.authoring.fact_model import Fact

Fields = dict[str, object]  # an item's text fields, as a template returns them

COUNT_WORDS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve")
# Answer forms for routes the generator can accept besides the stored word.
ROUTE_FORMS = {
    "oral": ("orally", "by mouth", "oral"),
    "intravenous": ("IV", "intravenously", "i.v.", "by IV", "intravenous"),
}
MAX_DISTRACTORS = 3


class Context:
    """What templates may look at beyond their own fact: the topic's other facts."""

    def __init__(self, facts: tuple[Fact, ...], umbrella: str) -> None:
        self.facts = facts
        self.umbrella = umbrella.lower()  # the topic's own subject ("calcineurin inhibitors")
        self.by_id = {f.id: f for f in facts}

    def siblings(self, fact: Fact, *, same_subject: bool | None = None) -> list[Fact]:
        out = [f for f in self.facts if f.relation == fact.relation and f.id != fact.id]
        if same_subject is not None:
            out = [f for f in out if (f.subject == fact.subject) == same_subject]
        return out

    def pool(self, fact: Fact, correct: set[str], siblings: list[Fact]) -> list[str]:
        """Wrong answers: values of sibling facts and hinted facts that are not correct."""
        values: list[str] = []
        for f in siblings + [self.by_id[i] for i in fact.hint_list("distractors_from")]:
            values.extend(f.objects)
        # A value the topic states of its whole subject holds for every member: never wrong.
        for f in self.facts:
            if f.relation == fact.relation and f.subject.lower() == self.umbrella:
                correct = correct | set(f.objects)
        banned = {v.lower() for v in correct | set(fact.hint_list("not_distractors"))}
        return sorted({v for v in values if v.lower() not in banned})


def rng(key: str) -> random.Random:
    """A random source fixed by ``key`` (an item id): same choices on every run."""
    return random.Random(int.from_bytes(hashlib.sha256(key.encode()).digest()[:8], "big"))


def pick(pool: list[str], n: int, key: str) -> list[str]:
    return rng(key).sample(pool, min(n, len(pool)))


def cap(text: str) -> str:
    return text[:1].upper() + text[1:] if text[:1].islower() else text


def article(noun: str) -> str:
    return ("an " if noun[:1].lower() in "aeiou" else "a ") + noun


def count(n: int) -> str:
    return COUNT_WORDS[n] if n < len(COUNT_WORDS) else str(n)


def accepts(fact: Fact, answer: str, *extra: str) -> list[str]:
    """Accepted variants for a typed answer, without repeating the answer itself."""
    seen = {answer.lower()}
    out = []
    for value in (*extra, *fact.hint_list("accept")):
        if value.lower() not in seen:
            seen.add(value.lower())
            out.append(value)
    return out


def percent_forms(value: str) -> tuple[str, ...]:
    if not value.endswith("%"):
        return ()
    number = value[:-1].strip()
    # No ".1%": graded text loses its punctuation, so it would read as "1" and let "1%" pass.
    trailing = (f"{number}0%",) if "." in number else ()
    return (f"{number} percent", f"{number} %", f"{number} per cent", number, *trailing)


def is_plural(fact: Fact) -> bool:
    return fact.flag("plural")


def form(fact: Fact) -> str:
    """The subject with its route and concentration: 'topical tacrolimus at 0.1%'."""
    q = fact.qualifiers
    text = f"{q['route']} {fact.subject}" if "route" in q else fact.subject
    return f"{text} at {q['concentration']}" if "concentration" in q else text
