"""`quiz stats`'s table: decks by name as home shows them (``Parent::Child`` grouped, a parent
row summing its subtree), their ids beside when the terminal has room, and columns that stay
aligned for long and non-ASCII names (measured in terminal cells, not characters)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from wcwidth import wcswidth

from quiz.cli import main
from quiz.study.stats import DeckStats, Stats
from quiz.study.stats_table import format_table

ZERO = {"due_today": 0, "due_reviews": 0, "new": 0, "learning": 0, "review": 0, "suspended": 0, "reviews_today": 0}


def deck(name: str, **counts: object) -> DeckStats:
    return DeckStats(name=name, **{**ZERO, "retention_30d": None, **counts})  # type: ignore[arg-type]


def stats_of(decks: dict[str, DeckStats], kept: dict[str, tuple[int, int]] | None = None) -> Stats:
    total = {k: sum(getattr(d, k) for d in decks.values()) for k in ZERO}
    return Stats(
        **total, retention_30d=None, decks=decks, day_start="", day_end="", cards=0, states={},
        forecast_30d=[], reviews_by_day=[], retention_by_week=[], exam_history=[],
        retention_counts=kept or {},
    )


def cells(line: str) -> int:
    return wcswidth(line)


NAMES = {
    "cardio": deck("Pharmacology::Cardio", due_reviews=3, new=10, reviews_today=4, retention_30d=0.5),
    "renal": deck("Pharmacology::Renal", due_reviews=2, new=5, retention_30d=1.0),
    "pharm": deck("Pharmacology", due_reviews=1),
    "jp": deck("薬理学の基礎", due_reviews=7),
    "accents": deck("Pharmacologie générale", new=1),
    "bare": deck("", new=2),
}
# cardio: 1 of 2 reviews passed, renal 3 of 3: the parent's retention is 4 of 5, not a mean of ratios
KEPT = {"cardio": (1, 2), "renal": (3, 3)}


def test_decks_by_name_grouped_as_home_with_their_ids_when_there_is_room() -> None:
    lines = format_table(stats_of(NAMES, KEPT), width=140).splitlines()
    assert lines[0].split() == ["deck", "due", "new", "learning", "review", "suspended", "today", "retention", "id"]
    rows = [ln.split() for ln in lines[2:8]]
    # the parent row: its own deck and its subtree, summed, as home's parent row; its own deck's id
    assert rows[0] == ["Pharmacology", "6", "15", "0", "0", "0", "4", "80.0%", "pharm"]
    assert rows[1] == ["Cardio", "3", "10", "0", "0", "0", "4", "50.0%", "cardio"]
    assert rows[2] == ["Renal", "2", "5", "0", "0", "0", "0", "100.0%", "renal"]
    assert lines[3].startswith("  Cardio") and lines[4].startswith("  Renal")  # indented as on home
    assert rows[3][0] == "薬理学の基礎" and rows[3][-1] == "jp"
    assert rows[4][:2] == ["Pharmacologie", "générale"]
    assert rows[5][0] == "bare" and rows[5][-1] == "bare"  # no name: the id stands for it
    # aligned in terminal cells: every id starts in the same column, every line before it as wide
    ids = ("pharm", "cardio", "renal", "jp", "accents", "bare")
    starts = {cells(line[: line.rindex(" " + i) + 1]) for line, i in zip(lines[2:8], ids)}
    assert starts == {cells(lines[0][: lines[0].rindex(" id") + 1])}
    assert next(ln for ln in lines if ln.startswith("total")).split()[:3] == ["total", "13", "18"]  # the parent row is not counted twice


def test_a_narrow_terminal_keeps_the_names_drops_the_ids_and_stays_aligned() -> None:
    long = "Pharmacology::Immunosuppressants::Calcineurin inhibitors in transplant medicine"
    decks = {**NAMES, "cni": deck(long, due_reviews=1), "wide": deck("免疫抑制薬カルシニューリン阻害薬の臨床薬理学総論", new=3)}
    for width in (79, 70):
        text = format_table(stats_of(decks, KEPT), width=width)
        lines = text.splitlines()
        # no room for the ids; at 70 the headers are shortened so the names keep 16 cells
        assert lines[0].split()[-1] == ("retention" if width == 79 else "ret"), width
        table = lines[: lines.index("")]
        assert max(cells(ln) for ln in text.splitlines()) <= width
        # every row ends in the retention column: as wide as the header, in cells
        assert {cells(ln) for ln in table if not ln.startswith("-")} == {cells(lines[0])}, text
        assert any("..." in ln for ln in table)  # the long names shortened in the middle


def test_a_control_character_in_a_name_is_shown_and_keeps_the_columns(capsys: pytest.CaptureFixture[str]) -> None:
    lines = format_table(stats_of({"x1": deck("bad\x1b]0;title\x07name"), "y1": deck("ok")}), width=79).splitlines()
    assert "\x1b" not in "\n".join(lines) and "\u241b" in lines[2]
    assert cells(lines[2]) == cells(lines[3]) == cells(lines[0])


def test_the_command_shows_the_name_and_the_id(
    quiz_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "d.yaml"
    path.write_text("deck: {id: tiny, name: Tiny deck}\nitems:\n  - {id: i, type: basic, question: Q?, answer: A}\n",
                    encoding="utf-8")
    monkeypatch.setenv("COLUMNS", "120")
    assert main(["stats", str(path)]) == 0
    assert capsys.readouterr().out.splitlines()[2].split() == ["Tiny", "deck", "0", "1", "0", "0", "0", "0", "-", "tiny"]
    assert main(["stats", str(path), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["decks"]["tiny"]["name"] == "Tiny deck" and "retention_counts" not in out


NARROW = {
    "cni": deck("Medicine::Anatomy and Physiology of the Cardiovascular System::Heart Chambers", due_reviews=12, new=340),
    "wide": deck("免疫抑制薬カルシニューリン阻害薬の臨床薬理学総論", new=3, learning=27, review=1200, suspended=4,
                 reviews_today=19, retention_30d=0.875),
    "short": deck("ECG", due_reviews=1),
}


@pytest.mark.parametrize("width", [59, 39])
def test_a_narrow_terminal_gives_the_names_sixteen_cells_and_drops_numbers_instead(width: int) -> None:
    text = format_table(stats_of(NARROW, {"wide": (7, 8)}), width=width)
    lines = text.splitlines()
    table = lines[: lines.index("")]
    assert max(cells(ln) for ln in lines) <= width, text
    # every row as wide as the header (aligned in cells), the names in the first 16 cells at least
    assert {cells(ln) for ln in table if not ln.startswith("-")} == {cells(lines[0])}, text
    name_w = cells(lines[1].split()[0])
    assert name_w >= 16, text
    wide = next(ln for ln in table if ln.startswith("免疫"))
    assert cells(wide.split("  ")[0]) >= 15  # a wide character is never cut in half: 15 or 16 cells
    assert lines[0].split()[:2] == ["deck", "due"]  # due stays: what is to study today
    assert "ECG" in text and "Medicine" in text
    notes = " ".join(lines[lines.index(""):])
    if width == 59:  # shorter headers are room enough
        assert lines[0].split() == ["deck", "due", "new", "learn", "rev", "susp", "today", "ret"], text
        assert "Not shown" not in notes and "learn, rev, susp, ret: learning, review, suspended, retention." in notes
    else:  # the least needed go first, and a note says which; due and new stay
        assert lines[0].split() == ["deck", "due", "new", "today"], text
        assert "Not shown for want of room: learning, review, suspended, retention" in notes, text
        assert "learn," not in notes  # no legend for headers not shown


def test_piped_at_80_columns_names_that_differ_at_the_end_stay_whole_and_away_readable() -> None:
    from quiz.study.stats import DeckStatus

    decks = {"basics": deck("Pharmacology basics", new=3, status=DeckStatus.UNAVAILABLE),
             "advanced": deck("Pharmacology advanced topics", new=5), "cardio": deck("Pharmacology::Cardio", new=1)}
    lines = format_table(stats_of(decks), width=79).splitlines()
    names = [ln[: ln.index("  ", 2)] for ln in lines[2:6]]
    assert names == ["Pharmacology basics (away)", "Pharmacology advanced topics", "Pharmacology", "  Cardio"]
    assert max(cells(ln) for ln in lines) <= 79
    # narrower still, a cut name keeps its indent, more of its end, and "(away)" whole
    lines = format_table(stats_of(decks), width=40).splitlines()
    row = next(ln for ln in lines if "(away)" in ln)
    assert row.split("  ")[0] == "Ph...sics (away)" and max(cells(ln) for ln in lines) <= 40
