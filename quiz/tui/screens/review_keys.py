"""The review screen's keys, in Anki's habits: space/enter reveal then take the suggested
grade, 1-4 grade, and one key each for what a card can have done to it (quiz.tui.screens.review)."""

from __future__ import annotations

from textual.binding import Binding

from quiz.tui.widgets.answer_box import CHOICE_KEYS

REVIEW_KEYS = [
    Binding("space", "primary", "Show/Good", key_display="spc"),
    Binding("enter", "primary", show=False),
    Binding("1", "grade(1)", "Again", show=False),
    Binding("2", "grade(2)", "Hard", show=False),
    Binding("3", "grade(3)", "Good", show=False),
    Binding("4", "grade(4)", "Easy", show=False),
    *(Binding(k, f"pick({i})", show=False) for i, k in enumerate(CHOICE_KEYS)),
    Binding("ctrl+s", "submit_list", "Check"),
    # Scroll a long card (not taken from the answer box or the choices, which have focus
    # first and use these keys themselves).
    Binding("pagedown", "scroll_card('page_down')", show=False),
    Binding("pageup", "scroll_card('page_up')", show=False),
    Binding("down", "scroll_card('scroll_down')", show=False),
    Binding("up", "scroll_card('scroll_up')", show=False),
    Binding("end", "scroll_card('scroll_end')", show=False),
    Binding("home", "scroll_card('scroll_home')", show=False),
    Binding("o", "override", "Override"),
    Binding("u", "undo", "Undo"),
    # Inside the answer box letters are typed, so these two also have ctrl keys there.
    Binding("ctrl+z", "undo", show=False, priority=True),
    Binding("ctrl+e", "source", show=False, priority=True),
    Binding("minus", "bury", "Bury", key_display="-"),
    Binding("exclamation_mark", "suspend", "Suspend", key_display="!"),
    Binding("e", "source", "Source"),
    Binding("i", "open_image", "Image", show=False),
    # In the answer box `i` is typed: there ctrl+o opens the image (it works throughout).
    Binding("ctrl+o", "open_image", show=False, priority=True),
    Binding("question_mark", "app.help", "Help", key_display="?"),
    Binding("q", "home", "Home"),
    # In the answer box esc leaves it (the single-key bindings then work); else home.
    Binding("escape", "escape", "Home", show=False),
]
