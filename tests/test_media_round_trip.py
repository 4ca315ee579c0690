"""Media through an Anki -> quiz -> Anki round trip, with packages and collections of the real
Anki backend: an image-only side, sounds, and images missing from a package or a deck folder."""

from __future__ import annotations

from pathlib import Path

import pytest
from anki_packages import Built, build_media_package, png
from test_export_helpers import anki_collection, anki_import, quiz_home  # noqa: F401

from quiz.anki.export import export_decks
from quiz.cli import main
from quiz.decks.loader import load_deck
from quiz.decks.model import Deck, Item


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    return build_media_package(tmp_path_factory.mktemp("anki"))


def _import(built: Built, out: Path, capsys: pytest.CaptureFixture[str]) -> tuple[Deck, str]:
    assert main(["import", str(built.path), "-o", str(out)]) == 0
    return load_deck(out), capsys.readouterr().err


def _item(deck: Deck, guid: str) -> Item:
    (item,) = [it for it in deck.items if it.guid == guid]
    return item


def _into_anki(package: Path, folder: Path):  # a fresh collection: (collection, import log)
    folder.mkdir()
    col = anki_collection(folder / "c.anki2")
    log = anki_import(col, package)
    assert len(log.new) == 3 and not (log.updated or log.duplicate or log.conflicting)
    return col


def _fields(col, front_start: str) -> list[str]:
    (nid,) = [n for n in col.find_notes("") if col.get_note(n).fields[0].startswith(front_start)]
    return list(col.get_note(nid).fields)


def test_an_image_only_back_goes_back_as_the_image_alone(built: Built, tmp_path: Path, quiz_home: Path, capsys) -> None:
    deck, _ = _import(built, tmp_path / "organs.yaml", capsys)
    item = _item(deck, built.guids["back-image"])
    assert (item.answer, item.answer_images) == ("[image]", ("organs.media/kidney.png",))  # what the TUI shows
    col = _into_anki(export_decks([deck], tmp_path / "back.apkg").path, tmp_path / "col")
    try:
        assert _fields(col, "Show the kidney")[1] == '<img src="kidney.png">'
        assert (Path(col.media.dir()) / "kidney.png").read_bytes() == png((0, 255, 0))
    finally:
        col.close()
    # And quiz reads its own package back to the same item.
    again, _ = _import(Built(tmp_path / "back.apkg", {}, {}), tmp_path / "again.yaml", capsys)
    back = next(it for it in again.items if it.question == "Show the kidney")
    assert (back.answer, [Path(p).name for p in back.answer_images]) == ("[image]", ["kidney.png"])


def test_a_sound_is_a_reference_only_and_the_export_names_no_file_it_does_not_send(
    built: Built, tmp_path: Path, quiz_home: Path, capsys
) -> None:
    deck, err = _import(built, tmp_path / "organs.yaml", capsys)
    assert "1 sound reference kept as text ([sound:...]) only" in err and "copy their files" in err
    assert not (tmp_path / "organs.media" / "beat.mp3").exists()
    sound = _item(deck, built.guids["sound"])
    result = export_decks([deck], tmp_path / "back.apkg")
    assert f"1 sound sent as text, with no file (not in the deck's media folder): beat.mp3 (organs/{sound.id})" in result.summary()
    col = _into_anki(result.path, tmp_path / "col")
    try:
        front = _fields(col, "What sound?")[0]
        assert front == "What sound? &#91;sound:beat.mp3]"  # shown as written, names no file
        assert not col.media.check().missing and "beat.mp3" not in col.media.check().unused
    finally:
        col.close()
    # A sound file put beside the deck goes in the package, named by the note.
    (tmp_path / "organs.media" / "beat.mp3").write_bytes(b"ID3not-really-audio")
    result = export_decks([deck], tmp_path / "with-sound.apkg")
    assert "(3 cards, 1 image, 1 sound)" in result.summary() and "sent as text" not in result.summary()
    col = _into_anki(result.path, tmp_path / "col2")
    try:
        assert _fields(col, "What sound?")[0] == "What sound? [sound:beat.mp3]"
        assert (Path(col.media.dir()) / "beat.mp3").read_bytes() == b"ID3not-really-audio"
        assert not col.media.check().missing
    finally:
        col.close()


def test_missing_images_are_named_on_import_and_on_export(built: Built, tmp_path: Path, quiz_home: Path, capsys) -> None:
    deck, err = _import(built, tmp_path / "organs.yaml", capsys)
    assert "1 image not in the package (or not images) left out: gone.png (Organs: 'Which organ is this one?')" in err
    (tmp_path / "organs.media" / "kidney.png").unlink()
    item = _item(deck, built.guids["back-image"])
    summary = export_decks([deck], tmp_path / "back.apkg").summary()
    assert f"1 image file named by items not found, left out: organs.media/kidney.png (organs/{item.id})" in summary


def test_a_long_list_of_names_shows_the_first_few_and_how_many_more() -> None:
    from quiz.anki.media import named

    assert named({"a.png": "d/x"}) == "a.png (d/x)"
    assert named({f"{i}.png": "" for i in range(5)}) == "0.png, 1.png, 2.png and 2 more"
