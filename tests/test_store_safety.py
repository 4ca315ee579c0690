"""Data you can trust (issue #12, points 1-5): restore against other processes, SQLite as the judge
of a store, damaged stores neither written to nor backed up, a full disk told apart from damage,
and no traceback on the recovery path. docs/reliability.md maps each point to these tests.
"""

from __future__ import annotations

import io
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from test_durability import acks, check_store, spawn
from test_study_support import Clock, make_deck, study_session, reviews

from quiz.cli import main
from quiz.settings import Settings
from quiz.storage import file_check
from quiz.storage.backup import daily_backup, open_with_daily_backup
from quiz.storage.store import Store, StoreError

LAST_GOOD = "quiz-last-good.sqlite3"  # outside the rotation (backup.LAST_GOOD)
REPO = Path(__file__).resolve().parent.parent


def grades(store: Store, n: int, deck_id: str = "d") -> None:
    s = study_session(store, [make_deck(max(n, 5), deck_id)], Settings(enable_fuzzing=False, new_per_day=10_000),
                      Clock())
    for _ in range(n):
        card = s.next_card()
        assert card is not None
        s.grade(card, 3)


def quiz(*args: str, home: Path, cwd: Path | None = None, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "quiz", *args], capture_output=True, text=True, timeout=timeout,
                          cwd=cwd or home.parent, env={**os.environ, "QUIZ_HOME": str(home)})


def one_line(r: subprocess.CompletedProcess[str], code: int = 1) -> str:
    assert r.returncode == code, (r.returncode, r.stderr)
    assert "Traceback" not in r.stderr, r.stderr
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1, r.stderr
    return lines[0]


def saved_backup(home: Path, tmp_path: Path, n: int = 1) -> Path:
    with Store.open(home / "quiz.sqlite3") as st:
        grades(st, n)
    saved = tmp_path / "saved.sqlite3"
    assert main(["backup", "-o", str(saved)]) == 0
    return saved


# --- 1. restore is atomic with respect to other processes -------------------------------------


def test_restore_is_refused_while_a_grader_process_has_the_store_open(quiz_home: Path, tmp_path: Path) -> None:
    saved = saved_backup(quiz_home, tmp_path)
    grader = spawn(quiz_home, "grader", 2000)
    try:
        assert grader.stdout is not None and grader.stdout.readline() == "READY\n"
        time.sleep(0.3)  # it grades continuously meanwhile
        line = one_line(quiz("restore", str(saved), home=quiz_home))
        assert "open in another quiz" in line and "quiz.sqlite3" in line
    finally:
        grader.send_signal(signal.SIGKILL)
        out, _ = grader.communicate(timeout=30)
    acknowledged = set(acks(out))
    assert len(acknowledged) > 5
    check_store(quiz_home, acknowledged)  # every acknowledged grade is in the live store
    assert not list((quiz_home / "backups").glob("quiz-before-restore-*"))


def test_a_first_run_holds_the_lock_too(quiz_home: Path, tmp_path: Path) -> None:
    saved = tmp_path / "saved.sqlite3"
    with Store.open(saved) as st:
        grades(st, 1)
    assert not quiz_home.exists()
    with Store.open() as first:
        grades(first, 2, "e")
        assert main(["restore", str(saved)]) == 1
    assert reviews(quiz_home / "quiz.sqlite3") == 2


def test_a_session_notices_a_restore_instead_of_writing_on(quiz_home: Path, tmp_path: Path) -> None:
    saved = saved_backup(quiz_home, tmp_path)
    with Store.open() as session:
        grades(session, 2, "e")
        # The lock can be lost (its file removed, a file system without flock): the store's
        # generation still tells the session that its store was swapped.
        for lock in quiz_home.glob("*.lock"):
            lock.unlink()
        assert main(["restore", str(saved)]) == 0
        with pytest.raises(StoreError, match="replaced by 'quiz restore'.*start quiz again"):
            grades(session, 1, "f")
    assert reviews(quiz_home / "quiz.sqlite3") == 1  # the backup's one review, nothing written on


@pytest.mark.slow
def test_restores_between_short_runs_lose_no_acknowledged_grade(quiz_home: Path, tmp_path: Path) -> None:
    # A grader that opens the store for each grade (like `quiz exam --record` runs): every
    # acknowledged grade is in the store or in a copy kept by a restore; restores that meet an
    # open store are refused.
    saved = saved_backup(quiz_home, tmp_path)
    script = (
        "import os,sys\nsys.path.insert(0, 'tests')\n"
        "from test_study_support import make_deck, study_session\n"
        "from quiz.errors import QuizError\nfrom quiz.settings import Settings\nfrom quiz.storage.store import Store\n"
        "for k in range(200):\n"
        "    try:\n"
        "        with Store.open() as st:\n"
        "            s = study_session(st, [make_deck(500, 'g')], Settings(new_per_day=10000))\n"
        "            card = s.next_card()\n"
        "            if card is None:  # the store was swapped between the sync and here\n"
        "                continue\n"
        "            s.grade(card, 3)\n"
        "            rid = s.last_review_id\n"
        "            print('ACK', rid, st.query('SELECT time FROM revlog WHERE id = ?', (rid,))[0][0], flush=True)\n"
        "    except QuizError as e:  # busy, refused, or the card gone with a restore: not acknowledged\n"
        "        print('REFUSED', e, flush=True)\n"
    )
    grader = subprocess.Popen([sys.executable, "-c", script], cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              text=True, env={**os.environ, "QUIZ_HOME": str(quiz_home)})
    done = 0
    while grader.poll() is None and done < 15:
        r = quiz("restore", str(saved), home=quiz_home)
        assert "Traceback" not in r.stderr, r.stderr
        done += r.returncode == 0
    out, err = grader.communicate(timeout=120)
    assert grader.returncode == 0, err
    acked = {(int(rid), int(t)) for _, rid, t in (line.split() for line in out.splitlines() if line.startswith("ACK "))}
    assert acked and done
    # Review ids are reused after a restore, so a review is known by its id and its time.
    files = [quiz_home / "quiz.sqlite3", *(quiz_home / "backups").glob("quiz-before-restore-*.sqlite3")]
    held: set[tuple[int, int]] = set()
    for f in files:
        c = sqlite3.connect(f"{f.resolve().as_uri()}?mode=ro", uri=True)
        held |= set(c.execute("SELECT id, time FROM revlog WHERE deck_id = 'g'"))
        c.close()
    lost = sorted(acked - held)
    assert not lost, lost[:5]


# --- 2. SQLite judges the store; a WAL left by a kill is recovered ------------------------------


def _short_main_file_with_full_log(home: Path, with_shm: bool) -> Path:
    """A store as a kill can leave it: the main file shorter than its header says, every page in
    the WAL (SQLite reads it fine)."""
    src = home.parent / "src.sqlite3"
    with Store.open(src) as st:
        grades(st, 40)
    c = sqlite3.connect(src, isolation_level=None)
    c.execute("PRAGMA wal_autocheckpoint = 0")
    c.execute("VACUUM")  # rewrites every page into the WAL
    c.execute("INSERT INTO exams (correct, total, percent) VALUES (1, 1, 100)")
    dst = home / "quiz.sqlite3"
    home.mkdir(parents=True, exist_ok=True)
    shutil.copy(src, dst)
    shutil.copy(f"{src}-wal", f"{dst}-wal")
    if with_shm:
        shutil.copy(f"{src}-shm", f"{dst}-shm")
    c.close()
    data = dst.read_bytes()
    dst.write_bytes(data[: len(data) // 3])
    return dst


@pytest.mark.parametrize("with_shm", [False, True])
def test_a_store_whose_log_holds_the_missing_pages_is_healthy(quiz_home: Path, with_shm: bool) -> None:
    dst = _short_main_file_with_full_log(quiz_home, with_shm)
    r = quiz("stats", "--json", home=quiz_home)
    assert r.returncode == 0, r.stderr
    with Store.open(dst) as st:
        assert st.query("SELECT COUNT(*) FROM revlog")[0][0] == 40
        assert st.query("SELECT COUNT(*) FROM exams")[0][0] == 1
        assert st.query("PRAGMA integrity_check")[0][0] == "ok"


@pytest.mark.slow
def test_a_kill_during_restore_never_leaves_a_store_called_damaged(quiz_home: Path, tmp_path: Path) -> None:
    # A big backup over a small store: the copy lands in the WAL and is checkpointed into a main
    # file that must grow; kills fall before, during and after that.
    big = tmp_path / "big.sqlite3"
    with Store.open(big) as st:
        grades(st, 5, "big")
        with st.transaction() as c:  # ~20 MB of log: the swap's checkpoint takes a while
            row = c.execute("SELECT card_id, deck_id, time, rating, duration_ms, state_before, state_after, "
                            "before, after FROM revlog LIMIT 1").fetchone()
            c.executemany("INSERT INTO revlog (card_id, deck_id, time, rating, duration_ms, state_before, "
                          "state_after, before, after) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                          [(row[0], row[1], row[2] + k, *row[3:]) for k in range(2995 * 20)])
    small = quiz_home / "quiz.sqlite3"
    with Store.open(small) as st:
        grades(st, 3)
    total = reviews(big)

    def fresh_small() -> None:
        for f in quiz_home.glob("quiz.sqlite3*"):
            if not f.name.endswith(".lock"):
                f.unlink()
        with Store.open(small) as st:
            grades(st, 3)

    # One restore run to the end tells how long one takes here: the kills spread over that time.
    t0 = time.monotonic()
    assert quiz("restore", str(big), home=quiz_home).returncode == 0
    took = time.monotonic() - t0
    fresh_small()
    rng = random.Random(12)
    for _ in range(30):
        p = subprocess.Popen([sys.executable, "-m", "quiz", "restore", str(big)], cwd=tmp_path,
                             env={**os.environ, "QUIZ_HOME": str(quiz_home)},
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        time.sleep(rng.uniform(0.5, 1.1) * took)  # the swap and its checkpoint come last
        p.send_signal(signal.SIGKILL)
        p.communicate(timeout=30)
        r = quiz("stats", "--json", home=quiz_home)
        assert r.returncode == 0, r.stderr
        n = reviews(small)
        assert n in (3, total)
        if n == total:  # restored: start again from the small store
            fresh_small()


# --- 3. damaged stores are neither written to nor backed up -------------------------------------


def _index_damage(p: Path) -> None:
    """Damage quick_check cannot see: an index missing rows of its table (integrity_check does)."""
    c = sqlite3.connect(p, isolation_level=None)
    c.execute("CREATE INDEX revlog_x ON revlog (rating) WHERE rating = 99")
    c.execute("PRAGMA writable_schema = ON")
    c.execute("UPDATE sqlite_master SET sql = 'CREATE INDEX revlog_x ON revlog (rating)' WHERE name = 'revlog_x'")
    c.execute("PRAGMA writable_schema = OFF")
    c.close()
    c = sqlite3.connect(p)
    assert c.execute("PRAGMA quick_check").fetchone()[0] == "ok"
    assert c.execute("PRAGMA integrity_check").fetchone()[0] != "ok"
    c.close()


def test_index_damage_is_caught_before_the_daily_backup_and_never_copied(quiz_home: Path) -> None:
    p = quiz_home / "quiz.sqlite3"
    with Store.open(p) as st:
        grades(st, 5)
    _index_damage(p)
    line = one_line(quiz("stats", home=quiz_home))
    assert "damaged" in line and "quiz.sqlite3" in line and "quiz restore" in line
    assert not list(quiz_home.glob("backups/*.sqlite3"))  # the damage was not copied
    line = one_line(quiz("backup", home=quiz_home))
    assert "damaged" in line and "not backed up" in line
    assert not list((quiz_home / "backups").glob("quiz-manual-*"))
    assert not list((quiz_home / "backups").glob(".*.tmp"))


def _damage_an_old_log_page(p: Path) -> bytes:
    """Overwrite part of an old leaf page of the review log (nothing a new grade or exam writes
    ever reads it); the file's bytes afterwards."""
    c = sqlite3.connect(p)
    page = c.execute(
        "SELECT pageno FROM dbstat WHERE name = 'revlog' AND pagetype = 'leaf' ORDER BY pageno"
    ).fetchone()[0]
    c.close()
    data = bytearray(p.read_bytes())
    data[(page - 1) * 4096 + 8: (page - 1) * 4096 + 24] = b"\xff" * 16
    p.write_bytes(bytes(data))
    return bytes(data)


def test_a_damaged_big_store_is_checked_although_the_days_backup_exists(
    quiz_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(file_check, "QUICK_CHECK_MAX_BYTES", 0, raising=False)  # every store counts as big
    p = quiz_home / "quiz.sqlite3"
    with open_with_daily_backup(p) as st:  # today's backup exists from here on
        grades(st, 300)
    data = _damage_an_old_log_page(p)
    monkeypatch.chdir(quiz_home)
    monkeypatch.setattr(sys, "stdin", io.StringIO("an answer\n"))
    assert main(["exam", "--plain", "--record", "-n", "1", "--seed", "1"]) == 1  # refused, not written
    assert p.read_bytes() == bytes(data)
    assert not Path(f"{p}-wal").exists() or Path(f"{p}-wal").stat().st_size == 0


def test_a_big_store_is_read_at_once_but_the_first_write_waits_for_its_page_check(
    quiz_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    p = quiz_home / "quiz.sqlite3"
    with Store.open(p) as st:
        grades(st, 300)
    data = _damage_an_old_log_page(p)
    monkeypatch.setattr(file_check, "QUICK_CHECK_MAX_BYTES", 0)  # every store counts as big
    with Store.open(p) as st:
        assert st.query("SELECT COUNT(*) FROM cards")[0][0] == 300  # reading goes on meanwhile
        with pytest.raises(StoreError, match="damaged"):
            grades(st, 1)
    assert p.read_bytes() == bytes(data)


def test_the_last_good_backup_outlives_the_rotation(quiz_home: Path) -> None:
    with Store.open() as st:
        grades(st, 3)
        start = datetime(2026, 3, 1, 12).astimezone()
        for k in range(10):
            assert daily_backup(st, start + timedelta(days=k))
    backups = quiz_home / "backups"
    last_good = backups / LAST_GOOD
    assert os.path.samefile(last_good, backups / "quiz-2026-03-10.sqlite3")
    _index_damage(quiz_home / "quiz.sqlite3")
    with Store.open() as st, pytest.raises(StoreError, match="damaged"):
        daily_backup(st, start + timedelta(days=10))
    assert not (backups / "quiz-2026-03-11.sqlite3").exists()
    c = sqlite3.connect(last_good)
    assert c.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert c.execute("SELECT COUNT(*) FROM revlog").fetchone()[0] == 3
    c.close()
    assert main(["restore", str(last_good)]) == 0
    assert reviews(quiz_home / "quiz.sqlite3") == 3


# --- 4. a full disk, a read-only file system, no permission: not "damaged" ----------------------


def test_sqlite_failures_are_named_for_what_they_are(quiz_home: Path) -> None:
    p = quiz_home / "quiz.sqlite3"
    with Store.open(p) as st:
        grades(st, 1)
    cases = {
        sqlite3.SQLITE_FULL: "the disk is full",
        sqlite3.SQLITE_CORRUPT: "the store is damaged",
        sqlite3.SQLITE_NOTADB: "the store is damaged",
    }
    for code, words in cases.items():
        e = sqlite3.OperationalError("some failure") if code == sqlite3.SQLITE_FULL else sqlite3.DatabaseError("bad")
        e.sqlite_errorcode = code  # type: ignore[attr-defined]
        msg = str(file_check.store_error(p, e))
        assert words in msg, (code, msg)
        assert ("quiz restore" in msg) == (words == "the store is damaged")
    for err, words in ((OSError(28, "No space left on device"), "the disk is full"),
                       (OSError(30, "Read-only file system"), "read-only"),
                       (PermissionError(13, "Permission denied"), "permission denied")):
        msg = str(file_check.store_error(p, err))
        assert words in msg and "damaged" not in msg and "restore" not in msg, msg


def test_an_unreadable_store_is_not_called_damaged(quiz_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    p = quiz_home / "quiz.sqlite3"
    with Store.open(p) as st:
        grades(st, 1)
    real_open = Path.open

    def denied(self: Path, *a: object, **k: object):  # type: ignore[no-untyped-def]
        if self == p:
            raise PermissionError(13, "Permission denied", str(self))
        return real_open(self, *a, **k)  # type: ignore[arg-type]

    monkeypatch.setattr(Path, "open", denied)
    with pytest.raises(StoreError) as e:
        Store.open(p)
    assert "permission denied" in str(e.value) and "damaged" not in str(e.value)


@pytest.fixture
def tiny_fs(tmp_path: Path):  # type: ignore[no-untyped-def]
    """A 1 MB tmpfs, to fill up or make read-only for real (root only; skipped elsewhere)."""
    if not hasattr(os, "geteuid") or os.geteuid() != 0 or not shutil.which("mount"):
        pytest.skip("mounting a tmpfs needs root")
    mnt = tmp_path / "fs"
    mnt.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(mnt)], capture_output=True).returncode:
        pytest.skip("cannot mount a tmpfs here")
    yield mnt
    subprocess.run(["umount", "-l", str(mnt)], capture_output=True)


def _fill(fs: Path) -> Path:
    filler = fs / "filler"
    fd = os.open(filler, os.O_WRONLY | os.O_CREAT)
    try:
        while os.write(fd, b"\0" * 4096):
            pass
    except OSError:
        pass
    finally:
        os.close(fd)
    return filler


def _run(home: Path, cwd: Path, *args: str, answers: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "quiz", *args], input=answers, capture_output=True, text=True,
                          timeout=60, cwd=cwd, env={**os.environ, "QUIZ_HOME": str(home)})


WRITERS = (("stats",), ("backup",), ("exam", "--plain", "--record", "-n", "2", "--seed", "1", "--types", "typed"))
RECORD_3 = ("exam", "--plain", "--record", "-n", "3", "--seed", "2", "--types", "typed")


def test_a_full_disk_is_called_full_never_damaged(tiny_fs: Path, tmp_path: Path) -> None:
    home = tiny_fs / "home"
    filler = _fill(tiny_fs)
    line = one_line(_run(home, tmp_path, "stats"))  # a first run on a full disk
    assert "cannot create the store: the disk is full" in line
    filler.unlink()
    assert _run(home, tmp_path, *RECORD_3, answers="a\nb\nc\n").returncode == 0
    filler = _fill(tiny_fs)
    for args in WRITERS:
        line = one_line(_run(home, tmp_path, *args, answers="a\nb\n"))
        assert "the disk is full" in line and "damaged" not in line and "restore" not in line, (args, line)
    leftovers = [p for p in home.rglob("*") if p.name.endswith((".tmp", ".new"))]
    assert not leftovers  # nothing half-written eats the space that is freed later
    filler.unlink()
    assert _run(home, tmp_path, "stats").returncode == 0
    assert reviews(home / "quiz.sqlite3") == 3


def test_a_read_only_file_system_is_called_read_only(tiny_fs: Path, tmp_path: Path) -> None:
    home = tiny_fs / "home"
    assert _run(home, tmp_path, *RECORD_3, answers="a\nb\nc\n").returncode == 0
    subprocess.run(["mount", "-o", "remount,ro", str(tiny_fs)], check=True)
    try:
        for args in WRITERS:
            line = one_line(_run(home, tmp_path, *args, answers="a\nb\n"))
            assert "read-only" in line and "damaged" not in line and "restore" not in line, (args, line)
    finally:
        subprocess.run(["mount", "-o", "remount,rw", str(tiny_fs)], check=True)
    assert reviews(home / "quiz.sqlite3") == 3


def test_a_deck_cache_write_that_fails_leaves_no_temp_file(quiz_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from quiz.decks import cache

    folder = quiz_home / "cache" / "decks"
    folder.mkdir(parents=True)
    stale = folder / ".0123abcd.99999.tmp"  # left by a process killed mid-write long ago
    stale.write_text("partial")
    os.utime(stale, (time.time() - 7200, time.time() - 7200))

    def full(*a: object, **k: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(cache.os, "replace", full)
    deck = REPO / "decks" / "calcineurin-inhibitors.yaml"
    cache.load_deck_cached(deck)
    assert not list(folder.glob(".*.tmp"))


# --- 5. no traceback on the recovery path --------------------------------------------------------


def _undecodable_schema(p: Path) -> None:
    """A store whose integrity report (and error messages) hold bytes that are not UTF-8."""
    c = sqlite3.connect(p, isolation_level=None)
    c.execute("CREATE INDEX revlog_x ON revlog (rating)")
    c.execute("PRAGMA writable_schema = ON")
    c.execute("UPDATE sqlite_master SET name = CAST(X'7265766c6f675fff' AS TEXT) WHERE name = 'revlog_x'")
    c.execute("PRAGMA writable_schema = OFF")
    c.close()


def test_invalid_utf8_in_the_integrity_report_is_one_line_and_restore_works(quiz_home: Path, tmp_path: Path) -> None:
    saved = saved_backup(quiz_home, tmp_path, 2)
    store = quiz_home / "quiz.sqlite3"
    _undecodable_schema(store)
    damaged = store.read_bytes()
    line = one_line(quiz("stats", home=quiz_home))
    assert "damaged" in line and "quiz.sqlite3" in line
    r = quiz("restore", str(saved), home=quiz_home)
    assert r.returncode == 0 and "Traceback" not in r.stderr, r.stderr
    assert reviews(store) == 2
    kept = list((quiz_home / "backups").glob("quiz-before-restore-*.sqlite3"))
    assert [k.read_bytes() for k in kept] == [damaged]
    # A backup with such a schema is refused as a restore source, in one line.
    bad = tmp_path / "bad.sqlite3"
    shutil.copy(saved, bad)
    _undecodable_schema(bad)
    line = one_line(quiz("restore", str(bad), home=quiz_home))
    assert "bad.sqlite3" in line


def _schema_zero(p: Path) -> None:
    with Store.open(p) as st:
        grades(st, 1)
    c = sqlite3.connect(p)
    c.execute("UPDATE meta SET value = '0' WHERE key = 'schema_version'")
    c.commit()
    c.close()


def test_a_file_with_schema_version_0_is_refused_without_copies(quiz_home: Path, tmp_path: Path) -> None:
    saved = saved_backup(quiz_home, tmp_path, 2)
    zero = tmp_path / "zero.sqlite3"
    _schema_zero(zero)
    for _ in range(2):
        line = one_line(quiz("restore", str(zero), home=quiz_home))
        assert "zero.sqlite3" in line and "not a quiz store" in line
    assert reviews(quiz_home / "quiz.sqlite3") == 2  # the store is untouched and usable
    assert quiz("stats", home=quiz_home).returncode == 0
    assert not list((quiz_home / "backups").glob("quiz-before-*"))
    # The same file as the store itself: refused on every run, no copy added each time.
    shutil.copy(zero, quiz_home / "quiz.sqlite3")
    for _ in range(2):
        assert "not a quiz store" in one_line(quiz("stats", home=quiz_home))
    assert not list((quiz_home / "backups").glob("quiz-before-*"))
    assert main(["restore", str(saved)]) == 0
    assert reviews(quiz_home / "quiz.sqlite3") == 2


# --- #9 point 8: a file where the backups folder belongs -----------------------------------------


def test_backup_and_restore_with_a_file_as_the_backups_folder(quiz_home: Path, tmp_path: Path) -> None:
    saved = saved_backup(quiz_home, tmp_path)
    if (quiz_home / "backups").exists():
        (quiz_home / "backups").rename(tmp_path / "old-backups")
    (quiz_home / "backups").write_text("not a folder")
    for args in (("backup",), ("restore", str(saved))):
        line = one_line(quiz(*args, home=quiz_home, timeout=30))
        assert "backups" in line and "not a folder" in line
    assert (quiz_home / "backups").read_text() == "not a folder"
