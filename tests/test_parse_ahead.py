"""Uncached deck files parsed on two cores (quiz.decks.ahead): the same decks and errors as
parsing them one by one, the child's share left in the deck cache."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest

import quiz.decks.loader
from quiz.cores import can_fork
from quiz.decks import ahead
from quiz.decks.ahead import parse_ahead
from quiz.decks.loader import load_deck
from quiz.errors import InvalidFile

pytestmark = pytest.mark.skipif(not can_fork(), reason="forks only on Linux with two cores")


def deck_file(tmp_path: Path, name: str, items: int, broken: bool = False) -> Path:
    lines = [f"deck: {{id: {name}, name: {name.title()}}}", "items:"]
    for i in range(items):
        lines += [f"  - id: {name}-{i}", "    type: basic", f"    question: Question {i} of {name}?", f"    answer: Answer {i}"]
    if broken:
        lines += ["  - id: bad", "    type: basic", "    question: no answer here"]
    path = tmp_path / f"{name}.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def parsed_by(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A file where every parse writes the parsing process's pid and the deck's file name."""
    log = tmp_path / "parsed.log"
    real = quiz.decks.loader.load_deck

    def logged(path: Path, data: bytes | None = None) -> object:
        with open(log, "a", encoding="utf-8") as f:
            f.write(f"{os.getpid()} {Path(path).name}\n")
        return real(path, data)

    monkeypatch.setattr(quiz.decks.loader, "load_deck", logged)
    monkeypatch.setattr(ahead, "MIN_BYTES", 0)
    return log


def who_parsed(log: Path) -> dict[str, str]:
    me = str(os.getpid())
    return {name: "me" if pid == me else "child" for pid, name in (line.split() for line in log.read_text().splitlines())}


def test_the_child_parses_the_last_files_into_the_cache(tmp_path: Path, parsed_by: Path) -> None:
    paths = [deck_file(tmp_path, n, 40) for n in ("a", "b", "c", "d")]
    with parse_ahead(paths) as load:
        decks = [load(p) for p in paths]
    assert decks == [load_deck(p) for p in paths]
    assert who_parsed(parsed_by) == {"a.yaml": "me", "b.yaml": "me", "c.yaml": "child", "d.yaml": "child"}
    with parse_ahead(paths) as load:  # all cached now: no second process, nothing parsed
        assert [load(p) for p in paths] == decks
    assert len(parsed_by.read_text().splitlines()) == 4


def test_an_invalid_deck_of_the_childs_share_raises_as_ever(tmp_path: Path, parsed_by: Path) -> None:
    paths = [deck_file(tmp_path, "a", 40), deck_file(tmp_path, "b", 40, broken=True)]
    with pytest.raises(InvalidFile) as expected:
        load_deck(paths[1])
    parsed_by.unlink(missing_ok=True)
    with parse_ahead(paths) as load:
        load(paths[0])
        with pytest.raises(InvalidFile) as err:
            load(paths[1])
    assert err.value.problems == expected.value.problems
    # The child parsed it and kept its problems in the cache: this process reports them from there.
    assert who_parsed(parsed_by)["b.yaml"] == "child"
    assert sorted(parsed_by.read_text().split()[1::2]) == ["a.yaml", "b.yaml"]


def test_no_second_process_while_another_thread_runs(tmp_path: Path, parsed_by: Path) -> None:
    paths = [deck_file(tmp_path, n, 40) for n in ("a", "b")]
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        with parse_ahead(paths) as load:
            [load(p) for p in paths]
    finally:
        stop.set()
        other.join()
    assert set(who_parsed(parsed_by).values()) == {"me"}


def test_small_files_are_parsed_here(tmp_path: Path, parsed_by: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ahead, "MIN_BYTES", 1024 * 1024)
    paths = [deck_file(tmp_path, n, 40) for n in ("a", "b")]
    with parse_ahead(paths) as load:
        [load(p) for p in paths]
    assert set(who_parsed(parsed_by).values()) == {"me"}


def test_a_fork_that_fails_means_parsing_here(tmp_path: Path, parsed_by: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def no_fork() -> int:
        raise BlockingIOError(11, "Resource temporarily unavailable")

    monkeypatch.setattr(os, "fork", no_fork)
    paths = [deck_file(tmp_path, n, 40) for n in ("a", "b")]
    with parse_ahead(paths) as load:
        assert [load(p).id for p in paths] == ["a", "b"]
    assert set(who_parsed(parsed_by).values()) == {"me"}


def test_decks_named_by_id_on_a_first_run_are_parsed_on_two_cores(
    tmp_path: Path, parsed_by: Path, quiz_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`quiz validate ID…` (or study) reads each named deck's name and id before the command
    loads them: on a cold cache that read must share the parsing with the child, not parse every
    deck here first (a 33,000-item library took twice as long)."""
    from quiz.cli import main
    from quiz.decks import cache

    paths = [deck_file(tmp_path, n, 40) for n in ("a", "b", "c", "d")]
    assert main(["add", *map(str, paths)]) == 0
    for entry in (quiz_home / "cache" / "decks").glob("*.deck"):
        entry.unlink()  # `quiz add` cached them: a first run does not have them
    cache._loader_stamp.cache_clear()
    parsed_by.write_text("")
    capsys.readouterr()
    assert main(["validate", "a", "b", "c", "d"]) == 0
    assert sorted(who_parsed(parsed_by).values()) == ["child", "child", "me", "me"]  # each once, half each
