"""The exam's result: score, %, time, per-tag breakdown, each miss beside the right answer.

Dismisses with "retake" (only the missed questions again) or None (done).
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, Static

from quiz.durations import duration_text
from quiz.exam.result import ExamResult


class ExamResultScreen(Screen[str | None]):
    CSS_PATH = "exam_result.tcss"
    BINDINGS = [
        Binding("r", "retake", "Retake missed"),
        Binding("q,escape,enter", "done", "Done"),
    ]

    def __init__(self, result: ExamResult, retake_count: int, title: str = "Exam result") -> None:
        super().__init__()
        self.result = result
        self.retake_count = retake_count  # missed + unanswered questions
        self.title_text = title
        self.missed = result.missed

    def compose(self) -> ComposeResult:
        r = self.result
        yield Static(Content.assemble(
            (f"{self.title_text}: ", "bold"),
            (f"{r.correct}/{r.total}", "bold $success" if r.correct == r.total else "bold"),
            f"  ·  {r.percent}%  ·  {duration_text(r.seconds, 'elapsed')}",
            (f"  ·  {r.unanswered} not answered" if r.unanswered else "", "$text-muted"),
        ), id="result-score")
        with VerticalScroll(id="result-body"):
            if r.tags:
                yield Static("By tag", classes="result-heading")
                width = max(len(t) for t in r.tags)
                yield Static(Content("\n".join(
                    f"{t.ljust(width)}  {v['correct']}/{v['total']}  {_bar(v['correct'], v['total'])}"
                    for t, v in r.tags.items())), id="result-tags")
            if self.missed:
                yield Static(f"Missed ({len(self.missed)})", classes="result-heading")
                for q in self.missed:
                    yield Static(_missed(q), classes="result-missed")
            elif r.total:
                yield Static("Nothing missed.", classes="result-heading")
        yield Footer(compact=True)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "retake":
            return bool(self.retake_count) or None
        return True

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
        "\nyou:    ", (q["given"] or "(blank)", "$error"),
        "\nanswer: ", (q["expected"], "$success"),
    ]
    if q.get("missed"):
        parts += ["\nmissed: ", "; ".join(q["missed"])]
    if q.get("source"):
        parts.append((f"\nsource: {q['source']}", "italic $text-muted"))
    return Content.assemble(*parts)
