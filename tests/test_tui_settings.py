"""Settings screen: values shown, validated inline, saved, reloaded; the theme applied at once."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from _tui_extra import NOW, make_deck, screen_text
from textual.widgets import Input, Select, Static

from quiz.settings import Settings, load_settings, settings_path
from quiz.storage.store import Store
from quiz.collection import Collection
from quiz.tui.app import QuizApp
from quiz.tui.screens.settings import SettingsScreen, parse_form, parse_retention


@pytest.fixture
def app_and_store(quiz_home: Path):  # type: ignore[no-untyped-def]
    store = Store.open(quiz_home / "quiz.sqlite3")
    app = QuizApp(Collection(store, [make_deck()], Settings(timezone="UTC"), clock=lambda: NOW))
    yield app, store
    store.close()


async def open_settings(app: QuizApp, pilot) -> SettingsScreen:  # type: ignore[no-untyped-def]
    app.action_open_settings()
    await pilot.pause()
    assert isinstance(app.screen, SettingsScreen)
    return app.screen


async def set_field(pilot, screen: SettingsScreen, name: str, value: str) -> None:  # type: ignore[no-untyped-def]
    screen.query_one(f"#set-{name}", Input).value = value
    await pilot.pause()


def error(screen: SettingsScreen, name: str) -> str:
    err = screen.query_one(f"#err-{name}", Static)
    return str(err.content) if err.has_class("-shown") else ""


async def test_settings_saves_and_reloads(app_and_store, quiz_home: Path) -> None:  # type: ignore[no-untyped-def]
    app, _ = app_and_store
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_settings(app, pilot)
        assert screen.query_one("#set-desired_retention", Input).value == "0.90"
        assert screen.query_one("#set-new_per_day", Input).value == "20"
        await set_field(pilot, screen, "desired_retention", "0.85")
        await set_field(pilot, screen, "new_per_day", "15")
        await set_field(pilot, screen, "reviews_per_day", "150")
        await pilot.press("ctrl+s")
        await pilot.pause()
        saved = load_settings(quiz_home)
        assert (saved.desired_retention, saved.new_per_day, saved.reviews_per_day) == (0.85, 15, 150)
        assert saved.timezone == "UTC"  # settings the screen does not show are kept
        assert app.collection.settings.desired_retention == 0.85  # the running app sees it at once
        # said in the title line: no toast over the fields at 80x24
        assert "Saved." in str(screen.query_one("#settings-title").render())
        assert not app._notifications
        await set_field(pilot, screen, "new_per_day", "16")  # edited again: no longer "Saved."
        assert "Saved." not in str(screen.query_one("#settings-title").render())
        await set_field(pilot, screen, "new_per_day", "15")
        await pilot.press("escape")
        await pilot.pause()
        screen = await open_settings(app, pilot)
        assert screen.query_one("#set-desired_retention", Input).value == "0.85"
        assert screen.query_one("#set-reviews_per_day", Input).value == "150"


async def test_settings_rejects_half_retention_inline(app_and_store, quiz_home: Path) -> None:  # type: ignore[no-untyped-def]
    app, _ = app_and_store
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_settings(app, pilot)
        await set_field(pilot, screen, "desired_retention", "0.5")
        assert "must be from 0.70 to 0.99" in error(screen, "desired_retention")
        assert "must be from 0.70 to 0.99" in screen_text(app)  # shown on screen, not cut off
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, SettingsScreen)  # no crash, still editing
        assert not settings_path(quiz_home).exists()  # nothing written
        assert app.collection.settings.desired_retention == 0.9
        await set_field(pilot, screen, "new_per_day", "lots")
        assert "whole number" in error(screen, "new_per_day")
        await set_field(pilot, screen, "desired_retention", "90%")
        await set_field(pilot, screen, "new_per_day", "10")
        assert error(screen, "desired_retention") == "" and error(screen, "new_per_day") == ""
        await pilot.click("#settings-save")
        await pilot.pause()
        assert load_settings(quiz_home).desired_retention == 0.9
        assert load_settings(quiz_home).new_per_day == 10


async def test_theme_applies_at_once_and_is_saved(app_and_store, quiz_home: Path) -> None:  # type: ignore[no-untyped-def]
    app, _ = app_and_store
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_settings(app, pilot)
        assert app.theme == "textual-dark"
        screen.query_one("#set-theme", Select).value = "textual-light"
        await pilot.pause()
        assert app.theme == "textual-light"  # before saving
        await pilot.press("escape")  # leaving without saving puts the saved theme back
        await pilot.pause()
        assert app.theme == "textual-dark"
        screen = await open_settings(app, pilot)
        screen.query_one("#set-theme", Select).value = "textual-light"
        await pilot.pause()
        await pilot.press("ctrl+s", "escape")
        await pilot.pause()
        assert app.theme == "textual-light"
        assert load_settings(quiz_home).theme == "textual-light"


def test_parse_retention_forms() -> None:
    assert parse_retention("0.9") == 0.9 and parse_retention(" .75 ") == 0.75 and parse_retention("95%") == 0.95
    for bad in ("0.5", "1", "0.995", "abc", "", "90"):
        with pytest.raises(ValueError):
            parse_retention(bad)


def test_parse_form_reports_each_bad_field() -> None:
    parsed, errors = parse_form({"desired_retention": "0.8", "new_per_day": "-1", "reviews_per_day": "x",
                                 "day_starts_at": "24"})
    assert parsed == {"desired_retention": 0.8}
    assert set(errors) == {"new_per_day", "reviews_per_day", "day_starts_at"}



def test_settings_snapshot_with_an_inline_error(app_and_store, snap_compare) -> None:  # type: ignore[no-untyped-def]
    app, _ = app_and_store

    async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
        screen = await open_settings(app, pilot)
        await set_field(pilot, screen, "desired_retention", "0.5")
        screen.query_one("#set-desired_retention", Input).cursor_blink = False

    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)


async def test_theme_switched_with_ctrl_t_survives_leaving(app_and_store, quiz_home: Path) -> None:  # type: ignore[no-untyped-def]
    app, _ = app_and_store
    async with app.run_test(size=(80, 24)) as pilot:
        await open_settings(app, pilot)
        await pilot.press("ctrl+t")  # the app's own light/dark switch, saved by the app
        await pilot.pause()
        assert app.theme == "textual-light"
        await pilot.press("escape")
        await pilot.pause()
        assert app.theme == "textual-light"
        assert load_settings(quiz_home).theme == "textual-light"


async def test_new_card_order_is_a_setting(app_and_store, quiz_home: Path) -> None:  # type: ignore[no-untyped-def]
    app, _ = app_and_store
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_settings(app, pilot)
        order = screen.query_one("#set-new_card_order", Select)
        assert order.value == "mixed"  # the default: facts and kinds interleaved
        order.value = "deck"
        await pilot.pause()
        assert app.theme == "textual-dark"  # not taken for a theme
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert load_settings(quiz_home).new_card_order == "deck"
        assert app.collection.settings.new_card_order == "deck"
        await pilot.press("escape")
        await pilot.pause()
        screen = await open_settings(app, pilot)
        assert screen.query_one("#set-new_card_order", Select).value == "deck"


def test_new_card_order_is_validated(quiz_home: Path) -> None:
    quiz_home.mkdir(parents=True)
    settings_path(quiz_home).write_text(json.dumps({"new_card_order": "random"}))
    with pytest.raises(Exception, match="new_card_order must be one of mixed, deck, got 'random'"):
        load_settings(quiz_home)
