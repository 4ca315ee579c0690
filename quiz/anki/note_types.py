"""Our Anki note types, one per item type, and how an item becomes the note's fields.

Model ids are fixed constants, one per note type: Anki keys note types on the id, so a random
or content-derived id would add a new "Basic-1a2b3" note type on every import. Any change to the
templates, CSS or fields must move ``TEMPLATES_TIME`` on: Anki replaces a note type only when the
incoming one is newer, so a fixed time leaves a user's own template edits alone on every re-export
until we really ship new templates. A change of fields also needs, once, Anki's "Merge note types"
*and* "Update notes: Always" import options (README; tests/test_anki_identity.py, with the anki
backend): without the merge Anki keeps the old note type, adds a "Quiz Basic+" copy and skips our
notes as conflicting; the merge alone stamps the old notes with the import time, so with "If
newer" every incoming note looks older and is skipped. A new model id would not spare that: Anki
then skips every note whose GUID it has under the old note type the same way. So fields change
as rarely as possible (the choice front changed templates only).

Our text is plain text and Anki fields are HTML, so every value is escaped here; the only
markup in a field is what we add (line breaks, lists, the marked choice).
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import genanki

from quiz.decks.cloze import matches as cloze_matches, numbers
from quiz.decks.model import Item

TEMPLATES_TIME = 1795975200  # 2026-11-29 18:00 UTC: when the fields, templates or CSS last changed (choice front)

ID_FIELD = "Id"
PARENT_DECK = "Quiz"  # our export puts every deck under it; the importer takes it off
"""Every note type's last field: the item id, shown by no template, so ``quiz import`` of our own
package gives items back their ids (and with them their review history)."""

CSS = """\
.card {
  --fg: #1f2328; --muted: #656d76; --bg: #ffffff; --line: #d0d7de;
  --accent: #0969da; --ok: #1a7f37; --ok-bg: #dafbe1;
  font-family: -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  font-size: 20px;
  line-height: 1.45;
  text-align: left;
  color: var(--fg);
  background-color: var(--bg);
}
/* Anki desktop marks night mode with .nightMode, AnkiDroid with .night_mode */
.card.nightMode, .nightMode .card, .card.night_mode, .night_mode .card {
  --fg: #e6edf3; --muted: #9198a1; --bg: #1e1e1e; --line: #3d444d;
  --accent: #58a6ff; --ok: #3fb950; --ok-bg: #12361f;
}
.quiz { max-width: 36em; margin: 0 auto; padding: 0.5em 1em; overflow-wrap: anywhere; }
.question { font-weight: 600; }
hr#answer { border: 0; border-top: 1px solid var(--line); margin: 0.9em 0; }
.cloze { font-weight: 700; color: var(--accent); }
ol.choices, ul.answers { margin: 0.6em 0 0; padding-left: 1.6em; }
ol.choices li, ul.answers li { margin: 0.3em 0; padding: 0.1em 0.4em; border-radius: 6px; }
.back ol.choices li.correct { background-color: var(--ok-bg); color: var(--ok); font-weight: 700; }
.back ol.choices li.correct::after { content: " \\2713"; }
.hint { margin-top: 0.4em; font-size: 0.8em; color: var(--muted); }
.accept { margin-top: 0.6em; font-size: 0.8em; color: var(--muted); }
.accept ul { display: inline; margin: 0; padding: 0; }
.accept li { display: inline; }
.accept li + li::before { content: ", "; }
ul.answers ul.accept { display: inline; margin: 0; padding: 0; font-size: 0.8em; color: var(--muted); }
ul.answers ul.accept::before { content: " (also: "; }
ul.answers ul.accept::after { content: ")"; }
ul.answers ul.accept li { display: inline; margin: 0; padding: 0; }
.source { margin-top: 1.2em; font-size: 0.7em; color: var(--muted); }
input#typeans { width: 100%; box-sizing: border-box; font-size: 1em; }
@media (max-width: 480px) {
  .card { font-size: 18px; }
  .quiz { padding: 0.25em 0.5em; }
}
"""

CHOICES_OL = '<ol class="choices">'  # how the options list of a choice note starts (html_list)
_SOURCE = "{{#Source}}<div class=\"source\">{{Source}}</div>{{/Source}}"
_ACCEPT = "{{#Accept}}<div class=\"accept\">Also accepted: {{Accept}}</div>{{/Accept}}"


def _card(body: str, side: str) -> str:
    """Wrap a template body; the side class lets CSS mark the right choice only on the back."""
    return f'<div class="quiz {side}">\n{body}\n</div>'


def _qa(front: str, back: str, extra: str = "") -> tuple[str, str]:
    """A question/answer template pair in our layout."""
    q = f'  <div class="question">{{{{{front}}}}}</div>'
    a = f'{q}\n  <hr id="answer">\n  <div class="answer">{{{{{back}}}}}</div>'
    if extra:
        a += f"\n  {extra}"
    return _card(q, "front"), _card(f"{a}\n  {_SOURCE}", "back")


def text_to_html(text: str) -> str:
    """Plain text as an HTML field: escaped, line breaks kept.

    What ``html.escape(text, quote=False)`` does, inline: this runs for every field of every note.
    """
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\n", "<br>")


_EXTRA_RE = re.compile(r'<div class="extra">(.*?)</div>', re.DOTALL)


def extra_html(text: str) -> str:
    """An item's ``extra`` as it goes into the note's answer-side field (escaped: no inner </div>)."""
    return f'<div class="extra">{text_to_html(text)}</div>'


def split_extra(html: str) -> tuple[str, str]:
    """A field of ours without its extra div, and the extra's HTML ("" when none)."""
    m = _EXTRA_RE.search(html)
    return (html[: m.start()] + html[m.end() :], m[1]) if m else (html, "")


def cloze_to_html(text: str) -> str:
    """Escape cloze text but keep the {{cN::answer::hint}} markers working for Anki."""
    out: list[str] = []
    pos = 0
    for m in cloze_matches(text):
        out.append(text_to_html(text[pos : m.start()]))
        hint = f"::{text_to_html(m[3])}" if m[3] else ""
        out.append(f"{{{{c{m[1]}::{text_to_html(m[2])}{hint}}}}}")
        pos = m.end()
    out.append(text_to_html(text[pos:]))
    return "".join(out)


def html_list(values: Sequence[str], tag: str = "ul", cls: str = "", marked: str | None = None) -> str:
    """An HTML list of plain-text values; the value equal to ``marked`` gets class="correct"."""
    attr = f' class="{cls}"' if cls else ""
    lis = "".join(
        f'<li class="correct">{text_to_html(v)}</li>' if v == marked else f"<li>{text_to_html(v)}</li>"
        for v in values
    )
    return f"<{tag}{attr}>{lis}</{tag}>"


def html_entries(item: Item) -> str:
    """A list item's entries; an entry's accepted forms as a list nested in its <li>."""
    lis = "".join(
        f"<li>{text_to_html(e.answer)}{html_list(e.accept, 'ul', 'accept') if e.accept else ''}</li>"
        for e in item.entries
    )
    return f'<ul class="answers">{lis}</ul>'


def shuffled_choices(item: Item) -> list[str]:
    """Answer and distractors in an order fixed per item id (so re-exports don't reshuffle)."""
    choices = [item.answer, *item.distractors]
    random.Random(item.id).shuffle(choices)  # str seeds hash with sha512: same on every run
    return choices


@dataclass(frozen=True)
class NoteType:
    """One of quiz's Anki note types: how an item becomes a note and back."""

    item_type: str
    model_id: int
    name: str
    fields: tuple[str, ...]
    templates: tuple[tuple[str, str, str], ...]  # (name, question format, answer format)
    to_fields: Callable[[Item], list[str]]
    cloze: bool = False

    @property
    def answer_field(self) -> int:
        """The field that shows only on the back and takes HTML as it is: Back for the two
        front/back types, else Source (the typed answer and the choices are compared or parsed)."""
        return 1 if self.item_type in ("basic", "reverse") else self.fields.index("Source")

    @property
    def answer_field_name(self) -> str:
        return self.fields[self.answer_field]

    def card_ords(self, item: Item) -> list[int]:
        """Which cards Anki makes for the note: one per template, or one per cloze number."""
        if self.cloze:
            return [n - 1 for n in numbers(item.text)]
        return list(range(len(self.templates)))

    def note_fields(self, item: Item) -> list[str]:
        """The note's fields: what the templates show, then the item id they don't show."""
        return [*self.to_fields(item), item.id]  # ids are [A-Za-z0-9._-]: nothing to escape

    @cached_property
    def model(self) -> genanki.Model:
        # why: genanki (and the asyncio it pulls in) costs ~60 ms; `quiz import` never needs it
        import genanki

        return genanki.Model(
            self.model_id,
            self.name,
            fields=[{"name": f, "font": "Arial"} for f in (*self.fields, ID_FIELD)],
            templates=[{"name": n, "qfmt": q, "afmt": a} for n, q, a in self.templates],
            css=CSS,
            model_type=genanki.Model.CLOZE if self.cloze else genanki.Model.FRONT_BACK,
        )


def _source(item: Item) -> str:
    return text_to_html(item.source or "")


def _accept(item: Item) -> str:
    return html_list(item.accept) if item.accept else ""


_BASIC_Q, _BASIC_A = _qa("Front", "Back", _ACCEPT)
_FWD_Q, _FWD_A = _qa("Front", "Back")
_REV_Q, _REV_A = _qa("Back", "Front")
_TYPED_Q = _card('  <div class="question">{{Question}}</div>\n  {{type:Answer}}', "front")
_TYPED_A = _card(
    '  <div class="question">{{Question}}</div>\n  <hr id="answer">\n  {{type:Answer}}\n'
    f"  {_ACCEPT}\n  {_SOURCE}",
    "back",
)
# The Question field holds the stem *and* the unmarked options: the front reveals nothing (the
# marked list in Choices is for the back of older templates and for `quiz import`), and choice
# notes sharing a stem differ in their first field, which is what Anki's duplicate check reads.
_CHOICE_Q, _CHOICE_A = _qa("Question", "Answer")
_LIST_Q = _card('  <div class="question">{{Question}}</div>\n  <div class="hint">{{Count}}</div>', "front")
_LIST_A = _card(
    '  <div class="question">{{Question}}</div>\n  <hr id="answer">\n  {{Answers}}\n'
    f"  {_SOURCE}",
    "back",
)
_CLOZE_Q = _card("  {{cloze:Text}}", "front")
_CLOZE_A = _card(f"  {{{{cloze:Text}}}}\n  {_SOURCE}", "back")

NOTE_TYPES: dict[str, NoteType] = {
    nt.item_type: nt
    for nt in (
        NoteType(
            "basic", 1947020031, "Quiz Basic", ("Front", "Back", "Accept", "Source"),
            (("Card 1", _BASIC_Q, _BASIC_A),),
            lambda it: [text_to_html(it.question), text_to_html(it.answer), _accept(it), _source(it)],
        ),
        NoteType(
            "reverse", 1396541800, "Quiz Reversed", ("Front", "Back", "Source"),
            (("Card 1", _FWD_Q, _FWD_A), ("Card 2", _REV_Q, _REV_A)),
            lambda it: [text_to_html(it.question), text_to_html(it.answer), _source(it)],
        ),
        NoteType(
            "cloze", 1517065150, "Quiz Cloze", ("Text", "Source"),
            (("Cloze", _CLOZE_Q, _CLOZE_A),),
            lambda it: [cloze_to_html(it.text), _source(it)],
            cloze=True,
        ),
        NoteType(
            "choice", 1748083415, "Quiz Multiple choice", ("Question", "Choices", "Answer", "Source"),
            (("Card 1", _CHOICE_Q, _CHOICE_A),),
            lambda it: [
                text_to_html(it.question) + html_list(shuffled_choices(it), "ol", "choices"),
                html_list(shuffled_choices(it), "ol", "choices", marked=it.answer),
                text_to_html(it.answer),
                _source(it),
            ],
        ),
        NoteType(
            "typed", 2140936385, "Quiz Typed", ("Question", "Answer", "Accept", "Source"),
            (("Card 1", _TYPED_Q, _TYPED_A),),
            lambda it: [text_to_html(it.question), text_to_html(it.answer), _accept(it), _source(it)],
        ),
        NoteType(
            "list", 1099783577, "Quiz List", ("Question", "Answers", "Count", "Source"),
            (("Card 1", _LIST_Q, _LIST_A),),
            lambda it: [
                text_to_html(it.question),
                html_entries(it),
                f"{len(it.answers)} answers",
                _source(it),
            ],
        ),
    )
}

BY_MODEL_ID: dict[int, NoteType] = {nt.model_id: nt for nt in NOTE_TYPES.values()}
