"""Images in the exam: the full-screen exam shows them as the review screen does (a labelled
line under Pilot, a key that opens the file), and --plain prints a line per image with its full
path, so that a question such as "Which organ is this?" can be answered at all."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from anki_packages import png
from textual.widgets import Static
from test_exam_cli import run_main

from quiz.cli import main
from quiz.decks.model import Deck, Item
from quiz.exam.plain import PlainExam
from quiz.exam.sitting import Exam, draw
from quiz.tui.screens.exam_app import ExamApp
from quiz.tui.widgets import card_images
from quiz.tui.widgets.card_images import CardImages

ORGAN = Item(id="organ", type="basic", question="Which organ is this?", answer="heart",
             images=("deck.media/heart.png",), answer_images=("deck.media/labels.png", "deck.media/gone.png"),
             extra="Four chambers", fact="f1")
PICK = Item(id="pick", type="choice", question="Which stain was used?", answer="H&E", distractors=("Gram", "PAS"),
            images=("deck.media/slide.png",), fact="f2")
PLAIN = Item(id="plain", type="typed", question="Adult ointment strength?", answer="0.1%", fact="f3")


def media(tmp_path: Path) -> Path:
    """The deck file's folder with the images of ORGAN and PICK (not gone.png: a missing file)."""
    folder = tmp_path / "deck.media"
    folder.mkdir()
    for name in ("heart.png", "labels.png", "slide.png"):
        (folder / name).write_bytes(png())
    return folder


def exam_of(tmp_path: Path, *items: Item) -> Exam:
    """The items asked in the order given."""
    exam = draw([Deck(id="pics", name="Pictures", items=items, path=tmp_path / "deck.yaml")], n=len(items), seed=1)
    exam.questions.sort(key=lambda q: items.index(q.item))
    return exam


def lines(app, side: str) -> list[str]:
    """What one side's images show ([] when not shown or never mounted)."""
    found = app.screen.query(f"#exam-{side}-images")
    widget = found.only_one(CardImages) if found else None
    return [str(s.render()) for s in widget.query(Static)] if widget is not None and widget.display else []


def footer_keys(app) -> dict[str, str]:
    """The exam's key hints as the footer shows them: description -> key."""
    return {b.binding.description: key for key, b in app.screen.active_bindings.items()
            if b.binding.show and b.enabled}


async def test_the_question_shows_its_images_and_a_key_opens_them(tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    folder = media(tmp_path)
    opened: list[Path] = []
    monkeypatch.setattr(card_images, "open_file", opened.append)
    app = ExamApp(exam_of(tmp_path, ORGAN, PICK, PLAIN))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        # A typed answer: `i` is a letter of it, so ctrl+o opens (and the line says so).
        assert lines(app, "question") == ["[image: heart.png] (press ctrl+o to open)"]
        assert lines(app, "answer") == []  # nothing of the answer before the end
        assert footer_keys(app)["Image"] == "ctrl+o"
        await pilot.press("i")
        await pilot.pause()
        assert opened == [] and app.screen.query_one("#exam-input").value == "i"
        await pilot.press("ctrl+o")
        assert opened == [folder / "heart.png"]
        app.screen.query_one("#exam-input").value = "heart"
        await pilot.press("enter")
        await pilot.pause()
        # A choice: the letters pick, `i` is free for the image.
        assert lines(app, "question") == ["[image: slide.png] (press i to open)"]
        assert footer_keys(app)["Image"] == "i"
        await pilot.press("i")
        assert opened[-1] == folder / "slide.png"
        await pilot.press("a")
        await pilot.pause()
        # No image: not in the hints, and the keys say so.
        assert lines(app, "question") == [] and "Image" not in footer_keys(app)
        await pilot.press("ctrl+o")
        await pilot.pause()
        assert len(opened) == 2
        assert "No image on this question to open" in [n.message for n in app._notifications]


async def test_feedback_and_marking_show_the_answer_side_as_review_does(tmp_path: Path,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    folder = media(tmp_path)
    opened: list[Path] = []
    monkeypatch.setattr(card_images, "open_file", opened.append)
    answer_side = ["Four chambers", "[image: labels.png] (press i to open)", "[image: gone.png] (file missing)"]
    for feedback in (True, False):
        app = ExamApp(exam_of(tmp_path, ORGAN), feedback=feedback)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            app.screen.query_one("#exam-input").value = "heart"
            await pilot.press("enter")
            await pilot.pause()
            # Feedback at once, or the marking at the end: the answer with its images.
            assert ("Mark your answers" in str(app.screen.query_one("#exam-title", Static).render())) is not feedback
            assert lines(app, "question") == ["[image: heart.png] (press i to open)"]
            assert lines(app, "answer") == answer_side
            await pilot.press("i")
            assert opened[-1] == folder / "labels.png"  # the answer's first, as in review


async def test_an_exam_without_images_mounts_no_image_widgets() -> None:
    """Start-up: the image parts are mounted only once a question has images."""
    app = ExamApp(draw([Deck(id="d", name="D", items=(PLAIN,))], n=1, seed=1))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert not app.screen.query(CardImages)
        await pilot.press("i")
        assert app.screen.query_one("#exam-input").value == "i"  # typed, not taken


def test_plain_prints_a_line_per_image_with_its_full_path(tmp_path: Path) -> None:
    folder = media(tmp_path)
    exam = exam_of(tmp_path, ORGAN, PICK, PLAIN)
    out = io.StringIO()
    PlainExam(exam, io.StringIO("heart\ny\na\n0.1%\n"), out).run()
    text = out.getvalue().splitlines()
    q1 = text.index("Question 1 of 3 (basic): Which organ is this?")
    assert text[q1 + 1] == f"[image: heart.png] {folder / 'heart.png'}"
    # A self-marked answer is shown with its images, so the student can compare.
    answer = next(i for i, line in enumerate(text) if line.endswith("Answer: heart"))  # after the "> " prompt
    assert text[answer + 1: answer + 3] == [f"[image: labels.png] {folder / 'labels.png'}",
                                           "[image: gone.png] (file missing)"]
    q2 = next(i for i, line in enumerate(text) if line.endswith("Question 2 of 3 (choice): Which stain was used?"))
    assert text[q2 + 1] == f"[image: slide.png] {folder / 'slide.png'}"
    assert not any(line.startswith("[image:") for line in text[text.index("Question 3 of 3 (typed): "
                                                                           "Adult ointment strength?"):])


def test_plain_feedback_shows_the_answer_side_images(tmp_path: Path) -> None:
    folder = media(tmp_path)
    item = Item(id="stain", type="typed", question="Which stain?", answer="H&E", answer_images=("deck.media/slide.png",))
    out = io.StringIO()
    PlainExam(exam_of(tmp_path, item), io.StringIO("H&E\n"), out, feedback=True).run()
    text = out.getvalue().splitlines()
    right = next(i for i, line in enumerate(text) if line.endswith("Right. Answer: H&E"))
    assert text[right + 1] == f"[image: slide.png] {folder / 'slide.png'}"


def test_quiz_exam_plain_names_the_image_file_and_json_is_unchanged(
        tmp_path: Path, quiz_home: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    """From the command line with a deck named by a relative path: the line holds the full path."""
    media(tmp_path)
    (tmp_path / "deck.yaml").write_text(
        "deck: {id: pics, name: Pictures}\nitems:\n"
        "  - {id: organ, type: typed, question: Which organ is this?, answer: heart, images: [deck.media/heart.png]}\n",
        encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    code, out, err = run_main(["exam", "--plain", "deck.yaml"], "heart\n", monkeypatch, capsys)
    assert code == 0
    assert f"[image: heart.png] {tmp_path.resolve() / 'deck.media' / 'heart.png'}" in out.splitlines()
    code, out, err = run_main(["exam", "--plain", "--json", "deck.yaml"], "heart\n", monkeypatch, capsys)
    assert code == 0 and "[image: heart.png]" in err
    assert "image" not in json.loads(out)["questions"][0]  # the JSON result as before


async def test_the_result_shows_a_missed_questions_images_and_i_opens_them(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = media(tmp_path)
    opened: list[Path] = []
    monkeypatch.setattr(card_images, "open_file", opened.append)
    app = ExamApp(exam_of(tmp_path, PLAIN, PICK))
    async with app.run_test(size=(80, 40)) as pilot:
        await pilot.pause()
        app.screen.query_one("#exam-input").value = "0.1%"
        await pilot.press("enter")
        await pilot.pause()
        pick = app.flow.exam.questions[1]
        await pilot.press("abc"[next(i for i, o in enumerate(pick.options) if o != "H&E")])  # a wrong pick
        await pilot.pause()
        shown = [str(s.render()) for s in app.screen.query(".result-images Static")]
        assert shown == ["[image: slide.png] (press i to open)"]
        assert footer_keys(app)["Image"] == "i"
        await pilot.press("i")
        assert opened == [folder / "slide.png"]


def test_an_image_only_anki_note_is_asked_with_its_image(
        tmp_path: Path, quiz_home: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    """The student trial: a package made by Anki, imported; its image-only note was asked as a
    bare "[image]". Now the line after it names the file to open."""
    from anki_packages import build_package

    built = build_package(tmp_path / "anki", legacy=True, with_scheduling=False)
    assert main(["import", str(built.path), "-o", str(tmp_path / "decks")]) == 0
    capsys.readouterr()
    deck = str(tmp_path / "decks" / "pharm.yaml")
    code, out, _ = run_main(["exam", "--plain", "--seed", "1", "--types", "basic", deck], "x\nn\n" * 10, monkeypatch, capsys)
    assert code == 0
    text = out.splitlines()
    asked = next(i for i, line in enumerate(text) if line.endswith("(basic): [image]"))
    assert text[asked + 1] == f"[image: kidney.png] {tmp_path / 'decks' / 'pharm.media' / 'kidney.png'}"
