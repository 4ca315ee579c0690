"""quiz import of real packages made by Anki's backend, in both formats: decks, media, history."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from anki_packages import Built, build_package
from test_export_helpers import quiz_home  # noqa: F401

from quiz.cli import main
from quiz.decks.loader import load_deck
from quiz.decks.model import Deck, Item
from quiz.storage.store import Store


@pytest.fixture(scope="module", params=[True, False], ids=["legacy", "latest"])
def built(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Built:
    return build_package(tmp_path_factory.mktemp("anki"), legacy=request.param)


def _by_guid(decks: list[Deck], guid: str) -> tuple[Deck, Item]:
    found = [(d, it) for d in decks for it in d.items if it.guid == guid]
    assert len(found) == 1, guid
    return found[0]


def _import(built: Built, out: Path, capsys: pytest.CaptureFixture[str]) -> tuple[list[Deck], str, str]:
    assert main(["import", str(built.path), "-o", str(out)]) == 0
    captured = capsys.readouterr()
    return [load_deck(p) for p in sorted(out.glob("*.yaml"))], captured.out, captured.err


def test_nested_decks_items_and_report(built: Built, tmp_path: Path, quiz_home: Path, capsys) -> None:
    decks, out, err = _import(built, tmp_path / "decks", capsys)
    assert {d.name: (d.id, len(d.items)) for d in decks} == {
        "Pharm": ("pharm", 4),
        "Pharm::Renal": ("pharm-renal", 2),
        "Pharm::Renal::Tubule": ("pharm-renal-tubule", 3),
    }
    assert "into 3 decks in" in out and "pharm-renal.yaml: Pharm::Renal (2 items)" in out
    assert "skipped 1 note of note type 'Image Occlusion' (Image Occlusion, not supported)" in err
    assert "skipped 1 note of note type 'Three sides' (3 card types)" in err
    assert "1 sound reference kept as text" in err and "1 LaTeX expression kept as source text" in err
    renal = next(d for d in decks if d.id == "pharm-renal")
    assert renal.description == "Kidney drugs"
    g = built.guids
    got = {}
    for label in ("pill", "image-only", "sound", "latex", "cloze", "both-ways", "optional-yes", "optional-no", "typed"):
        got[label] = _by_guid(decks, g[label])[1]
    assert (got["pill"].type, got["pill"].question, got["pill"].answer) == ("basic", "Which drug is this?", "aspirin")
    assert got["cloze"].type == "cloze" and got["cloze"].text == "Loop diuretics act on the {{c1::loop of Henle}}."
    assert got["cloze"].extra == "Back extra text"  # Cloze "Back Extra" kept
    assert (got["both-ways"].type, got["optional-yes"].type, got["optional-no"].type) == ("reverse", "reverse", "basic")
    assert (got["typed"].type, got["typed"].answer) == ("typed", "Paris")
    assert got["sound"].question == "What sound? [sound:beat.mp3]"  # kept as a reference
    assert got["latex"].answer == "[$]\\pi r^2[/$]"
    # Every guid appears once: no junk items from the unsupported note types.
    assert sum(len(d.items) for d in decks) == 9


def test_images_are_copied_beside_the_deck_and_referenced(built: Built, tmp_path: Path, quiz_home: Path, capsys) -> None:
    decks, out, _ = _import(built, tmp_path / "decks", capsys)
    from anki_packages import png

    pill = _by_guid(decks, built.guids["pill"])[1]
    only = _by_guid(decks, built.guids["image-only"])[1]
    cloze = _by_guid(decks, built.guids["cloze"])[1]
    assert pill.images == ("pharm.media/pill.png",) and pill.answer_images == ()
    assert only.question == "[image]" and only.images == ("pharm.media/kidney.png",)
    assert cloze.images == () and cloze.answer_images == ("pharm-renal.media/kidney.png",)
    folder = tmp_path / "decks"
    assert (folder / "pharm.media" / "pill.png").read_bytes() == png((255, 0, 0))
    assert (folder / "pharm-renal.media" / "kidney.png").read_bytes() == png((0, 255, 0))
    assert "copied 3 images" in out
    assert not (folder / "pharm.media" / "beat.mp3").exists()  # sounds stay references


def test_review_history_is_replayed_into_the_store(built: Built, tmp_path: Path, quiz_home: Path, capsys) -> None:
    decks, out, _ = _import(built, tmp_path / "decks", capsys)
    assert "brought 6 reviews of 3 cards across from Anki" in out
    now = datetime.now(timezone.utc)
    with Store.open() as store:
        for label, reviews in built.reviews.items():
            deck, item = _by_guid(decks, built.guids[label])
            # Anki's card 0 of a reversed note asks front -> back: quiz's card 1 of a reverse item.
            ord = 1 if item.type == "reverse" else 0
            info = store.card_info(deck.id, item.id, ord)
            assert info.reps == reviews, label
            assert len(store.history(deck.id, item.id, ord)) == reviews
            if item.type == "reverse":  # its other card was not reviewed in Anki
                assert store.card_info(deck.id, item.id, 0).reps == 0
            assert info.stability is not None and info.last_review is not None
            assert info.last_review <= now
        pill = store.card_info(*_ids(decks, built.guids["pill"]))
        assert pill.state == "review" and pill.due is not None and pill.due > now + timedelta(days=1)
        untouched = store.card_info(*_ids(decks, built.guids["typed"]))
        assert untouched.state == "new" and untouched.reps == 0
    # Study carries on from there: the reviewed card is neither new nor due today.
    from quiz.collection import Collection

    pharm = next(d for d in decks if d.id == "pharm")
    with Collection.open(decks=decks) as collection:
        row = collection.overview([pharm]).decks[0]
        assert (row.new, row.due) == (len(pharm.items) - 1, 0)
    # Importing again adds no review twice.
    assert main(["import", str(built.path), "-o", str(tmp_path / "decks"), "--force"]) == 0
    assert "review history already here (nothing new from Anki)" in capsys.readouterr().out
    with Store.open() as store:
        assert len(store.history(*_ids(decks, built.guids["pill"]))) == built.reviews["pill"]


def _ids(decks: list[Deck], guid: str) -> tuple[str, str]:
    deck, item = _by_guid(decks, guid)
    return deck.id, item.id


def test_package_without_scheduling_brings_no_history(tmp_path: Path, quiz_home: Path, capsys) -> None:
    built = build_package(tmp_path / "anki", legacy=False, with_scheduling=False)
    decks, out, _ = _import(built, tmp_path / "decks", capsys)
    assert "brought" not in out and len(decks) == 3
    assert not (quiz_home / "quiz.sqlite3").exists()  # nothing to bring: the store is not even opened


def test_one_deck_to_a_yaml_file_and_several_to_a_folder(built: Built, tmp_path: Path, quiz_home: Path, capsys) -> None:
    # Several decks and -o X.yaml: the folder X, said so.
    assert main(["import", str(built.path), "-o", str(tmp_path / "mine.yaml")]) == 0
    assert f"in {tmp_path / 'mine'}" in capsys.readouterr().out
    assert sorted(p.name for p in (tmp_path / "mine").glob("*.yaml")) == [
        "pharm-renal-tubule.yaml", "pharm-renal.yaml", "pharm.yaml"
    ]
    # Without --force nothing is replaced, and nothing is written.
    assert main(["import", str(built.path), "-o", str(tmp_path / "mine")]) == 1
    assert "already exists (use --force" in capsys.readouterr().err
    # --name/--deck-id name one deck only.
    assert main(["import", str(built.path), "-o", str(tmp_path / "x"), "--name", "X"]) == 2
    assert "holds 3 decks" in capsys.readouterr().err


def test_images_go_back_into_the_exported_package(built: Built, tmp_path: Path, quiz_home: Path, capsys) -> None:
    from test_export_helpers import anki_collection, anki_import

    from anki_packages import png
    from quiz.anki.export import export_decks

    decks, _, _ = _import(built, tmp_path / "decks", capsys)
    result = export_decks(decks, tmp_path / "back.apkg")
    assert (result.images, result.missing_images) == (2, ())  # kidney.png of two sub-decks is sent once
    (tmp_path / "col").mkdir()
    col = anki_collection(tmp_path / "col" / "c.anki2")
    anki_import(col, result.path)
    media = Path(col.media.dir())
    assert (media / "pill.png").read_bytes() == png((255, 0, 0))
    fronts = [col.get_note(nid).fields[0] for nid in col.find_notes("")]
    assert any('<img src="pill.png">' in f for f in fronts)
    col.close()
    # And quiz reads its own package back with the images.
    assert main(["import", str(result.path), "-o", str(tmp_path / "again")]) == 0
    again = [load_deck(p) for p in sorted((tmp_path / "again").glob("*.yaml"))]
    pill = next(it for d in again for it in d.items if it.question == "Which drug is this?")
    assert pill.images and (tmp_path / "again" / pill.images[0]).read_bytes() == png((255, 0, 0))


def test_extra_and_images_survive_our_own_round_trip(built: Built, tmp_path: Path, quiz_home: Path, capsys) -> None:
    from quiz.anki.export import export_decks

    decks, _, _ = _import(built, tmp_path / "decks", capsys)
    package = export_decks(decks, tmp_path / "ours.apkg").path
    assert main(["import", str(package), "-o", str(tmp_path / "again")]) == 0
    again = [load_deck(p) for p in sorted((tmp_path / "again").glob("*.yaml"))]
    before = {it.id: it for d in decks for it in d.items}
    after = {it.id: it for d in again for it in d.items}
    assert before.keys() == after.keys()  # our hidden Id field keeps the ids
    for item_id, old in before.items():
        new = after[item_id]
        assert (new.type, new.question, new.answer, new.text, new.extra) == (
            old.type, old.question, old.answer, old.text, old.extra), item_id
        assert [Path(p).name for p in new.images] == [Path(p).name for p in old.images]
        assert [Path(p).name for p in new.answer_images] == [Path(p).name for p in old.answer_images]
    assert after[_by_guid(decks, built.guids["cloze"])[1].id].extra == "Back extra text"
