"""QuizApp: the shell that holds the store, decks and settings and moves between screens."""

from __future__ import annotations

import gc
import importlib
import random
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from textual.app import App, get_system_commands_provider
from textual.binding import Binding
from textual.screen import Screen

from quiz.errors import QuizError
from quiz.tui.hangup import HangUpExit
from quiz.tui.screens.review import ReviewScreen
from quiz.tui.study_run import StudyRun
from quiz.tui.widgets.card_images import probe_graphics
from quiz.tui.widgets.key_gate import KeyGate

if TYPE_CHECKING:
    from textual.await_complete import AwaitComplete
    from textual.command import Provider
    from textual.widget import AwaitMount

    from quiz.collection import Collection
    from quiz.decks.library_results import DeckSet
    from quiz.decks.model import Deck
    from quiz.study.session import StudySession
    from quiz.tui.screens.home import HomeScreen

# Screens that pull in heavy libraries (plotext for the charts), imported when first opened so
# the app starts fast: name -> (module, class). Each is built with no arguments and reads what
# it needs from the app's Collection (quiz.tui.host).
LAZY_SCREENS: dict[str, tuple[str, str]] = {
    "stats": ("quiz.tui.screens.stats", "StatsScreen"),
    "browse": ("quiz.tui.screens.browse", "BrowseScreen"),
    "settings": ("quiz.tui.screens.settings", "SettingsScreen"),
}

def _palette() -> type[Provider]:
    from quiz.tui.palette import QuizCommands  # why: its exam entry loads the answer checker; on first ctrl+p

    return QuizCommands


def _home() -> type[HomeScreen]:
    # Home (a data table, deck groups, the footer) is not needed for `quiz study DECK`'s first card.
    # why: loaded when home is first shown (start-up time)
    from quiz.tui.screens.home import HomeScreen

    return HomeScreen


HOME_CSS_PATH = "home.tcss"  # HomeScreen.CSS_PATH, known without importing it
LIGHT_THEME = "textual-light"
DARK_THEME = "textual-dark"


class QuizApp(HangUpExit, KeyGate, App[None]):
    """The study app over one ``Collection``; screens read it through ``quiz.tui.host``.

    ``start_decks`` opens a review of those decks at once (``quiz study DECK``); ``seed`` (choice
    shuffles) and the Collection's clock exist for reproducible tests.
    """

    CSS_PATH = "app.tcss"
    TITLE = "quiz"
    COMMANDS = {get_system_commands_provider, _palette}  # both load on first ctrl+p
    BINDINGS = [
        Binding("ctrl+t", "toggle_theme", "Light/dark", show=False),
        # Like most terminal programs: ctrl+c quits (from home; elsewhere it goes home first,
        # where every grade is already saved). Priority: an Input would take it as "copy".
        Binding("ctrl+c", "interrupt", "Quit", show=False, priority=True),
    ]
    # Toasts are for short notices; they sit at the top (app.tcss) and go soon.
    NOTIFICATION_TIMEOUT = 3

    def __init__(self, collection: Collection, *, start_decks: list[Deck] | None = None, seed: int | None = None) -> None:
        # The first screen's stylesheet is read with the app's own: pushing a screen whose
        # CSS_PATH is new makes Textual re-parse every stylesheet it has (tens of ms at start).
        first = ReviewScreen.CSS_PATH if start_decks else HOME_CSS_PATH
        super().__init__(css_path=[self.CSS_PATH, f"screens/{first}"])
        self.collection = collection
        self.rng = random.Random(seed)
        self._start_decks = start_decks
        # Study sessions by deck selection (tuple of deck ids), kept while the app runs.
        self.runs: dict[tuple[str, ...], StudyRun] = {}
        self.last_run: StudyRun | None = None  # the run studied last (for `u` on the summary and home)
        if any(d.has_images for d in collection.decks):
            probe_graphics()  # before the app takes the terminal over

    def get_default_screen(self) -> Screen[None]:
        """The first screen is the bottom of the stack (Textual's own blank one never shows): the
        first card straight away for ``quiz study DECK`` (home is built only when the user goes
        there), else home. One screen fewer to build and switch from before the first paint."""
        if self._start_decks:
            return ReviewScreen(self.study_run(self._start_decks))
        return _home()()

    def on_mount(self) -> None:
        # A notice belongs to the screen it was given on (an exam hint must not stay up over the
        # next screen's buttons).
        self.screen_change_signal.subscribe(self, lambda _screen: self.clear_notifications())
        theme = self.collection.settings.theme
        self.theme = theme if theme in self.available_themes else DARK_THEME
        # `quiz study` keeps the cyclic GC off through start-up (quiz/commands/study.py).
        self.call_after_refresh(self._collect_again)

    def _collect_again(self) -> None:
        # A method, not gc.enable itself: Textual reads a callback's signature, and a builtin's
        # is parsed from its text by inspect (tokenize's regexes, ~4 ms right after the first paint).
        gc.enable()

    def go_home(self) -> None:
        """Back to the home screen from wherever the study flow is (building it if need be)."""
        homes = [s for s in self.screen_stack if isinstance(s, _home())]
        if homes:
            while self.screen is not homes[-1]:
                self.pop_screen()
        else:
            self.switch_screen(_home()())

    def switch_screen(self, screen: Screen[Any] | str) -> AwaitComplete | AwaitMount:  # type: ignore[override]
        """Textual switches only a screen it pushed; the first one (get_default_screen) was not,
        so a screen that replaces it goes on top instead (it stays below, out of sight: the
        user never goes back to it, every way back is go_home)."""
        if len(self.screen_stack) == 1:
            return self.push_screen(screen)
        return super().switch_screen(screen)

    def action_interrupt(self) -> None:
        if isinstance(self.screen, _home()):
            self.exit()
        else:
            self.go_home()

    def start_review(self, decks: list[Deck], *, undo_first: bool = False) -> None:
        self.push_screen(ReviewScreen(self.study_run(decks), undo_first=undo_first))

    def study_run(self, decks: list[Deck]) -> StudyRun:
        """The session for this deck selection, kept for the whole run of the app: going home
        and back keeps its undo steps and its tally. A changed setting starts a new one (the
        scheduler is built from the settings)."""
        key = tuple(d.id for d in decks)
        run = self.runs.get(key)
        settings = replace(self.collection.settings, theme="")  # a new theme needs no new session
        if run is None or run.settings != settings:
            run = StudyRun(self.new_session(decks), settings)
            self.runs[key] = run
        self.last_run = run
        return run

    def use_deck_set(self, deck_set: DeckSet) -> bool:
        """Decks read again from their files (home follows them) in use from now on, by the
        collection and by every study run, a review open over home included: its next cards
        come from the decks as they are now. False when nothing changed."""
        if not self.collection.use_deck_set(deck_set):
            return False
        for run in self.runs.values():
            run.session.use_decks(self.collection.decks)
        return True

    def new_session(self, decks: list[Deck]) -> StudySession:
        return self.collection.study(decks)

    def action_undo_last(self) -> None:
        self.undo_last()

    def undo_last(self) -> bool:
        """`u` away from the review screen: undo the last step of the last study run and show
        that card again. False when there is nothing to undo."""
        run = self.last_run
        if run is None or not run.session.can_undo():
            self.notify("Nothing to undo.")
            return False
        screen = ReviewScreen(run, undo_first=True)
        if isinstance(self.screen, _home()):
            self.push_screen(screen)
        else:
            self.switch_screen(screen)
        return True

    def open_lazy(self, name: str) -> None:
        module_name, class_name = LAZY_SCREENS[name]
        screen_class: type[Screen[None]] = getattr(importlib.import_module(module_name), class_name)
        self.push_screen(screen_class())

    def action_open_stats(self) -> None:
        self.open_lazy("stats")

    def action_open_browse(self) -> None:
        self.open_lazy("browse")

    def action_open_settings(self) -> None:
        self.open_lazy("settings")

    def action_help(self) -> None:
        from quiz.tui.screens.help import HelpScreen  # why: on first `?`, not at start-up

        self.push_screen(HelpScreen())

    def action_toggle_theme(self) -> None:
        self.theme = LIGHT_THEME if self.current_theme.dark else DARK_THEME
        try:
            self.collection.change_settings(theme=self.theme)
        except (OSError, QuizError) as e:
            self.notify(f"Could not save the theme: {e}", severity="error", markup=False)
