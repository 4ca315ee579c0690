"""Home: every deck with its new / learning / due counts, a total row, today's progress.
Decks named ``Parent::Child`` (imported from Anki) are grouped under a parent row that sums
its subtree, as Anki shows them (quiz.decks.hierarchy)."""

from __future__ import annotations

import asyncio
import dataclasses
import textwrap
from collections.abc import Iterable
from typing import TYPE_CHECKING, TypeVar

from rich.cells import cell_len
from textual import work
from textual.app import ComposeResult
from textual.binding import ActiveBinding, Binding
from textual.content import Content
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import DataTable, Footer, Static
from textual.widgets.data_table import ColumnKey

from quiz.collection import DeckOverview
from quiz.decks.hierarchy import GROUP_KEY_PREFIX, DeckRow, deck_rows, limit_groups
from quiz.decks.model import Deck
from quiz.errors import QuizError, display_path
from quiz.tui.host import host
from quiz.tui.widgets import render
from quiz.tui.widgets.key_gate import release_keys
from quiz.tui.widgets.row_table import RowTable
from quiz.tui.widgets.key_hints import fit, hints_width

if TYPE_CHECKING:
    from quiz.decks.library_results import DeckSet

ALL = "__all__"
EXAM_QUESTIONS = 20
FILES_CHECK_SECONDS = 2.0
NUMBER_WIDTH = 6  # the New / Learn / Due columns
NAME_WIDTH = (len("All decks"), 48)  # the deck column's least and most, in cells
# A terminal too narrow for the footer's keys: the command palette's key (ctrl+p, named on the
# help screen) leaves the footer first, then these, rather than keys overlapping at the right
# edge. The keys still work; the help screen lists them all.
FOOTER_GIVES_WAY = ("Undo",)
MISSING_MARGIN = 4  # #deck-missing's margins, left and right (home.tcss)
PALETTE_ROOM = len(" ^p palette ")  # its key, docked at the right, and the gap before it
W = TypeVar("W", bound=Widget)


class DeckTable(RowTable):
    """The deck list. Its Enter is its own (a row selected, then studied), not a priority key of
    the screen: a priority binding runs as the key arrives, ahead of an arrow typed before it
    that still waits in the table's queue, so "down ⏎" in one read opened the deck highlighted
    before the down. Keys typed after the Enter wait for the review it opens (KeyGate), and so
    do those after `b`, for browse's search box ("btacro" in one read searches "tacro")."""

    BINDINGS = [Binding("enter", "select_cursor", "Study")]
    HOLD_AFTER = frozenset({"enter", "b"})


class HomeScreen(Screen[None]):
    CSS_PATH = "home.tcss"
    _stamp: tuple[object, ...] = ()  # the library files' stats when last read
    _keep_row: str | None = None  # the deck highlighted before the decks were read again
    _rebuilding = False  # its widgets are being replaced (_use_deck_set's recompose)
    _name_width = 0  # the deck names are cut to this (with "…"), to fit the terminal's width
    BINDINGS = [
        Binding("enter", "study", "Study"),  # when the table has not the focus (else its own)
        Binding("s", "app.open_stats", "Stats"),
        Binding("b", "app.open_browse", "Browse"),
        Binding("comma", "app.open_settings", "Settings", key_display=","),
        Binding("e", "exam", "Exam"),
        Binding("u", "app.undo_last", "Undo"),
        Binding("question_mark", "app.help", "Help", key_display="?"),
        Binding("q", "app.quit", "Quit"),
    ]

    def compose(self) -> ComposeResult:
        yield Static(Content.assemble(("quiz", "bold $accent"), ("  spaced repetition", "$text-muted")), id="home-title")
        table = DeckTable(id="decks", cursor_type="row", zebra_stripes=True)
        self._rows = deck_rows((d.id, d.name) for d in host(self).collection.decks)
        self._row_decks = {r.key: r.keys for r in self._rows}
        table.add_column("Deck", key="deck", width=NAME_WIDTH[0])  # made to fit: refresh_counts
        for label, key in (("New", "new"), ("Learn", "learning"), ("Due", "review")):
            table.add_column(label, key=key, width=NUMBER_WIDTH)
        yield table
        yield Static(id="deck-info")
        if host(self).collection.unavailable:
            yield Static(self._missing(), id="deck-missing")
        yield Static(id="today")
        yield Static(Content.styled("enter: study the highlighted deck · ?: all keys", "$text-muted"), id="home-hint")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self._rebuild = asyncio.Lock()  # one new deck set at a time (two reads may overlap)
        self._follow_scrollbar()
        self.watch(self, "show_vertical_scrollbar", lambda _: self.on_resize(), init=False)
        self._fit_footer()
        self.refresh_counts()
        collection = host(self).collection
        if collection.every_deck:
            # A deck file that comes back, is edited, or is added from another terminal shows
            # here without a restart: its stats are looked at every few seconds.
            self._stamp = collection.deck_files_stamp()
            self.set_interval(FILES_CHECK_SECONDS, self._check_files)

    def on_resize(self) -> None:
        if self._table() is not None and self._fits() != self._name_width:
            self.refresh_counts()  # the names are cut again for the new width
        missing = self._composed("#deck-missing", Static)
        if missing is not None:
            missing.update(self._missing())  # the paths are cut again for the new width
        self._fit_footer()

    def _missing(self) -> Content:
        """The library decks that could not be read: each on one line with why (missing, or the
        file's first problem), its path on the next, cut at the start to fit: the file's name
        shows, rather than a path wrapped mid-word."""
        width = (self.scrollable_content_region.width or self.app.size.width) - MISSING_MARGIN
        lines = [Content.styled("Not available (history kept; back when the file is found or fixed):",
                                "bold $warning")]
        for m in host(self).collection.unavailable:
            # a long reason goes on under itself, not back at the left edge
            why = textwrap.wrap(f"{m.entry.name} ({m.entry.deck_id}): {m.reason}", max(width, 20),
                                initial_indent="  ", subsequent_indent="    ")
            where = "    " + _cut_start(display_path(m.entry.path), width - 4)
            lines += [Content.styled(line, "$text-muted") for line in (*why, where)]
        return Content("\n").join(lines)

    def _fit_footer(self) -> None:
        palette, _ = self._footer_plan()
        footer = self._composed("Footer", Footer)
        if footer is not None and footer.show_command_palette != palette:
            footer.show_command_palette = palette
            self.refresh_bindings()  # the footer is composed again, without the key

    def _footer_plan(self) -> tuple[bool, frozenset[str]]:
        """Whether the footer shows the palette's key, and the actions it leaves out, so the
        keys it shows fit the terminal's width."""
        bindings = [ab.binding for ab in super().active_bindings.values() if ab.binding.show]
        # As the compact footer lays them out: one cell between keys.
        hints = tuple((self.app.get_key_display(b), b.description) for b in bindings)
        width = self.app.size.width
        if hints_width(hints, gap=1) + PALETTE_ROOM <= width:
            return True, frozenset()
        kept = fit(hints, width, FOOTER_GIVES_WAY, gap=1)
        return False, frozenset(b.action for b, hint in zip(bindings, hints) if hint not in kept)

    @property
    def active_bindings(self) -> dict[str, ActiveBinding]:
        """As the footer reads them: those that give way in a narrow terminal not shown."""
        bindings = super().active_bindings
        _, hidden = self._footer_plan()
        return {
            key: ab._replace(binding=dataclasses.replace(ab.binding, show=False)) if ab.binding.action in hidden else ab
            for key, ab in bindings.items()
        }

    def _follow_scrollbar(self) -> None:
        # A scrollbar, the table's or the screen's (more decks than lines), takes room from the
        # names too.
        table = self._table()
        if table is not None:
            self.watch(table, "show_vertical_scrollbar", lambda _: self.on_resize(), init=False)

    def _fits(self) -> int:
        """The deck column's width: what the terminal leaves once the three numbers are in,
        so they are always shown (a long name gives way, cut with "…")."""
        table = self._table()
        if table is None:
            return self._name_width or NAME_WIDTH[1]
        pad = 2 * table.cell_padding
        room = (self.scrollable_content_region.width or self.app.size.width) - table.styles.margin.width
        if table.show_vertical_scrollbar:
            room -= table.styles.scrollbar_size_vertical
        return max(NAME_WIDTH[0], min(NAME_WIDTH[1], room - 3 * (NUMBER_WIDTH + pad) - pad))

    def on_screen_resume(self) -> None:
        self.refresh_counts()
        self._check_files()

    def _check_files(self) -> None:
        collection = host(self).collection
        if not collection.every_deck or not self.is_current:
            return
        stamp = collection.deck_files_stamp()
        if stamp != self._stamp:
            self._stamp = stamp
            self._reread_decks()

    @work(thread=True, exclusive=True, group="home-decks")
    def _reread_decks(self) -> None:
        try:
            deck_set = host(self).collection.read_deck_set()
        except QuizError as e:  # e.g. a damaged library index: say so, keep the decks in use
            self.app.call_from_thread(self.notify, str(e), title="Could not read the decks",
                                      severity="error", timeout=15, markup=False)
            return
        self.app.call_from_thread(self._use_deck_set, deck_set)

    async def _use_deck_set(self, deck_set: DeckSet) -> None:
        async with self._rebuild:
            if not self.is_attached or not host(self).use_deck_set(deck_set):
                return
            # The table is made anew: the highlight stays on the deck it was on, the keys with it.
            self._keep_row = self._highlighted() or self._keep_row
            self._rebuilding = True
            try:
                await self.recompose()
            finally:
                self._rebuilding = False
            table = self._table()
            if table is not None:
                table.focus()
            self._follow_scrollbar()
        self.refresh_counts()

    @work(exclusive=True, group="home-counts")
    async def refresh_counts(self) -> None:
        try:
            overview = host(self).collection.overview()
        except QuizError as e:  # a busy or damaged store: say so, keep the app usable
            self.notify(str(e), title="Could not read the counts", severity="error", timeout=15, markup=False)
            return
        table = self._table()
        today = self._composed("#today", Static)
        if table is None or today is None:  # being composed again (decks re-read): it counts after
            return
        cursor = table.cursor_row
        table.clear()
        # The deck column takes its widest name, within what the numbers leave.
        self._name_width = width = self._fits()
        widest = max((cell_len(_label(r)) for r in self._rows), default=0)
        table.columns[ColumnKey("deck")].width = min(width, max(widest, NAME_WIDTH[0]))
        by_deck = {row.deck.id: _counts(row) for row in overview.decks}
        collection = host(self).collection
        for r in self._rows:
            # A parent: its whole subtree, within the parent's own daily limits (as Anki shows it).
            counts = collection.counts(self._decks(r.key)) if r.is_parent else by_deck.get(r.key, (0, 0, 0))
            table.add_row(_cut_label(r, width), *_cells(counts, bold=False), key=r.key)
        everything = collection.decks
        # With parents, their limits hold there too (as in a study of all decks); else a sum.
        grouped = limit_groups((d.id, d.name) for d in everything)
        total = collection.counts(everything) if grouped else _sum(by_deck.values())
        if len(overview.decks) != 1:
            table.add_row(Content.styled("All decks", "bold"), *_cells(total, bold=True), key=ALL)
        keep, self._keep_row = self._keep_row, None
        if keep is not None and keep in table.rows:
            cursor = table.get_row_index(keep)
        if table.row_count:
            table.move_cursor(row=min(cursor, table.row_count - 1))
        due = sum(total)
        today.update(Content.assemble(
            ("Today: ", "bold"), (str(overview.reviewed_today), "bold $success"), " reviewed · ",
            (str(due), "bold"), " to do" + ("" if due else ": all caught up"),
        ))

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        info = self._composed("#deck-info", Static)
        if info is None or not self._current(event.data_table):
            return  # the old table's, queued before the screen was composed again
        key = event.row_key.value
        decks = self._decks(key)
        if key == ALL:
            about = f"Every deck together: {len(decks)} decks."
        elif key is not None and key.startswith(GROUP_KEY_PREFIX):  # a parent row
            about = f"{key.removeprefix(GROUP_KEY_PREFIX)} and everything under it: {len(decks)} deck{'s' * (len(decks) != 1)}."
        else:
            about = decks[0].description if decks and decks[0].description else ""
        cards = sum(d.card_count for d in decks)  # a reverse item is two cards, a cloze one per cN
        info.update(
            Content.assemble((f"{cards} cards", "bold"), ("  " + about if about else "", "$text-muted"))
        )

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        opened = False
        try:
            opened = self._current(event.data_table) and self._study(event.row_key.value)
        finally:
            if not opened:  # else the review lets the keys typed after the Enter go, once it is up
                release_keys(self.app)

    def action_study(self) -> None:
        self._study(self._highlighted())

    def _table(self) -> DataTable | None:
        """The decks table; None while the screen is composed again (the decks re-read)."""
        return self._composed("#decks", DataTable)

    def _composed(self, selector: str, kind: type[W]) -> W | None:
        """A widget of compose(); None while they are replaced (_use_deck_set's recompose),
        as any handler may run between the old ones' removal and the new ones' mount: the
        counts are made again after it, and the old table's queued events are dropped."""
        if self._rebuilding:
            return None
        return next(self.query(selector).results(kind), None)

    def _current(self, table: DataTable) -> bool:
        """Whether an event's table is the one shown (not one removed by a recompose)."""
        return table is self._table()

    def _highlighted(self) -> str | None:
        table = self._table()
        if table is None or not table.row_count:
            return None
        return table.coordinate_to_cell_key((table.cursor_row, 0)).row_key.value

    def _decks(self, key: str | None) -> list[Deck]:
        decks = host(self).collection.decks
        if key in (None, ALL):
            return decks
        wanted = self._row_decks.get(key, (key,))  # a parent row stands for its whole subtree
        return [d for d in decks if d.id in wanted]

    def _study(self, key: str | None) -> bool:
        decks = self._decks(key)
        if decks:
            host(self).start_review(decks)
        return bool(decks)

    def action_exam(self) -> None:
        """A self-test of EXAM_QUESTIONS on the highlighted deck(s); it never touches the
        schedule, and its result goes to the store's exam history."""
        from quiz.tui.screens.exam_app import start_exam  # why: the exam screens load on first use

        start_exam(self.app, self._decks(self._highlighted()), n=EXAM_QUESTIONS,
                   on_result=host(self).collection.record_exam)


def _counts(row: DeckOverview) -> tuple[int, int, int]:
    return (row.new, row.learning, row.due)


def _sum(counts: Iterable[tuple[int, int, int]]) -> tuple[int, int, int]:
    new = learning = due = 0
    for n, l, d in counts:
        new, learning, due = new + n, learning + l, due + d
    return (new, learning, due)


def _label(row: DeckRow) -> str:
    """The name as shown: a child by its last component, indented under its parent; a deck
    whose name another deck has too (a copy imported under its own id) with its id."""
    return "  " * row.depth + row.label + _id_suffix(row)


def _id_suffix(row: DeckRow) -> str:
    return f" ({row.key})" if row.clash else ""


def _cut_start(text: str, width: int) -> str:
    """``text`` in ``width`` cells, cut at its start ("…" marks the cut)."""
    if cell_len(text) <= width:
        return text
    while text and cell_len(text) > width - 1:
        text = text[1:]
    return "…" + text


def _cut_label(row: DeckRow, width: int) -> Content:
    """The label in ``width`` cells: the name gives way ("…"), the id that tells it from a
    deck of the same name stays."""
    suffix = _id_suffix(row)
    name = Content("  " * row.depth + row.label).truncate(max(1, width - cell_len(suffix)), ellipsis=True)
    return (name + suffix).truncate(width, ellipsis=True)


def _cells(counts: tuple[int, int, int], bold: bool) -> list[Content]:
    extra = " bold" if bold else ""
    styles = (render.NEW_STYLE, render.LEARNING_STYLE, render.REVIEW_STYLE)
    return [Content.styled(str(n), (style if n else "$text-muted") + extra) for n, style in zip(counts, styles)]
