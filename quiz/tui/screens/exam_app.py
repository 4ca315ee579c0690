"""Runs an exam in any Textual App (``ExamFlow``), or on its own (``ExamApp`` for ``quiz exam``).

The flow: ExamScreen -> ExamResultScreen -> (r) an ExamScreen of the missed questions -> ...
Each sitting's result goes to ``on_result`` (e.g. Collection.record_exam, into the store's exam history)
when its result screen goes (done, retake, or the app quit), so that the misses the student
counted as right there (``o``) are in it; ``on_answer`` (``--record``) sees the first sitting's answers.
From another app::

    ExamFlow(app, draw(decks, n=20), on_result=collection.record_exam).start()

or ``start_exam(app, decks, on_result=...)``, which does that and reports a deck with nothing
to ask.
"""

from __future__ import annotations

from collections.abc import Callable

from textual.app import App
from textual.binding import Binding

from quiz.decks.model import Deck
from quiz.errors import QuizError, TerminalGone, UsageError
from quiz.exam.result import ExamResult
from quiz.exam.sitting import DEFAULT_COUNT, Exam, Outcome, draw
from quiz.tui.screens.exam import ExamScreen
from quiz.tui.screens.exam_result import ExamResultScreen
from quiz.tui.hangup import HangUpExit
from quiz.tui.widgets.key_gate import KeyGate


class ExamFlow:
    def __init__(self, app: App, exam: Exam, *, feedback: bool = False,
                 on_answer: Callable[[Outcome], None] | None = None,
                 on_result: Callable[[ExamResult], object] | None = None,
                 on_done: Callable[[list[ExamResult]], None] | None = None) -> None:
        self.app = app
        self.exam = exam
        self.feedback = feedback
        self.on_answer = on_answer
        self.on_result = on_result
        self.on_done = on_done
        self.results: list[ExamResult] = []
        self._unsaved: Exam | None = None  # the sitting whose result screen is showing

    def start(self, exam: Exam | None = None) -> None:
        self.exam = exam or self.exam
        self.app.push_screen(ExamScreen(self.exam, self.feedback), self._sat)

    def _sat(self, exam: Exam | None) -> None:
        assert exam is not None
        first = not self.results
        if first and self.on_answer:
            for _, outcome in sorted(exam.outcomes.items()):
                self.on_answer(outcome)
        self.results.append(exam.result())
        self._unsaved = exam
        title = f"Retake {exam.retake_no}" if exam.retake_no else "Exam result"
        screen = ExamResultScreen(self.results[-1], len(exam.missed()), title, exam, on_leave=self.flush)
        self.app.push_screen(screen, self._after_result)

    def flush(self) -> None:
        """Hand the shown sitting's result (with its overrides) to ``on_result``, once."""
        exam, self._unsaved = self._unsaved, None
        if exam is not None:
            self.results[-1] = exam.result()
            if self.on_result:
                self.on_result(self.results[-1])

    def _after_result(self, choice: str | None) -> None:
        self.flush()
        if choice == "retake":
            self.start(self.exam.retake())
        elif self.on_done:
            self.on_done(self.results)


def start_exam(app: App, decks: list[Deck], n: int = DEFAULT_COUNT,
               on_result: Callable[[ExamResult], object] | None = None) -> bool:
    """Draw ``n`` questions from ``decks`` and run them in ``app``; each sitting goes to
    ``on_result`` (e.g. Collection.record_exam). False (and a notice) if nothing to ask."""
    try:
        exam = draw(decks, n=n)
    except UsageError as e:
        app.notify(f"No exam: {e}", severity="warning", markup=False)
        return False
    ExamFlow(app, exam, on_result=on_result).start()
    return True


class ExamApp(HangUpExit, KeyGate, App[list[ExamResult]]):
    TITLE = "quiz exam"
    BINDINGS = [Binding("ctrl+q", "quit_exam", "Quit", show=False, priority=True)]

    def __init__(self, exam: Exam, *, feedback: bool = False,
                 on_answer: Callable[[Outcome], None] | None = None,
                 on_result: Callable[[ExamResult], object] | None = None, theme: str | None = None) -> None:
        super().__init__()
        self.flow = ExamFlow(self, exam, feedback=feedback, on_answer=on_answer, on_result=on_result,
                             on_done=self.exit)
        self._theme_name = theme
        if any(q.item.has_images for q in exam.questions):
            # why: only an exam with images loads the image widget (~1.5 ms of start-up)
            from quiz.tui.widgets.card_images import probe_graphics

            probe_graphics()  # before the app takes the terminal over (as QuizApp does)

    def on_mount(self) -> None:
        if self._theme_name in self.available_themes:  # the user's theme from settings
            self.theme = self._theme_name
        self.flow.start()

    def action_quit_exam(self) -> None:
        self.flow.flush()
        self.exit(self.flow.results)


def run_exam_app(exam: Exam, *, feedback: bool = False,
                 on_answer: Callable[[Outcome], None] | None = None,
                 on_result: Callable[[ExamResult], object] | None = None, theme: str | None = None) -> list[ExamResult]:
    """Run the exam full-screen; the results of every sitting (first = the exam itself)."""
    app = ExamApp(exam, feedback=feedback, on_answer=on_answer, on_result=on_result, theme=theme)
    results = app.run()
    if app.return_code == TerminalGone.exit_code:  # each sitting scored is recorded already
        raise TerminalGone("the terminal went away")
    if app.return_code:
        raise QuizError("the exam screen stopped with an error")
    return results or []
