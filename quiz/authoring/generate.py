"""Facts -> deck items -> deck YAML text, deterministically.

Item ids are ``<fact id>.<template name>``: they never depend on wording, so rewording a fact
keeps each card's review history. Output is sorted and has no timestamps, so building twice
gives the same bytes. Hand-written items live in ``data/<topic>.items.yaml`` (a deck file of
its own) and are appended after the generated ones; see docs/facts.md.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import yaml

from quiz.decks import cloze
from quiz.decks.loader import load_deck
from quiz.errors import InvalidFile, Problem, display_path
from quiz.authoring.fact_model import Fact, Topic
from quiz.authoring.facts import load_topic
from quiz.decks.model import Deck, Item
from quiz.authoring.templates import RELATIONS
from quiz.authoring.wording import Context, cap

SCHEMA_LINE = "# yaml-language-server: $schema=../schema/deck.schema.json"
ITEM_KEY_ORDER = ("id", "type", "question", "text", "answer", "answers", "accept", "distractors", "tags", "fact", "source", "guid")


def generate(topic: Topic) -> list[Item]:
    """Every item the templates make from the topic's facts, in fact order then template order."""
    ctx = Context(topic.facts, topic.name)
    items: list[Item] = []
    for fact in topic.facts:
        if fact.skip:
            continue
        wanted = fact.hint_list("templates")
        for template in RELATIONS[fact.relation]:
            if wanted and template.name not in wanted:
                continue
            fields = template.make(fact, ctx)
            if fields is None or not _usable(template.type, fields):
                continue
            if template.type == "choice":  # options read as a menu: each starts with a capital
                fields["answer"] = cap(str(fields["answer"]))
                fields["distractors"] = [cap(d) for d in fields["distractors"]]  # type: ignore[attr-defined]
            tags = tuple(dict.fromkeys((fact.section, *fact.hint_list("tags"))))
            items.append(
                Item(
                    id=f"{fact.id}.{template.name}",
                    type=template.type,  # type: ignore[arg-type]
                    question=str(fields.get("question", "")),
                    answer=str(fields.get("answer", "")),
                    text=str(fields.get("text", "")),
                    answers=tuple(fields.get("answers", ())),  # type: ignore[arg-type]
                    answers_accept=_entry_forms(fact, fields),
                    accept=tuple(fields.get("accept", ())),  # type: ignore[arg-type]
                    distractors=tuple(fields.get("distractors", ())),  # type: ignore[arg-type]
                    tags=tags,
                    fact=fact.id,
                    source=topic.sections[fact.section],
                )
            )
    return items


def _entry_forms(fact: Fact, fields: dict[str, object]) -> tuple[tuple[str, ...], ...]:
    """A list item's per-entry accepted forms: the template's own (route words) and the fact's
    ``entry_accept``, without repeats and never the entry itself."""
    answers = [str(a) for a in fields.get("answers", ())]  # type: ignore[attr-defined]
    if not answers:
        return ()
    from_template: dict[str, tuple[str, ...]] = fields.get("answers_accept", {})  # type: ignore[assignment]
    out = []
    for answer, hinted in zip(answers, fact.entry_forms(answers)):
        forms = dict.fromkeys((*from_template.get(answer, ()), *hinted))
        out.append(tuple(f for f in forms if f.lower() != answer.lower()))
    return tuple(out)


def hand_items_path(facts_path: Path) -> Path:
    name = facts_path.name.removesuffix(".facts.yaml")
    return facts_path.with_name(f"{name}.items.yaml")


def hand_items(topic: Topic, path: Path, generated: list[Item]) -> list[Item]:
    """Items written by hand beside the facts file, checked against the topic and the generated ids."""
    if not path.exists():
        return []
    deck = load_deck(path)
    shown = display_path(path)
    problems: list[Problem] = []
    if deck.id != topic.id:
        problems.append(Problem(shown, f"deck id {deck.id!r} should be the topic id {topic.id!r}"))
    sections = {f.id: topic.sections[f.section] for f in topic.facts}
    titles = set(topic.sections.values())
    taken = {i.id for i in generated}
    out: list[Item] = []
    for item in deck.items:
        if item.id in taken:
            problems.append(Problem(shown, f"item id {item.id!r} is already used by a generated item", item.line))
        if item.fact is None:
            problems.append(Problem(shown, f"item {item.id!r} needs 'fact:' naming the fact it tests", item.line))
        elif item.fact not in sections:
            problems.append(Problem(shown, f"item {item.id!r} names unknown fact {item.fact!r}", item.line))
        elif item.source is None:
            item = replace(item, source=sections[item.fact])  # the section its fact comes from
        elif item.source not in titles:
            problems.append(Problem(shown, f"item {item.id!r}: source {item.source!r} is not a section title of the topic", item.line))
        out.append(item)
    if problems:
        raise InvalidFile(problems)
    return out


def _usable(kind: str, fields: dict[str, object]) -> bool:
    """Whether the fields make a valid item of this type (a template may come up short)."""
    if kind == "list":
        answers = fields.get("answers", ())
        return isinstance(answers, (list, tuple)) and len(set(answers)) >= 2
    if kind == "choice":
        return bool(fields.get("distractors"))
    if kind == "cloze":
        return bool(cloze.deletions(str(fields.get("text", ""))))
    return bool(str(fields.get("question", "")).strip() and str(fields.get("answer", "")).strip())


def build_deck(topic: Topic) -> Deck:
    generated = generate(topic)
    carded = {i.fact for i in generated}
    silent = [f for f in topic.facts if not f.skip and f.id not in carded]
    if silent:
        # Every fact is either carded or skipped with a reason: nothing is dropped unnoticed.
        shown = display_path(topic.path) if topic.path else topic.id
        raise InvalidFile([
            Problem(shown, f"fact {f.id!r} makes no items: add hints (question/answer or cloze) or 'skip: reason'", f.line)
            for f in silent
        ])
    extra = hand_items(topic, hand_items_path(topic.path), generated) if topic.path else []
    return Deck(id=topic.id, name=topic.name, description=topic.description, items=tuple(generated + extra))


class _Dumper(yaml.SafeDumper):
    """Block style with list entries indented under their key, as people write YAML."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)


class _Inline(list):  # type: ignore[type-arg]
    """A short list written on one line: ``tags: [overview]``."""


_Dumper.add_representer(_Inline, lambda d, v: d.represent_sequence("tag:yaml.org,2002:seq", v, flow_style=True))


def _item_dict(item: Item) -> dict[str, object]:
    out: dict[str, object] = {}
    for key in ITEM_KEY_ORDER:
        value = getattr(item, key)
        if value in (None, "", ()):
            continue
        if key == "tags":
            out[key] = _Inline(value)
        elif key == "answers":  # an entry with other accepted forms: {answer: X, accept: [Y]}
            out[key] = [{"answer": e.answer, "accept": _Inline(e.accept)} if e.accept else e.answer for e in item.entries]
        else:
            out[key] = list(value) if isinstance(value, tuple) else value
    return out


def render(deck: Deck, facts_name: str) -> str:
    """The deck as YAML text, with a header saying it is generated and from what."""
    body = {
        "deck": {"id": deck.id, "name": deck.name, **({"description": deck.description} if deck.description else {})},
        "items": [_item_dict(i) for i in deck.items],
    }
    text = yaml.dump(body, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=4096, default_flow_style=False)
    header = (
        f"{SCHEMA_LINE}\n"
        f"# Generated by `quiz build` from data/{facts_name}: do not edit by hand.\n"
        "# Change the facts (or the hand-written items file beside them) and run `quiz build`.\n"
    )
    # A blank line between items, none before the first.
    return header + text.replace("\n  - id:", "\n\n  - id:").replace("items:\n\n", "items:\n", 1)


def plan(facts_paths: list[Path], out_dir: Path) -> list[tuple[Path, str]]:
    """(deck path, deck text) for each facts file; every problem in every file raised together."""
    problems: list[Problem] = []
    out: list[tuple[Path, str]] = []
    seen: dict[str, Path] = {}
    for path in facts_paths:
        try:
            topic = load_topic(path)
            deck = build_deck(topic)
        except InvalidFile as e:
            problems.extend(e.problems)
            continue
        if topic.id in seen:
            problems.append(Problem(display_path(path), f"topic id {topic.id!r} is also the id in {display_path(seen[topic.id])}"))
            continue
        seen[topic.id] = path
        out.append((out_dir / f"{topic.id}.yaml", render(deck, path.name)))
    if problems:
        raise InvalidFile(problems)
    return out
