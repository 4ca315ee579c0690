"""The deck cache gives back exactly what the loader gives, and never a stale or invalid deck."""

from __future__ import annotations

import marshal
import os
import shutil
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

import quiz.decks.loader
from quiz.decks.loader import load_deck
from quiz.cli import main
import quiz.decks.cache
from quiz.decks.cache import _cache_dir, cache_key, load_deck_cached
from quiz.errors import InvalidFile

REPO = Path(__file__).resolve().parent.parent
DECK = REPO / "decks" / "calcineurin-inhibitors.yaml"


@pytest.fixture
def deck_file(tmp_path: Path) -> Path:
    p = tmp_path / "d.yaml"
    shutil.copy(DECK, p)
    return p


def _no_parsing(monkeypatch: pytest.MonkeyPatch) -> None:
    def fail(path: Path, data: bytes | None = None) -> None:
        raise AssertionError("parsed although the cache holds this deck")

    monkeypatch.setattr(quiz.decks.loader, "load_deck", fail)


def test_cached_deck_equals_the_parsed_one(deck_file: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    parsed = load_deck(deck_file)
    first = load_deck_cached(deck_file)
    _no_parsing(monkeypatch)
    second = load_deck_cached(deck_file)
    assert first == parsed and second == parsed
    assert [i.line for i in second.items] == [i.line for i in parsed.items]
    assert all(isinstance(i.answers, tuple) and isinstance(i.tags, tuple) for i in second.items)
    assert second.path == deck_file
    # The signature comes with the entry: it must be the one the items give (the store's check).
    assert second.sync_signature == parsed.sync_signature
    assert [(i.ords, i.card_label, i.entries) for i in second.items] == [(i.ords, i.card_label, i.entries) for i in parsed.items]


def test_list_entries_with_accepted_forms_survive_the_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "d.yaml"
    path.write_text("deck: {id: d, name: D}\nitems:\n  - id: l\n    type: list\n    question: q\n"
                    "    answers: [oral, {answer: intravenous, accept: [IV, i.v.]}]\n", encoding="utf-8")
    parsed = load_deck(path)
    load_deck_cached(path)
    _no_parsing(monkeypatch)
    second = load_deck_cached(path)
    assert second == parsed and second.items[0].entries[1].accept == ("IV", "i.v.")


def test_an_edit_parses_again(deck_file: Path) -> None:
    load_deck_cached(deck_file)
    text = deck_file.read_text(encoding="utf-8")
    deck_file.write_text(text.replace("name: Calcineurin inhibitors", "name: Edited", 1), encoding="utf-8")
    assert load_deck_cached(deck_file).name == "Edited"


def test_an_edit_that_breaks_the_deck_is_reported_not_served_from_cache(deck_file: Path) -> None:
    load_deck_cached(deck_file)
    deck_file.write_text(deck_file.read_text(encoding="utf-8") + "  - id: x\n    type: nope\n", encoding="utf-8")
    with pytest.raises(InvalidFile, match="unknown item type"):
        load_deck_cached(deck_file)


def test_a_damaged_cache_entry_is_ignored(deck_file: Path) -> None:
    good = load_deck_cached(deck_file)
    for entry in _cache_dir().glob("*.deck"):
        entry.write_bytes(b"\x00not marshal")
    assert load_deck_cached(deck_file) == good


def test_an_invalid_decks_problems_are_reported_every_time_without_parsing_again(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("deck: {id: x, name: X}\nitems:\n  - id: a\n    type: basic\n", encoding="utf-8")
    with pytest.raises(InvalidFile) as first:
        load_deck_cached(bad)
    _no_parsing(monkeypatch)
    with pytest.raises(InvalidFile) as again:
        load_deck_cached(bad)
    assert str(again.value) == str(first.value) and "bad.yaml:3" in str(again.value)
    # Fixed, it is read as the deck it now is.
    monkeypatch.setattr(quiz.decks.loader, "load_deck", load_deck)
    _version(bad, "fixed")
    assert load_deck_cached(bad).items[0].question == "Which fixed?"


def test_a_cache_that_cannot_be_written_costs_only_speed(deck_file: Path, quiz_home: Path) -> None:
    quiz_home.mkdir(parents=True, exist_ok=True)
    (quiz_home / "cache").write_text("a file where the folder should be", encoding="utf-8")
    assert load_deck_cached(deck_file) == load_deck(deck_file)


def test_missing_and_directory_paths_give_the_loaders_errors(tmp_path: Path) -> None:
    with pytest.raises(InvalidFile, match="no such file"):
        load_deck_cached(tmp_path / "missing.yaml")
    with pytest.raises(InvalidFile, match="directory"):
        load_deck_cached(tmp_path)


@pytest.mark.parametrize("command", [["validate"], ["stats", "--json"], ["export", "-o", "out.apkg"]])
def test_every_command_reads_an_unchanged_deck_from_the_cache(
    deck_file: Path, monkeypatch: pytest.MonkeyPatch, command: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    assert main([command[0], str(deck_file), *command[1:]]) == 0  # parses once, fills the cache
    _no_parsing(monkeypatch)
    assert main([command[0], str(deck_file), *command[1:]]) == 0
    assert "parsed although" not in capsys.readouterr().err


def test_validate_reports_a_broken_deck_every_time(deck_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    deck_file.write_text(deck_file.read_text(encoding="utf-8") + "  - id: x\n    type: nope\n", encoding="utf-8")
    for _ in range(2):
        assert main(["validate", str(deck_file)]) == 1
        assert "unknown item type" in capsys.readouterr().err


def test_warnings_come_back_with_a_cached_deck(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    # `quiz validate` of an unchanged deck reads it from the cache: its warnings must still show.
    path = tmp_path / "w.yaml"
    path.write_text('deck: {id: w, name: W}\nitems:\n  - id: a\n    type: basic\n    question: "q \\e x"\n    answer: a\n',
                    encoding="utf-8")
    assert main(["validate", str(path)]) == 0
    first = capsys.readouterr().err
    assert f"{path}:5:15: warning: question holds the control character U+001B" in first
    _no_parsing(monkeypatch)
    assert main(["validate", str(path)]) == 0
    assert capsys.readouterr().err == first


def test_the_built_in_digests_are_hashlibs() -> None:
    # quiz.digests takes sha1 and blake2b from CPython's own modules (no OpenSSL at start):
    # the signatures stores already hold must come out the same
    import hashlib

    from quiz.digests import blake2b, sha1

    for data in (b"", b"cards/2\n", "Ciclosporin\tfact\n".encode() * 1000):
        assert sha1(data).hexdigest() == hashlib.sha1(data).hexdigest()
        assert blake2b(data, digest_size=16).digest() == hashlib.blake2b(data, digest_size=16).digest()


def _entry_parts() -> tuple[Path, bytes, tuple[object, ...], bytes]:
    """The one entry: its file, checksum, head and rows."""
    (entry,) = _cache_dir().glob("*.deck")
    data = entry.read_bytes()
    head, rows = marshal.loads(data[4:])
    return entry, data[:4], head, rows


def test_a_cached_deck_builds_its_items_only_when_asked(deck_file: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    parsed = load_deck(deck_file)
    load_deck_cached(deck_file)
    _no_parsing(monkeypatch)
    second = load_deck_cached(deck_file)
    # What a start asks of a deck comes with the entry: the items are not built for it.
    assert (second.id, second.name, second.card_count, second.has_images, second.sync_signature) == (
        parsed.id, parsed.name, parsed.card_count, parsed.has_images, parsed.sync_signature)
    assert "items" not in vars(second)
    assert second.items == parsed.items and "items" in vars(second)
    assert second == load_deck_cached(deck_file)  # two reads of one entry: equal without building
    copy = replace(second, path=deck_file)  # as `quiz add` makes one: items, and no entry key
    assert copy == second and second == copy and copy == parsed


IMAGES_DECK = """deck: {id: pics, name: Pictures}
items:
  - id: a
    type: basic
    question: Which organ is shown?
    answer: kidney
    images: [kidney.png]
    answer_images: [label.png]
    extra: seen from behind
  - id: b
    type: typed
    question: Name the drug class.
    answer: calcineurin inhibitor
    accept: [CNI]
    tags: [class]
"""


def test_fields_left_at_their_defaults_come_back_as_their_defaults(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "d.yaml"
    path.write_text(IMAGES_DECK, encoding="utf-8")
    parsed = load_deck(path)
    load_deck_cached(path)
    _no_parsing(monkeypatch)
    second = load_deck_cached(path)
    assert second.has_images and second.items == parsed.items
    a, b = second.items
    assert (a.images, a.answer_images, a.extra, a.accept, a.tags) == (("kidney.png",), ("label.png",), "seen from behind", (), ())
    assert (b.images, b.extra, b.accept, b.tags, b.text, b.fact) == ((), "", ("CNI",), ("class",), "", None)


def test_damage_anywhere_in_an_entry_means_reading_the_file(deck_file: Path) -> None:
    parsed = load_deck(deck_file)
    load_deck_cached(deck_file)
    entry, checksum, head, rows = _entry_parts()
    damaged_heads = [tuple(v.replace("calcineurin", "calcineurim") if isinstance(v, str) else v for v in head)]
    damaged_rows = [b"\x00not marshal", marshal.dumps([{"id": "x", "no such field": 1}]), rows[:-1] + b"\x00"]
    for h, r in [(h, rows) for h in damaged_heads] + [(head, r) for r in damaged_rows]:
        assert (h, r) != (head, rows)
        entry.write_bytes(checksum + marshal.dumps((h, r)))  # as a disk fault leaves it: the checksum as it was
        deck = load_deck_cached(deck_file)
        assert (deck.id, deck.name, deck.items) == (parsed.id, parsed.name, parsed.items)


def test_a_start_on_several_cached_decks_builds_only_the_first_cards_deck(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from quiz.collection import Collection

    paths = []
    for n in range(3):
        p = tmp_path / f"d{n}.yaml"
        p.write_text(f"deck: {{id: d{n}, name: Deck {n}}}\nitems:\n" + "".join(
            f"  - id: i{k}\n    type: basic\n    question: q{n}-{k}?\n    answer: a{n}-{k}\n" for k in range(5)),
            encoding="utf-8")
        load_deck_cached(p)
        paths.append(str(p))
    _no_parsing(monkeypatch)
    with Collection.open(paths) as collection:
        collection.sync()  # the store's first sight of the decks: a row per card, from every item
    quiz.decks.cache._read.clear()  # the next start: a new process has read no entry yet
    with Collection.open(paths) as collection:
        collection.sync()
        overview = collection.overview()
        card = collection.study(collection.decks).next_card()
        assert card is not None and card.item.question.startswith(f"q{paths.index(str(tmp_path / (card.deck_id + '.yaml')))}-")
        assert [("items" in vars(d)) for d in collection.decks].count(True) == 1
        assert overview is not None


FREEZE_CHECK = """
import gc, sys
from pathlib import Path
from quiz.decks import cache
from quiz.decks.cache import load_deck_cached
from quiz.decks.model import freeze_long_lived
path = Path(sys.argv[1])
load_deck_cached(path)  # makes the entry
cache._read.clear()
lazy = load_deck_cached(path)
cache._read.clear()  # two decks read from the entry (as two starts would), not one remembered
other = load_deck_cached(path)
before = gc.get_freeze_count()
lazy.items  # built without freeze_long_lived: left to the GC
assert gc.get_freeze_count() == before, "froze without being asked"
freeze_long_lived()
frozen = gc.get_freeze_count()
other.items
assert gc.get_freeze_count() >= frozen + len(other.items), "items built later were not frozen"
print("ok")
"""


def test_items_built_after_the_app_froze_its_objects_are_frozen_too(deck_file: Path, quiz_home: Path) -> None:
    p = subprocess.run([sys.executable, "-c", FREEZE_CHECK, str(deck_file)], capture_output=True, text=True,
                       env={**os.environ, "QUIZ_HOME": str(quiz_home)})
    assert p.stdout.strip() == "ok", p.stderr


def _version(path: Path, word: str) -> None:
    path.write_text(f"deck: {{id: d, name: D}}\nitems:\n  - id: a\n    type: basic\n    question: Which {word}?\n"
                    "    answer: x\n", encoding="utf-8")


def test_a_file_saved_again_after_its_key_was_taken_is_cached_under_the_bytes_parsed(tmp_path: Path) -> None:
    path = tmp_path / "d.yaml"
    _version(path, "first")
    key_of_first = cache_key(path)  # taken before the parse, as a start or the parser's child does
    _version(path, "second")  # saved again in between
    assert load_deck_cached(path, key_of_first).items[0].question == "Which second?"
    _version(path, "first")
    # Before: the second version was stored under the first one's key, and served for it from then on.
    assert load_deck_cached(path).items[0].question == "Which first?"
    _version(path, "second")
    assert load_deck_cached(path).items[0].question == "Which second?"


def test_an_entry_is_only_ever_taken_for_its_own_deck(tmp_path: Path) -> None:
    one, two = tmp_path / "one.yaml", tmp_path / "two.yaml"
    _version(one, "one")
    _version(two, "two")
    load_deck_cached(one)
    load_deck_cached(two)
    entries = {p.read_bytes(): p for p in _cache_dir().glob("*.deck")}
    first, second = entries.values()
    first_bytes, second_bytes = first.read_bytes(), second.read_bytes()
    first.write_bytes(second_bytes)  # swapped: each name now holds the other deck's entry
    second.write_bytes(first_bytes)
    assert load_deck_cached(one).items[0].question == "Which one?"
    assert load_deck_cached(two).items[0].question == "Which two?"


def test_one_changed_byte_in_an_entry_is_noticed(deck_file: Path) -> None:
    parsed = load_deck(deck_file)
    load_deck_cached(deck_file)
    (entry,) = _cache_dir().glob("*.deck")
    data = bytearray(entry.read_bytes())
    at = data.rfind(b"tacrolimus")
    data[at] = ord("T")
    entry.write_bytes(bytes(data))
    assert load_deck_cached(deck_file).items == parsed.items


def test_the_least_recently_used_entries_go_first(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(quiz.decks.cache, "MAX_ENTRIES", 2)
    decks = {}
    for n, name in enumerate(("a", "b", "c")):
        decks[name] = tmp_path / f"{name}.yaml"
        _version(decks[name], name)
    load_deck_cached(decks["a"])
    load_deck_cached(decks["b"])
    for when, entry in enumerate(sorted(_cache_dir().glob("*.deck"), key=lambda p: p.stat().st_mtime_ns)):
        os.utime(entry, (1_000_000 + when, 1_000_000 + when))  # a stored long before b
    load_deck_cached(decks["a"])  # used again: now the most recent
    load_deck_cached(decks["c"])  # one entry too many: b's goes
    _no_parsing(monkeypatch)
    assert load_deck_cached(decks["a"]).items[0].question == "Which a?"
    assert load_deck_cached(decks["c"]).items[0].question == "Which c?"
    with pytest.raises(AssertionError, match="parsed although"):
        load_deck_cached(decks["b"])


def test_the_cache_keeps_under_its_size_cap(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("a", "b", "c"):
        _version(tmp_path / f"{name}.yaml", name)
        load_deck_cached(tmp_path / f"{name}.yaml")
    sizes = sorted(p.stat().st_size for p in _cache_dir().glob("*.deck"))
    monkeypatch.setattr(quiz.decks.cache, "MAX_TOTAL_BYTES", sum(sizes[:2]))
    _version(tmp_path / "d.yaml", "d")
    load_deck_cached(tmp_path / "d.yaml")
    assert sum(p.stat().st_size for p in _cache_dir().glob("*.deck")) <= sum(sizes[:2])
    assert len(list(_cache_dir().glob("*.deck"))) == 2


def test_a_deck_remembered_under_one_home_is_cached_under_another(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Decks read from entries are remembered for the process, per cache folder: a process whose
    home changes (tests do) still fills the new home's cache."""
    path = tmp_path / "d.yaml"
    _version(path, "first")
    for home in ("a", "b"):
        monkeypatch.setenv("QUIZ_HOME", str(tmp_path / home))
        load_deck_cached(path)  # parsed, and cached in this home
        assert load_deck_cached(path).items[0].question == "Which first?"  # read from the entry, remembered
        assert len(list((tmp_path / home / "cache" / "decks").glob("*.deck"))) == 1
