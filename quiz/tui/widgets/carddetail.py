"""Text for one item's card: its question and answer, provenance, schedule and review history.

Used by the browse screen with what Collection.card_detail returns. Returns Rich markup with
every piece of deck or store text escaped.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from rich.markup import escape

from quiz.card_state import Rating
from quiz.collection import CardInfo, FactInfo, ReviewRow
from quiz.decks.cloze import reveal
from quiz.decks.model import Item


def local_date(dt: datetime | None) -> str:
    return dt.astimezone().strftime("%Y-%m-%d") if dt else "—"


def local_time(dt: datetime | None) -> str:
    return dt.astimezone().strftime("%Y-%m-%d %H:%M") if dt else "—"


def describe_item(item: Item, fact: FactInfo | None = None) -> list[str]:
    lines: list[str] = []
    if item.type == "cloze":
        lines.append(f"[b]Text:[/b] {escape(reveal(item.text))}")
    else:
        q = item.answer if item.type == "reverse" else item.question
        a = item.question if item.type == "reverse" else item.expected
        lines.append(f"[b]Q:[/b] {escape(q)}")
        lines.append(f"[b]A:[/b] {escape(a)}")
    if item.type == "choice" and item.distractors:
        lines.append(f"[dim]Other choices:[/dim] {escape(' · '.join(item.distractors))}")
    if item.accept:
        lines.append(f"[dim]Also accepted:[/dim] {escape(' · '.join(item.accept))}")
    where = []
    if item.tags:
        where.append(f"[dim]Tags:[/dim] {escape(' '.join('#' + t for t in item.tags))}")
    if item.source:
        where.append(f"[dim]Source section:[/dim] {escape(item.source)}")
    if where:
        lines.append(" · ".join(where))
    if item.fact:
        text = None
        if fact is not None:
            text = f"{fact.statement} ({fact.source})" if fact.source else fact.statement or None
        lines.append(f"[dim]Fact:[/dim] {escape(item.fact)}" + (f" — {escape(text)}" if text else ""))
    return lines


def describe_card(deck_name: str, item: Item, info: CardInfo | None, now: datetime,
                  fact: FactInfo | None = None) -> str:
    head = f"[b]{escape(item.id)}[/b] [dim]({escape(item.type)}, {escape(deck_name)})[/dim]"
    state = info.state if info is not None else "new"
    parts = [f"state {state}"]
    if info is not None:
        if info.suspended:
            parts.append("[b]suspended[/b]")
        if info.buried_until is not None and info.buried_until > now:
            parts.append(f"[b]buried[/b] until {local_time(info.buried_until)}")
        if state != "new":
            parts.append(f"due {local_time(info.due)}")
        parts.append(f"reviews {info.reps}")
        parts.append(f"lapses {info.lapses}")
        if info.stability is not None:
            parts.append(f"stability {info.stability:.1f}d")
        if info.leech:
            parts.append("[b]leech[/b]")
    return "\n".join([head, *describe_item(item, fact), "[dim]Card:[/dim] " + " · ".join(parts)])


def describe_history(rows: Iterable[ReviewRow]) -> str:
    rows = list(rows)
    if not rows:
        return "[dim]Review history: none yet.[/dim]"
    lines = [f"[b]Review history[/b] ({len(rows)})"]
    for r in rows:
        rating = Rating(r.rating).label if r.rating in tuple(Rating) else "?"
        undone = " [dim](undone)[/dim]" if r.undone else ""
        lines.append(
            f"{local_time(r.time)}  {rating:<5}  {r.state_before} → {r.state_after}  {r.duration_ms / 1000:.1f}s{undone}"
        )
    return "\n".join(lines)
