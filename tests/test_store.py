"""quiz.storage.store: schema, deck sync (hidden, re-added), append-only log, undo, exams, bad stores."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from test_study_support import Clock, item, make_deck, study_session

from quiz.storage.migrations import SCHEMA_VERSION
from quiz.decks.model import Deck
from quiz.paths import store_path
from quiz.settings import Settings
from quiz.storage.store import Store, StoreError
from quiz.study.session import StudySession


def study(store: Store, deck: Deck, grades: int, clock: Clock | None = None) -> StudySession:
    s = study_session(store, [deck], Settings(enable_fuzzing=False), clock or Clock())
    for _ in range(grades):
        card = s.next_card()
        assert card is not None
        s.grade(card, 3)
    return s


def test_new_store_is_created_with_schema_and_wal(quiz_home: Path) -> None:
    with Store.open() as st:
        assert st.path == quiz_home / "quiz.sqlite3" == store_path()
        assert st.query("PRAGMA journal_mode")[0][0] == "wal"
        assert st.query("SELECT value FROM meta WHERE key = 'schema_version'")[0][0] == str(SCHEMA_VERSION)
        assert int(st.query("PRAGMA busy_timeout")[0][0]) >= 5000
        tables = {r[0] for r in st.query("SELECT name FROM sqlite_master WHERE type = 'table'")}
        assert {"meta", "decks", "cards", "revlog", "exams"} <= tables
    assert not list(quiz_home.glob(".*.new"))  # the build file was linked into place and removed


def test_removed_item_is_hidden_and_comes_back_with_its_history(quiz_home: Path) -> None:
    deck = make_deck(3)
    with Store.open() as st:
        study(st, deck, 3)
        before = st.card_info("d", "i1")
        assert before.reps == 1
        smaller = Deck(id="d", name="Deck d", items=(deck.items[0], deck.items[2]))
        st.sync_deck(smaller)
        assert st.card_info("d", "i1").hidden
        assert st.query("SELECT COUNT(*) FROM cards")[0][0] == 3  # nothing deleted
        # While hidden it is never offered.
        s = study_session(st, [smaller], Settings(), Clock())
        assert all(c.item_id != "i1" for c in s.queue.candidates(Clock().advance(days=30)))
        st.sync_deck(deck)
        again = st.card_info("d", "i1")
        assert not again.hidden
        assert (again.card_id, again.reps, again.due, again.stability) == (
            before.card_id,
            before.reps,
            before.due,
            before.stability,
        )
        assert len(st.history("d", "i1")) == 1


def test_changed_wording_keeps_history(quiz_home: Path) -> None:
    deck = make_deck(2)
    with Store.open() as st:
        study(st, deck, 2)
        reworded = Deck(id="d", name="Deck d", items=(item("i0", question="Reworded?"), deck.items[1]))
        s = study_session(st, [reworded], Settings(), Clock())
        assert st.card_info("d", "i0").reps == 1
        assert len(st.history("d", "i0")) == 1
        assert s._card("d", "i0", 0).question == "Reworded?"


def test_a_card_the_session_decks_lack_is_skipped_never_a_wrong_card(quiz_home: Path) -> None:
    # Cards are looked up in the session's decks only when shown: one the store has but the
    # deck in hand does not (a card of another ord, an item gone from the file since) is passed
    # over, never shown as another.
    deck = Deck(id="d", name="Deck d", items=(item("i0"), item("i1")))
    with Store.open() as st:
        study_session(st, [deck], Settings(), Clock())  # synced: the store has i0 and i1
        fewer = Deck(id="d", name="Deck d", items=(deck.items[1],))
        s = StudySession(st, [fewer], Settings(), clock=Clock())
        assert s._card("d", "i1", 0) == deck.items[1] and s._card("d", "i1", 1) is None
        assert s._card("d", "i0", 0) is None and s._card("other", "i1", 0) is None
        card = s.next_card()
        assert card is not None and card.item == deck.items[1]
        s.grade(card, 3, 1000)
        assert s.next_card() is None  # only i0 is left, and this session's deck has no i0


def test_review_log_is_append_only(quiz_home: Path) -> None:
    with Store.open() as st:
        study(st, make_deck(1), 1)
        with pytest.raises(sqlite3.DatabaseError, match="append-only"):
            st._conn.execute("DELETE FROM revlog")
        with pytest.raises(sqlite3.DatabaseError, match="append-only"):
            st._conn.execute("UPDATE revlog SET rating = 4")
        assert st.query("SELECT COUNT(*) FROM revlog")[0][0] == 1


def test_grade_is_committed_before_it_returns(quiz_home: Path) -> None:
    with Store.open() as st:
        s = study_session(st, [make_deck(2)], Settings(), Clock())
        card = s.next_card()
        assert card is not None
        s.grade(card, 4, duration_ms=2500)
        # A second connection (another process, in effect) already sees it.
        other = sqlite3.connect(st.path)
        row = other.execute("SELECT rating, duration_ms, state_before, state_after, undone FROM revlog").fetchone()
        other.close()
        assert row == (4, 2500, 0, 2, 0)


def test_undo_restores_the_card_and_flags_the_log_row(quiz_home: Path) -> None:
    with Store.open() as st:
        s = study_session(st, [make_deck(2)], Settings(), Clock())
        card = s.next_card()
        assert card is not None
        s.grade(card, 3)
        s.next_card()
        graded = st.card_info("d", card.item.id)
        assert graded.state == "learning" and graded.reps == 1
        back = s.undo()
        assert back is not None and back.card_id == card.card_id and back.state == "new"
        info = st.card_info("d", card.item.id)
        assert (info.state, info.reps, info.due, info.stability) == ("new", 0, None, None)
        rows = st.history("d", card.item.id)
        assert len(rows) == 1 and rows[0].undone  # kept, flagged
        assert s.reviewed == 0
        assert s.next_card() == back  # the undone card is shown again
        assert s.undo() is None


def test_exam_results_have_their_own_table(quiz_home: Path) -> None:
    with Store.open() as st:
        st.record_exam(
            {
                "started": "2026-03-02T10:00:00+00:00",
                "finished": "2026-03-02T10:05:00+00:00",
                "decks": ["d"],
                "correct": 7,
                "total": 10,
                "percent": 70.0,
                "detail": {"q": [1, 2]},
            }
        )
        st.record_exam({"correct": 1, "total": 2, "percent": 50.0})
        hist = st.exam_history()
        assert [h["correct"] for h in hist] == [1, 7]  # newest first
        assert hist[1]["decks"] == ["d"] and hist[1]["detail"] == {"q": [1, 2]}
        assert st.query("SELECT COUNT(*) FROM revlog")[0][0] == 0


# --- bad stores: refused with one line naming the file, never modified ----------------------


def _good_store(path: Path) -> None:
    with Store.open(path) as st:
        study(st, make_deck(400), 30)
    assert not Path(f"{path}-wal").exists()


def _not_sqlite(p: Path) -> None:
    p.write_bytes(b"this is a text file, not a database\n" * 50)


def _empty(p: Path) -> None:
    p.write_bytes(b"")


def _truncated(p: Path) -> None:
    _good_store(p)
    data = p.read_bytes()
    p.write_bytes(data[: len(data) // 2])


def _corrupt(p: Path) -> None:
    _good_store(p)
    data = bytearray(p.read_bytes())
    page = 4096
    for n in range(2, len(data) // page):  # garble every page but the first (the schema)
        data[n * page + 8 : n * page + 200] = os.urandom(192)
    p.write_bytes(bytes(data))


def _garbled_header(p: Path) -> None:
    _good_store(p)
    data = bytearray(p.read_bytes())
    data[100:4096] = os.urandom(3996)  # the schema page itself
    p.write_bytes(bytes(data))


def _newer_schema(p: Path) -> None:
    _good_store(p)
    c = sqlite3.connect(p)
    c.execute("UPDATE meta SET value = '99' WHERE key = 'schema_version'")
    c.commit()
    c.close()


def _other_sqlite(p: Path) -> None:
    c = sqlite3.connect(p)
    c.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)")
    c.execute("INSERT INTO notes (body) VALUES ('hello')")
    c.commit()
    c.close()


BAD = {
    "not-sqlite": (_not_sqlite, "not a quiz store \\(not an SQLite database\\)"),
    "empty": (_empty, "empty \\(truncated\\)"),
    "truncated": (_truncated, "truncated"),
    "corrupt": (_corrupt, "damaged"),
    "garbled-schema": (_garbled_header, "damaged|not a quiz store"),
    "newer-schema": (_newer_schema, "made by a newer quiz \\(store schema 99"),
    "other-sqlite": (_other_sqlite, "not a quiz store"),
}


@pytest.fixture(params=sorted(BAD))
def bad_store(request: pytest.FixtureRequest, quiz_home: Path) -> tuple[Path, str, bytes, int]:
    make, message = BAD[request.param]
    quiz_home.mkdir(parents=True, exist_ok=True)
    p = quiz_home / "quiz.sqlite3"
    make(p)
    os.utime(p, ns=(1_600_000_000_000_000_000, 1_600_000_000_000_000_000))
    return p, message, p.read_bytes(), p.stat().st_mtime_ns


def test_bad_store_is_refused_and_untouched(bad_store: tuple[Path, str, bytes, int]) -> None:
    p, message, data, mtime = bad_store
    with pytest.raises(StoreError, match=message) as e:
        Store.open(p)
    text = str(e.value)
    assert str(p) in text and "\n" not in text and e.value.exit_code == 1
    assert p.read_bytes() == data and p.stat().st_mtime_ns == mtime


def test_bad_store_cli_exits_1_with_one_line(bad_store: tuple[Path, str, bytes, int], tmp_path: Path) -> None:
    p, message, data, mtime = bad_store
    r = subprocess.run(
        [sys.executable, "-m", "quiz", "stats"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={**os.environ, "QUIZ_HOME": str(p.parent)},
        timeout=60,
    )
    assert r.returncode == 1, r.stderr
    assert r.stdout == ""
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in r.stderr
    assert lines[0].startswith("quiz: ") and "quiz.sqlite3" in lines[0]
    import re

    assert re.search(message, lines[0])
    assert p.read_bytes() == data and p.stat().st_mtime_ns == mtime
    assert not (p.parent / "backups").exists()


def test_a_damaged_store_is_refused_even_after_the_days_backup(quiz_home: Path) -> None:
    from quiz.storage.backup import open_with_daily_backup

    p = quiz_home / "quiz.sqlite3"
    quiz_home.mkdir(parents=True)
    with open_with_daily_backup(p) as st:
        study(st, make_deck(400), 5)
    open_with_daily_backup(p).close()  # today's backup is made here (the first open made the store)
    assert any((quiz_home / "backups").iterdir())
    _corrupt(p)
    data = p.read_bytes()
    with pytest.raises(StoreError, match="damaged"):
        Store.open(p)  # every page is read on every open, whatever the store's size
    assert p.read_bytes() == data
