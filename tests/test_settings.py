"""quiz.settings: defaults, round trip, and one clear error per bad settings file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from quiz.errors import QuizError
from quiz.settings import Settings, load_settings, save_settings, settings_path


def test_missing_file_gives_defaults(quiz_home: Path) -> None:
    s = load_settings()
    assert s == Settings()
    assert (s.desired_retention, s.new_per_day, s.day_starts_at, s.leech_lapses) == (0.9, 20, 4, 8)
    assert not quiz_home.exists() or not settings_path().exists()


def test_save_and_load_round_trip(quiz_home: Path) -> None:
    s = Settings(desired_retention=0.85, new_per_day=5, learning_steps=(30, 300), theme="nord")
    save_settings(s)
    assert settings_path() == quiz_home / "settings.json"
    assert load_settings() == s
    assert json.loads(settings_path().read_text())["learning_steps"] == [30, 300]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json", r"settings.json:1:2: not valid JSON"),
        ("[1, 2]", "settings must be a JSON object"),
        ('{"desired_retention": 0.5}', "desired_retention must be a number from 0.70 to 0.99, got 0.5"),
        ('{"desired_retention": 1.2}', "desired_retention must be a number from 0.70 to 0.99"),
        ('{"new_per_day": -1}', "new_per_day must be a whole number >= 0"),
        ('{"day_starts_at": 24}', "day_starts_at must be an hour from 0 to 23"),
        ('{"learning_steps": [60, 0]}', "learning_steps must be a list of positive whole numbers"),
        ('{"learning_steps": 60}', "learning_steps must be a list of seconds"),
        ('{"maximum_interval": 0}', "maximum_interval must be a whole number >= 1"),
        ('{"enable_fuzzing": "yes"}', "enable_fuzzing must be true or false"),
        ('{"timezone": "Nowhere/Land"}', "unknown timezone 'Nowhere/Land'"),
        ('{"new_per_dya": 10}', "unknown setting 'new_per_dya'"),
    ],
)
def test_bad_settings_file_names_the_file(quiz_home: Path, content: str, message: str) -> None:
    quiz_home.mkdir(parents=True)
    (quiz_home / "settings.json").write_text(content)
    with pytest.raises(QuizError, match=message) as e:
        load_settings()
    assert "settings.json" in str(e.value)
    assert "\n" not in str(e.value)
    assert e.value.exit_code == 1


def test_save_refuses_invalid_values(quiz_home: Path) -> None:
    with pytest.raises(QuizError, match="desired_retention"):
        save_settings(Settings(desired_retention=0.6))
    assert not (quiz_home / "settings.json").exists()
