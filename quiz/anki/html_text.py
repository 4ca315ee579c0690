"""Anki field HTML -> plain text, and the lists our own note types put in fields."""

from __future__ import annotations

import re
from html import unescape
from html.parser import HTMLParser

_BLOCK = {"div", "p", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "table", "blockquote", "pre"}
_SKIP = {"script", "style", "head", "title"}


class _Text(HTMLParser):
    """Collects text; line breaks for <br> and block ends; drops scripts and styles.

    With ``split_items`` the text inside each top-level <li> is kept apart, with whether the
    <li> had class="correct" (our marked choice) and the texts of the <li>s nested in it (a
    list entry's accepted forms).
    """

    def __init__(self, split_items: bool = False) -> None:
        super().__init__(convert_charrefs=True)
        self.split_items = split_items
        self.parts: list[str] = []
        self.skip = 0
        self.items: list[tuple[list[str], bool, list[list[str]]]] = []
        self.li_depth = 0

    def _out(self) -> list[str]:
        if not self.li_depth:
            return self.parts
        _, _, nested = self.items[-1]
        return nested[-1] if self.li_depth > 1 and nested else self.items[-1][0]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP:
            self.skip += 1
        elif tag == "br":
            self._out().append("\n")
        elif tag == "li" and self.split_items:
            if self.li_depth == 0:
                classes = (dict(attrs).get("class") or "").split()
                self.items.append(([], "correct" in classes, []))
            elif self.li_depth == 1:
                self.items[-1][2].append([])
            self.li_depth += 1
        elif tag in _BLOCK:
            self._out().append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP:
            self.skip = max(self.skip - 1, 0)
        elif tag == "li" and self.split_items:
            self.li_depth = max(self.li_depth - 1, 0)
        elif tag in _BLOCK:
            self._out().append("\n")

    def handle_data(self, data: str) -> None:
        if not self.skip:
            self._out().append(data)


_SPACES = re.compile(r"[ \t\r\f\v]+")


def _collapse(text: str) -> str:
    """Runs of spaces as one space. Most text has none: five substring scans cost a tenth of
    the regex's pass over every character (2 us a field, at 66,000 fields)."""
    if "  " in text or "\t" in text or "\r" in text or "\f" in text or "\v" in text:
        return _SPACES.sub(" ", text)
    return text


_BLANK_LINES = re.compile(r"\n{2,}")


def _tidy(parts: list[str]) -> str:
    return _tidy_text("".join(parts))


def _tidy_text(text: str) -> str:
    text = text.replace("\xa0", " ")
    if "\n" not in text:
        return _collapse(text).strip()
    lines = [_collapse(line).strip() for line in text.split("\n")]
    return _BLANK_LINES.sub("\n", "\n".join(lines)).strip()


# A tag with its attributes (quoted values may hold '>').
_TAG_RE = re.compile(r"""<(/?)([A-Za-z][A-Za-z0-9]*)(?:[^'"<>]|"[^"]*"|'[^']*')*>""")


# Whether any tag in the text is one that breaks the line (_line_break): most fields have none,
# and their tags are then dropped by the regex alone, without a Python call per tag.
_BREAKING = re.compile(r"</?(?:br|%s)(?![A-Za-z0-9])" % "|".join(sorted(_BLOCK)), re.IGNORECASE)
_BREAKING_LOW = re.compile(_BREAKING.pattern)  # the same, on text lowered already (see _found)


def _line_break(m: re.Match[str]) -> str:
    name = m[2].lower() if m[2] else ""
    return "\n" if name == "br" or name in _BLOCK else ""


_DECLARATION_RE = re.compile(r"<[!?][^<>]*>")
_PARSER_NEEDED = re.compile(r"<(?:script|style|head|title)|</>", re.IGNORECASE)  # what the regex pass cannot do
_PARSER_NEEDED_LOW = re.compile(_PARSER_NEEDED.pattern)


def _found(blind: re.Pattern[str], plain: re.Pattern[str], html: str, low: str | None) -> bool:
    """``blind`` (case-blind) finds something in ``html``. In ASCII text that is ``plain`` (the
    same pattern) in the lowered text ``low``, at half the instructions; beyond ASCII a case-blind
    regex also takes "ı" for an "i" and "ſ" for an "s", so there ``blind`` itself is asked."""
    return (plain.search(low) if low is not None else blind.search(html)) is not None


def _strip_comments(html: str) -> str:
    """Drop <!-- comments --> (an unclosed one runs to the end, as in a browser), in one pass:
    Python 3.11's HTMLParser takes quadratic time over many unclosed ones."""
    out, pos = [], 0
    while (start := html.find("<!--", pos)) >= 0:
        out.append(html[pos:start])
        end = html.find("-->", start + 4)
        if end < 0:
            return "".join(out)
        pos = end + 3
    out.append(html[pos:])
    return "".join(out)


def html_to_text(html: str) -> str:
    if "<" not in html and "&" not in html:
        return _tidy_text(html)  # no markup: skip the parser (most fields of a big collection)
    if "<!" in html or "<?" in html:
        # Comments, <!doctype>, <![endif]>, <?xml?>: gone; any left unclosed is text.
        html = _DECLARATION_RE.sub("", _strip_comments(html)).replace("<!", "&lt;!").replace("<?", "&lt;?")
    low = html.lower() if html.isascii() else None
    if not _found(_PARSER_NEEDED, _PARSER_NEEDED_LOW, html, low):
        # Tags and entities only: a regex pass gives the parser's text ~5x faster (30,000 notes).
        breaking = _found(_BREAKING, _BREAKING_LOW, html, low)
        return _tidy_text(unescape(_TAG_RE.sub(_line_break if breaking else "", html)))
    p = _Text()
    p.feed(html)
    p.close()
    return _tidy(p.parts)


def list_items(html: str) -> list[tuple[str, bool]]:
    """The entries of the first-level <li> elements, and whether each is marked correct."""
    p = _Text(split_items=True)
    p.feed(html)
    p.close()
    return [(_tidy(parts), marked) for parts, marked, _ in p.items]


def list_entries(html: str) -> list[tuple[str, list[str]]]:
    """Each first-level <li>'s own text and the texts of the <li>s nested in it."""
    p = _Text(split_items=True)
    p.feed(html)
    p.close()
    return [(_tidy(parts), [t for n in nested if (t := _tidy(n))]) for parts, _, nested in p.items]
