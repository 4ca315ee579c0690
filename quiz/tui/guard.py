"""No control character from a deck reaches the terminal through Textual or Rich.

Textual's ``Content`` and Rich's ``Text`` already drop five control codes (BEL, BS, VT, FF, CR)
from every string they are given, through one translation table each; ESC, CSI (U+009B) and the
rest pass through and would drive the terminal (window title, OSC 52 clipboard). ``install``
extends both tables with quiz.safe_text's mapping, so every text the app paints, whichever widget
shows it, has them as visible symbols. The mapping is one character for one, so styled spans laid
over the text keep their places. tests/test_hostile_tui.py checks the bytes that reach the
terminal on every screen, and fails if a Textual or Rich upgrade moves these tables.
"""

from __future__ import annotations

from typing import cast

import rich.control
import textual.content

from quiz.safe_text import VISIBLE_TABLE


def install() -> None:
    tables = (textual.content._CONTROL_STRIP_TRANSLATE, rich.control._CONTROL_STRIP_TRANSLATE)
    for table in cast("tuple[dict[int, str | None], ...]", tables):
        # The five codes both libraries drop stay dropped (mapped to None); the rest is shown.
        table.update({c: v for c, v in VISIBLE_TABLE.items() if c not in table})
