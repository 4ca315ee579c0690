"""html_to_text's regex fast path gives exactly what the HTML parser gives (for tags that are
well formed; malformed markup only has to come out as sensible text, fast)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from quiz.anki import html_text

PIECES = st.sampled_from([
    "<b>", "</b>", "<br>", "<br/>", "<div>", "</div>", "<p>", "<li>", "</li>", "&amp;", "&lt;", "&nbsp;",
    "&#39;", "&#x41;", "&foo;", "&", ">", "a", " ", "\n", "x < y", "<i class='a>b'>", '<img src="x.png">',
    '<span style="c">', "<a href=x>", "<script>", "</script>", "<!-- c -->",
    # Tags whose names start like a line-breaking one, or break it in another case.
    "<BR>", "<Div class=x>", "</P>", "<prefix>", "<p2>", "<hr>", "<h1>", "</TR>", "<u>", "<table>", "<bra>",
    # Beyond ASCII, where a case-blind match is not the lowered text's: dotless i, long s, Kelvin.
    "<tıtle>", "</tıtle>", "<ſcript>", "<blocKquote>", "é",
])


def _parsed(html: str) -> str:
    p = html_text._Text()
    p.feed(html)
    p.close()
    return html_text._tidy(p.parts)


@settings(max_examples=500, deadline=None)
@given(st.lists(PIECES, max_size=12).map("".join))
def test_fast_path_matches_the_parser(html: str) -> None:
    assert html_text.html_to_text(html) == _parsed(html)


def test_hostile_markup_is_linear(tmp_path) -> None:
    """Each took minutes or more (quadratic) before: many unclosed comments or clozes, 1 MB."""
    from quiz.decks.cloze import blank, deletions, nested

    for text in ("<!--" * 250_000, "{{c1::" * 170_000, "<a" * 500_000, "{{c1::" * 170_000 + "}}",
                 "{{c1::a {{c" + "9" * 1_000_000 + "}}", "{{c1::a}}" * 110_000):
        out = html_text.html_to_text(text)
        deletions(out)
        blank(out)
        nested(out)
    assert html_text.html_to_text("a<!-- x -->b<!-- never closed") == "ab"


def test_case_blind_beyond_ascii_as_before() -> None:
    """The case-blind checks run on lowered text where it is ASCII; beyond it they stay
    case-blind regexes, for which "ſ" is an "s": this text still goes to the parser."""
    assert html_text.html_to_text("<ſcript>alert</ſcript>") == _parsed("<ſcript>alert</ſcript>") == "<ſcript>alert"
