"""The full-screen exam under Pilot: answer, mark, result screen, retake the missed ones."""

from __future__ import annotations

from textual.widgets import Input, OptionList, Static, TextArea

from quiz.exam.sitting import Exam, draw
from quiz.decks.model import Deck, Item
from quiz.tui.screens.exam import ExamScreen
from quiz.tui.screens.exam_app import ExamApp
from quiz.tui.screens.exam_result import ExamResultScreen

ITEMS = (
    Item(id="basic", type="basic", question="Also called FK506?", answer="Tacrolimus", tags=("tacrolimus",),
         fact="f1", source="Tacrolimus"),
    Item(id="choice", type="choice", question="Year voclosporin was approved?", answer="2021",
         distractors=("2015", "2018"), tags=("voclosporin",), fact="f2", source="Voclosporin"),
    Item(id="typed", type="typed", question="Adult ointment strength?", answer="0.1%", tags=("tacrolimus",),
         fact="f3", source="Tacrolimus"),
    Item(id="list", type="list", question="Transplants?", answers=("kidney", "liver", "heart"),
         tags=("transplant",), fact="f4", source="Tacrolimus"),
    Item(id="cloze", type="cloze", text="They block {{c1::calcineurin}}.", tags=("mechanism",), fact="f5",
         source="Mechanism"),
)
DECK = Deck(id="mini", name="Mini", items=ITEMS)


def text_of(app, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render())


async def type_answer(pilot, text: str) -> None:
    box = pilot.app.screen.query_one("#exam-input", Input)
    box.value = text
    await pilot.press("enter")
    await pilot.pause()
    if not text:  # an empty enter asks first; the second hands in the blank
        await pilot.press("enter")
        await pilot.pause()


async def type_list(pilot, entries: tuple[str, ...] | list[str]) -> None:
    """As in the review screen: one entry a line, ctrl+s."""
    area = pilot.app.screen.query_one("#exam-list", TextArea)
    area.text = "\n".join(entries)
    await pilot.press("ctrl+s")
    await pilot.pause()


async def answer(pilot, exam: Exam, index: int, right: bool) -> None:
    q = exam.questions[index]
    assert q.prompt in text_of(pilot.app, "#exam-prompt")
    if q.type == "choice":
        pick = q.options.index(q.item.answer) if right else next(i for i, o in enumerate(q.options) if o != q.item.answer)
        await pilot.press("abcdefg"[pick])
        await pilot.pause()
    elif q.type == "list":
        await type_list(pilot, q.item.answers if right else q.item.answers[:1])
    else:
        await type_answer(pilot, q.expected if right else "wrong answer")


async def test_exam_answer_mark_result_and_retake() -> None:
    exam = draw([DECK], n=5, seed=11)
    saved: list[dict] = []
    app = ExamApp(exam, on_result=saved.append)
    wrong = {exam.questions.index(next(q for q in exam.questions if q.type == t)) for t in ("choice", "list")}
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        for i in range(5):
            assert isinstance(app.screen, ExamScreen)
            assert f"Question {i + 1} of 5" in text_of(app, "#exam-title")
            # without feedback nothing says right or wrong while asking
            assert not app.screen.query_one("#exam-verdict").display
            await answer(pilot, exam, i, right=i not in wrong)
        # the basic question is marked by the student at the end; they say they were wrong
        assert "Mark your answers" in text_of(app, "#exam-title")
        assert "Tacrolimus" in text_of(app, "#exam-verdict")
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, ExamResultScreen)
        score = text_of(app, "#result-score")
        assert "2/5" in score
        missed = [str(w.render()) for w in app.screen.query(".result-missed")]
        assert len(missed) == 3
        assert any("Year voclosporin was approved?" in m and "2021" in m and "Voclosporin" in m for m in missed)
        assert "tacrolimus" in text_of(app, "#result-tags")
        # r retakes only the three missed questions
        await pilot.press("r")
        await pilot.pause()
        assert isinstance(app.screen, ExamScreen)
        assert len(app.screen.exam.questions) == 3
        assert "Question 1 of 3" in text_of(app, "#exam-title")
        retake = app.screen.exam
        for i in range(3):
            await answer(pilot, retake, i, right=True)
        await pilot.press("y")  # the basic one again: right this time
        await pilot.pause()
        assert isinstance(app.screen, ExamResultScreen)
        assert "Retake 1: 3/3" in text_of(app, "#result-score")
        assert app.screen.check_action("retake", ()) is None  # nothing left to retake
        await pilot.press("q")
        await pilot.pause()
    results = app.return_value
    assert results is not None and [(r.correct, r.total) for r in results] == [(2, 5), (3, 3)]
    assert [r.retake for r in results] == [0, 1]  # the history can tell a retake apart
    assert [q["graded_by"] for q in results[0].questions if q["type"] == "basic"] == ["self"]
    assert saved == results  # each sitting handed over as soon as it was scored


async def test_feedback_mode_shows_each_verdict() -> None:
    exam = draw([DECK], n=5, types=["typed", "choice"], seed=2)
    app = ExamApp(exam, feedback=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        first = exam.questions[0]
        await answer(pilot, exam, 0, right=False)
        verdict = app.screen.query_one("#exam-verdict", Static)
        assert verdict.display and "wrong" in str(verdict.render()) and first.expected in str(verdict.render())
        await pilot.press("enter")
        await pilot.pause()
        assert "Question 2 of 2" in text_of(app, "#exam-title")
        await answer(pilot, exam, 1, right=True)
        assert "right" in text_of(app, "#exam-verdict")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ExamResultScreen)
        assert "1/2" in text_of(app, "#result-score")


async def test_feedback_marks_the_picked_choice_and_the_right_one() -> None:
    exam = draw([DECK], n=1, types=["choice"], seed=1)
    q = exam.questions[0]
    wrong = next(i for i, o in enumerate(q.options) if o != "2021")
    app = ExamApp(exam, feedback=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        options = app.screen.query_one("#exam-options", OptionList)
        assert not any("✓" in str(options.get_option_at_index(i).prompt) for i in range(3))
        await pilot.press("abc"[wrong])
        await pilot.pause()
        shown = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
        assert options.display and len(shown) == 3
        assert shown[q.options.index("2021")].endswith("2021  ✓ right answer")
        assert shown[wrong].endswith(f"{q.options[wrong]}  ✗ your pick")
        assert sum("✓" in o or "✗" in o for o in shown) == 2
        assert f"your pick: {q.options[wrong]}" in text_of(app, "#exam-verdict")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ExamResultScreen)
    exam = draw([DECK], n=1, types=["choice"], seed=1)  # a right pick: only the ✓
    app = ExamApp(exam, feedback=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("abc"[exam.questions[0].options.index("2021")])
        await pilot.pause()
        options = app.screen.query_one("#exam-options", OptionList)
        shown = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
        assert [("✓" in o, "✗" in o) for o in shown].count((False, False)) == 2
        assert "your pick" not in text_of(app, "#exam-verdict")


async def test_feedback_shows_a_diff_only_for_a_near_answer() -> None:
    exam = draw([DECK], n=2, types=["cloze"], seed=1)  # the one cloze question: "calcineurin"
    app = ExamApp(exam, feedback=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await type_answer(pilot, "Aenzym protein")
        text = text_of(app, "#exam-verdict")
        assert "wrong" in text and "answer: calcineurin" in text and "yours: Aenzym protein" in text
    exam = draw([DECK], n=1, types=["cloze"], seed=1)
    app = ExamApp(exam, feedback=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await type_answer(pilot, "calcinorun")  # 3 edits: wrong, but near enough for a diff
        text = text_of(app, "#exam-verdict")
        assert "wrong" in text and "yours:" not in text and "calcin" in text.split("\n", 1)[1]


async def test_feedback_does_not_repeat_a_bare_verdict() -> None:
    """ "✗ wrong" is not followed by a line saying "wrong" again; a why that says more stays."""
    for given, shown, hidden in (("Aenzym protein", "✗ wrong", "\nwrong\n"), ("calcineurin", "✓ right", "\nright")):
        app = ExamApp(draw([DECK], n=1, types=["cloze"], seed=1), feedback=True)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            await type_answer(pilot, given)
            text = text_of(app, "#exam-verdict")
            assert shown in text and hidden not in text + "\n"
    app = ExamApp(draw([DECK], n=1, types=["cloze"], seed=1), feedback=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await type_answer(pilot, "calcinerin")
        assert "a typo" in text_of(app, "#exam-verdict")
    app = ExamApp(draw([DECK], n=1, types=["cloze"], seed=1))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await type_answer(pilot, "Aenzym protein")
        await pilot.pause()
        assert isinstance(app.screen, ExamResultScreen)
        missed = " ".join(str(w.render()) for w in app.screen.query(".result-missed"))
        assert "Aenzym protein" in missed and "(wrong)" not in missed


async def test_escape_ends_early_and_answers_reach_the_recorder() -> None:
    exam = draw([DECK], n=5, types=["typed", "cloze", "choice"], seed=3)
    seen = []
    app = ExamApp(exam, on_answer=seen.append)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await answer(pilot, exam, 0, right=True)
        await pilot.press("escape", "escape")  # the second escape confirms
        await pilot.pause()
        assert isinstance(app.screen, ExamResultScreen)
        assert "1/1" in text_of(app, "#result-score") and "2 not answered" in text_of(app, "#result-score")
        await pilot.press("q")
        await pilot.pause()
    assert [o.question.id for o in seen] == [exam.questions[0].id]


async def test_one_escape_only_asks_before_ending_the_exam() -> None:
    exam = draw([DECK], n=5, types=["typed", "cloze", "choice"], seed=3)
    app = ExamApp(exam)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        clock = [100.0]
        screen.now = lambda: clock[0]
        status = screen.query_one("#exam-status", Static)
        assert not status.display
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is screen and not exam.outcomes
        assert status.display and "esc again to end the exam" in str(status.render())
        assert "3 not answered" in str(status.render())
        # too late: the second escape only asks again
        clock[0] += 10
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is screen and status.display
        # answering goes on as usual and takes the question away
        await answer(pilot, exam, 0, right=True)
        assert app.screen is screen and not status.display
        assert "Question 2 of 3" in text_of(app, "#exam-title")
        clock[0] += 1
        await pilot.press("escape")
        clock[0] += 2
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ExamResultScreen)
        assert "1/1" in text_of(app, "#result-score") and "2 not answered" in text_of(app, "#result-score")


async def test_choice_with_arrows_and_enter() -> None:
    exam = draw([DECK], n=1, types=["choice"], seed=1)
    app = ExamApp(exam)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        options = app.screen.query_one("#exam-options", OptionList)
        assert options.has_focus and options.option_count == 3
        for _ in range(exam.questions[0].options.index("2021")):
            await pilot.press("down")
        await pilot.press("enter")
        await pilot.pause()
        assert "1/1" in text_of(app, "#result-score")


# --- end to end in a real terminal (tmux) ------------------------------------------------------

import json  # noqa: E402
import shlex  # noqa: E402
import shutil  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
import uuid  # noqa: E402
from pathlib import Path  # noqa: E402

import pytest  # noqa: E402
import yaml  # noqa: E402


def deck_file(path: Path, deck: Deck) -> Path:
    items = []
    for it in deck.items:
        d: dict[str, object] = {"id": it.id, "type": it.type}
        for key in ("question", "answer", "text", "answers", "distractors", "tags", "fact", "source"):
            value = getattr(it, key)
            if value:
                d[key] = list(value) if isinstance(value, tuple) else value
        items.append(d)
    path.write_text(yaml.safe_dump({"deck": {"id": deck.id, "name": deck.name}, "items": items}, sort_keys=False))
    return path


class Tmux:
    """A private tmux server (own socket) running one command in an 80x24 window."""

    def __init__(self, command: str) -> None:
        self.socket = f"quiz-exam-{uuid.uuid4().hex[:8]}"
        self.tmux("new-session", "-d", "-x", "80", "-y", "24", "-s", "t", command)
        self.tmux("set-option", "-t", "t", "remain-on-exit", "on")

    def tmux(self, *args: str) -> str:
        return subprocess.run(["tmux", "-L", self.socket, *args], capture_output=True, text=True, check=True).stdout

    def screen(self) -> str:
        return self.tmux("capture-pane", "-p", "-t", "t")

    def wait_for(self, text: str, deadline: float = 30.0) -> str:
        """Poll until ``text`` shows (a deadline against hangs, not a speed check)."""
        end = time.monotonic() + deadline
        while time.monotonic() < end:
            screen = self.screen()
            if text in screen:
                return screen
            time.sleep(0.1)
        raise AssertionError(f"{text!r} never showed; screen:\n{self.screen()}")

    def keys(self, *keys: str) -> None:
        self.tmux("send-keys", "-t", "t", *keys)

    def type(self, text: str) -> None:
        self.tmux("send-keys", "-t", "t", "-l", text)

    def close(self) -> None:
        subprocess.run(["tmux", "-L", self.socket, "kill-server"], capture_output=True)


@pytest.mark.tmux
@pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")
def test_tui_exam_end_to_end_in_tmux(tmp_path: Path, quiz_home: Path) -> None:
    path = deck_file(tmp_path / "mini.yaml", DECK)
    exam = draw([DECK], n=4, seed=1)
    out = tmp_path / "result.json"
    cmd = (f"cd {shlex.quote(str(tmp_path))} && env QUIZ_HOME={shlex.quote(str(quiz_home))} TEXTUAL_ANIMATIONS=none "
           f"{shlex.quote(sys.executable)} -m quiz exam {path.name} -n 4 --seed 1 --json > {out.name}; "
           f"echo $? > exit-code")
    t = Tmux(cmd)
    try:
        for i, q in enumerate(exam.questions):
            t.wait_for(f"Question {i + 1} of 4")
            assert q.prompt.replace("{{c1::calcineurin}}", "[...]") in t.screen()
            if q.type == "choice":  # wrong on purpose
                t.type("abc"[next(k for k, o in enumerate(q.options) if o != q.item.answer)])
                continue
            for line in (q.item.answers if q.type == "list" else [q.expected]):
                t.type(line)
                t.keys("Enter")
                if q.type == "list":
                    t.wait_for(f"• {line}")
            if q.type == "list":
                t.keys("Enter")
        if any(q.type == "basic" for q in exam.questions):
            t.wait_for("Mark your answers")
            t.type("y")
        screen = t.wait_for("Exam result")
        assert "3/4" in screen and "Missed (1)" in screen
        choice = next(q for q in exam.questions if q.type == "choice")
        assert choice.prompt in screen and "answer: 2021" in screen
        t.type("r")  # retake the missed choice question: its options in a new order
        t.wait_for("Question 1 of 1")
        # The only question missed, so its retake's order is that of a retake of it alone.
        options = Exam([choice], exam.seed, exam.decks).retake().questions[0].options
        assert options != choice.options
        t.wait_for(f"a) {options[0]}")
        t.type("abc"[options.index("2021")])
        t.wait_for("Retake 1: 1/1")
        t.type("q")
        rc = tmp_path / "exit-code"
        end = time.monotonic() + 30  # a deadline against hangs, not a speed check
        while not (rc.exists() and rc.read_text().strip()) and time.monotonic() < end:
            time.sleep(0.1)
        assert rc.read_text().strip() == "0"
    finally:
        t.close()
    result = json.loads(out.read_text())
    assert (result["correct"], result["total"], result["seed"]) == (3, 4, 1)
    assert result["retakes"] == [{"correct": 1, "total": 1, "percent": 100.0}]
    import sqlite3

    from quiz.paths import store_path

    con = sqlite3.connect(store_path())  # QUIZ_HOME is the same here as in the tmux window
    rows = con.execute("SELECT correct, total FROM exams ORDER BY id").fetchall()
    con.close()
    assert rows == [(3, 4), (1, 1)]  # the exam and its retake, in the exam history


async def test_theme_from_settings_and_unknown_theme_ignored() -> None:
    exam = draw([DECK], n=1, types=["typed"], seed=1)
    for wanted, shown in (("textual-light", "textual-light"), ("no-such-theme", "textual-dark")):
        app = ExamApp(exam, theme=wanted)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            assert app.theme == shown


async def test_command_palette_starts_an_exam_on_every_deck(quiz_home) -> None:  # type: ignore[no-untyped-def]
    from _tui_extra import NOW, make_deck
    from textual.command import CommandList, CommandPalette

    from quiz.collection import Collection
    from quiz.settings import Settings
    from quiz.storage.store import Store
    from quiz.tui.app import QuizApp

    store = Store.open(quiz_home / "quiz.sqlite3")
    decks = [make_deck(), make_deck(n=2, deck_id="micro", name="Microbiology")]
    app = QuizApp(Collection(store, decks, Settings(timezone="UTC"), clock=lambda: NOW))
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.press("ctrl+p")
            await pilot.pause()
            assert isinstance(app.screen, CommandPalette)
            await pilot.press(*"exam")
            await app.screen.workers.wait_for_complete()
            await pilot.pause(0.1)
            options = app.screen.query_one(CommandList)
            assert str(options.get_option_at_index(0).prompt).split("\n")[0] == "Exam"
            await pilot.press("enter")
            await pilot.pause()
            assert isinstance(app.screen, ExamScreen)
            assert {q.deck_id for q in app.screen.exam.questions} == {d.id for d in decks}
            await pilot.press("escape", "escape")  # end at once: nothing answered, nothing kept
            await pilot.pause()
            assert isinstance(app.screen, ExamResultScreen)
        assert store.exam_history() == []
    finally:
        store.close()


async def test_start_exam_with_nothing_to_ask_only_warns() -> None:
    from textual.app import App

    from quiz.tui.screens.exam_app import start_exam

    app = App()
    async with app.run_test(size=(80, 24)) as pilot:
        assert start_exam(app, [Deck(id="empty", name="Empty", items=())]) is False
        await pilot.pause()
        assert not isinstance(app.screen, ExamScreen)
        assert any("No exam" in n.message for n in app._notifications)


# --- fairness: lists as in review, no blank by accident, back, "I was right" -------------------


async def test_a_list_is_typed_as_in_review_one_line_each_then_ctrl_s() -> None:
    exam = draw([DECK], n=1, types=["list"], seed=1)
    app = ExamApp(exam)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        area = app.screen.query_one("#exam-list", TextArea)
        assert area.has_focus and area.placeholder == "one answer per line, ctrl+s to check"
        assert not app.screen.query_one("#exam-input", Input).display
        await pilot.press(*"kidney", "enter", *"liver", "enter", *"lung")  # enter is a new line
        await pilot.pause()
        assert app.screen.exam.outcomes == {}
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ExamResultScreen)
        q = app.screen.result.questions[0]
        assert q["given"] == "kidney; liver; lung" and q["extra"] == ["lung"]
        assert q["credit"] == round(1 / 3, 4)  # (2 right - 1 wrong) / 3


async def test_an_empty_enter_asks_before_handing_in_a_blank_answer() -> None:
    exam = draw([DECK], n=5, types=["typed", "list"], seed=1)
    app = ExamApp(exam)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        first = exam.questions[0].type
        await pilot.press("ctrl+s" if first == "list" else "enter")
        await pilot.pause()
        status = screen.query_one("#exam-status", Static)
        assert not exam.outcomes and "Nothing typed" in str(status.render()) and status.display
        await pilot.press("x", "backspace")  # typing takes the question back
        await pilot.pause()
        assert not status.display
        await pilot.press("ctrl+s" if first == "list" else "enter")
        await pilot.pause()
        assert not exam.outcomes
        await pilot.press("ctrl+s" if first == "list" else "enter")  # asked: now it is handed in
        await pilot.pause()
        assert exam.outcomes[0].given == "" and not exam.outcomes[0].correct
        assert "Question 2 of 2" in text_of(app, "#exam-title")


async def test_shift_tab_and_left_go_back_to_the_previous_question() -> None:
    exam = draw([DECK], n=5, types=["typed", "cloze"], seed=1)
    app = ExamApp(exam)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        box = app.screen.query_one("#exam-input", Input)
        await pilot.press("left")  # nothing before the first question: the cursor's key
        await type_answer(pilot, "first try")
        assert "Question 2 of 2" in text_of(app, "#exam-title")
        await pilot.press(*"abc", "left")  # with text typed, ← moves the cursor
        await pilot.pause()
        assert "Question 2 of 2" in text_of(app, "#exam-title") and box.cursor_position == 2
        await pilot.press("shift+tab")
        await pilot.pause()
        assert "Question 1 of 2" in text_of(app, "#exam-title")
        assert box.value == "first try"  # the answer given, to keep or change
        box.value = ""
        await pilot.press("right")  # the empty box: ← is back, → stays put
        await type_answer(pilot, exam.questions[0].expected)
        assert exam.outcomes[0].correct
        box.value = ""
        await pilot.press("left")  # from the empty box of question 2
        await pilot.pause()
        assert "Question 1 of 2" in text_of(app, "#exam-title")
        await type_answer(pilot, exam.questions[0].expected)
        await type_answer(pilot, exam.questions[1].expected)
        await pilot.pause()
        assert isinstance(app.screen, ExamResultScreen) and "2/2" in text_of(app, "#result-score")


async def test_o_on_the_result_screen_counts_a_miss_as_right_and_it_is_recorded() -> None:
    exam = draw([DECK], n=5, types=["typed", "cloze", "choice"], seed=3)
    saved: list[dict] = []
    app = ExamApp(exam, on_result=saved.append)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        for i in range(3):
            await answer(pilot, exam, i, right=i == 0)
        assert isinstance(app.screen, ExamResultScreen)
        assert "1/3" in text_of(app, "#result-score")
        assert not saved  # handed over when the result screen is left, overrides included
        await pilot.press("down")  # the second miss
        await pilot.press("o")
        await pilot.pause()
        assert "2/3" in text_of(app, "#result-score") and "1 counted right by you" in text_of(app, "#result-score")
        overridden = [str(w.render()) for w in app.screen.query(".result-missed.overridden")]
        assert len(overridden) == 1 and "counted as right by you" in overridden[0]
        await pilot.press("q")
        await pilot.pause()
    (result,) = saved
    assert (result.correct, result.overridden) == (2, 1)
    assert [q["overridden"] for q in result.questions].count(True) == 1
    assert app.return_value == saved


async def test_a_result_is_handed_over_even_when_the_app_quits_on_the_result_screen() -> None:
    from textual.app import App

    from quiz.tui.screens.exam_app import ExamFlow

    exam = draw([DECK], n=1, types=["typed"], seed=1)
    saved: list[dict] = []

    class Host(App[None]):
        def on_mount(self) -> None:
            ExamFlow(self, exam, on_result=saved.append).start()

    app = Host()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await type_answer(pilot, "wrong answer")
        assert isinstance(app.screen, ExamResultScreen)
        await pilot.press("o")
        await pilot.pause()
        app.exit()  # quit from the result screen, as ctrl+q in the study app does
        await pilot.pause()
    assert [(r.correct, r.overridden) for r in saved] == [(1, 1)]
