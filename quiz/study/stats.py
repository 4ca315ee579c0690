"""Study statistics: counts per deck, today's reviews, retention, and the data for the plots.

All counting is done by SQLite over indexed columns (GROUP BY), never by loading cards.
"""

from __future__ import annotations

import textwrap
from datetime import datetime

from quiz.decks.model import Deck
from quiz.study.queue import DAY_US
from quiz.study.schedule import LEARNING, NEW, RELEARNING, REVIEW, STATE_NAMES, study_day, to_us, utc
from quiz.settings import Settings
from quiz.storage.store import Store

COUNT_KEYS = ("due_today", "new", "learning", "review", "suspended", "reviews_today", "retention_30d")
WEEKS = 12
EXAMS_SHOWN = 20


def _marks(n: int) -> str:
    return ",".join("?" * n)


def compute_stats(
    store: Store,
    decks: list[Deck],
    settings: Settings,
    now: datetime,
    *,
    include_store_decks: bool = False,
) -> dict:  # type: ignore[type-arg]
    """Counts for ``decks`` (synced into the store first); with ``include_store_decks`` also every
    other deck the store knows (decks studied from files not named now)."""
    now = utc(now)
    for d in decks:
        store.sync_deck(d)
    names = {d.id: d.name for d in decks}
    if include_store_decks:
        for k, v in store.decks().items():
            names.setdefault(k, v)
    ids = list(names)
    start, end = study_day(now, settings)
    start_us, end_us, now_us = to_us(start), to_us(end), to_us(now)

    per: dict[str, dict] = {  # type: ignore[type-arg]
        d: {
            "name": names[d],
            "due_today": 0,
            "new": 0,
            "learning": 0,
            "review": 0,
            "suspended": 0,
            "reviews_today": 0,
            "retention_30d": None,
        }
        for d in ids
    }
    # Cards by state, disjoint (sums to the deck's cards): suspended and buried cards count there only.
    states = {"new": 0, "learning": 0, "relearning": 0, "review": 0, "suspended": 0, "buried": 0}
    forecast = [0] * 30
    by_day = [0] * 30
    by_week: list[list[int]] = [[0, 0] for _ in range(WEEKS)]
    kept_30 = [0, 0]  # (passed, total) of reviews of review cards, all decks
    if ids:
        q = _marks(len(ids))
        names_of = {NEW: "new", LEARNING: "learning", RELEARNING: "learning", REVIEW: "review"}
        # Grouped in the index's own order (deck, hidden, suspended, state, buried_until): read
        # from the index alone. "states" is disjoint: a suspended card counts only as suspended,
        # a buried one only as buried, so its parts add up to the cards.
        for deck_id, suspended, state, buried, n in store.query(
            f"SELECT deck_id, suspended, state, buried_until > ?, COUNT(*) FROM cards "
            f"WHERE deck_id IN ({q}) AND hidden = 0 GROUP BY deck_id, suspended, state, 4",
            (now_us, *ids),
        ):
            key = "suspended" if suspended else names_of[state]
            per[deck_id][key] += n
            states["suspended" if suspended else "buried" if buried else STATE_NAMES[state]] += n
        live = f"deck_id IN ({q}) AND suspended = 0 AND hidden = 0 AND state > 0"
        for deck_id, n in store.query(
            f"SELECT deck_id, COUNT(*) FROM cards WHERE {live} AND due < ? AND buried_until <= ? GROUP BY deck_id",
            (*ids, end_us, now_us),
        ):
            per[deck_id]["due_today"] = n
        for bucket, n in store.query(
            f"SELECT MAX(0, (due - ?) / {DAY_US}), COUNT(*) FROM cards WHERE {live} AND due < ? GROUP BY 1",
            (start_us, *ids, start_us + 30 * DAY_US),
        ):
            forecast[int(bucket)] += n

        since_week = start_us - (WEEKS * 7 - 1) * DAY_US
        # Every revlog query below reads only the covering index revlog_time.
        logs = f"FROM revlog r WHERE r.undone = 0 AND r.deck_id IN ({q})"
        for deck_id, today, passed30, total30 in store.query(
            f"SELECT r.deck_id, SUM(r.time >= ?), SUM(r.time >= ? AND r.state_before = {REVIEW} AND r.rating > 1), "
            f"SUM(r.time >= ? AND r.state_before = {REVIEW}) {logs} AND r.time >= ? GROUP BY r.deck_id",
            (start_us, now_us - 30 * DAY_US, now_us - 30 * DAY_US, *ids, min(start_us, now_us - 30 * DAY_US)),
        ):
            p = per[deck_id]
            p["reviews_today"] = today
            p["retention_30d"] = _ratio(passed30, total30)
            kept_30[0] += passed30
            kept_30[1] += total30
        for bucket, n in store.query(
            f"SELECT (r.time - ?) / {DAY_US}, COUNT(*) {logs} AND r.time >= ? GROUP BY 1",
            (start_us - 29 * DAY_US, *ids, start_us - 29 * DAY_US),
        ):
            if 0 <= bucket < 30:
                by_day[int(bucket)] += n
        for bucket, passed, total in store.query(
            f"SELECT (r.time - ?) / {7 * DAY_US}, SUM(r.rating > 1), COUNT(*) {logs} "
            f"AND r.state_before = {REVIEW} AND r.time >= ? GROUP BY 1",
            (since_week, *ids, since_week),
        ):
            if 0 <= bucket < WEEKS:
                by_week[int(bucket)] = [passed, total]

    totals = {
        k: sum(p[k] for p in per.values())
        for k in ("due_today", "new", "learning", "review", "suspended", "reviews_today")
    }
    return {
        **totals,
        "retention_30d": _ratio(*kept_30),
        "decks": per,
        "day_start": start.isoformat(),
        "day_end": end.isoformat(),
        "cards": sum(states.values()),
        "states": states,
        "forecast_30d": forecast,  # [0] = due today (overdue included), [i] = due i days later
        "reviews_by_day": by_day,  # oldest first; the last entry is today
        "retention_by_week": [_ratio(p, t) for p, t in by_week],  # oldest first, None = no reviews
        # A short summary only (date, score): the questions stay in the store (`quiz exam --history`).
        "exam_history": store.exam_summaries(limit=EXAMS_SHOWN),
    }


def _ratio(passed: int, total: int) -> float | None:
    return round(passed / total, 4) if total else None


TABLE_WIDTH = 79  # `quiz stats` fits an 80-column terminal


def _fit(label: str, width: int) -> str:
    """Shorten a deck id to ``width`` with "..." in the middle (both ends stay readable; ASCII,
    so any terminal encoding prints it)."""
    if len(label) <= width:
        return label
    keep = max(0, width - 3)
    head = (keep + 1) // 2
    return label[:head] + "..." + label[len(label) - (keep - head) :]


def format_table(stats: dict, width: int = TABLE_WIDTH) -> str:  # type: ignore[type-arg]
    """The human summary: one row per deck, a total row, and a short note; no line is longer
    than ``width`` (long deck ids are shortened, the note is wrapped)."""
    headers = ("deck", "due", "new", "learning", "review", "suspended", "today", "retention")

    def row(label: str, s: dict) -> tuple[str, ...]:  # type: ignore[type-arg]
        r = s["retention_30d"]
        return (
            label,
            *(str(s[k]) for k in ("due_today", "new", "learning", "review", "suspended", "reviews_today")),
            "-" if r is None else f"{r * 100:.1f}%",
        )

    rows = [row(d, s) for d, s in sorted(stats["decks"].items())]
    if not rows:
        return "no decks yet: study one with 'quiz study DECK'"
    rows.append(row("total", stats))
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(headers)]
    room = width - sum(widths[1:]) - 2 * (len(widths) - 1)
    widths[0] = max(len("total"), min(widths[0], room))
    rows = [(_fit(r[0], widths[0]), *r[1:]) for r in rows]

    def line(cells: tuple[str, ...]) -> str:
        return "  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(cells, widths))).rstrip()

    out = [line(headers), line(tuple("-" * w for w in widths))]
    out += [line(r) for r in rows[:-1]]
    out += [line(tuple("-" * w for w in widths)), line(rows[-1])]
    out.append("")
    note = (
        "due: learning and review cards due before the day ends. retention: share of reviews "
        "of graduated cards answered Hard, Good or Easy in the last 30 days."
    )
    out += textwrap.wrap(note, width)
    return "\n".join(out)
