"""The importer's quick look for media in a note: where it says there is none, the full scan
finds none either (it only ever skips the scan)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from quiz.anki.media import may_hold_media, scan

PIECES = st.sampled_from([
    "<img", "<IMG", "<ImG", "<ımg", "<İmg", " src=", '"a.png"', "'b.jpg'", "c.gif", ">", "[sound:", "[SOUND:",
    "[ſound:", "x.mp3]", "[$", "[$$", "[/$]", "[/$$]", "[latex]", "[LaTeX]", "[/latex]", "[/LATEX]", "[lateK]", "x",
    " ", "é", "<b>", "<", "[",
])


@settings(max_examples=1500, deadline=None)
@given(st.lists(PIECES, max_size=10).map("".join))
def test_no_media_where_the_quick_look_sees_none(html: str) -> None:
    if not may_hold_media(html):
        found = scan(html)
        assert (found.images, found.sounds, found.latex) == ((), 0, 0)


def test_the_quick_look_sees_each_kind() -> None:
    assert may_hold_media('<IMG src="a.png">') and may_hold_media("[sound:a.mp3]") and may_hold_media("[$]x[/$]")
    assert may_hold_media("[LaTeX]x[/latex]") and may_hold_media('µ <ımg src="a.png">')  # non-ASCII: the regex
    assert not may_hold_media("<b>plain</b> text [with] brackets") and not may_hold_media("µg <b>dose</b>")
