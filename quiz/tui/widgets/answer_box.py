"""How the user answers a card before the reveal: an Input (typed), options (choice) or a
TextArea (list), and the verdict afterwards. basic/reverse/cloze cards need none of it.

All three widgets stay mounted and are shown or hidden per card, so going to the next card
never remounts anything.
"""

from __future__ import annotations

import random
from dataclasses import replace
from types import ModuleType
from typing import TYPE_CHECKING, cast

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from quiz.decks.model import Item
from quiz.tui.widgets import render
from quiz.tui.widgets.key_gate import AnswerInput, ChoiceList, release_keys
from quiz.tui.widgets.repaint import set_display

if TYPE_CHECKING:
    from textual.widgets import TextArea

    from quiz.decks.model import Deck
    from quiz.study.grading import TermIndex

CHOICE_KEYS = "abcd"
LIST_PLACEHOLDER = "one answer per line, ctrl+s to check"  # the exam takes lists the same way
ANSWERED_TYPES = ("typed", "choice", "list")
WIDGET_IDS = {"typed": "typed", "choice": "choices", "list": "list"}


def _checker() -> ModuleType:
    """quiz.study.grading, the answer checker."""
    from quiz.study import grading  # why: it loads rapidfuzz; on the first answer, not at start-up

    return grading


class AnswerBox(Vertical):
    class Answered(Message):
        """The user committed an answer; ``suggested`` is the grade to offer first."""

        def __init__(self, suggested: int) -> None:
            super().__init__()
            self.suggested = suggested

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.item: Item | None = None
        self.options: list[str] = []
        self.verdict = None  # grading.Verdict for typed/choice
        self.overridden = False
        self.answered = False
        self.list_verdict = None  # grading.ListVerdict once a list is checked
        self.term_decks: list[Deck] = []  # the loaded decks (set by the review screen) ...
        self._terms: TermIndex | None = None  # ... whose terms the checker knows, built on first use
        self._mounted: dict[str, Widget] = {}  # item type -> its answer widget, once mounted
        self._verdict_line: Static | None = None  # "#feedback", once a verdict was shown

    def compose(self) -> ComposeResult:
        # The Input, OptionList and TextArea, and the verdict line under them, are mounted the
        # first time a card needs them (see _widget, _feedback): fewer widgets and less CSS
        # before the first card is painted.
        return iter(())

    def _widget(self, kind: str) -> Widget | None:
        """The answer widget for ``kind`` ("typed", "choice", "list"), mounted on first use."""
        if kind not in ANSWERED_TYPES:
            return None
        found = self._mounted.get(kind)
        if found is not None:
            return found
        widget: Widget
        if kind == "typed":
            widget = AnswerInput(placeholder="type the answer, enter to check", id="typed", compact=True)
        elif kind == "choice":
            widget = ChoiceList(id="choices", compact=True)
        else:
            from textual.widgets import TextArea  # why: on first use; it pulls in a document model (start-up)

            widget = TextArea(id="list", compact=True, placeholder=LIST_PLACEHOLDER)
        if self.app.animation_level == "none" and hasattr(widget, "cursor_blink"):
            widget.cursor_blink = False  # reproducible screenshots: no blinking cursor
        self.mount(widget, before=self._verdict_line)  # the verdict stays under the answer
        self._mounted[kind] = widget
        return widget

    def terms(self) -> TermIndex:
        if self._terms is None:
            self._terms = _checker().TermIndex.from_decks(self.term_decks)
        return self._terms

    def prepare(self, item: Item, rng: random.Random) -> None:
        """Set up for a new card (choice options are shuffled once per showing)."""
        self.item, self.verdict, self.overridden, self.answered = item, None, False, False
        self.list_verdict = None
        for kind, widget in self._mounted.items():
            set_display(widget, kind == item.type)
        if self._verdict_line is not None:
            set_display(self._verdict_line, False)
        set_display(self, item.type in ANSWERED_TYPES)
        widget = self._widget(item.type)
        if isinstance(widget, Input):
            widget.value = ""
            widget.disabled = False
            widget.focus()
        elif isinstance(widget, OptionList):
            self.options = _checker().choice_options(item, rng)
            widget.disabled = False
            widget.set_options(self._option_rows())
            widget.highlighted = 0
            widget.focus()
        elif widget is not None:  # the list's TextArea
            area = cast("TextArea", widget)
            area.text = ""
            area.read_only = False
            area.focus()

    def _option_rows(self, picked: int | None = None) -> list[Option]:
        rows = []
        for i, text in enumerate(self.options):
            key = CHOICE_KEYS[i] if i < len(CHOICE_KEYS) else "·"
            mark: tuple[str, str] = ("  ", "")
            if picked is not None and self.item is not None:
                if text == self.item.answer:
                    mark = ("✓ ", "bold $success")
                elif i == picked:
                    mark = ("✗ ", "bold $error")
            rows.append(Option(Content.assemble(mark, (f"{key}) ", "bold"), text)))
        return rows

    # -- answering ---------------------------------------------------------------------------

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        before = self.answered
        self.submit_typed()
        if before or not self.answered:
            release_keys(self.app)  # nothing more comes of this Enter (else the screen releases)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        try:
            self.pick(event.option_index)
        finally:
            if not self.answered:
                release_keys(self.app)  # nothing came of this Enter (else the screen releases)

    def submit_typed(self) -> None:
        if self.item is None or self.answered:
            return
        typed = self.query_one("#typed", Input)
        self.verdict = _checker().check_typed(self.item, typed.value, self.terms())
        typed.disabled = True
        self._show_verdict()
        self._answered(self.verdict.suggested)

    def pick(self, index: int) -> None:
        if self.item is None or self.answered or not 0 <= index < len(self.options):
            return
        self.verdict = _checker().check_choice(self.item, self.options[index])
        choices = self.query_one("#choices", OptionList)
        choices.set_options(self._option_rows(picked=index))
        choices.highlighted = None
        choices.disabled = True
        self._show_verdict()
        self._answered(self.verdict.suggested)

    def submit_list(self) -> None:
        if self.item is None or self.answered or self.item.type != "list":
            return
        area = cast("TextArea", self.query_one("#list"))
        lines = [ln for ln in area.text.splitlines() if ln.strip()]
        verdict = _checker().check_list(self.item, lines, self.terms())
        self.list_verdict = verdict
        area.read_only = True
        parts: list[str | tuple[str, str]] = [
            (f"{len(verdict.found)} of {len(self.item.answers)} ", "bold"),
            (f"({round(verdict.credit * 100)}%)", "bold $success" if verdict.correct else "bold $warning"),
            (f"  {len(verdict.extra)} wrong, each costs one" if verdict.extra else "", "$text-muted"),
        ]
        for label, entries, style in (("found", verdict.found, "$success"), ("missed", verdict.missed, "$error"),
                                      ("not in the list", verdict.extra, "$warning"),
                                      ("said twice", verdict.duplicates, "$text-muted")):
            if entries:
                parts += ["\n", (f"{label}: ", style), "; ".join(entries)]
        for c in verdict.checks:  # why a near miss did not count: "tacrolimos: a typo" is fine
            if c.verdict.reason.name in ("TERM", "PREFIX", "SHORT", "WORD", "WORDS", "NUMBER") and not c.duplicate:
                same = c.verdict.detail.casefold() == c.given.casefold()  # "T cells: a different term"
                parts += ["\n", (f"{c.given}: {c.verdict.reason.value if same else c.verdict.why}", "italic $text-muted")]
        self._feedback(Content.assemble(*parts))
        self._answered(verdict.suggested)

    def list_summary(self, width: int) -> str:
        """The checked list in one line of at most ``width`` characters, e.g.
        "2 of 7 right · missed: folliculitis, acne, …" (the detail is below, further down)."""
        v, item = self.list_verdict, self.item
        if v is None or item is None:
            return ""
        line = f"{len(v.found)} of {len(item.answers)} right"
        if v.missed:
            line += " · missed: " + ", ".join(v.missed)
        elif v.extra:
            line += " · not in the list: " + ", ".join(v.extra)
        if len(line) > width:
            cut = line[: width - 2]
            line = cut[: cut.rfind(", ") + 1 if ", " in cut else len(cut)] + " …"
        return line

    def override(self) -> int | None:
        """Flip a typed answer's verdict (one key, like Anki add-ons' 'I was right'); returns the
        new suggested grade, or None if there is nothing to override."""
        if self.verdict is None or self.item is None or self.item.type != "typed":
            return None
        self.overridden = not self.overridden
        self.verdict = replace(self.verdict, correct=not self.verdict.correct)
        self._show_verdict()
        return 3 if self.verdict.correct else 1

    def _show_verdict(self) -> None:
        v = self.verdict
        if v is None:
            return
        why = "" if self.overridden or v.why in ("right", "wrong") else f": {v.why}"
        if v.correct and (v.exact or self.overridden):  # counted right by the student: no "typo"
            head: tuple[str, str] = (f"✓ right{why}", "bold $success")
        elif v.correct:
            head = ("≈ right, with a typo", "bold $warning")
        else:
            head = (f"✗ wrong{why}", "bold $error")
        parts: list[str | tuple[str, str]] = [head]
        if self.overridden:
            parts.append((" (your override)", "italic"))
        if self.item is not None and self.item.type == "typed":
            parts += ["   ", ("o", "bold"), (": count it as " + ("wrong" if v.correct else "right"), "$text-muted")]
            if v.diff and not (v.exact and not self.overridden):
                parts += ["\n", render.diff(v.diff)]
            elif not v.diff:  # nowhere near: a character diff would be noise
                parts += ["\n", ("yours: ", "$text-muted"), v.given.strip() or "(blank)",
                          "\n", ("expected: ", "$text-muted"), (v.expected, "bold")]
        self._feedback(Content.assemble(*parts))

    def _feedback(self, content: Content) -> None:
        feedback = self._verdict_line
        if feedback is None:
            feedback = self._verdict_line = Static(id="feedback")
            self.mount(feedback)
        feedback.update(content)
        feedback.display = True

    def _answered(self, suggested: int) -> None:
        self.answered = True
        self.post_message(self.Answered(suggested))
