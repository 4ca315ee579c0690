"""Regenerate the study-app screenshots in this folder (SVG, 80x24, dark and one light):

    .venv/bin/python docs/screens/make_screens.py

Uses the built-in decks on a throwaway store, with a fixed clock and shuffle seed.
"""

from __future__ import annotations

import asyncio
import os
import tempfile
from datetime import datetime, timezone
from pathlib import Path

HERE = Path(__file__).resolve().parent
CLOCK = datetime(2026, 1, 5, 12, 0, tzinfo=timezone.utc)


async def shoot() -> None:
    from quiz.decks.library import load_decks
    from quiz.settings import Settings
    from quiz.storage.store import Store
    from quiz.tui.app import QuizApp
    from quiz.tui.screens.review import ReviewScreen
    from quiz.tui.screens.summary import SummaryScreen
    from quiz.tui.widgets.answer_box import AnswerBox

    decks = load_decks(None)
    store = Store.open(auto_backup=False)
    for d in decks:  # what `quiz study` does before the app starts
        store.sync_deck(d)
    settings = Settings(enable_fuzzing=False, learn_ahead_minutes=0, new_per_day=100)
    app = QuizApp(store, decks, settings, clock=lambda: CLOCK, seed=3)
    app.animation_level = "none"
    shots: list[str] = []

    def save(name: str) -> None:
        app.save_screenshot(str(HERE / f"{name}.svg"))
        shots.append(name)

    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        save("home")
        await pilot.press("enter")
        await pilot.pause()
        save("review-question")
        seen: set[str] = set()
        while isinstance(app.screen, ReviewScreen):
            screen = app.screen
            item = screen.card.item
            if item.type == "typed":
                # one typo on purpose, to show the character diff and the Hard suggestion
                given = item.answer[:-1] + ("x" if item.answer[-1] != "x" else "y")
                await pilot.press(*given, "enter")
            elif item.type == "choice":
                await pilot.press("b")
            elif item.type == "list":
                await pilot.press(*item.answers[0], "enter", *"not sure", "ctrl+s")
            else:
                await pilot.press("space")
            await pilot.pause()
            if item.type not in seen:
                seen.add(item.type)
                save(f"review-{item.type}")
                if item.type == "basic":
                    await pilot.press("e")
                    await pilot.pause()
                    save("source")
                    await pilot.press("escape")
                    await pilot.press("question_mark")
                    await pilot.pause()
                    save("help")
                    await pilot.press("escape")
            box = screen.query_one(AnswerBox)
            await pilot.press("enter" if box.answered or item.type not in ("typed", "list", "choice") else "3")
            await pilot.pause()
        assert isinstance(app.screen, SummaryScreen)
        save("summary")
        await pilot.press("enter")
        await pilot.pause()
        # The other screens, on the store this session just filled.
        for key, name in (("s", "stats"), ("b", "browse"), ("comma", "settings")):
            await pilot.press(key)
            await pilot.pause()
            await app.workers.wait_for_complete()  # stats and browse load in a worker
            await pilot.pause()
            save(name)
            await pilot.press("escape")
            await pilot.pause()
        app.theme = "textual-light"
        await pilot.pause()
        save("home-light")
    store.close()
    print("wrote", ", ".join(f"{n}.svg" for n in shots), "in", HERE)


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["QUIZ_HOME"] = tmp
        asyncio.run(shoot())


if __name__ == "__main__":
    main()
