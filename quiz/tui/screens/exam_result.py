"""The exam's result: score, %, time, per-tag breakdown, each miss beside the right answer.

Dismisses with "retake" (only the missed questions again) or None (done). Given the ``Exam``,
``o`` on a miss (tab or ↑/↓ to choose one) counts it as right: the student knows "B cell" was a
slip of the keyboard; it is recorded as overridden, and ``o`` again takes it back. A miss
whose question has images shows them under it (and its answer's), ``i`` opens the chosen one's.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, Static

from quiz.durations import duration_text
from quiz.exam.result import ExamResult
from quiz.exam.sitting import Exam, Question
from quiz.study.grading import adds_to_mark

if TYPE_CHECKING:
    from quiz.tui.widgets.card_images import CardImages


class Missed(Static):
    """One missed question; focusable, so that ``o`` knows which one to count as right."""

    can_focus = True
    BINDINGS = [Binding("down", "app.focus_next", show=False), Binding("up", "app.focus_previous", show=False)]

    def __init__(self, q: dict, index: int | None, question: Question | None = None) -> None:
        super().__init__(_missed(q), classes="result-missed")
        self.index = index  # the question's index in the exam (None: no exam to override in)
        self.question = question
        item = question.item if question else None
        self.images: CardImages | None = None  # its images (the question's, then the answer's), if any
        if item and item.has_images:
            # why: loaded for a miss with images only, as the exam screen does
            from quiz.tui.widgets.card_images import CardImages

            self.images = CardImages(classes="result-images")


class ExamResultScreen(Screen[str | None]):
    CSS_PATH = "exam_result.tcss"
    BINDINGS = [
        Binding("r", "retake", "Retake missed"),
        Binding("o", "override", "Count as right"),
        Binding("i", "open_image", "Image"),
        Binding("q,escape,enter", "done", "Done"),
    ]

    def __init__(self, result: ExamResult, retake_count: int, title: str = "Exam result", exam: Exam | None = None,
                 on_leave: Callable[[], object] | None = None) -> None:
        super().__init__()
        self.on_leave = on_leave  # called once the screen goes, however (done, retake, the app quit)
        self.result = result
        self.retake_count = retake_count  # missed + unanswered questions
        self.title_text = title
        self.exam = exam
        answered = sorted(exam.outcomes) if exam is not None else [None] * len(result.questions)
        self.missed = [(i, q) for i, q in zip(answered, result.questions) if not q["correct"]]

    def _score(self) -> Content:
        r = self.result
        return Content.assemble(
            (f"{self.title_text}: ", "bold"),
            (f"{r.correct}/{r.total}", "bold $success" if r.correct == r.total else "bold"),
            f"  ·  {r.percent}%  ·  {duration_text(r.seconds, 'elapsed')}",
            (f"  ·  {r.unanswered} not answered" if r.unanswered else "", "$text-muted"),
            (f"  ·  {r.overridden} counted right by you" if r.overridden else "", "$text-muted"),
        )

    def compose(self) -> ComposeResult:
        r = self.result
        yield Static(self._score(), id="result-score")
        with VerticalScroll(id="result-body"):
            if r.tags:
                yield Static("By tag", classes="result-heading")
                width = max(len(t) for t in r.tags)
                yield Static(Content("\n".join(
                    f"{t.ljust(width)}  {v['correct']}/{v['total']}  {_bar(v['correct'], v['total'])}"
                    for t, v in r.tags.items())), id="result-tags")
            if self.missed:
                hint = "  (o: count the chosen one as right)" if self.exam is not None else ""
                yield Static(f"Missed ({len(self.missed)}){hint}", classes="result-heading")
                for i, q in self.missed:
                    missed = Missed(q, i, self.exam.outcomes[i].question if self.exam and i is not None else None)
                    yield missed
                    if missed.images is not None:
                        yield missed.images
            elif r.total:
                yield Static("Nothing missed.", classes="result-heading")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        for missed in self.query(Missed):
            if missed.images is not None and missed.question is not None:
                item = missed.question.item
                missed.images.show(missed.question.folder, (*item.prompt_images, *item.answer_side_images), item.extra)
        if self.exam is not None and self.missed:
            self.query(Missed).first().focus()

    def on_unmount(self) -> None:
        if self.on_leave is not None:
            self.on_leave()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "retake":
            return bool(self.retake_count) or None
        if action == "override":
            return (self.exam is not None and bool(self.missed)) or None
        if action == "open_image":
            return any(m.images is not None for m in self.query(Missed))
        return True

    def action_override(self) -> None:
        """Count the chosen miss as right (again: as checked); score and retake follow."""
        chosen = self.focused if isinstance(self.focused, Missed) else None
        if self.exam is None or chosen is None or chosen.index is None:
            return
        out = self.exam.override(chosen.index)
        if out is None:
            return
        self.result = self.exam.result()
        self.retake_count = len(self.exam.missed())
        q = next(q for q in self.result.questions if q["id"] == out.question.id)
        chosen.update(_missed(q))
        chosen.set_class(out.overridden, "overridden")
        self.query_one("#result-score", Static).update(self._score())
        self.refresh_bindings()

    def action_open_image(self) -> None:
        """i: open the chosen miss's first image in the system viewer."""
        chosen = self.focused if isinstance(self.focused, Missed) else None
        if chosen is None or chosen.images is None or not chosen.images.open_first():
            self.notify("No image on this question to open")

    def action_retake(self) -> None:
        if self.retake_count:
            self.dismiss("retake")

    def action_done(self) -> None:
        self.dismiss(None)


def _bar(right: int, total: int, width: int = 10) -> str:
    filled = round(width * right / total) if total else 0
    return "█" * filled + "░" * (width - filled)


def _missed(q: dict) -> Content:
    parts: list[str | tuple[str, str]] = [
        (q["prompt"], "bold"),
        "\nyou:    ", (q["given"] or "(blank)", "$success" if q.get("overridden") else "$error"),
        (f"  ({q['why']})" if adds_to_mark(q.get("why") or "") and q["type"] not in ("choice", "basic", "reverse")
         else "", "italic"),
        "\nanswer: ", (q["expected"], "$success"),
    ]
    if q.get("overridden"):
        parts.append(("\n✓ counted as right by you (o again: as checked)", "bold $success"))
    if q.get("missed"):
        parts += ["\nmissed: ", "; ".join(q["missed"])]
    if q.get("extra"):
        parts += ["\nnot in the list: ", "; ".join(q["extra"])]
    if q.get("source"):
        parts.append((f"\nsource: {q['source']}", "italic $text-muted"))
    return Content.assemble(*parts)
