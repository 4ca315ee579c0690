"""docs/screens/make_screens.py (README's screenshots) keeps working with the app as it is."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "docs" / "screens" / "make_screens.py"


def make_screens() -> ModuleType:
    spec = importlib.util.spec_from_file_location("make_screens", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


async def test_make_screens_shoots_home_and_a_checked_list_and_choice(tmp_path: Path) -> None:
    # QUIZ_HOME is an empty folder of this test's own (conftest), as main() makes one. The list
    # and choice cards come among the first of the built-in deck, so this stays quick.
    shots = await make_screens().shoot(tmp_path, only={"home", "review-list", "review-choice"})
    assert sorted(shots) == ["home", "review-choice", "review-list"]
    home = (tmp_path / "home.svg").read_text(encoding="utf-8")
    assert "Calcineurin" in home
    # after checking: the list's tally, the choice's verdict
    assert "right" in (tmp_path / "review-list.svg").read_text(encoding="utf-8")
    assert "wrong" in (tmp_path / "review-choice.svg").read_text(encoding="utf-8")


def test_every_screenshot_readme_shows_is_made_by_the_script() -> None:
    shown = set(re.findall(r"docs/screens/([\w-]+)\.svg", (ROOT / "README.md").read_text(encoding="utf-8")))
    assert shown
    assert shown <= set(make_screens().ALL)
    assert all((SCRIPT.parent / f"{name}.svg").is_file() for name in shown)
