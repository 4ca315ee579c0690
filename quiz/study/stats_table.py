"""`quiz stats`'s table: a row per deck by its name as home shows it, a total row and a note.

Decks named ``Parent::Child`` are grouped as on home (quiz.decks.hierarchy): a parent row sums
its subtree (its own deck too, if it is one) and its children are indented under it by their
last name component. The ids (what ``--json`` and the command line know a deck by) stand in a
last column when the terminal has room for them whole beside the whole names. Widths are
terminal cells (wcwidth: a CJK character takes two, a combining accent none), so the columns
stay aligned whatever the names are written in.
"""

from __future__ import annotations

import textwrap
from collections import Counter

from wcwidth import wcswidth, wcwidth

from quiz.decks.hierarchy import deck_rows, split_name
from quiz.safe_text import visible
from quiz.study.stats import Stats, ratio

TABLE_WIDTH = 79  # fits an 80-column terminal
HEADERS = ("deck", "due", "new", "learning", "review", "suspended", "today", "retention")
COUNTS = ("due_reviews", "new", "learning", "review", "suspended", "reviews_today")
GAP = "  "
NOTE = (
    "due: review cards due before the day ends (home's Due, which stops at the day's review "
    "limit). retention: share of reviews of graduated cards answered Hard, Good or Easy in the "
    "last 30 days."
)

Row = tuple[str, ...]  # deck label, the counts, retention, id


def cells(text: str) -> int:
    """Terminal cells ``text`` takes."""
    n = wcswidth(text)
    return n if n >= 0 else len(text)  # not measurable (no control is left here): one a character


def _pad(text: str, width: int, *, right: bool = False) -> str:
    space = " " * max(0, width - cells(text))
    return space + text if right else text + space


def _fit(text: str, width: int) -> str:
    """``text`` shortened to ``width`` cells with "..." in the middle (both ends stay readable;
    ASCII, so any terminal encoding prints it); a wide character is never cut in half."""
    if cells(text) <= width:
        return text
    room = max(0, width - 3)
    head = tail = 0
    while head < len(text) and cells(text[: head + 1]) <= (room + 1) // 2:
        head += 1
    rest = room - cells(text[:head])
    while tail < len(text) - head and cells(text[len(text) - tail - 1 :]) <= rest:
        tail += 1
    end = text[len(text) - tail :] if tail else ""
    while end and wcwidth(end[0]) == 0:  # an accent whose letter was cut off
        end = end[1:]
    return text[:head] + "..." + end


def _one_line(name: str) -> str:
    """A name as one table cell: controls shown as symbols, line breaks and tabs as spaces."""
    return visible(name).replace("\n", " ").replace("\t", " ")


def _percent(r: float | None) -> str:
    return "-" if r is None else f"{r * 100:.1f}%"


def _deck_rows(stats: Stats) -> list[Row]:
    names = {d: _one_line(s.name) or d for d, s in stats.decks.items()}
    shared = {n for n, k in Counter(names.values()).items() if k > 1}
    out: list[Row] = []
    for r in deck_rows(names.items()):
        label = "  " * r.depth + r.label
        if r.is_parent:  # its subtree, summed, as home's parent row
            counts = [sum(getattr(stats.decks[k], c) for k in r.keys) for c in COUNTS]
            kept = [stats.retention_counts.get(k, (0, 0)) for k in r.keys]
            retention = ratio(sum(p for p, _ in kept), sum(t for _, t in kept))
            ident = ", ".join(k for k in r.keys if split_name(names[k]) == split_name(r.path))
        else:
            s = stats.decks[r.key]
            counts, retention, ident = [getattr(s, c) for c in COUNTS], s.retention_30d, r.key
            if names[r.key] in shared:  # two decks of one name: the id tells them apart
                label += f" ({r.key})"
        out.append((label, *(str(n) for n in counts), _percent(retention), ident))
    return out


def format_table(stats: Stats, width: int = TABLE_WIDTH) -> str:
    """The human summary: one row per deck, a total row, and a short note; no line is wider
    than ``width`` cells (long names are shortened, ids left out when they do not fit whole,
    the note wrapped)."""
    rows = _deck_rows(stats)
    if not rows:
        return "no decks yet: study one with 'quiz study DECK'"
    total = ("total", *(str(getattr(stats, c)) for c in COUNTS), _percent(stats.retention_30d), "")
    body = [*rows, total]
    numbers = [max(cells(h), *(cells(r[i]) for r in body)) for i, h in enumerate(HEADERS) if i]
    room = width - sum(numbers) - len(GAP) * len(numbers)
    name_w = max(cells(HEADERS[0]), *(cells(r[0]) for r in body))
    id_w = max(cells("id"), *(cells(r[-1]) for r in body))
    with_ids = name_w + len(GAP) + id_w <= room
    widths = [name_w if with_ids else max(len("total"), min(name_w, room)), *numbers] + [id_w] * with_ids

    def line(cols: Row) -> str:  # the name and the id to the left, shortened to fit; numbers right
        return GAP.join(
            _pad(_fit(c, w), w) if i in (0, len(HEADERS)) else _pad(c, w, right=True)
            for i, (c, w) in enumerate(zip(cols, widths))
        ).rstrip()

    rule = line(tuple("-" * w for w in widths))
    out = [line((*HEADERS, "id")), rule, *(line(r) for r in rows), rule, line(total), ""]
    out += textwrap.wrap(NOTE, width)
    return "\n".join(out)
