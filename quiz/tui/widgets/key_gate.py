"""Keys typed in one burst keep their order across an Enter in an answer box.

Textual hands each key to the focused widget's own queue, and an Enter in an ``Input`` does its
work later, through messages (Submitted, then ours). When "Paris⏎3" arrives in one read, the "3"
is already queued for the Input before the Enter has checked the answer, so the Input types it:
"Paris3" gets checked. (In an exam, "aaa⏎bbb⏎" hands in "aaabbb" twice.)

The fix, in two parts:
- ``KeyGate`` (mixed into the App) sees every key first, in the order typed. An Enter while an
  ``AnswerInput`` has the focus closes the gate: that Enter goes on as usual, every key after it
  waits in the gate. So does any key a ``HoldsKeysAfter`` widget names: a ``ChoiceList``'s or a
  ``RowTable``'s (quiz.tui.widgets.row_table) Enter (a pick, a row opened: handled through a message, which arrives after
  the keys typed next), browse's keys that move the focus (Textual moves it later, so the keys
  after them would still reach the old widget).
- Whatever handles that Enter calls ``release_keys(app)`` once its effect is in place (the answer
  shown, the next question up, the focus moved). The waiting keys then go, in order, to what has
  the focus now; an Enter among them closes the gate again.
A gate nobody opens opens itself after ``GATE_TIMEOUT`` seconds, so a key is never lost.
"""

from __future__ import annotations

from typing import Any, ClassVar

from textual import events
from textual.app import App
from textual.widgets import Input, OptionList

GATE_TIMEOUT = 2.0  # seconds: a safety net only; every answer path releases the keys itself


class HoldsKeysAfter:
    """Mixin for a widget whose ``HOLD_AFTER`` keys lead somewhere else (a checked answer,
    another screen, the focus elsewhere): keys typed after one of them wait until its handler
    calls ``release_keys``."""

    HOLD_AFTER: ClassVar[frozenset[str]] = frozenset({"enter"})


class AnswerInput(HoldsKeysAfter, Input, inherit_css=False):
    """An Input whose Enter is finished before any key typed after it (see ``KeyGate``).

    Its stylesheet is Input's, cut to the compact, unvalidated box the review and exam screens
    use: Input's own (borders, sizes, invalid states) is parsed when the first typed card
    mounts the box, a cost on the way to the first card (about 3 ms)."""

    COMPONENT_CLASSES = Input.COMPONENT_CLASSES
    DEFAULT_CSS = """
    AnswerInput {
        background: $surface;
        color: $foreground;
        width: 100%;
        height: 1;
        scrollbar-size-horizontal: 0;
        pointer: text;
        &:focus { background-tint: $foreground 5%; }
        &>.input--cursor {
            background: $input-cursor-background;
            color: $input-cursor-foreground;
            text-style: $input-cursor-text-style;
        }
        &>.input--selection {
            background: $input-selection-background;
            color: $input-selection-foreground;
        }
        &>.input--placeholder, &>.input--suggestion { color: $text-disabled; }
        &:ansi {
            background: ansi_default;
            color: ansi_default;
            &>.input--cursor { background: ansi_white; color: ansi_black; }
            &>.input--placeholder, &>.input--suggestion { text-style: dim; color: ansi_default; }
        }
    }
    """


class ChoiceList(HoldsKeysAfter, OptionList):
    """An OptionList whose Enter (a pick, handled through a message) is finished before any key
    typed after it: "enter 1" picks, then grades; "down enter enter" answers two questions."""

    def action_select(self) -> None:
        if self.highlighted is None:
            release_keys(self.app)  # nothing to pick: no message, nobody else releases
        super().action_select()


class KeyGate:
    """Mixin for a Textual App (put it before ``App`` in the bases)."""

    _held: list[events.Key] | None = None  # None: the gate is open
    _gate_closings = 0  # counts closings, so an old safety timer leaves a newer gate alone

    async def on_event(self, event: events.Event) -> None:
        app: Any = self
        if isinstance(event, events.Key) and not event.is_forwarded:
            if self._held is not None:
                self._held.append(event)
                return
            focused = app.focused
            if isinstance(focused, HoldsKeysAfter) and event.key in focused.HOLD_AFTER and not focused.disabled:
                self._held = []
                self._gate_closings += 1
                closing = self._gate_closings
                app.set_timer(GATE_TIMEOUT, lambda: self._timed_out(closing))
        await super().on_event(event)  # type: ignore[misc]

    def release_keys(self) -> None:
        """The Enter has been handled: let the keys typed after it go on (in the app's turn)."""
        if self._held is not None:
            app: Any = self
            app.call_later(self._replay, self._gate_closings)

    def _timed_out(self, closing: int) -> None:
        if closing == self._gate_closings:
            self.release_keys()

    async def _replay(self, closing: int) -> None:
        if closing != self._gate_closings:
            return  # a second release of a gate already opened (and perhaps closed anew)
        held, self._held = self._held, None
        for i, key in enumerate(held or []):
            if self._held is not None:  # an Enter among them closed the gate again
                self._held.extend((held or [])[i:])
                return
            await self.on_event(key)


def release_keys(app: App[Any]) -> None:
    """Tell the app's ``KeyGate`` (if it has one) that the Enter it holds keys for is done."""
    if isinstance(app, KeyGate):
        app.release_keys()
