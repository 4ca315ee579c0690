"""`quiz stats`'s table: a row per deck by its name as home shows it, a total row and a note.

Decks named ``Parent::Child`` are grouped as on home (quiz.decks.hierarchy): a parent row sums
its subtree (its own deck too, if it is one) and its children are indented under it by their
last name component. The ids (what ``--json`` and the command line know a deck by) stand in a
last column when the terminal has room for them whole beside the whole names. Widths are
terminal cells (wcwidth: a CJK character takes two, a combining accent none), so the columns
stay aligned whatever the names are written in.

The rows are the decks in use (built-in, named, or in the library, as home lists them; a
library deck whose file is away is marked); decks the store alone knows (removed from the
library) are not listed, and the total leaves them out (a footnote says what they did today).
``stats_rows`` makes the rows for this table and for the TUI's Decks tab alike. A narrow
terminal keeps the names readable: shorter headers first, then the least needed numbers go.
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterable
from dataclasses import dataclass

from wcwidth import wcswidth, wcwidth

from quiz.decks.hierarchy import deck_rows
from quiz.safe_text import visible
from quiz.study.stats import DeckStatus, Stats, ratio

TABLE_WIDTH = 79  # fits an 80-column terminal
HEADERS = ("deck", "due", "new", "learning", "review", "suspended", "today", "retention")
SHORT_HEADERS = ("deck", "due", "new", "learn", "rev", "susp", "today", "ret")
COUNTS = ("due_reviews", "new", "learning", "review", "suspended", "reviews_today")
# The numeric columns (HEADERS' index) a narrow terminal gives up, first to go first: the
# names stay readable and "due" always stays (what to study today).
DROP_ORDER = (5, 4, 7, 3, 6, 2)
NAME_MIN = 16  # cells a name keeps before numeric columns go (a shorter name: its own width)
GAP = "  "
AWAY = " (away)"
NOTE = (
    "due: review cards due before the day ends (home's Due, which stops at the day's review "
    "limit). retention: share of reviews of graduated cards answered Hard, Good or Easy in the "
    "last 30 days."
)
AWAY_NOTE = "(away): a library deck whose file is missing or broken; its history is kept."


@dataclass(frozen=True)
class StatsRow:
    """One deck row (or a parent's, summing its subtree) as the table and the TUI show it."""

    key: str  # the deck id, or quiz.decks.hierarchy's group key for a parent that is only a name
    label: str  # the last name component (with the id when two decks share a name), not indented
    depth: int
    counts: tuple[int, ...]  # in COUNTS' order
    retention: float | None
    ident: str  # the id(s) the command line knows the row by ("" for a name only)
    away: bool  # every deck of the row is in the library with its file away

    @property
    def title(self) -> str:
        """The name as a table cell: indented under its parent, marked when its file is away."""
        return "  " * self.depth + self.label + (AWAY if self.away else "")


Row = tuple[str, ...]  # deck label, the counts, retention, id


def cells(text: str) -> int:
    """Terminal cells ``text`` takes."""
    n = wcswidth(text)
    return n if n >= 0 else len(text)  # not measurable (no control is left here): one a character


def _pad(text: str, width: int, *, right: bool = False) -> str:
    space = " " * max(0, width - cells(text))
    return space + text if right else text + space


def fit(text: str, width: int, mark: str = "...", head_share: float = 0.5) -> str:
    """``text`` shortened to ``width`` cells with ``mark`` in the middle (both ends stay
    readable, the start given ``head_share`` of the room; "..." is ASCII, so any terminal
    encoding prints it); a wide character is never cut in half."""
    if cells(text) <= width:
        return text
    room = max(0, width - cells(mark))
    head = tail = 0
    while head < len(text) and cells(text[: head + 1]) <= round(room * head_share + 0.01):
        head += 1
    rest = room - cells(text[:head])
    while tail < len(text) - head and cells(text[len(text) - tail - 1 :]) <= rest:
        tail += 1
    end = text[len(text) - tail :] if tail else ""
    while end and wcwidth(end[0]) == 0:  # an accent whose letter was cut off
        end = end[1:]
    return text[:head] + mark + end


def fit_name(title: str, width: int) -> str:
    """A row's name (StatsRow.title) in ``width`` cells: its indent and " (away)" kept whole,
    and more of the name's end than its start (decks of one subject often share a start)."""
    indent = len(title) - len(title.lstrip(" "))
    away = AWAY if title.endswith(AWAY) else ""
    core = title[indent : len(title) - len(away)]
    room = width - indent - cells(away)
    if cells(title) <= width or room < 2 * len("...") + 1:
        return fit(title, width)
    return " " * indent + fit(core, room, head_share=1 / 3) + away


def _one_line(name: str) -> str:
    """A name as one table cell: controls shown as symbols, line breaks and tabs as spaces."""
    return visible(name).replace("\n", " ").replace("\t", " ")


def _percent(r: float | None) -> str:
    return "-" if r is None else f"{r * 100:.1f}%"


def _summed(stats: Stats, keys: Iterable[str]) -> tuple[tuple[int, ...], float | None]:
    """The counts of ``keys`` added up, and their retention made of their reviews (not a mean
    of ratios)."""
    keys = list(keys)
    counts = tuple(sum(getattr(stats.decks[k], c) for k in keys) for c in COUNTS)
    kept = [stats.retention_counts.get(k, (0, 0)) for k in keys]
    return counts, ratio(sum(p for p, _ in kept), sum(t for _, t in kept))


def _listed(stats: Stats) -> list[str]:
    return [d for d, s in stats.decks.items() if s.status is not DeckStatus.NOT_IN_USE]


def stats_rows(stats: Stats) -> list[StatsRow]:
    """The decks in use, grouped by ``Parent::Child`` as on home, a parent summing its subtree."""
    names = {d: _one_line(stats.decks[d].name) or d for d in _listed(stats)}
    out: list[StatsRow] = []
    for r in deck_rows(names.items()):
        label, key = r.label, r.key
        if r.is_parent:  # its subtree, summed, as home's parent row
            counts, retention = _summed(stats, r.keys)
            ident, key = ", ".join(r.own), r.own[0] if r.own else r.key
        else:
            s = stats.decks[r.key]
            counts, retention, ident = tuple(getattr(s, c) for c in COUNTS), s.retention_30d, r.key
            if r.clash:  # two decks of one name: the id tells them apart
                label += f" ({r.key})"
        away = all(stats.decks[k].status is DeckStatus.UNAVAILABLE for k in r.keys)
        out.append(StatsRow(key, label, r.depth, counts, retention, ident, away))
    return out


def _text_row(r: StatsRow) -> Row:
    return (r.title, *(str(n) for n in r.counts), _percent(r.retention), r.ident)


def _unlisted_note(stats: Stats) -> str:
    """What decks no longer in use did today: their reviews are in ``--json``, not in the table."""
    gone = [s for s in stats.decks.values() if s.status is DeckStatus.NOT_IN_USE]
    today = sum(s.reviews_today for s in gone)
    if not today:
        return ""
    return (
        f"Not listed: {len(gone)} deck{'s' * (len(gone) != 1)} no longer in use (removed from the "
        f"library, or studied from a file); {today} review{'s' * (today != 1)} of them today, "
        "not in the total ('quiz stats --json' counts them)."
    )


def _layout(body: list[Row], width: int, name_w: int) -> tuple[tuple[str, ...], list[int], dict[int, int], int]:
    """Headers, the numeric columns shown, their widths, and the cells left for the name (whose
    widest is ``name_w``): the first layout that leaves a name NAME_MIN cells (full headers,
    short ones, then fewer columns)."""
    want = max(len("total"), min(name_w, NAME_MIN))
    tries = [(HEADERS, ())] + [(SHORT_HEADERS, DROP_ORDER[:n]) for n in range(len(DROP_ORDER) + 1)]

    def laid(headers: tuple[str, ...], dropped: tuple[int, ...]) -> tuple[tuple[str, ...], list[int], dict[int, int], int]:
        shown = [i for i in range(1, len(HEADERS)) if i not in dropped]
        numbers = {i: max(cells(headers[i]), *(cells(r[i]) for r in body)) for i in shown}
        return headers, shown, numbers, width - sum(numbers.values()) - len(GAP) * len(numbers)

    # Whole names with every number, if shorter headers make the room (a cut name may lose what
    # tells two decks apart); else the first layout that leaves a name NAME_MIN cells.
    for headers, dropped in tries[:2]:
        if (layout := laid(headers, dropped))[3] >= name_w:
            return layout
    for headers, dropped in tries:
        if (layout := laid(headers, dropped))[3] >= want:
            break
    return layout


def format_table(stats: Stats, width: int = TABLE_WIDTH) -> str:
    """The human summary: one row per deck in use, a total row, and short notes; no line is
    wider than ``width`` cells (long names are shortened, ids left out when they do not fit
    whole, numeric columns dropped when the names would get too little room, the notes wrapped)."""
    shown_rows = stats_rows(stats)
    if not shown_rows:
        return "no decks yet: study one with 'quiz study DECK'"
    rows = [_text_row(r) for r in shown_rows]
    counts, retention = _summed(stats, _listed(stats))
    total = ("total", *(str(n) for n in counts), _percent(retention), "")
    body = [*rows, total]
    name_w = max(cells(HEADERS[0]), *(cells(r[0]) for r in body))
    headers, shown, numbers, room = _layout(body, width, name_w)
    id_w = max(cells("id"), *(cells(r[-1]) for r in body))
    with_ids = name_w + len(GAP) + id_w <= room
    columns = [0, *shown] + [len(HEADERS)] * with_ids
    width_of = {0: name_w if with_ids else max(len("total"), min(name_w, room)), **numbers, len(HEADERS): id_w}

    def line(cols: Row) -> str:  # the name and the id to the left, shortened to fit; numbers right
        return GAP.join(
            _pad((fit_name if i == 0 else fit)(cols[i], width_of[i]), width_of[i]) if i in (0, len(HEADERS))
            else _pad(cols[i], width_of[i], right=True)
            for i in columns
        ).rstrip()

    rule = line(tuple("-" * width_of.get(i, 0) for i in range(len(HEADERS) + 1)))
    out = [line((*headers, "id")), rule, *(line(r) for r in rows), rule, line(total), ""]
    notes = [NOTE]
    short = [i for i in shown if headers[i] != HEADERS[i]]
    if short:
        notes.append(f"{', '.join(headers[i] for i in short)}: {', '.join(HEADERS[i] for i in short)}.")
    if len(shown) < len(HEADERS) - 1:
        gone = ", ".join(HEADERS[i] for i in range(1, len(HEADERS)) if i not in shown)
        notes.append(f"Not shown for want of room: {gone} (a wider terminal, or --json, has them).")
    notes += [AWAY_NOTE] * any(r.away for r in shown_rows) + [_unlisted_note(stats)]
    for note in filter(None, notes):
        out += textwrap.wrap(note, width)
    return "\n".join(out)
