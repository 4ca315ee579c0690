"""Text for one item's card: its question and answer, provenance, schedule and review history.

Used by the browse screen with what Collection.card_detail returns. Returns Content: deck and
store text is laid in as text with styles around it, never parsed as markup (escaping is not
enough: "a[/b" followed by "[b]" still parses as a closing tag).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from textual.content import Content

from quiz.card_state import Rating
from quiz.collection import CardInfo, FactInfo, ReviewRow
from quiz.decks.cloze import reveal
from quiz.decks.model import Item


def local_date(dt: datetime | None) -> str:
    return dt.astimezone().strftime("%Y-%m-%d") if dt else "—"


def local_time(dt: datetime | None) -> str:
    return dt.astimezone().strftime("%Y-%m-%d %H:%M") if dt else "—"


Part = str | tuple[str, str]  # plain text, or (text, style): never markup


def _line(*parts: Part) -> Content:
    return Content.assemble(*parts)


def describe_item(item: Item, fact: FactInfo | None = None) -> list[Content]:
    lines: list[Content] = []
    if item.type == "cloze":
        lines.append(_line(("Text:", "bold"), " ", reveal(item.text)))
    else:
        q, a = item.prompt, item.back  # a reverse card's own direction
        lines.append(_line(("Q:", "bold"), " ", q))
        lines.append(_line(("A:", "bold"), " ", a))
    if item.type == "choice" and item.distractors:
        lines.append(_line(("Other choices:", "dim"), " ", " · ".join(item.distractors)))
    if item.accept:
        lines.append(_line(("Also accepted:", "dim"), " ", " · ".join(item.accept)))
    where: list[Part] = []
    if item.tags:
        where += [("Tags:", "dim"), " ", " ".join("#" + t for t in item.tags)]
    if item.source:
        where += [" · "] if where else []
        where += [("Source section:", "dim"), " ", item.source]
    if where:
        lines.append(_line(*where))
    if item.fact:
        text = None
        if fact is not None:
            text = f"{fact.statement} ({fact.source})" if fact.source else fact.statement or None
        lines.append(_line(("Fact:", "dim"), " ", item.fact, f" — {text}" if text else ""))
    return lines


def describe_card(deck_name: str, item: Item, info: CardInfo | None, now: datetime,
                  fact: FactInfo | None = None) -> Content:
    kind = f"{item.type}: {item.card_label}" if item.card_label else item.type
    head = _line((item.id, "bold"), " ", (f"({kind}, {deck_name})", "dim"))
    state = info.state if info is not None else "new"
    parts: list[Part] = [f"state {state}"]
    if info is not None:
        if info.suspended:
            parts.append(("suspended", "bold"))
        if info.buried_until is not None and info.buried_until > now:
            parts += [("buried", "bold"), f" until {local_time(info.buried_until)}"]
        if state != "new":
            parts.append(f"due {local_time(info.due)}")
        parts.append(f"reviews {info.reps}")
        parts.append(f"lapses {info.lapses}")
        if info.stability is not None:
            parts.append(f"stability {info.stability:.1f}d")
        if info.leech:
            parts.append(("leech", "bold"))
    card: list[Part] = [("Card:", "dim"), " "]
    for i, part in enumerate(parts):
        if i and not (isinstance(parts[i - 1], tuple) and parts[i - 1][0] == "buried"):
            card.append(" · ")
        card.append(part)
    return Content("\n").join([head, *describe_item(item, fact), _line(*card)])


def describe_history(rows: Iterable[ReviewRow]) -> Content:
    rows = list(rows)
    if not rows:
        return _line(("Review history: none yet.", "dim"))
    lines = [_line(("Review history", "bold"), f" ({len(rows)})")]
    for r in rows:
        rating = Rating(r.rating).label if r.rating in tuple(Rating) else "?"
        lines.append(_line(
            f"{local_time(r.time)}  {rating:<5}  {r.state_before} → {r.state_after}  {r.duration_ms / 1000:.1f}s",
            (" (undone)", "dim") if r.undone else "",
        ))
    return Content("\n").join(lines)
