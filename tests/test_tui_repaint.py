"""The grade -> next card path's economies keep what the screen shows right.

- repaint.show: a text that takes the same room is repainted without a layout of the screen;
  one that needs more or less room (more lines, a wider auto-width text) still gets it.
- RecurringLine: a line kept from before is the right one for the text, size and theme now.
- The store's log is checkpointed by the review screen once a card is up (every
  CHECKPOINT_EVERY commits), not left for SQLite to do inside a later grade.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from textual.app import App, ComposeResult
from textual.containers import Horizontal
from textual.content import Content
from textual.widgets import Static

from quiz.storage import connection
from quiz.storage.store import Store
from quiz.tui.widgets.repaint import RecurringLine, set_display, show

from test_tui_review import make_app


class Texts(App[None]):
    CSS = """
    #para { width: 20; }
    #row { height: 1; }
    #auto { width: auto; }
    #line { height: 1; background: black; color: white; }  /* the same in every theme */
    """

    def compose(self) -> ComposeResult:
        yield Static(Content("first"), id="para")
        with Horizontal(id="row"):
            yield Static(Content("12"), id="auto")
            yield Static(Content("rest"))
        yield RecurringLine(Content.styled("alpha", "bold $accent"), id="line")

    def on_mount(self) -> None:
        self.layouts = 0
        self.screen.screen_layout_refresh_signal.subscribe(self, self._counted)

    def _counted(self, _screen: object) -> None:
        self.layouts += 1


async def test_same_room_is_repainted_without_a_layout_and_more_room_gets_one() -> None:
    app = Texts()
    async with app.run_test(size=(40, 10)) as pilot:
        await pilot.pause()
        para = app.query_one("#para", Static)
        auto = app.query_one("#auto", Static)
        assert para.size.height == 1
        before = app.layouts

        show(para, Content("other"))  # one line at width 20, like "first"
        show(auto, Content("34"))  # as wide as "12"
        show(para, Content("other"))  # unchanged: nothing at all
        await pilot.pause()
        assert app.layouts == before
        assert str(para.render()) == "other" and str(auto.render()) == "34"

        show(para, Content("a text long enough to wrap onto three lines"))
        await pilot.pause()
        assert app.layouts > before
        assert para.size.height == 3  # the whole text is shown, not cut to the old height

        show(para, Content("short"))
        show(auto, Content("12345"))
        await pilot.pause()
        assert para.size.height == 1
        assert auto.size.width == 5

        # A style change with the same letters is a change (Content's == compares text only).
        show(para, Content.styled("short", "bold"))
        await pilot.pause()
        assert para.render().spans


async def test_set_display_does_nothing_when_the_widget_is_so_already() -> None:
    app = Texts()
    async with app.run_test(size=(40, 10)) as pilot:
        await pilot.pause()
        row = app.query_one("#row", Horizontal)
        before = app.layouts
        set_display(row, True)  # shown already: no restyle, no layout
        await pilot.pause()
        assert app.layouts == before and row.display
        set_display(row, False)
        await pilot.pause()
        assert app.layouts > before and not row.display
        assert app.query_one("#para", Static).region.y == 0


def _line(widget: Static) -> list[tuple[str, str]]:
    return [(seg.text, str(seg.style)) for seg in widget.render_line(0)]


async def test_a_kept_line_follows_the_text_and_the_theme() -> None:
    app = Texts()
    async with app.run_test(size=(40, 10)) as pilot:
        await pilot.pause()
        line = app.query_one("#line", RecurringLine)
        alpha = _line(line)
        line.update(Content("beta"))
        await pilot.pause()
        assert "beta" in "".join(t for t, _ in _line(line))
        line.update(Content.styled("alpha", "bold $accent"))
        await pilot.pause()
        assert _line(line) == alpha

        app.theme = "nord"  # another $accent
        await pilot.pause()
        relit = _line(line)
        assert "".join(t for t, _ in relit) == "".join(t for t, _ in alpha)
        assert relit != alpha  # the new theme's $accent, not the kept line


def _rows_without_log(db: Path, tmp: Path, table: str) -> int:
    """Rows of ``table`` in the database file alone, as if its write-ahead log were lost."""
    alone = tmp / "alone.sqlite3"
    shutil.copyfile(db, alone)
    conn = sqlite3.connect(alone)
    try:
        return int(conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0])
    finally:
        conn.close()


def test_checkpoint_if_due_moves_the_log_after_enough_commits(tmp_path: Path) -> None:
    db = tmp_path / "quiz.sqlite3"
    with Store.open(db) as store:
        for i in range(connection.CHECKPOINT_EVERY - 1):
            with store.transaction() as c:
                c.execute("INSERT INTO meta (key, value) VALUES (?, ?)", (f"k{i}", "v"))
            assert not store.checkpoint_if_due()
        with store.transaction() as c:
            c.execute("INSERT INTO meta (key, value) VALUES ('last', 'v')")
        assert store.checkpoint_if_due()
        keys = _rows_without_log(db, tmp_path, "meta WHERE key = 'last' OR key LIKE 'k%'")
        assert keys == connection.CHECKPOINT_EVERY
        assert not store.checkpoint_if_due()  # counted again from zero


async def test_the_review_screen_checkpoints_once_the_next_card_is_up(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(connection, "CHECKPOINT_EVERY", 1)
    app = make_app(tmp_path / "study", start=True)
    db = tmp_path / "study" / "quiz.sqlite3"
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        for _ in range(2):  # basic, then reverse: two grades, two commits
            await pilot.press("space")
            await pilot.pause()
            await pilot.press("3")
            await pilot.pause()
        await pilot.pause()
        assert _rows_without_log(db, tmp_path, "revlog") == 2


@pytest.mark.parametrize(("env", "fps"), [(None, "240"), ("30", "30")])
def test_the_frame_rate_is_raised_unless_the_user_set_one(env: str | None, fps: str) -> None:
    """quiz.tui sets TEXTUAL_FPS before Textual reads it (a change waits for a frame tick);
    the user's own setting wins."""
    environ = {k: v for k, v in os.environ.items() if k != "TEXTUAL_FPS"}
    if env is not None:
        environ["TEXTUAL_FPS"] = env
    code = "import quiz.tui, textual.constants as c; print(c.MAX_FPS)"
    out = subprocess.run([sys.executable, "-c", code], env=environ, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == fps
