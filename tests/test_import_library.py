"""`quiz import` into the library (no -o) that is refused leaves everything as it was: no deck
files, media folders or package folder, no deck cache entries, no history in the store, the
library index unchanged; and its one line says which deck ids clash and a way out that works."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest
from anki_packages import build_big_package, build_package

from quiz.anki import importer, into_library
from quiz.cli import main
from quiz.cores import can_fork
from quiz.decks import library
from quiz.decks.cache import load_deck_cached
from quiz.decks.library import read_library

IDS = ["pharm", "pharm-renal", "pharm-renal-tubule"]
DECK = "deck:\n  id: {id}\n  name: Made up\nitems:\n  - id: q1\n    type: basic\n    question: zorb?\n    answer: blue\n"


@pytest.fixture(scope="module")
def packages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The same decks (names and ids) in Anki's latest and legacy formats."""
    out = {}
    for fmt in ("latest", "legacy"):
        built = build_package(tmp_path_factory.mktemp(fmt) / "anki", legacy=fmt == "legacy")
        out[fmt] = built.path.rename(built.path.with_name(f"{fmt}.apkg"))
    return out


@pytest.fixture(scope="module")
def big_packages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Packages big enough for the importer to split them with its twin on its own."""
    return {fmt: build_big_package(tmp_path_factory.mktemp(f"big-{fmt}"), legacy=fmt == "legacy") for fmt in ("latest", "legacy")}


class Forks(list[object]):
    """The twin processes started (``on``: packages of two decks or more are split)."""

    on = False


@pytest.fixture(params=["small", "split"])
def split(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Forks:
    """"split": every package of two decks or more is read and staged half in the twin process."""
    forks = Forks()
    if request.param == "split":
        forks.on = True
        monkeypatch.setattr(importer, "SPLIT_FROM_NOTES", 0)
        real_twin = importer.Twin
        monkeypatch.setattr(importer, "Twin", lambda work: forks.append(work) or real_twin(work))
    return forks


def snapshot(home: Path) -> dict[str, str]:
    """Every file and folder under the quiz home (library, media, deck cache, store, index)."""
    return {
        str(p.relative_to(home)): hashlib.sha256(p.read_bytes()).hexdigest() if p.is_file() else "dir"
        for p in sorted(home.rglob("*"))
    }


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def refused(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    code, out, err = run(capsys, *args)
    assert (code, out) == (1, ""), err
    assert len(err.splitlines()) == 1 and "Traceback" not in err
    return err


def follow(err: str, capsys: pytest.CaptureFixture[str]) -> list[str]:
    """Run the commands the message gives (`quiz remove ID`, or the import again with --force,
    and then what its refusal gives, if it is refused); the commands run."""
    removes = re.findall(r"`quiz remove ([\w.-]+)`", err)
    if removes:
        for deck_id in removes:
            assert run(capsys, "remove", deck_id)[0] == 0
        return [f"remove {i}" for i in removes]
    again = re.search(r"`quiz import (\S+) --force`", err)
    assert again, err
    code, _, err = run(capsys, "import", again.group(1), "--force")
    if code == 0:
        return ["import --force"]
    assert len(err.splitlines()) == 1 and "Traceback" not in err
    return ["import --force", *follow(err, capsys)]


@pytest.mark.parametrize("first", ["latest", "legacy"])
def test_a_package_whose_ids_are_in_the_library_writes_nothing(
    first: str, split: Forks, packages: dict[str, Path], quiz_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    second = "legacy" if first == "latest" else "latest"
    code, _, err = run(capsys, "import", str(packages[first]))
    assert code == 0, err
    assert [e.deck_id for e in read_library()] == IDS
    forks = len(split)
    before = snapshot(quiz_home)
    err = refused(capsys, "import", str(packages[second]))
    assert snapshot(quiz_home) == before
    assert not (quiz_home / "library" / second).exists()
    assert all(f"'{i}'" in err for i in IDS) and "already in your library" in err and "quiz add" not in err
    assert len(split) == forks + split.on  # the twin was started, and stopped before it staged
    # the same again: the same answer (nothing left over to complain about instead)
    assert refused(capsys, "import", str(packages[second])) == err
    # the way out it gives works: --force, refused as the library's decks share no note with
    # the package (the two formats were made from two collections), then `quiz remove`
    files = {k: v for k, v in snapshot(quiz_home).items() if k != "library.json"}
    assert follow(err, capsys) == ["import --force", *(f"remove {i}" for i in IDS)]
    assert {k: v for k, v in snapshot(quiz_home).items() if k != "library.json"} == files
    code, out, err = run(capsys, "import", str(packages[second]))
    assert code == 0, err
    assert {e.deck_id: e.path for e in read_library()} == {
        i: (quiz_home / "library" / second / f"{i}.yaml").resolve() for i in IDS
    }


def test_a_deck_of_ones_own_with_one_of_the_ids_is_not_replaced(
    split: Forks, packages: dict[str, Path], quiz_home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    mine = tmp_path / "mine" / "pharm.yaml"
    mine.parent.mkdir()
    mine.write_text(DECK.format(id="pharm"), encoding="utf-8")
    assert run(capsys, "add", str(mine))[0] == 0
    for fmt in ("latest", "legacy"):
        before = snapshot(quiz_home)
        err = refused(capsys, "import", str(packages[fmt]))
        assert snapshot(quiz_home) == before
        assert "'pharm'" in err and "'pharm-renal'" not in err and "mine/pharm.yaml" in err
    assert follow(err, capsys) == ["import --force", "remove pharm"]
    assert run(capsys, "import", str(packages["legacy"]))[0] == 0
    assert [e.deck_id for e in read_library()] == IDS


@pytest.mark.parametrize("fmt", ["latest", "legacy"])
def test_a_refusal_after_staging_leaves_nothing_either(
    fmt: str, split: Forks, packages: dict[str, Path], quiz_home: Path, tmp_path: Path,
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The library changed between the check and the end (another quiz added a deck meanwhile):
    every deck was staged, in both processes, with its cache entry, then the library refuses."""
    mine = tmp_path / "pharm-renal.yaml"
    mine.write_text(DECK.format(id="pharm-renal"), encoding="utf-8")
    real_remember = library.remember

    def added_meanwhile(decks):  # type: ignore[no-untyped-def]
        monkeypatch.setattr(library, "remember", real_remember)
        library.add_decks([mine])
        return real_remember(decks)

    monkeypatch.setattr(library, "remember", added_meanwhile)
    (quiz_home / "library").mkdir(parents=True)
    load_deck_cached(mine)  # its cache entry is there before, as if it had been studied
    before = snapshot(quiz_home)
    err = refused(capsys, "import", str(packages[fmt]))
    assert "'pharm-renal'" in err and "quiz add" not in err
    after = snapshot(quiz_home)
    assert {k: v for k, v in after.items() if k != "library.json"} == before  # only `mine` was added
    assert [e.deck_id for e in read_library()] == ["pharm-renal"]
    assert len(split) == split.on  # the twin did stage its half


def test_one_deck_gets_another_id_that_is_free(quiz_home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    mine = tmp_path / "mine" / "words.yaml"
    mine.parent.mkdir()
    mine.write_text(DECK.format(id="words"), encoding="utf-8")
    taken = tmp_path / "mine" / "words-2.yaml"
    taken.write_text(DECK.format(id="words-2"), encoding="utf-8")
    assert run(capsys, "add", str(mine), str(taken))[0] == 0
    csv = tmp_path / "words.csv"
    csv.write_text("zorb,a blue made-up fruit\nblip,a five-legged made-up animal\n", encoding="utf-8")
    before = snapshot(quiz_home)
    err = refused(capsys, "import", str(csv))
    assert snapshot(quiz_home) == before
    assert "'words'" in err and "quiz add" not in err
    hint = re.search(r"--deck-id ([\w.-]+)", err)
    assert hint and hint.group(1) == "words-3", err
    code, _, err = run(capsys, "import", str(csv), "--deck-id", hint.group(1))
    assert code == 0, err
    assert [e.deck_id for e in read_library()] == ["words", "words-2", "words-3"]


def test_a_file_in_the_way_is_offered_to_quiz_add_only_if_that_would_work(
    packages: dict[str, Path], quiz_home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(capsys, "import", str(packages["latest"]))[0] == 0
    out = tmp_path / "out"
    out.mkdir()
    in_the_way = out / "pharm.yaml"
    in_the_way.write_text(DECK.format(id="pharm"), encoding="utf-8")  # the library's 'pharm' is latest's
    err = refused(capsys, "import", str(packages["legacy"]), "-o", str(out))
    assert "pharm.yaml already exists (use --force to replace it)" in err and "quiz add" not in err
    in_the_way.write_text(DECK.format(id="my-pharm"), encoding="utf-8")
    err = refused(capsys, "import", str(packages["legacy"]), "-o", str(out))
    assert f"`quiz add {in_the_way}`" in err
    assert run(capsys, "add", str(in_the_way))[0] == 0


@pytest.fixture
def twins(monkeypatch: pytest.MonkeyPatch) -> Forks:
    """The twin processes started, at the importer's own threshold."""
    forks = Forks()
    real_twin = importer.Twin
    monkeypatch.setattr(importer, "Twin", lambda work: forks.append(work) or real_twin(work))
    return forks


@pytest.mark.skipif(not can_fork(), reason="the import is split only where quiz.cores.can_fork says so")
@pytest.mark.parametrize("first", ["latest", "legacy"])
def test_a_package_big_enough_to_split_is_refused_alike(
    first: str, twins: Forks, big_packages: dict[str, Path], quiz_home: Path, capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
) -> None:
    second = "legacy" if first == "latest" else "latest"
    assert run(capsys, "import", str(big_packages[first]))[0] == 0
    assert len(twins) == 1  # split between two processes
    before = snapshot(quiz_home)
    err = refused(capsys, "import", str(big_packages[second]))
    assert snapshot(quiz_home) == before and all(f"'{i}'" in err for i in IDS)
    # refused after both processes staged their halves (the library changed meanwhile)
    real_check = into_library.refuse_clashes
    monkeypatch.setattr(importer, "refuse_clashes", lambda source, plans: None)
    err = refused(capsys, "import", str(big_packages[second]))
    assert snapshot(quiz_home) == before and all(f"'{i}'" in err for i in IDS)
    assert len(twins) == 3
    monkeypatch.setattr(importer, "refuse_clashes", real_check)
    # the package imported again over itself with --force: updated in place, ids kept
    before_ids = {e.deck_id: [i.id for i in load_deck_cached(e.path).items] for e in read_library()}
    assert run(capsys, "import", str(big_packages[first]), "--force")[0] == 0
    assert len(twins) == 4
    assert {e.deck_id: [i.id for i in load_deck_cached(e.path).items] for e in read_library()} == before_ids
    assert {e.path.parent.name for e in read_library()} == {f"big-{first}"}


def test_a_first_import_refused_leaves_no_library_folder(
    quiz_home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    csv = tmp_path / "calcineurin-inhibitors.csv"  # its deck id would be the built-in deck's
    csv.write_text("zorb,a blue made-up fruit\n", encoding="utf-8")
    before = snapshot(quiz_home)
    err = refused(capsys, "import", str(csv))
    assert snapshot(quiz_home) == before and not (quiz_home / "library").exists()
    assert "'calcineurin-inhibitors' is a built-in deck's" in err
    hint = re.search(r"--deck-id ([\w.-]+)", err)
    assert hint and run(capsys, "import", str(csv), "--deck-id", hint.group(1))[0] == 0
    assert [e.deck_id for e in read_library()] == [hint.group(1)]
