"""Settings screen: desired retention, daily limits, day boundary, new-card order and theme, saved
to settings.json.

Each field is checked as it is typed and a bad value shows a line under it; Save writes only a
fully valid form (Collection.change_settings; Settings validates itself when made). A theme picked here is applied
at once; leaving without saving puts the saved theme back.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Button, Footer, Input, Label, Select, Static

from quiz.collection import Collection
from quiz.errors import QuizError
from quiz.settings import RETENTION_MAX, RETENTION_MIN
from quiz.tui.host import host

FIRST_THEMES = ("textual-dark", "textual-light")  # listed first; the rest alphabetically
# Settings.new_card_order: (shown, value)
NEW_CARD_ORDER_CHOICES = (("mixed", "mixed"), ("deck order", "deck"))


def parse_retention(text: str) -> float:
    """0.9, .9 or 90% -> 0.9; anything outside RETENTION_MIN..RETENTION_MAX is a ValueError."""
    t = text.strip()
    try:
        value = float(t[:-1]) / 100 if t.endswith("%") else float(t)
    except ValueError:
        raise ValueError("enter a number such as 0.90") from None
    if not RETENTION_MIN <= value <= RETENTION_MAX:
        raise ValueError(f"must be from {RETENTION_MIN:.2f} to {RETENTION_MAX:.2f} (0.90 = 90%)")
    return value


def whole(low: int, high: int | None = None) -> Callable[[str], int]:
    def parse(text: str) -> int:
        try:
            value = int(text.strip())
        except ValueError:
            raise ValueError("enter a whole number") from None
        if value < low or (high is not None and value > high):
            raise ValueError(f"must be from {low} to {high}" if high is not None else f"must be {low} or more")
        return value

    return parse


@dataclass(frozen=True)
class Field:
    name: str  # Settings attribute
    label: str
    parse: Callable[[str], Any]
    hint: str

    def show(self, value: Any) -> str:
        return f"{value:.2f}" if isinstance(value, float) else str(value)


FIELDS: tuple[Field, ...] = (
    Field("desired_retention", "Desired retention", parse_retention,
          f"{RETENTION_MIN:.2f}–{RETENTION_MAX:.2f}, e.g. 0.90"),
    Field("new_per_day", "New cards a day", whole(0), "per deck"),
    Field("reviews_per_day", "Reviews a day", whole(0), "per deck"),
    Field("day_starts_at", "Day starts at (hour)", whole(0, 23), "local time, 0–23"),
)


def parse_form(values: dict[str, str]) -> tuple[dict[str, Any], dict[str, str]]:
    """Parsed values and error messages, by field name."""
    parsed: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for f in FIELDS:
        try:
            parsed[f.name] = f.parse(values.get(f.name, ""))
        except ValueError as e:
            errors[f.name] = str(e)
    return parsed, errors


class SettingsScreen(Screen):
    """Edit and save the study settings."""

    CSS_PATH = "settings.tcss"
    BINDINGS = [
        Binding("escape", "back", "Back"),
        Binding("ctrl+s", "save", "Save"),
    ]

    @property
    def collection(self) -> Collection:
        return host(self).collection

    def compose(self) -> ComposeResult:
        yield Static("Settings", id="settings-title")
        with VerticalScroll(id="settings-form"):
            for f in FIELDS:
                with Horizontal(classes="setting"):
                    yield Label(f.label, classes="setting-label")
                    yield Input(id=f"set-{f.name}", classes="setting-input")
                    yield Label(f.hint, classes="setting-hint")
                yield Static("", id=f"err-{f.name}", classes="setting-error", markup=False)
            with Horizontal(classes="setting"):
                yield Label("New cards come", classes="setting-label")
                yield Select[str](NEW_CARD_ORDER_CHOICES, id="set-new_card_order", allow_blank=False,
                                  classes="setting-input", value="mixed")
                yield Label("mixed: kinds take turns", classes="setting-hint")
            with Horizontal(classes="setting"):
                yield Label("Theme", classes="setting-label")
                themes = self.theme_names()
                yield Select[str](
                    [(t, t) for t in themes], id="set-theme", allow_blank=False, classes="setting-input",
                    value=self.app.theme if self.app.theme in themes else themes[0],
                )
                yield Label("applied at once", classes="setting-hint")
            with Horizontal(id="settings-buttons"):
                yield Button("Save", id="settings-save", variant="primary")
                yield Button("Back", id="settings-back")
        yield Footer()

    def on_mount(self) -> None:
        for f in FIELDS:
            self.query_one(f"#set-{f.name}", Input).value = f.show(getattr(self.collection.settings, f.name))
        self.query_one("#set-new_card_order", Select).value = self.collection.settings.new_card_order
        self.query_one(f"#set-{FIELDS[0].name}", Input).focus()

    def theme_names(self) -> list[str]:
        available = self.app.available_themes
        themes = [t for t in FIRST_THEMES if t in available]
        return themes + sorted(t for t in available if t not in FIRST_THEMES)

    def values(self) -> dict[str, str]:
        return {f.name: self.query_one(f"#set-{f.name}", Input).value for f in FIELDS}

    def show_errors(self, errors: dict[str, str]) -> None:
        for f in FIELDS:
            err = self.query_one(f"#err-{f.name}", Static)
            message = errors.get(f.name, "")
            err.update(message)  # the line sits right under its field: no need to name it
            err.set_class(bool(message), "-shown")
            self.query_one(f"#set-{f.name}", Input).set_class(bool(message), "-invalid")

    def on_input_changed(self, event: Input.Changed) -> None:
        parsed, errors = parse_form(self.values())
        self.show_errors(errors)
        if errors or any(getattr(self.collection.settings, k) != v for k, v in parsed.items()):
            self._title()  # edited since the save: "Saved." no longer holds

    def on_select_changed(self, event: Select.Changed) -> None:
        if event.select.id != "set-theme":
            return
        if isinstance(event.value, str) and event.value in self.app.available_themes:
            self.app.theme = event.value

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "settings-save":
            self.action_save()
        else:
            self.action_back()

    def action_save(self) -> bool:
        parsed, errors = parse_form(self.values())
        self.show_errors(errors)
        if errors:
            self.notify("Not saved: fix the values marked in red.", severity="error")
            return False
        order = str(self.query_one("#set-new_card_order", Select).value)
        try:
            # New settings, saved; a study run built with the old ones is replaced when next opened.
            self.collection.change_settings(theme=self.app.theme, new_card_order=order, **parsed)
        except (QuizError, OSError) as e:
            self.notify(f"Not saved: {e}", severity="error", markup=False)
            return False
        # Said in the title line, not a toast: a toast at 80x24 covered the first field.
        self._title("Saved.")
        return True

    def _title(self, status: str = "") -> None:
        title = Content("Settings")
        if status:
            title = Content.assemble(title, "  ", (status, "$text-success"))
        self.query_one("#settings-title", Static).update(title)

    def action_back(self) -> None:
        # An unsaved theme choice is not kept. The app's settings know the saved theme best:
        # ctrl+t may have switched (and saved) it while this screen was open.
        saved = self.collection.settings.theme
        if self.app.theme != saved and saved in self.app.available_themes:
            self.app.theme = saved
        self.dismiss()
