"""Images of imported items on the review screen: a labelled line where the terminal cannot
draw them (always so under Pilot), `i` opens the file, answer images only once revealed."""

from __future__ import annotations

from pathlib import Path

import pytest
from anki_packages import png
from textual.widgets import Static
from test_tui_review import make_app

from quiz.tui.app import QuizApp
from quiz.tui.widgets import card_images
from quiz.tui.widgets.card_images import CardImages

DECK = """\
deck:
  id: demo
  name: Pictures
items:
  - id: pill
    type: basic
    question: Which drug is this?
    answer: aspirin
    images: [deck0.media/pill.png]
    answer_images: [deck0.media/box.png, deck0.media/gone.png]
    extra: "Back extra: [/b] stays text"
"""


def _lines(app, selector: str) -> list[str]:
    """The lines a side's images show (none: not shown, or never mounted since no card had any)."""
    found = app.screen.query(selector)
    widget = found.only_one(CardImages) if found else None
    return [str(s.render()) for s in widget.query(Static)] if widget is not None and widget.display else []


def _study_with_images(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, deck_yaml: str, **images: bytes
) -> tuple[QuizApp, Path, list[Path]]:
    """A study app on ``deck_yaml`` with ``images`` (name -> png bytes) in its media folder, and
    the list the image opener appends to instead of starting a viewer."""
    home = tmp_path / "study"
    (home / "deck0.media").mkdir(parents=True)
    for name, data in images.items():
        (home / "deck0.media" / f"{name}.png").write_bytes(data)
    opened: list[Path] = []
    monkeypatch.setattr(card_images, "open_file", opened.append)
    return make_app(home, start=True, decks_yaml=(deck_yaml,)), home, opened


async def test_placeholders_and_the_open_key(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    app, home, opened = _study_with_images(tmp_path, monkeypatch, DECK, pill=png(), box=png((0, 0, 255)))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert _lines(app, "#question-images") == ["[image: pill.png] (press i to open)"]
        assert _lines(app, "#answer-images") == []  # nothing of the answer before it is shown
        await pilot.press("i")
        assert opened == [home / "deck0.media" / "pill.png"]
        await pilot.press("space")
        await pilot.pause()
        assert _lines(app, "#answer-images") == [
            "Back extra: [/b] stays text",
            "[image: box.png] (press i to open)",
            "[image: gone.png] (file missing)",
        ]
        await pilot.press("i")
        assert opened[-1] == home / "deck0.media" / "box.png"


async def test_open_key_without_a_viewer_says_so(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No xdg-open (a server, a container): `i` names the file instead of claiming the card has
    no image."""
    home = tmp_path / "study"
    (home / "deck0.media").mkdir(parents=True)
    (home / "deck0.media" / "pill.png").write_bytes(png())

    def no_viewer(path: Path) -> None:
        raise FileNotFoundError(2, "No such file or directory", "xdg-open")

    monkeypatch.setattr(card_images, "open_file", no_viewer)
    app = make_app(home, start=True, decks_yaml=(DECK,))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("i")
        await pilot.pause()
        messages = [n.message for n in app._notifications]
        assert not any("No image on this card" in m for m in messages)
        assert any(str(home / "deck0.media" / "pill.png") in m for m in messages)
        # the viewer is what is missing, not the image: said so, with how to get one
        said = next(m for m in messages if "pill.png" in m)
        assert said.startswith("No image viewer found") and "xdg-open" in said and "xdg-mime" in said
        assert "No such file" not in said


TYPED = """\
deck:
  id: typed
  name: Typed pictures
items:
  - id: organ
    type: typed
    question: Which organ is this?
    answer: heart
    images: [deck0.media/heart.png]
"""


async def test_a_typed_card_opens_its_image_with_ctrl_o(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """In a typed card's answer box `i` is a letter of the answer: ctrl+o opens the image, and
    the placeholder names the key that works."""
    app, home, opened = _study_with_images(tmp_path, monkeypatch, TYPED, heart=png())
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert _lines(app, "#question-images") == ["[image: heart.png] (press ctrl+o to open)"]
        await pilot.press("i")
        assert opened == [] and app.screen.query_one("#typed").value == "i"
        await pilot.press("ctrl+o")
        assert opened == [home / "deck0.media" / "heart.png"]
