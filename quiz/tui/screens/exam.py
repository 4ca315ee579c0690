"""The exam screen: one question at a time, nothing revealed until the end unless ``feedback``.

Works on any App: push ``ExamScreen(exam)`` and it dismisses with the same ``Exam`` once the
questions are done (or the student ends it early: escape, then escape again within a few
seconds, so one stray key cannot throw away the rest of the exam). basic and reverse answers are
typed in and, without feedback, marked right or wrong by the student at the end; with
feedback, straight after each answer. Lists are typed as in the review screen (one entry a
line, ctrl+s). An empty enter asks before it hands in a blank answer. shift+tab (or ← in an
empty answer box) goes back to the previous question while no answer has been shown. A
question's images show under it as on the review screen (the answer's with the answer); ``i``
(ctrl+o while typing) opens the first.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.actions import SkipAction
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, Input, OptionList, ProgressBar, Static, TextArea
from textual.widgets.option_list import Option

from quiz.exam.sitting import LETTERS, SELF_GRADED, Exam, Outcome, Question
from quiz.study.grading import adds_to_mark, check_typed
from quiz.tui.widgets import render
from quiz.tui.widgets.answer_box import LIST_PLACEHOLDER
from quiz.tui.widgets.key_gate import AnswerInput, ChoiceList, release_keys

if TYPE_CHECKING:
    from quiz.tui.widgets.card_images import CardImages

HOW = {
    "basic": "type your answer; you mark it yourself at the end",
    "reverse": "name the term this describes; you mark it yourself at the end",
    "cloze": "type what fills the gap(s), ';' between several",
    "choice": "pick one: a letter, or arrows and enter",
    "typed": "type the answer",
    "list": "one entry a line; ctrl+s to hand in",
}
CONFIRM_SECONDS = 3.0  # how long a first escape waits for the second that ends the exam
HOW_FEEDBACK = {**HOW, "basic": "type your answer, then mark it", "reverse": "name the term this describes, then mark it"}


class ExamScreen(Screen[Exam]):
    CSS_PATH = "exam.tcss"
    BINDINGS = [
        *(Binding(k.lower(), f"pick({i})", show=False) for i, k in enumerate(LETTERS[:9])),
        Binding("y", "mark(True)", "Right", show=True),
        Binding("n", "mark(False)", "Wrong", show=True),
        Binding("enter", "next", "Next", show=True),
        Binding("ctrl+s", "hand_in_list", "Hand in", show=True),
        Binding("shift+tab", "back(False)", "Back", show=True, priority=True),
        Binding("left", "back(True)", show=False, priority=True),
        Binding("escape", "escape", "End exam"),
        # In the footer only when the question has an image, by the key that works there
        # (_image_key); the hidden pair after them opens it too, or says there is none.
        Binding("i", "open_image('i')", "Image"),
        Binding("ctrl+o", "open_image('ctrl+o')", "Image", priority=True),
        Binding("i", "open_image", show=False),
        Binding("ctrl+o", "open_image", show=False, priority=True),
    ]

    def __init__(self, exam: Exam, feedback: bool = False) -> None:
        super().__init__()
        self.exam = exam
        self.feedback = feedback
        self.index = 0
        self.phase = "ask"  # ask -> (told) -> ... -> mark -> done
        self.blank_asked = False  # an empty enter asked "hand in a blank answer?"
        self.to_mark: list[int] = []  # self-graded questions still to mark at the end
        self.shown_at = 0.0
        self.end_asked_at: float | None = None  # when a first escape asked "end the exam?"
        self.now = time.monotonic  # the tests put a clock of their own here
        self.images: dict[str, CardImages] = {}  # by side, mounted once a question has images

    def compose(self) -> ComposeResult:
        yield Static(id="exam-title")
        yield ProgressBar(id="exam-progress", total=max(len(self.exam.questions), 1),
                          show_eta=False, show_percentage=False)
        with VerticalScroll(id="exam-body"):
            yield Static(id="exam-kind")
            yield Static(id="exam-prompt")
            yield ChoiceList(id="exam-options", compact=True)
            yield TextArea(id="exam-list", compact=True, placeholder=LIST_PLACEHOLDER)
            yield AnswerInput(id="exam-input", compact=True, placeholder="your answer, enter")
            yield Static(id="exam-verdict")
        yield Static(id="exam-status")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        if self.exam.questions:
            self.show_question(0)
        else:
            self.dismiss(self.exam)

    @property
    def question(self) -> Question:
        return self.exam.questions[self.index]

    # -- asking -------------------------------------------------------------------------------

    def show_question(self, index: int) -> None:
        self.index, self.phase, self.blank_asked = index, "ask", False
        self._cancel_end()
        q = self.question
        n = len(self.exam.questions)
        self.query_one("#exam-title", Static).update(Content.assemble(
            (f"Question {index + 1} of {n}", "bold"), f"  ·  {q.type}"))
        self.query_one("#exam-progress", ProgressBar).update(progress=index)
        how = q.how((HOW_FEEDBACK if self.feedback else HOW)[q.type])
        self.query_one("#exam-kind", Static).update(Content.styled(how, "italic $text-muted"))
        self.query_one("#exam-prompt", Static).update(_prompt(q))
        self._show_images(q)
        options = self.query_one("#exam-options", OptionList)
        options.display = q.type == "choice"
        box = self.query_one("#exam-input", Input)
        box.display = q.type not in ("choice", "list")
        box.disabled = False
        # Back at a question answered before: its answer, to keep or change.
        before = self.exam.outcomes.get(index)
        box.value = before.given if before and q.type != "list" else ""
        area = self.query_one("#exam-list", TextArea)
        area.display = q.type == "list"
        area.read_only = False
        area.text = "\n".join(before.given.split("; ")) if before and q.type == "list" else ""
        self.query_one("#exam-verdict", Static).display = False
        if q.type == "choice":
            options.disabled = False
            options.set_options(_options(q))
            options.highlighted = 0
            options.focus()
        elif q.type == "list":
            area.focus()
        else:
            box.focus()
        self.shown_at = time.monotonic()
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if not self.exam.questions:
            return True
        if action == "pick":
            return self.phase == "ask" and self.question.type == "choice" and int(parameters[0]) < len(self.question.options)  # type: ignore[call-overload]
        if action == "mark":
            return self.phase == "mark" or (self.phase == "told" and self.question.type in SELF_GRADED)
        if action == "next":
            return self.phase in ("told", "mark")
        if action == "hand_in_list":
            return self.phase == "ask" and self.question.type == "list"
        if action == "back":
            return self.phase == "ask" and self.index > 0 and not self.feedback
        if action == "open_image" and parameters:  # the footer's: the key that works, when there is an image
            return any(images.openable for images in self.images.values()) and parameters[0] == self._image_key()
        return True

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        try:
            if self.phase == "ask" and self._not_blank_unasked(event.value):
                self.answer(event.value)
        finally:
            release_keys(self.app)  # keys typed after this Enter go to what it led to

    def on_input_changed(self, event: Input.Changed) -> None:
        self._typed()

    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        self._typed()

    def _typed(self) -> None:
        if self.blank_asked:
            self.blank_asked = False
            self._cancel_end()

    def action_hand_in_list(self) -> None:
        if self.phase != "ask" or self.question.type != "list":
            return
        lines = [ln.strip() for ln in self.query_one("#exam-list", TextArea).text.splitlines() if ln.strip()]
        if self._not_blank_unasked("\n".join(lines)):
            self.answer(lines)

    def _not_blank_unasked(self, text: str) -> bool:
        """False the first time nothing is handed in: a stray enter must not cost a question."""
        if text.strip() or self.blank_asked:
            return True
        self.blank_asked = True
        key = "ctrl+s" if self.question.type == "list" else "enter"
        self._status(f"Nothing typed: {key} again to hand in a blank answer, or type one")
        return False

    def action_back(self, arrow: bool) -> None:
        """To the previous question, its answer kept to change; ← only from an empty box."""
        if not self.check_action("back", ()):
            raise SkipAction()
        focused = self.focused
        if arrow and ((isinstance(focused, Input) and focused.value)
                      or (isinstance(focused, TextArea) and focused.text)):
            raise SkipAction()  # the arrow moves the cursor
        self.show_question(self.index - 1)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        try:
            self.action_pick(event.option_index)
        finally:
            release_keys(self.app)  # keys typed after this Enter go to what it led to

    def action_pick(self, index: int) -> None:
        if self.phase == "ask" and self.question.type == "choice" and index < len(self.question.options):
            self.answer(LETTERS[index])

    def answer(self, given: str | list[str]) -> None:
        out = self.exam.answer(self.index, given, int((time.monotonic() - self.shown_at) * 1000))
        if self.feedback:
            self.tell(out)
        else:
            self.advance()

    def tell(self, out: Outcome) -> None:
        """Feedback mode: say how the answer went, and wait for enter (or y/n to mark)."""
        self.phase = "told"
        q = out.question
        parts: list[str | tuple[str, str] | Content] = [
            ("✓ right" if out.correct else "≈ partly right" if out.credit else "✗ wrong",
             "bold $success" if out.correct else "bold $warning" if out.credit else "bold $error"),
            f"   answer: {q.expected}"]
        if adds_to_mark(out.why) and q.type not in ("choice", *SELF_GRADED):
            parts.append(Content.styled(f"\n{out.why}", "italic"))
        if q.type == "choice" and not out.correct:
            parts.append(f"\nyour pick: {out.given or '(none)'}")
        if q.type == "list" and out.missed:
            parts.append(f"\nmissed: {'; '.join(out.missed)}")
        if q.type == "list" and out.extra:
            parts.append(f"\nnot in the list: {'; '.join(out.extra)}")
        if q.type in ("typed", "cloze", *SELF_GRADED) and out.given and not out.correct:
            diff = check_typed(q.item, out.given, self.exam.terms).diff
            # A wholly different answer has no diff (it would be noise): show it as typed.
            parts += ["\n", render.diff(diff) if diff else f"yours: {out.given}"]
        if q.type in SELF_GRADED:
            parts.append(Content.styled("\ny / n: count it as right / wrong; enter: next", "$text-muted"))
        self._verdict(Content.assemble(*parts))
        self._show_images(q, answer=True)
        self.query_one("#exam-input", Input).disabled = True
        self.query_one("#exam-list", TextArea).read_only = True
        options = self.query_one("#exam-options", OptionList)
        if q.type == "choice":
            options.set_options(_options(q, picked=out.given))
        options.disabled = True
        self.set_focus(None)
        self.refresh_bindings()

    def _verdict(self, content: Content) -> None:
        v = self.query_one("#exam-verdict", Static)
        v.update(content)
        v.display = True

    def action_next(self) -> None:
        if self.phase == "told":
            self.advance()
        elif self.phase == "mark":
            self.mark_next()  # enter keeps the checker's verdict

    def advance(self) -> None:
        if self.index + 1 < len(self.exam.questions):
            self.show_question(self.index + 1)
        else:
            self.action_end()

    # -- marking and ending -------------------------------------------------------------------

    def action_escape(self) -> None:
        """While questions are being asked, the first escape only asks; a second one soon
        after ends the exam. Marking at the end stops at once (the checker's verdicts stay)."""
        if self.phase == "mark":
            self.action_end()
            return
        now = self.now()
        if self.end_asked_at is not None and now - self.end_asked_at <= CONFIRM_SECONDS:
            self._cancel_end()
            self.action_end()
            return
        self.end_asked_at = now
        left = len(self.exam.questions) - len(self.exam.outcomes)
        self._status(f"Press esc again to end the exam and see the result ({left} not answered yet)")
        self.set_timer(CONFIRM_SECONDS, self._expire_end)

    def _status(self, text: str) -> None:
        status = self.query_one("#exam-status", Static)
        status.update(Content.styled(text, "bold $warning"))
        status.display = True

    def _expire_end(self) -> None:
        if self.end_asked_at is not None and self.now() - self.end_asked_at >= CONFIRM_SECONDS:
            self._cancel_end()

    def _cancel_end(self) -> None:
        self.end_asked_at = None
        self.query_one("#exam-status", Static).display = False

    def action_end(self) -> None:
        """End the exam (escape ends it early: unanswered questions are not scored)."""
        if self.phase == "mark":
            self.to_mark = []
            self.mark_next()
            return
        self.query_one("#exam-progress", ProgressBar).update(progress=len(self.exam.outcomes))
        self.to_mark = [] if self.feedback else [
            i for i, o in sorted(self.exam.outcomes.items()) if o.question.type in SELF_GRADED]
        self.phase = "mark"
        self.mark_next(first=True)

    def mark_next(self, first: bool = False) -> None:
        if not first and self.to_mark:
            self.to_mark.pop(0)
        if not self.to_mark:
            self.phase = "done"
            self.exam.finish()
            self.dismiss(self.exam)
            return
        i = self.to_mark[0]
        out = self.exam.outcomes[i]
        q = out.question
        self.index = i
        self.query_one("#exam-title", Static).update(Content.assemble(
            ("Mark your answers", "bold"), f"  ·  question {i + 1}"))
        self.query_one("#exam-kind", Static).update(Content.styled(
            "y: I was right   n: I was wrong   enter: keep the checker's verdict", "italic $text-muted"))
        self.query_one("#exam-prompt", Static).update(_prompt(q))
        for sel in ("#exam-options", "#exam-input", "#exam-list"):
            self.query_one(sel).display = False
        why = f" ({out.why})" if adds_to_mark(out.why) else ""
        self._verdict(Content.assemble(
            "you: ", (out.given or "(blank)", "bold"), "\nanswer: ", (q.expected, "bold $success"),
            ("\nchecker: " + ("right" if out.correct else f"wrong{why}"), "$text-muted")))
        self._show_images(q, answer=True)
        self.set_focus(None)
        self.refresh_bindings()

    def _show_images(self, q: Question, answer: bool = False) -> None:
        """The question's images under it; with ``answer`` (the answer shown), the answer side's
        too, after the verdict, as the review screen shows them once revealed."""
        item = q.item
        sides = (("question", "#exam-prompt", item.prompt_images, ""),
                 ("answer", "#exam-verdict", *((item.answer_side_images, item.extra) if answer else ((), ""))))
        for side, anchor, refs, extra in sides:
            images = self.images.get(side)
            if images is None and (refs or extra):
                # Mounted the first time a question has images, as in review: most have none.
                # why: loaded then too: all that comes before the first question costs start-up
                from quiz.tui.widgets.card_images import CardImages

                images = self.images[side] = CardImages(id=f"exam-{side}-images")
                self.query_one("#exam-body").mount(images, after=anchor)
            if images is not None:
                images.show(q.folder, refs, extra, self._image_key())

    def _image_key(self) -> str:
        """The key that opens an image now: while asking, `i` is typed in the answer box (or
        picks the ninth option), so there it is ctrl+o (which works throughout)."""
        q = self.question
        return "ctrl+o" if self.phase == "ask" and (q.type != "choice" or len(q.options) > 8) else "i"

    def action_open_image(self, key: str = "") -> None:
        """i (ctrl+o): open the first image (the answer's once shown) in the system viewer."""
        if not any(self.images[s].open_first() for s in ("answer", "question") if s in self.images):
            self.notify("No image on this question to open")

    def action_mark(self, right: bool) -> None:
        if self.phase == "told" and self.question.type in SELF_GRADED:
            self.exam.mark(self.index, right)
            self.advance()
        elif self.phase == "mark" and self.to_mark:
            self.exam.mark(self.to_mark[0], right)
            self.mark_next()


def _options(q: Question, picked: str | None = None) -> list[Option]:
    """The choice options as "a) text"; once answered (``picked``), the right one is marked
    ✓ and a wrong pick ✗, so feedback shows what was chosen beside what was right."""
    rows = []
    for i, o in enumerate(q.options):
        label: list[str | tuple[str, str]] = [(f"{LETTERS[i].lower()}) ", "bold")]
        if picked is None:
            label.append(o)
        elif o == q.expected:
            label += [(o, "bold $success"), ("  ✓ right answer", "$success")]
        elif o == picked:
            label += [(o, "strike $error"), ("  ✗ your pick", "$error")]
        else:
            label.append((o, "$text-muted"))
        rows.append(Option(Content.assemble(*label)))
    return rows


def _prompt(q: Question) -> Content:
    # Cloze gaps look the same as in the review screen.
    return render.cloze(q.item.text, revealed=False) if q.type == "cloze" else Content(q.prompt)
