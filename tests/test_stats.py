"""quiz.study.stats and `quiz stats`: counts, today's reviews, retention and plot data on a scripted history."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from test_study_support import Clock, make_deck, study_session

from quiz.cli import main
from quiz.collection import Collection
from quiz.settings import Settings, save_settings
from quiz.study.stats import DeckStats, Stats, compute_stats
from quiz.study.stats_table import format_table
from quiz.storage.store import Store
from quiz.study.session import StudySession

SETTINGS = Settings(timezone="UTC", enable_fuzzing=False, new_per_day=50)
DAY0 = datetime(2026, 3, 1, 12, 0, tzinfo=timezone.utc)
NOW = DAY0 + timedelta(days=10)  # 11 March, 12:00 UTC; the study day began at 04:00


def run_history(store: Store) -> StudySession:
    """Deck a: 5 cards, deck b: 3. a0..a2 learnt on day 0 and reviewed on day 8 (two passes, one
    lapse); two new cards of b started today; a4 suspended."""
    a, b = make_deck(5, "a", prefix="a"), make_deck(3, "b", prefix="b")
    clock = Clock(DAY0)
    s = study_session(store, [a, b], SETTINGS, clock)

    def grade(deck: str, item_id: str, rating: int) -> None:
        card = s._study_card(store.card_id(deck, item_id), deck, item_id)
        s.grade(card, rating)

    for item_id in ("a0", "a1", "a2"):
        grade("a", item_id, 4)  # Easy: straight to review (due in 8+ days)
    clock.t = DAY0 + timedelta(days=8)
    grade("a", "a0", 3)  # passed
    grade("a", "a1", 1)  # lapse -> relearning
    grade("a", "a2", 2)  # passed (Hard)
    clock.t = NOW
    grade("b", "b0", 3)  # new -> learning, due in 10 min
    grade("b", "b1", 1)  # new -> learning, due in 1 min
    store.set_suspended("a", "a4", True)
    return s


@pytest.fixture
def stats(quiz_home: Path) -> Stats:
    with Store.open() as store:
        s = run_history(store)
        store.record_exam({"correct": 3, "total": 4, "percent": 75.0})
        return compute_stats(store, s.decks, SETTINGS, NOW)


def test_required_keys_and_totals(stats: Stats) -> None:
    for key in ("reviews_today", "due_today", "new", "learning", "review", "suspended", "retention_30d", "decks"):
        assert key in stats.as_json()
    # a0, a2 in review; a1 relearning; b0, b1 learning; a3, b2 new; a4 suspended.
    assert (stats.new, stats.learning, stats.review, stats.suspended) == (2, 3, 2, 1)
    assert stats.reviews_today == 2
    # Day 8 reviews of graduated cards: 2 of 3 passed.
    assert stats.retention_30d == pytest.approx(2 / 3, abs=1e-4)
    json.dumps(stats.as_json())  # plain JSON types only


def test_per_deck_counts(stats: Stats) -> None:
    a, b = stats.decks["a"], stats.decks["b"]
    assert (a.new, a.learning, a.review, a.suspended, a.reviews_today) == (1, 1, 2, 1, 0)
    assert (b.new, b.learning, b.review, b.suspended, b.reviews_today) == (1, 2, 0, 0, 2)
    assert a.retention_30d == pytest.approx(2 / 3, abs=1e-4) and b.retention_30d is None
    # Due before the day ends (04:00 tomorrow): a1's 10-minute relearning step (from day 8),
    # both learning cards of b; a0 and a2 were pushed days ahead.
    assert (a.due_today, b.due_today) == (1, 2)
    assert stats.due_today == 3


def test_due_means_reviews_due_today_on_home_and_in_stats(quiz_home: Path) -> None:
    """Anki's meaning: "Due" is review cards due today; learning cards are "Learn" (home) or
    "learning" (stats). Home's Due and the stats' due (table, screen) are one number; the
    JSON's due_today keeps its meaning (learning and review cards due today)."""
    later = NOW + timedelta(days=26)  # a2 (5 April) is a review due, a0 (17 April) not; a1, b0, b1 learning
    with Store.open() as store:
        s = run_history(store)
        collection = Collection(store, s.decks, SETTINGS, clock=lambda: later)
        home = {row.deck.id: (row.learning, row.due) for row in collection.overview().decks}
        stats = collection.stats()
    assert home == {"a": (1, 1), "b": (2, 0)}
    assert {d: (x.due_reviews, x.due_today) for d, x in stats.decks.items()} == {"a": (1, 2), "b": (0, 2)}
    assert (stats.due_reviews, stats.due_today) == (1, 4)
    table = format_table(stats).splitlines()
    assert table[0].split()[1] == "due"
    assert [ln.split()[:3] for ln in table[2:4]] == [["Deck", "a", "1"], ["Deck", "b", "0"]]
    assert table[5].split()[:2] == ["total", "1"]


def test_home_stops_at_the_review_limit_the_stats_count_every_due_review(quiz_home: Path) -> None:
    later = NOW + timedelta(days=40)  # a0 and a2 both due
    with Store.open() as store:
        s = run_history(store)
        collection = Collection(store, s.decks, replace(SETTINGS, reviews_per_day=1), clock=lambda: later)
        assert [row.due for row in collection.overview().decks] == [1, 0]
        assert collection.stats().decks["a"].due_reviews == 2


def test_plot_data(stats: Stats) -> None:
    # Today: a1 (overdue), b0, b1; a2 on 5 April (day 25); a0 on 17 April, beyond 30 days.
    assert stats.forecast_30d == [3] + [0] * 24 + [1] + [0] * 4
    by_day = stats.reviews_by_day
    assert len(by_day) == 30 and by_day[-1] == 2 and by_day[-3] == 3 and by_day[-11] == 3 and sum(by_day) == 8
    weeks = stats.retention_by_week
    assert weeks == [None] * 11 + [pytest.approx(2 / 3, abs=1e-4)]  # only the week with day 8
    assert stats.states == {"new": 2, "learning": 2, "relearning": 1, "review": 2, "suspended": 1, "buried": 0}
    assert stats.exam_history[0]["percent"] == 75.0


def test_states_are_disjoint_and_add_up_to_the_cards(quiz_home: Path) -> None:
    with Store.open() as store:
        s = run_history(store)
        s.bury(s._study_card(store.card_id("a", "a3"), "a", "a3"))  # a new card
        s.bury(s._study_card(store.card_id("b", "b0"), "b", "b0"))  # a learning card
        store.set_suspended("b", "b2", True)
        store.bury(store.card_id("b", "b2"), NOW + timedelta(hours=1))  # suspended and buried: suspended only
        stats = compute_stats(store, s.decks, SETTINGS, NOW)
    states = stats.states
    assert states == {"new": 0, "learning": 1, "relearning": 1, "review": 2, "suspended": 2, "buried": 2}
    assert sum(states.values()) == stats.cards == 8


def test_json_keeps_a_short_exam_summary(quiz_home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with Store.open() as store:
        for k in range(25):
            detail = {"questions": [{"prompt": f"question {k}-{q}", "answer": "x" * 200} for q in range(20)]}
            store.record_exam(
                {
                    "correct": k % 21,
                    "total": 20,
                    "percent": k % 21 * 5.0,
                    "finished": f"2026-03-{k + 1:02d}",
                    "detail": detail,
                }
            )
    assert main(["stats", "--json"]) == 0
    out = capsys.readouterr().out
    exams = json.loads(out)["exam_history"]
    assert len(exams) == 20 and "question 24-" not in out
    assert exams[0] == {"id": 25, "date": "2026-03-25", "correct": 3, "total": 20, "percent": 15.0}
    assert all(set(e) == {"id", "date", "correct", "total", "percent"} for e in exams)


def test_day_boundary_decides_what_today_is(quiz_home: Path) -> None:
    with Store.open() as store:
        s = run_history(store)
        before_4am = datetime(2026, 3, 12, 3, 59, tzinfo=timezone.utc)
        after_4am = datetime(2026, 3, 12, 4, 0, tzinfo=timezone.utc)
        assert compute_stats(store, s.decks, SETTINGS, before_4am).reviews_today == 2
        assert compute_stats(store, s.decks, SETTINGS, after_4am).reviews_today == 0


def test_table_output(stats: Stats) -> None:
    text = format_table(stats)
    lines = text.splitlines()
    assert lines[0].split() == ["deck", "due", "new", "learning", "review", "suspended", "today", "retention", "id"]
    # by name, the id last; due: reviews due today (none yet: a0 and a2 are days ahead; the
    # learning cards are in "learning")
    assert lines[2].split() == ["Deck", "a", "0", "1", "1", "2", "1", "0", "66.7%", "a"]
    assert lines[3].split() == ["Deck", "b", "0", "1", "2", "0", "0", "2", "-", "b"]
    assert lines[5].split() == ["total", "0", "2", "3", "2", "1", "2", "66.7%"]


DECK_YAML = """\
deck:
  id: tiny
  name: Tiny deck
items:
  - id: one
    type: basic
    question: One?
    answer: "1"
  - id: two
    type: basic
    question: Two?
    answer: "2"
"""


def test_stats_command_json(quiz_home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    deck = tmp_path / "tiny.yaml"
    deck.write_text(DECK_YAML)
    save_settings(Settings(new_per_day=1))
    assert main(["stats", str(deck), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert (out["new"], out["due_today"], out["reviews_today"], out["retention_30d"]) == (2, 0, 0, None)
    assert out["decks"]["tiny"]["new"] == 2
    assert main(["stats", str(deck)]) == 0
    assert capsys.readouterr().out.splitlines()[2].split()[:4] == ["Tiny", "deck", "0", "2"]


def test_stats_command_bad_settings_is_one_line(quiz_home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    quiz_home.mkdir(parents=True)
    (quiz_home / "settings.json").write_text('{"desired_retention": 2}')
    assert main(["stats", "--json"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "settings.json" in err and "desired_retention" in err


def test_stats_without_names_include_decks_studied_from_files(
    quiz_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with Store.open() as store:
        s = study_session(store, [make_deck(3, "my-own-deck")], SETTINGS, Clock(NOW))
        card = s.next_card()
        assert card is not None
        s.grade(card, 3)
    assert main(["stats", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    mine = out["decks"]["my-own-deck"]
    assert (mine["new"], mine["learning"]) == (2, 1)
    assert out["learning"] >= 1 and out["new"] >= 2


def test_table_fits_80_columns_with_long_deck_ids_and_big_numbers(
    quiz_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    big = {"due_today": 12345, "due_reviews": 12000, "new": 123456, "learning": 1234, "review": 99999, "suspended": 12}
    big = {**big, "reviews_today": 1234, "retention_30d": 0.9876}
    long_id = "pharmacology-immunosuppressants-calcineurin-inhibitors-advanced"
    deck = DeckStats(name="", **big)  # type: ignore[arg-type]
    text = format_table(Stats(
        **big, decks={long_id: deck, "short": deck}, day_start="", day_end="", cards=0, states={},  # type: ignore[arg-type]
        forecast_30d=[], reviews_by_day=[], retention_by_week=[], exam_history=[],
    ))
    lines = text.splitlines()
    assert max(len(ln) for ln in lines) <= 79, text
    shown = lines[2].split()[0]
    assert shown.startswith("pharm") and "..." in shown and shown.endswith("anced")
    assert lines[3].split()[0] == "short"
    assert lines[-1].endswith("last 30 days.")
    assert main(["stats"]) == 0  # the real command on the built-in deck
    out = capsys.readouterr().out.splitlines()
    assert len(out) > 5 and max(len(ln) for ln in out) <= 79


def test_the_table_is_as_wide_as_the_terminal_says(tmp_path, monkeypatch, capsys) -> None:
    from quiz.cli import main

    deck = tmp_path / "d.yaml"
    long_id = "pharmacology-cardio-chapter-0-with-a-long-name"
    deck.write_text(f"deck: {{id: {long_id}, name: D}}\nitems:\n  - {{id: i, type: basic, question: Q?, answer: A}}\n", encoding="utf-8")
    monkeypatch.setenv("COLUMNS", "140")
    assert main(["stats", str(deck)]) == 0
    assert long_id in capsys.readouterr().out
    monkeypatch.setenv("COLUMNS", "70")
    assert main(["stats", str(deck)]) == 0
    out = capsys.readouterr().out
    assert long_id not in out and max(len(line) for line in out.splitlines()) <= 69


def _library_deck(tmp_path: Path, deck_id: str, name: str) -> Path:
    path = tmp_path / f"{deck_id}.yaml"
    items = "".join(f"  - {{id: i{k}, type: basic, question: Q{k}?, answer: A{k}}}\n" for k in range(3))
    path.write_text(f"deck: {{id: {deck_id}, name: {name}}}\nitems:\n{items}", encoding="utf-8")
    assert main(["add", str(path)]) == 0
    return path


def test_stats_lists_the_decks_in_use_not_those_removed_from_the_library(
    quiz_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """As home: a removed deck is gone from the table (its reviews stay in --json, flagged);
    a library deck whose file is away is listed and marked."""
    _library_deck(tmp_path, "pharm", "Pharm")
    away = _library_deck(tmp_path, "cardio", "Cardio")
    with Store.open() as store:  # a review today in each, through the real clock
        s = study_session(store, [make_deck(3, "pharm"), make_deck(3, "cardio")])
        for deck_id in ("pharm", "cardio"):
            s.grade(s._study_card(store.card_id(deck_id, "i0"), deck_id, "i0"), 3)
    assert main(["remove", "pharm"]) == 0
    away.unlink()
    capsys.readouterr()
    monkeypatch.setenv("COLUMNS", "100")
    assert main(["stats"]) == 0
    out, err = capsys.readouterr()
    rows = {ln.split()[0]: ln for ln in out.splitlines() if ln.strip()}
    assert "Pharm" not in rows and "Cardio" in rows and "(away)" in rows["Cardio"], out
    # Why it is away, in one line as home says it (the table only marks it).
    assert err.strip() == f"quiz: not available: Cardio (cardio): {away}: missing (moved or deleted?)", err
    assert rows["total"].split()[6] == "1", out  # today: Cardio's review, not the removed deck's
    notes = " ".join(out.split("\n\n", 1)[1].split())
    assert "(away): a library deck whose file is missing" in notes
    assert "Not listed: 1 deck no longer in use" in notes and "1 review of them today" in notes, notes
    assert main(["stats", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["decks"]["pharm"]["status"] == "not_in_use" and data["decks"]["pharm"]["reviews_today"] == 1
    assert data["decks"]["cardio"]["status"] == "unavailable"
    assert data["reviews_today"] == 2  # the JSON keeps every deck the store knows, as before
