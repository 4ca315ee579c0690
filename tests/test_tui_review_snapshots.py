"""Snapshot tests (pytest-textual-snapshot) of the home, review and summary screens at 80x24.

Deterministic: the hand-built deck and fixed clock/seed of test_tui_review.make_app, no
animations, no blinking cursor. Update with `pytest --snapshot-update` after a deliberate change
and look at the SVGs in tests/__snapshots__/.
"""

from __future__ import annotations

from pathlib import Path

from test_tui_review import make_app
from textual.pilot import Pilot

SIZE = (80, 24)


def test_home(snap_compare, tmp_path: Path) -> None:
    assert snap_compare(make_app(tmp_path / "s"), terminal_size=SIZE)


def test_review_question_side(snap_compare, tmp_path: Path) -> None:
    assert snap_compare(make_app(tmp_path / "s", start=True), terminal_size=SIZE)


def test_review_answer_side(snap_compare, tmp_path: Path) -> None:
    assert snap_compare(make_app(tmp_path / "s", start=True), press=["space"], terminal_size=SIZE)


def test_review_cloze_answer_side(snap_compare, tmp_path: Path) -> None:
    press = ["space", "3", "space", "3", "space"]  # basic, reverse, then the cloze revealed
    assert snap_compare(make_app(tmp_path / "s", start=True), press=press, terminal_size=SIZE)


def test_review_typed_with_typo(snap_compare, tmp_path: Path) -> None:
    press = ["space", "3"] * 3 + ["a", "3", *"cyclophilen", "enter"]  # ... choice, then typed
    assert snap_compare(make_app(tmp_path / "s", start=True), press=press, terminal_size=SIZE)


def test_summary(snap_compare, tmp_path: Path) -> None:
    async def finish(pilot: Pilot) -> None:
        await pilot.press("space", "3", "space", "3", "space", "3", "a", "3")
        await pilot.press(*"cyclophilin", "enter", "3", *"tacrolimus", "ctrl+s", "1")
        await pilot.pause()

    assert snap_compare(make_app(tmp_path / "s", start=True), run_before=finish, terminal_size=SIZE)


def test_review_of_several_decks(snap_compare, tmp_path: Path) -> None:
    # The top line: the decks' parent and how many beside the session's counts, the card's deck apart.
    chapters = tuple(f"deck:\n  id: ch{i}\n  name: Renal::Chapter {i}\nitems:\n  - id: q{i}\n    type: basic\n"
                     f"    question: Question of chapter {i}?\n    answer: Answer {i}\n" for i in (1, 2))
    assert snap_compare(make_app(tmp_path / "s", start=True, decks_yaml=chapters), terminal_size=SIZE)
