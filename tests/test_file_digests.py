"""A deck file's digest is remembered by its stat, and never outlives a change to the file."""

from __future__ import annotations

import marshal
import os
import time
from pathlib import Path

import pytest

from quiz.decks import file_digests
from quiz.decks.file_digests import digest, file_digest


@pytest.fixture(autouse=True)
def fresh_memo(quiz_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(file_digests, "_memo", None)


def _settled_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    # As if every file had been written long ago (files written by a test are milliseconds old).
    monkeypatch.setattr(file_digests, "SETTLED_NS", -1)


def _digest(path: Path) -> bytes:
    return file_digest(path, os.stat(path))


def test_a_settled_file_is_hashed_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _settled_at_once(monkeypatch)
    path = tmp_path / "d.yaml"
    path.write_text("deck: {id: d, name: D}\n", encoding="utf-8")
    assert _digest(path) == digest(path.read_bytes())
    monkeypatch.setattr(file_digests, "_memo", None)  # a new process: the memo is read from disk

    read_bytes = Path.read_bytes

    def no_reading(self: Path) -> bytes:
        assert self != path, "read although the memo holds its digest"
        return read_bytes(self)

    monkeypatch.setattr(Path, "read_bytes", no_reading)
    assert _digest(path) == digest(b"deck: {id: d, name: D}\n")


def test_an_edit_that_keeps_size_and_mtime_is_hashed_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _settled_at_once(monkeypatch)
    path = tmp_path / "d.yaml"
    path.write_text("answer: tacrolimus\n", encoding="utf-8")
    before = os.stat(path)
    _digest(path)
    time.sleep(0.05)  # past the kernel's timestamp tick: the write gets a later ctime
    path.write_text("answer: ciclosporin\n"[:len("answer: tacrolimus\n")], encoding="utf-8")
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))  # as cp -p or rsync -t would
    after = os.stat(path)
    assert (after.st_size, after.st_mtime_ns) == (before.st_size, before.st_mtime_ns)
    assert _digest(path) == digest(path.read_bytes())


def test_a_file_changed_just_now_is_not_remembered(tmp_path: Path) -> None:
    path = tmp_path / "d.yaml"
    path.write_text("deck: {id: d, name: D}\n", encoding="utf-8")
    _digest(path)
    # Written this instant, it could change again within the same timestamp tick unseen.
    assert str(path) not in (file_digests._memo or {})


def test_a_damaged_memo_only_costs_the_hashing(tmp_path: Path, quiz_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _settled_at_once(monkeypatch)
    path = tmp_path / "d.yaml"
    path.write_text("deck: {id: d, name: D}\n", encoding="utf-8")
    memo = quiz_home / "cache" / "decks" / "file-digests"
    memo.parent.mkdir(parents=True)
    for damage in (b"\x00garbage", b"", marshal.dumps({str(path): "not a pair"})):
        memo.write_bytes(damage)
        monkeypatch.setattr(file_digests, "_memo", None)
        assert _digest(path) == digest(path.read_bytes())
