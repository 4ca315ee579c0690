"""Backups: the automatic daily copy (last 7 kept), `quiz backup`, `quiz restore`."""

from __future__ import annotations

import os
import sqlite3
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from test_study_support import Clock, make_deck, study_session, reviews

from quiz.storage.backup import LAST_GOOD, daily_backup, open_with_daily_backup
from quiz.cli import main
from quiz.storage.migrations import SCHEMA_VERSION, STEPS
from quiz.settings import Settings
from quiz.storage.store import Store, check_store_file
from quiz.study.session import StudySession


def grades(store: Store, n: int) -> None:
    s = study_session(store, [make_deck(20)], Settings(enable_fuzzing=False), Clock())
    for _ in range(n):
        card = s.next_card()
        assert card is not None
        s.grade(card, 3)


def test_first_open_of_the_day_makes_one_backup(quiz_home: Path) -> None:
    with open_with_daily_backup() as st:
        grades(st, 2)
    assert not (quiz_home / "backups").exists()  # the open that made the store: nothing to keep yet
    with open_with_daily_backup() as st:
        grades(st, 1)
    with open_with_daily_backup() as st:
        grades(st, 1)
    backups = sorted((quiz_home / "backups").iterdir())
    assert [p.name for p in backups] == [f"quiz-{datetime.now().astimezone():%Y-%m-%d}.sqlite3", LAST_GOOD]
    assert check_store_file(backups[0]) == SCHEMA_VERSION  # a complete store, usable by restore
    assert reviews(backups[0]) == 2  # taken when the day's first open of the store happened
    assert os.path.samefile(backups[0], backups[1])  # the last good one, linked (no second copy)


def test_only_the_last_seven_daily_backups_are_kept(quiz_home: Path) -> None:
    with Store.open() as st:
        grades(st, 1)
        manual = quiz_home / "backups" / "quiz-manual-2026-01-01T000000.sqlite3"
        manual.parent.mkdir()
        manual.write_bytes(b"a manual backup is never pruned")
        start = datetime(2026, 3, 1, 12).astimezone()
        made = [daily_backup(st, start + timedelta(days=k)) for k in range(10)]
        assert all(made)
        assert daily_backup(st, start + timedelta(days=9)) is None  # already done that day
    names = sorted(p.name for p in (quiz_home / "backups").iterdir())
    assert names == [f"quiz-2026-03-{d:02d}.sqlite3" for d in range(4, 11)] + [LAST_GOOD, manual.name]


def test_backup_command_writes_a_usable_store(
    quiz_home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with Store.open() as st:
        grades(st, 3)
    out = tmp_path / "copy.sqlite3"
    assert main(["backup", "-o", str(out)]) == 0
    assert "backed up to" in capsys.readouterr().out
    assert check_store_file(out) == SCHEMA_VERSION and reviews(out) == 3
    assert not Path(f"{out}-wal").exists()  # one self-contained file


def test_backup_into_a_missing_folder_is_one_line(
    quiz_home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "file"
    target.write_text("x")
    assert main(["backup", "-o", str(target / "sub" / "b.sqlite3")]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "b.sqlite3" in err and "cannot write the backup" in err


def test_restore_replaces_the_store_and_keeps_the_old_one(
    quiz_home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with Store.open() as st:
        grades(st, 2)
    saved = tmp_path / "saved.sqlite3"
    assert main(["backup", "-o", str(saved)]) == 0
    with Store.open() as st:
        grades(st, 5)
    assert reviews(quiz_home / "quiz.sqlite3") == 7
    assert main(["restore", str(saved)]) == 0
    out = capsys.readouterr().out
    assert "restored" in out and "previous store is kept as" in out
    assert reviews(quiz_home / "quiz.sqlite3") == 2
    kept = list((quiz_home / "backups").glob("quiz-before-restore-*.sqlite3"))
    assert len(kept) == 1 and reviews(kept[0]) == 7
    with Store.open() as st:  # and the restored store works as usual
        grades(st, 1)
        assert st.query("PRAGMA journal_mode")[0][0] == "wal"


def test_restore_refuses_a_file_that_is_not_a_quiz_store(
    quiz_home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with Store.open() as st:
        grades(st, 2)
    store = quiz_home / "quiz.sqlite3"
    before = store.read_bytes()
    junk = tmp_path / "notes.txt"
    junk.write_text("hello\n" * 100)
    assert main(["restore", str(junk)]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "notes.txt" in err and "not a quiz store" in err
    assert store.read_bytes() == before and junk.read_text() == "hello\n" * 100
    assert main(["restore", str(tmp_path / "missing.sqlite3")]) == 1
    assert "missing.sqlite3: no such file" in capsys.readouterr().err
    assert not list((quiz_home / "backups").glob("quiz-before-restore-*"))


def test_restore_over_a_damaged_store_keeps_the_damaged_bytes(quiz_home: Path, tmp_path: Path) -> None:
    with Store.open() as st:
        grades(st, 4)
    saved = tmp_path / "saved.sqlite3"
    assert main(["backup", "-o", str(saved)]) == 0
    store = quiz_home / "quiz.sqlite3"
    store.write_bytes(b"garbage" * 1000)
    assert main(["stats"]) == 1
    assert main(["restore", str(saved)]) == 0
    assert reviews(store) == 4
    kept = list((quiz_home / "backups").glob("quiz-before-restore-*.sqlite3"))
    assert [p.read_bytes() for p in kept] == [b"garbage" * 1000]


def test_restore_while_another_session_has_the_store_open_is_refused(
    quiz_home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with Store.open() as st:
        grades(st, 1)
    saved = tmp_path / "saved.sqlite3"
    assert main(["backup", "-o", str(saved)]) == 0
    with Store.open() as busy:
        grades(busy, 2)
        capsys.readouterr()
        assert main(["restore", str(saved)]) == 1
        err = capsys.readouterr().err.strip()
        assert "\n" not in err and "open in another quiz" in err and "close it" in err
        grades(busy, 1)  # the session goes on, nothing was swapped under it
        assert busy.query("SELECT COUNT(*) FROM revlog")[0][0] == 4
    assert main(["restore", str(saved)]) == 0  # once it is closed, the restore runs
    assert reviews(quiz_home / "quiz.sqlite3") == 1


def test_every_schema_version_has_a_migration_step(tmp_path: Path) -> None:
    assert sorted(STEPS) == list(range(SCHEMA_VERSION))
    # Migrations run inside one transaction: a failing step leaves the store as it was.
    c = sqlite3.connect(tmp_path / "m.sqlite3", isolation_level=None)
    c.execute("BEGIN")
    from quiz.storage.migrations import migrate

    assert migrate(c, 0) == SCHEMA_VERSION
    c.execute("ROLLBACK")
    assert c.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()[0] == 0
    c.close()
    os.remove(tmp_path / "m.sqlite3")


def test_a_backup_that_cannot_be_written_does_not_stop_studying(quiz_home: Path) -> None:
    quiz_home.mkdir(parents=True)
    (quiz_home / "backups").write_text("a file where the backups folder should be")
    with Store.open() as st:
        grades(st, 1)
        assert st.query("SELECT COUNT(*) FROM revlog")[0][0] == 1


def test_an_older_store_is_migrated_after_a_copy_is_kept(quiz_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import quiz.storage.migrations

    with Store.open() as st:
        grades(st, 3)
    # A future quiz with schema 2: one more column on cards.
    monkeypatch.setattr(quiz.storage.migrations, "SCHEMA_VERSION", SCHEMA_VERSION + 1)
    monkeypatch.setitem(quiz.storage.migrations.STEPS, SCHEMA_VERSION, "ALTER TABLE cards ADD COLUMN note TEXT;")
    with Store.open() as st:
        assert st.query("SELECT value FROM meta WHERE key = 'schema_version'")[0][0] == str(SCHEMA_VERSION + 1)
        assert st.query("SELECT COUNT(*) FROM cards WHERE note IS NULL")[0][0] == 20
        assert st.query("SELECT COUNT(*) FROM revlog")[0][0] == 3
    kept = list((quiz_home / "backups").glob(f"quiz-before-schema-{SCHEMA_VERSION + 1}-*.sqlite3"))
    assert len(kept) == 1
    c = sqlite3.connect(kept[0])
    assert c.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()[0] == str(SCHEMA_VERSION)
    c.close()
    # Back to today's quiz: that store is now "from a newer quiz" and refused, untouched.
    monkeypatch.setattr(quiz.storage.migrations, "SCHEMA_VERSION", SCHEMA_VERSION)
    data = (quiz_home / "quiz.sqlite3").read_bytes()
    assert main(["stats"]) == 1
    assert (quiz_home / "quiz.sqlite3").read_bytes() == data


class _FrozenNow(datetime):
    """Every backup name asked for in one test falls in the same second."""

    @classmethod
    def now(cls, tz: object = None) -> datetime:  # type: ignore[override]
        return datetime(2026, 3, 2, 12, 0, 0).astimezone()


def test_two_restores_in_one_second_keep_both_previous_stores(
    quiz_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr("quiz.storage.copying.datetime", _FrozenNow)
    with Store.open() as st:
        grades(st, 2)
    saved = tmp_path / "saved.sqlite3"
    assert main(["backup", "-o", str(saved)]) == 0
    with Store.open() as st:
        grades(st, 5)
    assert main(["restore", str(saved)]) == 0  # keeps the real store (7 reviews)
    assert main(["restore", str(saved)]) == 0  # keeps the restored one (2): must not replace the first
    kept = sorted((quiz_home / "backups").glob("quiz-before-restore-*.sqlite3"))
    assert len(kept) == 2
    assert sorted(reviews(p) for p in kept) == [2, 7]
    out = capsys.readouterr().out
    assert all(p.name in out for p in kept)  # each run named the file it wrote


def test_two_backups_in_one_second_get_two_files(
    quiz_home: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr("quiz.storage.copying.datetime", _FrozenNow)
    with Store.open() as st:
        grades(st, 1)
    assert main(["backup"]) == 0
    with Store.open() as st:
        grades(st, 1)
    assert main(["backup"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 2 and lines[0] != lines[1]
    manual = sorted((quiz_home / "backups").glob("quiz-manual-*.sqlite3"))
    assert [p.name for p in manual] == [
        "quiz-manual-2026-03-02T120000-2.sqlite3",
        "quiz-manual-2026-03-02T120000.sqlite3",
    ]
    assert sorted(reviews(p) for p in manual) == [1, 2]


def test_backup_output_refuses_an_existing_file_unless_forced(
    quiz_home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with Store.open() as st:
        grades(st, 3)
    out = tmp_path / "keep.sqlite3"
    out.write_bytes(b"something the user wants to keep")
    assert main(["backup", "-o", str(out)]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "keep.sqlite3" in err and "already exists" in err and "--force" in err
    assert out.read_bytes() == b"something the user wants to keep"
    assert main(["backup", "-o", str(out), "--force"]) == 0
    assert reviews(out) == 3


def test_rotation_never_deletes_manual_or_before_restore_copies(quiz_home: Path, tmp_path: Path) -> None:
    with Store.open() as st:
        grades(st, 1)
    saved = tmp_path / "saved.sqlite3"
    assert main(["backup", "-o", str(saved)]) == 0
    assert main(["backup"]) == 0
    assert main(["restore", str(saved)]) == 0
    backups = quiz_home / "backups"
    others = sorted(p.name for p in backups.iterdir())
    assert len(others) == 2
    with Store.open() as st:
        start = datetime(2026, 3, 1, 12).astimezone()
        for k in range(10):
            daily_backup(st, start + timedelta(days=k))
    names = sorted(p.name for p in backups.iterdir())
    assert names == sorted(others + [f"quiz-2026-03-{d:02d}.sqlite3" for d in range(4, 11)] + [LAST_GOOD])
