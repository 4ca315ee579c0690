"""Stats screen: today's figures, the per-deck table and charts of the study history.

The figures are `quiz stats`'s (Collection.stats), computed in a worker thread so the screen
paints at once; the Decks tab has the command's rows (quiz.study.stats_table.stats_rows:
grouped by ``Parent::Child``, a parent summing its subtree), the names cut with "…" to leave
the numbers room whatever the terminal's width; charts use textual-plotext, imported here only (plots module) so app
start-up does not pay for plotext.
"""

from __future__ import annotations

from typing import Any

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from rich.text import Text
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static, TabbedContent, TabPane

from quiz.collection import Collection, Stats
from quiz.errors import QuizError
from quiz.study.stats_table import StatsRow, cells, fit, stats_rows
from quiz.tui.host import host
from quiz.tui.widgets.plots import ChartPanel, Series

# (key in compute_stats' result, label shown); the order is the order on screen.
FIGURES: tuple[tuple[str, str], ...] = (
    ("reviews_today", "Reviewed"),
    ("due_reviews", "Due"),  # reviews due today, as home's Due (not learning cards: those are Learning)
    ("new", "New"),
    ("learning", "Learning"),
    ("review", "Review"),
    ("suspended", "Suspended"),
    ("retention_30d", "Retention"),
)
# In quiz.study.stats_table.COUNTS' order, then retention: a StatsRow's figures in turn.
DECK_COLUMNS: tuple[tuple[str, str], ...] = (
    ("due_reviews", "Due"),  # reviews due today, as home's Due (not learning cards: those are Learning)
    ("new", "New"),
    ("learning", "Learn"),
    ("review", "Review"),
    ("suspended", "Susp."),
    ("reviews_today", "Today"),
    ("retention_30d", "Ret. 30d"),
)
STATE_LABELS: tuple[tuple[str, str], ...] = (
    ("new", "New"),
    ("learning", "Learning"),
    ("relearning", "Relearning"),
    ("review", "Review"),
    ("suspended", "Suspended"),
    ("buried", "Buried"),
)
# The headers when the full ones would leave a name fewer than DECK_NAME_WANT cells.
DECK_SHORT_LABELS = ("Due", "New", "Learn", "Rev.", "Susp.", "Today", "Ret.")
DECK_NAME_WANT = 16
DECK_NAME_MIN = 6  # cells the Deck column keeps however narrow the screen (the numbers come first)
TABS: tuple[tuple[str, str], ...] = (
    ("decks", "Decks"),
    ("forecast", "Forecast"),
    ("reviews", "Reviews"),
    ("retention", "Retention"),
    ("states", "States"),
    ("exams", "Exams"),
)


def percent(value: float | None) -> str:
    """Retention is a fraction (0..1) in the stats; shown as a whole percentage."""
    if value is None:
        return "—"
    return f"{value * 100:.0f}%"


def figure_text(key: str, value: Any) -> str:
    if key == "retention_30d":
        return percent(value)
    return "—" if value is None else f"{value:,}"


def charts(stats: dict[str, Any]) -> dict[str, Series | str]:
    """For each chart tab, the series to plot or the sentence shown when there is none."""
    out: dict[str, Series | str] = {}

    forecast = list(stats.get("forecast_30d") or [])
    if any(forecast):
        out["forecast"] = Series(
            list(range(len(forecast))), forecast, title="Cards due, next 30 days",
            xlabel="days from today", colour="primary", whole_y=True,
            xticks={d: ("today" if d == 0 else f"+{d}") for d in range(0, len(forecast), 7)},
        )
    else:
        out["forecast"] = "Nothing is due in the next 30 days. New cards are not counted here."

    by_day = list(stats.get("reviews_by_day") or [])
    if any(by_day):
        n = len(by_day)
        out["reviews"] = Series(
            list(range(-n + 1, 1)), by_day, title="Reviews a day, last 30 days",
            xlabel="days ago", colour="accent", whole_y=True,
            xticks={-d: ("today" if d == 0 else f"-{d}") for d in range(0, n, 7)},
        )
    else:
        out["reviews"] = "No reviews in the last 30 days yet: study some cards and come back."

    weekly = list(stats.get("retention_by_week") or [])
    points = [(i - len(weekly) + 1, r * 100) for i, r in enumerate(weekly) if r is not None]
    if points:
        out["retention"] = Series(
            [p[0] for p in points], [p[1] for p in points], kind="line",
            title="Retention by week (% of reviews not forgotten)", xlabel="weeks ago (0 = this week)",
            ylim=(0, 100), colour="success", xlim=(-len(weekly) + 0.5, 0.5),
            xticks={-w: str(-w) for w in range(0, len(weekly), 2)},
        )
    else:
        out["retention"] = "No reviews of learned cards yet, so no retention to show."

    # compute_stats' "states" splits learning from relearning and counts buried cards; the
    # top-level counts (learning includes relearning) stand in when it is absent
    by_state = stats.get("states") or {k: stats.get(k) for k in ("new", "learning", "review", "suspended")}
    states = [(label, int(by_state[key] or 0)) for key, label in STATE_LABELS if key in by_state]
    if any(v for _, v in states):
        out["states"] = Series(
            [f"{label} {v:,}" for label, v in states], [v for _, v in states], kind="hbar",
            title="Cards by state", colour="secondary", whole_y=True,
        )
    else:
        out["states"] = "No cards yet: the decks have no items."

    exams = [e for e in (stats.get("exam_history") or []) if e.get("percent") is not None]
    if exams:
        # the store lists the newest first; ids grow with time
        exams = sorted(exams, key=lambda e: (e.get("id") or 0, str(e.get("finished") or "")))
        out["exams"] = Series(
            list(range(1, len(exams) + 1)), [float(e["percent"]) for e in exams], kind="line",
            title="Exam scores (%)", xlabel="exams, oldest first", ylim=(0, 100),
            colour="warning", xticks={i: str(i) for i in range(1, len(exams) + 1)},
        )
    else:
        out["exams"] = "No exams taken yet: run `quiz exam` to test yourself."
    return out


class StatsScreen(Screen):
    """`quiz stats` in the TUI, with charts."""

    CSS_PATH = "stats.tcss"
    BINDINGS = [
        Binding("escape,q", "back", "Back"),
        # priority: the tab bar or the table would otherwise take the arrows for themselves
        Binding("left", "tab(-1)", "Prev tab", key_display="←", priority=True),
        Binding("right", "tab(1)", "Next tab", key_display="→", priority=True),
        Binding("r", "refresh", "Refresh"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.stats: Stats | None = None
        self._deck_rows: list[StatsRow] = []

    def compose(self) -> ComposeResult:
        yield Static("Statistics", id="stats-title")
        with Horizontal(id="figures"):
            for key, label in FIGURES:
                yield Static(f"{label}\n…", id=f"fig-{key}", classes="figure")
        with TabbedContent(id="stats-tabs"):
            with TabPane("Decks", id="tab-decks"):
                yield DataTable(id="deck-table", show_cursor=False, zebra_stripes=True)
                yield Static("", id="deck-empty", markup=False)
            for key, label in TABS[1:]:
                with TabPane(label, id=f"tab-{key}"):
                    yield ChartPanel(id=f"chart-{key}")
        yield Footer()

    def on_mount(self) -> None:
        self.action_refresh()

    def on_resize(self) -> None:
        self._fill_deck_table()

    def action_back(self) -> None:
        self.dismiss()

    def action_tab(self, step: int) -> None:
        tabs = self.query_one(TabbedContent)
        ids = [f"tab-{key}" for key, _ in TABS]
        here = ids.index(tabs.active) if tabs.active in ids else 0
        tabs.active = ids[(here + step) % len(ids)]

    def action_refresh(self) -> None:
        self._compute(host(self).collection)

    @work(thread=True, exclusive=True, group="stats")
    def _compute(self, collection: Collection) -> None:
        try:
            with collection.in_thread() as own:  # SQLite: this thread's own connection
                stats = own.stats()
        except (QuizError, OSError) as exc:  # a corrupt or unreadable store: say so on screen
            self.app.call_from_thread(self._show_error, str(exc))
            return
        self.app.call_from_thread(self._show, stats)

    def _show_error(self, message: str) -> None:
        if not self.is_attached:  # left before the worker finished
            return
        for key, _ in TABS[1:]:
            self.query_one(f"#chart-{key}", ChartPanel).show_empty(message)
        self.notify(message, title="Cannot compute the stats", severity="error", markup=False)

    def _show(self, figures: Stats) -> None:
        if not self.is_attached:  # left before the worker finished
            return
        self.stats = figures
        stats = figures.as_json()
        for key, label in FIGURES:
            self.query_one(f"#fig-{key}", Static).update(f"{label}\n{figure_text(key, stats.get(key))}")
        self._deck_rows = stats_rows(figures)
        self._fill_deck_table()
        empty = self.query_one("#deck-empty", Static)
        empty.display = not self._deck_rows
        empty.update("" if self._deck_rows else "No decks loaded.")
        for key, what in charts(stats).items():
            panel = self.query_one(f"#chart-{key}", ChartPanel)
            if isinstance(what, str):
                panel.show_empty(what)
            else:
                panel.show_series(what)

    def _fill_deck_table(self) -> None:
        """The deck rows, the names cut with "…" so every number fits the screen's width
        (shorter headers first, so a name keeps DECK_NAME_WANT cells where it can)."""
        table = self.query_one("#deck-table", DataTable)
        figures = [[figure_text(k, v) for (k, _), v in zip(DECK_COLUMNS, (*r.counts, r.retention))] for r in self._deck_rows]
        longest = max([cells("Deck"), *(cells(r.title) for r in self._deck_rows)])
        for labels in ([label for _, label in DECK_COLUMNS], DECK_SHORT_LABELS):
            numbers = [max([len(label), *(len(f[i]) for f in figures)]) for i, label in enumerate(labels)]
            # each column has a cell of padding either side; 2 more for a vertical scrollbar
            room = self.size.width - sum(w + 2 for w in numbers) - 2 - 2
            if room >= min(longest, DECK_NAME_WANT):
                break
        name_w = max(DECK_NAME_MIN, min(longest, room))
        table.clear(columns=True)
        table.add_column("Deck", key="deck", width=name_w)
        for (key, _), label, width in zip(DECK_COLUMNS, labels, numbers):
            table.add_column(label, key=key, width=width)
        for r, f in zip(self._deck_rows, figures):
            # Deck names are text, never markup (a name may hold "[/b]")
            table.add_row(Text(fit(r.title, name_w, "…")), *f, key=r.key)
