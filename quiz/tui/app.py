"""QuizApp: the shell that holds the store, decks and settings and moves between screens."""

from __future__ import annotations

import importlib
import os
import random
from collections.abc import Callable
from datetime import datetime, timezone
from typing import TYPE_CHECKING

from textual.app import App
from textual.binding import Binding
from textual.command import Provider
from textual.system_commands import SystemCommandsProvider

from quiz.tui.widgets.card_images import probe_graphics


if TYPE_CHECKING:
    from quiz.decks.model import Deck
    from quiz.settings import Settings
    from quiz.storage.store import Store

# Screens that other modules provide, loaded only when first opened: name -> (module, class).
# Each class is built with no arguments and reads what it needs from the app
# (app.store, app.decks, app.settings, app.now()).
EXTRA_SCREENS: dict[str, tuple[str, str]] = {
    "stats": ("quiz.tui.screens.stats", "StatsScreen"),
    "browse": ("quiz.tui.screens.browse", "BrowseScreen"),
    "settings": ("quiz.tui.screens.settings", "SettingsScreen"),
}
# Command palette entries for the main actions: a Provider class named QuizCommands here.
PALETTE_MODULE = "quiz.tui.palette"

LIGHT_THEME = "textual-light"
DARK_THEME = "textual-dark"


def _palette_provider() -> type[Provider]:
    try:
        module = importlib.import_module(PALETTE_MODULE)
    except ModuleNotFoundError as e:
        if e.name != PALETTE_MODULE:
            raise
        return SystemCommandsProvider
    return module.QuizCommands


class QuizApp(App[None]):
    """The study app. ``start_decks`` opens a review of those decks at once (``quiz study DECK``).

    ``clock`` (UTC datetimes) and ``seed`` (choice shuffles) exist for reproducible tests.
    """

    CSS_PATH = "app.tcss"
    TITLE = "quiz"
    COMMANDS = {SystemCommandsProvider, _palette_provider}
    BINDINGS = [
        Binding("ctrl+t", "toggle_theme", "Light/dark", show=False),
        # Like most terminal programs: ctrl+c quits (from home; elsewhere it goes home first,
        # where every grade is already saved). Priority: an Input would take it as "copy".
        Binding("ctrl+c", "interrupt", "Quit", show=False, priority=True),
    ]
    # Toasts are for short notices; they sit at the top (app.tcss) and go soon.
    NOTIFICATION_TIMEOUT = 3

    def __init__(
        self,
        store: Store,
        decks: list[Deck],
        settings: Settings | None = None,
        *,
        start_decks: list[Deck] | None = None,
        clock: Callable[[], datetime] | None = None,
        seed: int | None = None,
    ) -> None:
        super().__init__()
        from quiz.settings import Settings

        self.store = store
        self.decks = decks
        self.settings = settings or Settings()
        self.clock = clock
        self.rng = random.Random(seed)
        self._start_decks = start_decks
        # Bench hook (bench/startup.py): write a timestamp to this file once the first card is
        # painted, then exit. Unset in normal use.
        self.first_paint_file = os.environ.get("QUIZ_BENCH_FIRST_PAINT")
        # Bench hook: a list to collect grade -> next card painted times (seconds) into.
        self.grade_timings: list[float] | None = None
        # Study sessions by deck selection (tuple of deck ids), kept while the app runs.
        self.runs: dict = {}
        self.last_run = None  # the StudyRun studied last (for `u` on the summary and home)
        if any(it.images or it.answer_images for d in decks for it in d.items):
            probe_graphics()  # before the app takes the terminal over

    def now(self) -> datetime:
        return self.clock() if self.clock else datetime.now(timezone.utc)

    def on_mount(self) -> None:
        # A notice belongs to the screen it was given on (an exam hint must not stay up over the
        # next screen's buttons).
        self.screen_change_signal.subscribe(self, lambda _screen: self.clear_notifications())
        self.theme = self.settings.theme if self.settings.theme in self.available_themes else DARK_THEME
        if self._start_decks:
            # Straight to the first card; the home screen is built only when the user goes there.
            self.start_review(self._start_decks)
        else:
            self.go_home()

    def go_home(self) -> None:
        """Back to the home screen from wherever the study flow is (building it if need be)."""
        from quiz.tui.screens.home import HomeScreen

        homes = [s for s in self.screen_stack if isinstance(s, HomeScreen)]
        if homes:
            while self.screen is not homes[-1]:
                self.pop_screen()
        elif len(self.screen_stack) > 1:
            self.switch_screen(HomeScreen())
        else:
            self.push_screen(HomeScreen())

    def action_interrupt(self) -> None:
        from quiz.tui.screens.home import HomeScreen

        if isinstance(self.screen, HomeScreen) or len(self.screen_stack) <= 1:
            self.exit()
        else:
            self.go_home()

    def start_review(self, decks: list[Deck], *, undo_first: bool = False) -> None:
        from quiz.tui.screens.review import ReviewScreen

        self.push_screen(ReviewScreen(self.study_run(decks), decks, undo_first=undo_first))

    def study_run(self, decks: list[Deck]):  # -> StudyRun
        """The session for this deck selection, kept for the whole run of the app: going home
        and back keeps its undo steps and its tally. A changed setting starts a new one (the
        scheduler is built from the settings)."""
        from dataclasses import replace

        from quiz.tui.study_run import StudyRun

        key = tuple(d.id for d in decks)
        run = self.runs.get(key)
        settings = replace(self.settings, theme="")  # a new theme needs no new session
        if run is None or run.settings != settings:
            run = StudyRun(self.new_session(decks), settings, decks=list(decks))
            self.runs[key] = run
        self.last_run = run
        return run

    def new_session(self, decks: list[Deck]):  # -> StudySession
        from quiz.study.session import StudySession

        return StudySession(self.store, decks, self.settings, clock=self.clock)

    def action_undo_last(self) -> None:
        self.undo_last()

    def undo_last(self) -> bool:
        """`u` away from the review screen: undo the last step of the last study run and show
        that card again. False when there is nothing to undo."""
        run = self.last_run
        if run is None or not run.session.can_undo():
            self.notify("Nothing to undo.")
            return False
        from quiz.tui.screens.review import ReviewScreen

        screen = ReviewScreen(run, run.decks, undo_first=True)
        from quiz.tui.screens.home import HomeScreen

        if isinstance(self.screen, HomeScreen):
            self.push_screen(screen)
        else:
            self.switch_screen(screen)
        return True

    def overview(self) -> tuple[list[tuple[Deck, tuple[int, int, int]]], int]:
        """Per deck (new, learning, due) still to do today, and the reviews done today."""
        from quiz.tui import overview

        now = self.now()
        rows = [(d, (c.new, c.learning, c.review)) for d, c in overview.deck_counts(self.store, self.decks, self.settings, now)]
        return rows, overview.reviewed_today(self.store, self.decks, self.settings, now)

    def open_extra(self, name: str) -> None:
        module_name, class_name = EXTRA_SCREENS[name]
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as e:
            if e.name != module_name:
                raise
            self.notify(f"The {name} screen is not available yet.", severity="warning")
            return
        self.push_screen(getattr(module, class_name)())

    def action_open_stats(self) -> None:
        self.open_extra("stats")

    def action_open_browse(self) -> None:
        self.open_extra("browse")

    def action_open_settings(self) -> None:
        self.open_extra("settings")

    def action_help(self) -> None:
        from quiz.tui.screens.help import HelpScreen

        self.push_screen(HelpScreen())

    def action_toggle_theme(self) -> None:
        self.theme = LIGHT_THEME if self.current_theme.dark else DARK_THEME
        self.settings.theme = self.theme
        from quiz.errors import QuizError
        from quiz.settings import save_settings

        try:
            save_settings(self.settings)
        except (OSError, QuizError) as e:
            self.notify(f"Could not save the theme: {e}", severity="error")
