"""Text for one item's card: its question and answer, provenance, schedule and review history.

Used by the browse screen. Returns Rich markup with every piece of deck or store text escaped.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any, Iterable

from rich.markup import escape

from quiz.decks.model import Deck, Item

STATE_NAMES = {0: "new", 1: "learning", 2: "review", 3: "relearning"}
RATINGS = {1: "Again", 2: "Hard", 3: "Good", 4: "Easy"}


def state_name(value: Any) -> str:
    if isinstance(value, int) and not isinstance(value, bool):
        return STATE_NAMES.get(value, str(value))
    return str(value or "new")


def as_datetime(value: Any) -> datetime | None:
    """Store times are datetimes or integer microseconds since the epoch (UTC)."""
    if value is None or isinstance(value, datetime):
        return value
    if isinstance(value, (int, float)):
        return datetime.fromtimestamp(value / 1_000_000, timezone.utc)
    return None


def local_date(value: Any) -> str:
    dt = as_datetime(value)
    return dt.astimezone().strftime("%Y-%m-%d") if dt else "—"


def local_time(value: Any) -> str:
    dt = as_datetime(value)
    return dt.astimezone().strftime("%Y-%m-%d %H:%M") if dt else "—"


@dataclass(frozen=True)
class CardBrief:
    """What the browse table shows of a card."""

    state: str
    due: datetime | None
    suspended: bool
    buried_until: datetime | None = None  # set aside until then (bury in review)


def card_briefs(store: Any, deck: Deck) -> dict[tuple[str, int], CardBrief]:
    """State, due date and suspension of every card of a deck, by (item id, ord), in one query.

    Store.card_info costs three queries a card; a 100,000-item deck needs one pass instead.
    """
    rows = store.query(
        "SELECT item_id, ord, state, due, suspended, buried_until FROM cards WHERE deck_id = ?", (deck.id,)
    )
    return {(r[0], r[1]): CardBrief(state_name(r[2]), as_datetime(r[3]), bool(r[4]), as_datetime(r[5])) for r in rows}


def _fact_text(fact_id: str) -> str | None:
    """The fact's statement and source document, from the built-in facts files when found."""
    try:
        from quiz.tui.facts_lookup import fact_info
    except ImportError:
        return None
    info = fact_info(fact_id)
    if info is None:
        return None
    statement = getattr(info, "statement", "")
    source = getattr(info, "source", "")
    return f"{statement} ({source})" if source else statement or None


def describe_item(item: Item) -> list[str]:
    lines: list[str] = []
    if item.type == "cloze":
        from quiz.decks.cloze import reveal

        lines.append(f"[b]Text:[/b] {escape(reveal(item.text))}")
    else:
        q, a = item.prompt, item.back  # a reverse card's own direction
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
        text = _fact_text(item.fact)
        lines.append(f"[dim]Fact:[/dim] {escape(item.fact)}" + (f" — {escape(text)}" if text else ""))
    return lines


def describe_card(deck_name: str, item: Item, info: Any, now: datetime | None = None) -> str:
    kind = f"{item.type}: {item.card_label}" if item.card_label else item.type
    head = f"[b]{escape(item.id)}[/b] [dim]({escape(kind)}, {escape(deck_name)})[/dim]"
    state = state_name(getattr(info, "state", None))
    parts = [f"state {state}"]
    if getattr(info, "suspended", False):
        parts.append("[b]suspended[/b]")
    buried = as_datetime(getattr(info, "buried_until", None))
    if buried is not None and buried > (now or datetime.now(timezone.utc)):
        parts.append(f"[b]buried[/b] until {local_time(buried)}")
    if state != "new":
        parts.append(f"due {local_time(getattr(info, 'due', None))}")
    for name, label in (("reps", "reviews"), ("lapses", "lapses")):
        value = getattr(info, name, None)
        if value is not None:
            parts.append(f"{label} {value}")
    stability = getattr(info, "stability", None)
    if stability is not None:
        parts.append(f"stability {stability:.1f}d")
    if getattr(info, "leech", False):
        parts.append("[b]leech[/b]")
    return "\n".join([head, *describe_item(item), "[dim]Card:[/dim] " + " · ".join(parts)])


def describe_history(rows: Iterable[Any]) -> str:
    rows = list(rows)
    if not rows:
        return "[dim]Review history: none yet.[/dim]"
    lines = [f"[b]Review history[/b] ({len(rows)})"]
    for r in rows:
        when = local_time(getattr(r, "time", None) or getattr(r, "reviewed_at", None))
        rating = RATINGS.get(getattr(r, "rating", 0), "?")
        before = state_name(getattr(r, "state_before", None))
        after = state_name(getattr(r, "state_after", None))
        ms = getattr(r, "duration_ms", 0) or 0
        undone = " [dim](undone)[/dim]" if getattr(r, "undone", False) else ""
        lines.append(f"{when}  {rating:<5}  {before} → {after}  {ms / 1000:.1f}s{undone}")
    return "\n".join(lines)
