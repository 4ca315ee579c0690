"""The exam line by line on plain text streams: screen readers, pipes and scripts.

Every question is one numbered block; every answer is one line (a list: one entry a line,
ending with an empty line). basic and reverse questions have no single right wording, so, as
with a flashcard in the full-screen exam, the student answers, is shown the answer and marks
it: "right? [y/n]" (one more line). Other answers are checked, and nothing is revealed before
the end unless ``feedback`` asks. End of input ends the exam with what was answered.
"""

from __future__ import annotations

import textwrap
import time
from collections.abc import Callable
from typing import Any, TextIO

from quiz.durations import duration_text
from quiz.exam.result import ExamRecord, ExamResult
from quiz.exam.sitting import LETTERS, SELF_GRADED, Exam, Outcome, Question
from quiz.safe_text import visible
from quiz.study.grading import MAX_ANSWER_CHARS, adds_to_mark

# How far past an over-long answer we read looking for its end; beyond that the input is taken
# for something other than answers (/dev/zero, a binary file) and ends the exam.
_SKIP_LIMIT = 1 << 20

HOW = {
    "basic": "answer, then mark it yourself against the answer shown",
    "reverse": "name the term this describes, then mark it yourself",
    "choice": "answer with a letter or the text",
    "list": "one answer a line, an empty line to finish",
    "cloze": "type what fills the blanks, separated by ';' if more than one",
}


class _EndOfInput(Exception):
    pass


class PlainExam:
    """Runs ``exam`` reading answers from ``inp`` and writing questions to ``out``."""

    def __init__(self, exam: Exam, inp: TextIO, out: TextIO, *, feedback: bool = False,
                 on_answer: Callable[[Outcome], None] | None = None) -> None:
        self.exam, self.inp, self.out = exam, inp, out
        self.feedback = feedback
        self.on_answer = on_answer
        self.interrupted = False  # Ctrl+C ended it: the command exits 130 after the result
        isatty = getattr(inp, "isatty", None)
        self.interactive = bool(isatty and isatty())

    def say(self, text: str = "") -> None:
        print(visible(text), file=self.out, flush=True)  # deck text and echoed answers alike

    def ask(self, prompt: str) -> str:
        self.out.write(visible(prompt))
        self.out.flush()
        line = self.inp.readline(MAX_ANSWER_CHARS + 1)  # bounded: a stream may hold no newline
        if not line:
            self.say()
            raise _EndOfInput
        if len(line) > MAX_ANSWER_CHARS and not line.endswith("\n"):
            self._skip_rest()
        return line[:MAX_ANSWER_CHARS].rstrip("\r\n")

    def _skip_rest(self) -> None:
        """Drop the rest of an over-long line; input without a line end in sight ends the exam."""
        skipped = 0
        while skipped < _SKIP_LIMIT:
            chunk = self.inp.readline(65536)
            if not chunk or chunk.endswith("\n"):
                return
            skipped += len(chunk)
        self.say()
        self.say(f"An answer line went on for over {_SKIP_LIMIT} characters: that is not an answer.")
        raise _EndOfInput

    def run(self) -> Exam:
        n = len(self.exam.questions)
        self.say(f"Exam: {n} question{'s' * (n != 1)} (seed {self.exam.seed}). "
                 "End of input (Ctrl-D) ends the exam early.")
        try:
            for i in range(n):
                self.say()
                self.question(i)
        except _EndOfInput:
            self.say("Exam ended early: scoring the questions answered.")
        except KeyboardInterrupt:
            self.interrupted = True
            self.say()  # the terminal's ^C is left on the prompt line
            self.say("Exam ended early (interrupted): scoring the questions answered.")
        self.exam.finish()
        return self.exam

    def question(self, i: int) -> None:
        q = self.exam.questions[i]
        self.say(f"Question {i + 1} of {len(self.exam.questions)} ({q.type}): {q.prompt}")
        self.images(q)
        for letter, opt in zip(LETTERS, q.options):
            self.say(f"  {letter}) {opt}")
        if q.type in HOW:
            self.say(f"({q.how(HOW[q.type])})")
        t0 = time.monotonic()
        if q.type == "list":
            lines: list[str] = []
            try:
                while line := self.ask("- "):
                    lines.append(line)
            except _EndOfInput:
                # Input ended before the closing empty line: the entries given still count.
                if lines:
                    self.answered(i, lines, t0)
                raise
            given: str | list[str] = lines
        else:
            given = self.ask("> ")
            # At a keyboard a stray enter must not cost the question; a pipe means what it sends.
            while not given.strip() and q.type not in SELF_GRADED and self.interactive:
                if self.yes_no("Nothing typed. Hand in a blank answer? [y/n] "):
                    break
                given = self.ask("> ")
        if q.type in SELF_GRADED:
            self.say(f"Answer: {q.expected}")
            self.images(q, answer_side=True)
            right = self.yes_no("right? [y/n] ")
            self.exam.answer(i, given, int((time.monotonic() - t0) * 1000))
            out = self.exam.mark(i, right)
            if self.on_answer:
                self.on_answer(out)
            return
        self.answered(i, given, t0)

    def images(self, q: Question, answer_side: bool = False) -> None:
        """A line per image with its full path: a plain terminal cannot draw it, but the student
        can open the file (the question may be nothing without it: "Which organ is this?")."""
        for path in q.image_paths(answer_side):
            self.say(f"[image: {path.name}] {path.absolute() if path.is_file() else '(file missing)'}")

    def yes_no(self, prompt: str) -> bool:
        while True:
            reply = self.ask(prompt).strip().lower()
            if reply in ("y", "yes", "n", "no"):
                return reply.startswith("y")
            self.say("Please answer y or n.")

    def answered(self, i: int, given: str | list[str], t0: float) -> None:
        out = self.exam.answer(i, given, int((time.monotonic() - t0) * 1000))
        if self.feedback:
            out = self.tell(i, out)
            self.images(out.question, answer_side=True)
        if self.on_answer:
            self.on_answer(out)

    def tell(self, i: int, out: Outcome) -> Outcome:
        q = out.question
        if q.type == "list":
            self.say(f"{'Right' if out.correct else 'Partly right' if out.credit else 'Wrong'}: "
                     f"{out.why}, {round(out.credit * 100)}%"
                     + (f"; missed: {', '.join(out.missed)}" if out.missed else "")
                     + (f"; not in the list: {', '.join(out.extra)}" if out.extra else ""))
            return out
        if q.options:
            # Each option by its letter: the one picked (when it was one of them) and the right one.
            def named(text: str) -> str:
                return f"{LETTERS[q.options.index(text)]}) {text}" if text in q.options else text
            picked = "" if out.correct else f" You picked {named(out.given) if out.given else '(blank)'}."
            self.say(f"{'Right' if out.correct else 'Wrong'}.{picked} Answer: {named(q.expected)}")
            return out
        why = f" ({out.why})" if adds_to_mark(out.why) else ""
        self.say(f"{'Right' if out.correct else 'Wrong'}{why}. Answer: {q.expected}")
        return out


def format_result(result: ExamResult, width: int = 80) -> str:
    """The human summary of ``Exam.result()``: score, time, per tag, what was missed.

    Long lines are wrapped to ``width`` with a hanging indent, so a wrapped prompt or answer
    stays under its own label instead of running back to the left margin.
    """
    lines: list[str] = []

    def put(text: str, indent: int = 0, hang: int = 2) -> None:
        lines.extend(textwrap.wrap(text, width=max(width, 40), initial_indent=" " * indent,
                                   subsequent_indent=" " * (indent + hang), break_on_hyphens=False,
                                   break_long_words=False) or [" " * indent])

    put(f"Score: {result.correct}/{result.total} right, {result.percent}% "
        f"(partial credit for lists) in {duration_text(result.seconds, 'elapsed')}"
        + (f"; {result.overridden} counted right by you" if result.overridden else ""))
    if result.unanswered:
        put(f"{_answered(result.total, result.asked)}: the score counts the answered questions only")
    if result.tags:
        put("By tag: " + ", ".join(f"{t}\u00a0{v['correct']}/{v['total']}" for t, v in result.tags.items()), hang=8)
    wrong = result.missed
    if wrong:
        lines.append("Missed:")
        for q in wrong:
            put(f"- {q['prompt']}", indent=2)
            # The values line up after the longest label, and so do their wrapped lines.
            why = q.get("why") or ""
            put(f"your answer:  {q['given'] or '(blank)'}" + (f" ({why})" if adds_to_mark(why) else ""),
                indent=4, hang=14)
            put(f"right answer: {q['expected']}", indent=4, hang=14)
            if q.get("source"):
                put(f"source: {q['source']}", indent=4, hang=8)
    lines.append(f"Retake this exam with --seed {result.seed}.")
    return visible("\n".join(lines).replace("\u00a0", " "))


def format_history(records: list[ExamRecord]) -> str:
    if not records:
        return "No exams taken yet."
    out = []
    for r in records:
        decks = ", ".join(r.decks) if isinstance(r.decks, list) else str(r.decks or "")
        detail: dict[str, Any] = r.detail if isinstance(r.detail, dict) else {}
        notes = [f"retake {detail['retake']}"] if detail.get("retake") else []
        notes += [_answered(detail["total"], detail["asked"])] if detail.get("unanswered") else []
        partly = f"  ({'; '.join(notes)})" if notes else ""
        out.append(f"{str(r.finished or r.started)[:16].replace('T', ' ')}  "
                   f"{r.correct:>3}/{r.total:<3} {float(r.percent):5.1f}%  {decks}{partly}")
    return visible("\n".join(out))


def _answered(total: int, asked: int) -> str:
    return f"{total} of {asked} answered"
