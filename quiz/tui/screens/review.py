"""The review screen, in Anki's habits: question, reveal, grade 1-4 with the intervals shown.

Going to the next card updates the mounted widgets in place; the grade is committed by the
engine (StudySession.grade returns after the commit) before the next card is shown.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Static

from quiz.decks.model import refreeze
from quiz.errors import QuizError
from quiz.tui.host import host
from quiz.tui.screens.review_head import ReviewHead
from quiz.tui.screens.review_keys import REVIEW_KEYS
from quiz.tui.screens.review_text import AFTER_REVEAL, DROP_FIRST, UNDONE, hints, kind_label
from quiz.tui.widgets import render
from quiz.tui.widgets.answer_box import AnswerBox
from quiz.tui.widgets.card_images import CardImages
from quiz.tui.widgets.grade_bar import GradeBar
from quiz.tui.widgets.key_hints import KeyHints
from quiz.tui.widgets.key_gate import release_keys
from quiz.tui.widgets.parts import Parts
from quiz.tui.widgets.repaint import show

if TYPE_CHECKING:
    from quiz.decks.model import Deck
    from quiz.study.session import StudyCard
    from quiz.tui.study_run import StudyRun


class ReviewScreen(Parts, Screen[None]):
    CSS_PATH = "review.tcss"
    # The parts few cards need, mounted on first use (Parts._extra). Messages (undone, buried,
    # a store error) go to the status line, not to toasts that would cover the grade bar.
    EXTRAS = {
        "#question-images": (lambda i: CardImages(id=i[1:]), "#question"),
        "#answer-images": (lambda i: CardImages(id=i[1:]), "#answer"),
        "#status": (lambda i: Static(id=i[1:]), "#card"),
    }
    # show_card puts the focus where each card needs it (the answer box, or nowhere: the
    # screen's keys); Textual's auto-focus would first focus the card's scroll area, and each
    # change of focus restyles that subtree (start-up time).
    AUTO_FOCUS = ""
    BINDINGS = REVIEW_KEYS

    def __init__(self, run: StudyRun, *, undo_first: bool = False) -> None:
        super().__init__()
        self.run = run
        self.session = run.session
        self.undo_first = undo_first  # opened by `u` on the summary/home: undo, show that card
        self.card: StudyCard | None = None
        self.revealed = False
        self.suggested = 3
        self.previews: dict = {}
        self.ratings = run.ratings  # the run's list: it outlives this screen
        self.shown_at = 0.0
        self.head = ReviewHead()  # the top bar and the progress line

    @property
    def decks(self) -> dict[str, Deck]:
        """The run's decks by id, as they are now (home reads a deck file edited meanwhile)."""
        return {d.id: d for d in self.run.decks}

    def compose(self) -> ComposeResult:
        yield self.head.bar
        yield self.head.progress
        with VerticalScroll(id="card"):
            yield Static(id="kind")
            yield Static(id="question")
            yield Static(id="answer")
            yield AnswerBox(id="answerbox")
        yield GradeBar(id="grades")
        yield KeyHints(id="hints", drop_first=DROP_FIRST)

    def on_mount(self) -> None:
        # What the session built to start (its queue, the store's rows read so far) lives as
        # long as the run: out of the cyclic GC's sight like the decks, or a full collection
        # walks it all (~50 ms between two cards on a 100,000-card store). Only where the process keeps
        # its long-lived objects out already (the study command: commands/study.py), and once
        # per run (freezing also keeps whatever garbage is pending at that moment).
        if not self.run.frozen:
            self.run.frozen = refreeze()
        # The checker knows every loaded deck's terms: "B cells" is another term, not a typo.
        self._part("#answerbox", AnswerBox).term_decks = list(
            {d.id: d for d in (*host(self).collection.decks, *self.decks.values())}.values())
        if self.run.started is None:
            self.run.started = host(self).collection.now()
        if not (self.undo_first and self._undo_first()):
            self.show_card(self.session.next_card())
        # Keys typed after the Enter that opened this review (home's KeyGate holds them) go to
        # its first card, once that card has the focus (the focus moves in the app's turn).
        release_keys(self.app)

    def _undo_first(self) -> bool:
        self.action_undo()
        return self.card is not None

    # -- showing ------------------------------------------------------------------------------

    def show_card(self, card: StudyCard | None) -> None:
        if card is None:
            self.finish()
            return
        self.card, self.revealed, self.suggested, self.previews = card, False, 3, {}
        item = card.item
        self.head.show_card(card, self.run.decks)
        show(self._part("#kind", Static), Content.styled(kind_label(item.type, item.ord), "italic $text-muted"))
        question = render.cloze(item.text, revealed=False) if item.type == "cloze" else Content(item.prompt)
        show(self._part("#question", Static), question)
        folder = self._folder(card.deck_id)
        self._show_images("#question-images", folder, item.prompt_images)
        self._show_images("#answer-images", folder, ())
        answer = self._part("#answer", Static)
        answer.display = False
        self._clear_status()
        self._part("#answerbox", AnswerBox).prepare(item, host(self).rng)
        if item.type in ("typed", "list"):
            self._part(GradeBar).ask("Check  [enter]" if item.type == "typed" else "Check  [ctrl+s]")
        elif item.type == "choice":
            self._part(GradeBar).ask("Pick  [a-d]")
        else:
            self._part(GradeBar).ask()
            self.set_focus(None)
        self._part("#card", VerticalScroll).scroll_home(animate=False)
        self.shown_at = time.monotonic()
        self._show_hints()
        # The card first, the counts a moment later: counting is a few SQL queries that need not
        # delay the card (on a big store they cost more than painting it).
        self.call_after_refresh(self._update_counts)
        self.call_after_refresh(self._checkpoint)

    def _update_counts(self) -> None:
        try:
            c = self.session.counts()
        except QuizError:
            return  # counts are a courtesy; a grade that failed to save has already said so
        self.head.show_counts(c, self.card.state if self.card else None, len(self.ratings))

    def _checkpoint(self) -> None:
        """The store's log work, now that the card is up rather than inside the next grade."""
        try:
            host(self).collection.checkpoint_if_due()
        except QuizError:
            pass  # the store says what is wrong on the next grade; SQLite checkpoints then

    def reveal(self, suggested: int = 3) -> None:
        if self.card is None or self.revealed:
            return
        item = self.card.item
        self.revealed, self.suggested = True, suggested
        self._clear_status()  # "Grade undone." and the like were about the step before
        if item.type == "cloze":
            show(self._part("#question", Static), render.cloze(item.text, revealed=True))
        elif item.type == "list":
            # One line right under the question, so the result is in view at 80x24 even for a
            # long list; the found/missed detail sits below the answer box (pgdn scrolls to it).
            answer = self._part("#answer", Static)
            width = max(20, self._part("#card").size.width - 8)
            summary = self._part("#answerbox", AnswerBox).list_summary(width)
            answer.update(Content.styled(summary, "bold"))
            answer.display = True
        elif item.type != "choice":  # choice marks the right option in place
            answer = self._part("#answer", Static)
            shown = item.back
            answer.update(Content.styled(shown, "bold"))
            answer.display = True
        self._show_images("#answer-images", self._folder(self.card.deck_id), item.answer_side_images, item.extra)
        self.previews = self.session.preview(self.card)
        self._part(GradeBar).offer({r: p.label for r, p in self.previews.items()}, suggested)
        if item.type in ("choice", "typed", "list"):
            # The answer was checked by the pick/enter/ctrl+s: say plainly that the next
            # enter grades, so it is not taken for "confirm my pick".
            show(self._part("#kind", Static), Content.styled(AFTER_REVEAL, "italic $text-muted"))
        self.set_focus(None)
        self._show_hints()

    def _show_images(self, side: str, folder: Path | None, refs: tuple[str, ...], extra: str = "") -> None:
        images = self._extra(side, create=bool(refs or extra))
        if images is not None:
            # The key the placeholder names: ctrl+o while the answer box takes letters.
            images.show(folder, refs, extra, key="ctrl+o" if self._box_takes_letters() else "i")

    def _typing(self) -> bool:
        """True while the focus is in the typed/list answer box (letters go there)."""
        focused = self.focused
        return focused is not None and focused.id in ("typed", "list") and not self.revealed

    def _show_hints(self) -> None:
        kind = self.card.item.type if self.card else None
        self._part(KeyHints).show(hints(kind, typing=self._typing(), revealed=self.revealed))

    def on_descendant_focus(self) -> None:
        self._show_hints()

    def on_descendant_blur(self) -> None:
        self._show_hints()

    def _clear_status(self) -> None:
        status = self._extra("#status", create=False)
        if status is not None:
            status.display = False

    def say(self, message: str, *, error: bool = False) -> None:
        """A one-line message above the grade bar until the card is revealed or the next one shows."""
        status = self._extra("#status")
        status.update(Content.styled(message, "bold $error" if error else "$text-muted"))
        status.display = True

    # -- events and actions -------------------------------------------------------------------

    def on_answer_box_answered(self, event: AnswerBox.Answered) -> None:
        try:
            self.reveal(event.suggested)
        finally:
            release_keys(self.app)  # keys typed after the Enter now go to the revealed card

    def on_grade_bar_show_answer(self, _: GradeBar.ShowAnswer) -> None:
        self.action_primary()

    def on_grade_bar_graded(self, event: GradeBar.Graded) -> None:
        self.action_grade(event.rating)

    def action_primary(self) -> None:
        """space/enter: reveal (or submit the answer), then accept the suggested grade."""
        if self.card is None:
            return
        box = self._part("#answerbox", AnswerBox)
        if self.revealed:
            self.action_grade(self.suggested)
        elif self.card.item.type == "choice":
            choices = box.query_one("#choices")
            if choices.highlighted is not None:
                box.pick(choices.highlighted)
        elif self.card.item.type == "typed":
            box.submit_typed()
        elif self.card.item.type == "list":
            box.submit_list()
        else:
            self.reveal()

    def action_scroll_card(self, how: str) -> None:
        card = self._part("#card", VerticalScroll)
        if how in ("scroll_end", "scroll_home"):
            getattr(card, how)(animate=False)
        else:
            getattr(card, f"action_{how}")()

    def action_pick(self, index: int) -> None:
        if self.card is not None and self.card.item.type == "choice" and not self.revealed:
            self._part("#answerbox", AnswerBox).pick(index)

    def action_submit_list(self) -> None:
        self._part("#answerbox", AnswerBox).submit_list()

    def action_override(self) -> None:
        suggested = self._part("#answerbox", AnswerBox).override()
        if suggested is not None:
            self.suggested = suggested
            self._part(GradeBar).offer({r: p.label for r, p in self.previews.items()}, suggested)

    def action_grade(self, rating: int) -> None:
        if self.card is None or not self.revealed:
            return
        duration_ms = int((time.monotonic() - self.shown_at) * 1000)
        with self._store_errors("save this grade"):
            self.session.grade(self.card, rating, duration_ms)  # committed when it returns
            self.ratings.append(rating)
            self._show_next("Grade saved")

    def action_undo(self) -> None:
        with self._store_errors("undo"):
            card = self.session.undo()
            if card is None:
                self.say("Nothing to undo in this session.")
                return
            kind = self.session.last_undone
            if kind == "grade" and self.ratings:  # a bury or suspend was never counted
                self.ratings.pop()
            self.show_card(card)
            self.say(UNDONE.get(kind or "", "Undone."))

    def action_bury(self) -> None:
        self._set_aside(self.session.bury, "bury this card", "Buried until tomorrow")

    def action_suspend(self) -> None:
        self._set_aside(self.session.suspend, "suspend this card", "Suspended until you unsuspend it in Browse")

    def _set_aside(self, act: Callable[[StudyCard], None], what: str, done: str) -> None:
        """Bury or suspend the card on screen, then show the next one."""
        if self.card is not None:
            with self._store_errors(what):
                act(self.card)
                if self._show_next(done):
                    self.say(f"{done} ({self._undo_key()}: undo).")

    def _show_next(self, done: str) -> bool:
        """The next card, once the step on this one (``done``) is committed. Should finding it
        fail, this card is not left up to be graded again as if that step had not been saved:
        no card is up (undo and home still work), and the status line says what happened."""
        try:
            card = self.session.next_card()
        except QuizError as e:
            self.card = None
            self.say(f"{done}; the next card could not be shown: {e} (u: undo, esc: home)", error=True)
            return False
        self.show_card(card)
        return True

    def _undo_key(self) -> str:
        """In the answer box `u` would be typed: there undo is ctrl+z."""
        return "ctrl+z" if self._box_takes_letters() else "u"

    def _box_takes_letters(self) -> bool:
        """The card on screen has an answer box that letters go to until the reveal. (The box of
        the card just put up takes the focus a moment later, so ask the card, not the focus.)"""
        return self.card is not None and self.card.item.type in ("typed", "list") and not self.revealed

    @contextmanager
    def _store_errors(self, what: str) -> Iterator[None]:
        """A store that fails (busy, disk full, damaged) says so on screen; the card stays up,
        so nothing is lost that the user saw as saved, and they can try again."""
        try:
            yield
        except QuizError as e:
            self.say(f"Could not {what}: {e}", error=True)

    def _folder(self, deck_id: str) -> Path | None:
        deck = self.decks.get(deck_id)
        return deck.path.parent if deck is not None and deck.path is not None else None

    def action_open_image(self) -> None:
        """i: open the card's first image (the answer's once shown) in the system viewer."""
        sides = ("#answer-images", "#question-images") if self.revealed else ("#question-images",)
        if not any((images := self._extra(side, create=False)) is not None and images.open_first() for side in sides):
            self.notify("No image on this card to open")

    def action_source(self) -> None:
        if self.card is not None:
            from quiz.tui.screens.source import SourceScreen  # why: on first `e`, not at start-up

            deck = self.decks.get(self.card.deck_id)
            self.app.push_screen(SourceScreen(self.card.item, deck.name if deck else self.card.deck_id))

    def action_home(self) -> None:
        host(self).go_home()

    def action_escape(self) -> None:
        """esc in the answer box leaves it, so u - ! e ? q work before answering; else home."""
        if self._typing():
            self.set_focus(None)
            self._show_hints()
        else:
            self.action_home()

    def finish(self) -> None:
        from quiz.tui.screens.summary import SummaryScreen, summarize  # why: at the end, not at start-up

        self.app.switch_screen(SummaryScreen(summarize(self.run, host(self).collection)))

