"""The review screen's key legend in a narrow terminal: the least useful keys give way first,
so the key for now, help and home stay in view at 60 columns."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_tui_review import make_app

from quiz.tui.screens.review_text import DROP_FIRST, TYPE_LABEL, hints
from quiz.tui.widgets.key_hints import KeyHints, fit, hints_width


def test_fit_leaves_out_the_listed_keys_in_order_until_the_rest_fits() -> None:
    line = (("spc", "show answer"), ("!", "suspend"), ("-", "bury"), ("?", "help"))
    assert fit(line, 100, ("suspend", "bury")) == line
    assert fit(line, hints_width(line) - 1, ("suspend", "bury")) == (line[0], line[2], line[3])
    assert fit(line, 10, ("suspend", "bury")) == (line[0], line[3])  # none left to drop: as is
    assert hints_width((("1-4", "grade"), ("?", "help"))) == len("1-4 grade  ? help")


@pytest.mark.parametrize("kind", sorted(TYPE_LABEL))
@pytest.mark.parametrize(("typing", "revealed"), [(False, False), (False, True), (True, False)])
def test_every_legend_keeps_the_key_for_now_help_and_home_in_58_cells(kind: str, typing: bool, revealed: bool) -> None:
    full = hints(kind, typing=typing, revealed=revealed)
    shown = fit(full, 60 - 2, DROP_FIRST)  # the line's padding takes 2
    assert hints_width(shown) <= 58
    assert shown[:2] == full[:2]  # what to do now
    if not typing:
        assert ("?", "help") in shown and ("q", "home") in shown


def _legend(app) -> str:  # type: ignore[no-untyped-def]
    return app.screen.query_one(KeyHints).visual.plain


async def test_at_60_columns_help_and_home_are_on_the_line(tmp_path: Path) -> None:
    app = make_app(tmp_path / "s", start=True)
    async with app.run_test(size=(60, 20)) as pilot:
        await pilot.pause()
        line = _legend(app)
        assert line.startswith("spc show answer") and line.endswith("? help  q home")
        assert "suspend" not in line and "bury" in line
        await pilot.press("space")
        await pilot.pause()
        line = _legend(app)
        assert "1-4 grade" in line and line.endswith("? help  q home")
        assert len(line) <= 58
        await pilot.resize_terminal(100, 20)  # room again: every key back
        await pilot.pause()
        assert "! suspend" in _legend(app) and "- bury" in _legend(app)
