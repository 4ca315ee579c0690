"""Read term/definition pairs from CSV or TSV, as Quizlet and Anki export them.

Quizlet writes ``term<TAB>definition`` lines without quoting. Anki's "Notes in Plain Text" starts
with ``#key:value`` header lines (``#separator:tab``, ``#html:true``, ``#tags column:3``,
``#guid column:1`` ...) and quotes fields that hold the separator or a line break.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Literal

from quiz.decks.cloze import deletions
from quiz.errors import QuizError, UsageError
from quiz.anki.html_text import html_to_text
from quiz.anki.entries import Entry, Imported

DELIMITERS = {",": ",", "comma": ",", "tab": "\t", "\t": "\t", "\\t": "\t", ";": ";", "semicolon": ";"}
_ANKI_SEPARATORS = {"tab": "\t", "comma": ",", "semicolon": ";", "pipe": "|", "space": " ", "colon": ":"}
# Anki's header keys only: a Quizlet term like "#note: ..." on the first line is a card.
_HEADER_RE = re.compile(
    r"^#(separator|html|tags|columns|notetype|deck|guid column|notetype column|deck column|tags column):(.*)$"
)
_META_COLUMNS = ("guid", "notetype", "deck", "tags")
# A first row naming the columns (Quizlet-style sheets, spreadsheets): any left name with any right.
_HEADER_TERMS = {"term", "front", "question", "word"}
_HEADER_DEFINITIONS = {"definition", "back", "answer", "meaning"}


def _is_header(term: str, definition: str) -> bool:
    return term.strip().lower() in _HEADER_TERMS and definition.strip().lower() in _HEADER_DEFINITIONS


def _rows(reader: Iterator[list[str]], shown: str, first_line: int) -> Iterator[list[str]]:
    """The reader's rows; its errors (a field over csv's size limit...) as one line naming the spot."""
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as e:
            line = first_line + getattr(reader, "line_num", 1) - 1
            raise QuizError(f"{shown}:{line}: cannot read this CSV row ({e})") from None
        yield row


def delimiter_for(option: str) -> str:
    try:
        return DELIMITERS[option]
    except KeyError:
        raise UsageError(f"unknown delimiter {option!r} (use ',', 'tab' or ';')") from None


def read_csv(path: Path, delimiter: str | None = None) -> Imported:
    shown = str(path)  # as the user gave it
    try:
        data = path.read_bytes()
        # Excel's "Unicode text" is UTF-16 with a byte-order mark, which says so unambiguously.
        utf16 = data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))
        text = data.decode("utf-16" if utf16 else "utf-8-sig")
    except UnicodeDecodeError as e:
        raise QuizError(f"{shown}: not UTF-8 text (at byte offset {e.start}); save it as UTF-8 CSV") from None
    except OSError as e:
        raise QuizError(f"{shown}: cannot read: {e.strerror or e}") from None
    lines = text.splitlines(keepends=True)
    headers: dict[str, str] = {}
    while len(headers) < len(lines) and (m := _HEADER_RE.match(lines[len(headers)].rstrip("\r\n"))):
        headers[m[1].strip()] = m[2].strip()
    first_line = len(headers) + 1  # 1-based line number of the first data line
    body = "".join(lines[len(headers) :])
    if not body.strip():
        raise QuizError(f"{shown}: no cards in the file (it is empty)")

    if delimiter is not None:
        sep = delimiter_for(delimiter)
    elif "separator" in headers:
        value = headers["separator"]
        sep = _ANKI_SEPARATORS.get(value.lower(), value)
        if len(sep) != 1 or sep in "\"\r\n":
            line = next(n for n, ln in enumerate(lines, 1) if ln.startswith("#separator:"))
            raise QuizError(f"{shown}:{line}: bad header #separator:{value} (use one character or "
                            f"{', '.join(_ANKI_SEPARATORS)})")
    else:
        sample = next((ln for ln in body.splitlines() if ln.strip()), "")
        sep = "\t" if "\t" in sample else ";" if ";" in sample and "," not in sample else ","
    # Quizlet never quotes: a term starting with '"' must stay as it is.
    quoting: Literal[0, 1, 2, 3] = csv.QUOTE_NONE if sep == "\t" and not headers else csv.QUOTE_MINIMAL
    meta = {}
    for key in _META_COLUMNS:
        if f"{key} column" in headers:
            try:
                meta[key] = int(headers[f"{key} column"]) - 1
            except ValueError:
                raise QuizError(f"{shown}: bad header #{key} column:{headers[f'{key} column']}") from None
    html = headers.get("html", "false").lower() == "true"
    width = 2 + len(meta)
    sep_name = {"\t": "tab", ",": "comma", ";": "semicolon"}.get(sep, repr(sep))

    entries: list[Entry] = []
    skipped: list[str] = []
    seen: set[tuple[str, str, str]] = set()  # (term, definition, guid) of the rows kept
    repeats = 0
    reader = csv.reader(io.StringIO(body, newline=""), delimiter=sep, quoting=quoting, strict=False)
    start = 1
    for row in _rows(reader, shown, first_line):
        line = first_line + start - 1
        start = reader.line_num + 1
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != width:
            what = "term, definition" + "".join(f", {k}" for k in meta)
            raise QuizError(
                f"{shown}:{line}: expected {width} {sep_name}-separated columns ({what}), found {len(row)}"
                + ("" if delimiter else "; pick the separator with --delimiter")
            )
        fields = [cell for i, cell in enumerate(row) if i not in meta.values()]
        term, definition = (html_to_text(f) if html else f.strip() for f in fields)
        if not entries and not skipped and _is_header(term, definition):
            skipped.append(f"the header row on line {line} ({term!r}, {definition!r})")
            continue
        if "notetype" in meta and "cloze" in row[meta["notetype"]].lower() and deletions(term):
            entry = Entry("cloze", text=term)  # Anki's Cloze: Text, Back Extra (not kept)
        else:
            entry = Entry("basic", question=term, answer=definition)
        entry.tags = headers.get("tags", "").split()  # Anki's "#tags:" apply to every note
        if "tags" in meta:
            entry.tags += row[meta["tags"]].split()
        if "guid" in meta:
            entry.guid = row[meta["guid"]].strip() or None
        row_key = (term, definition, entry.guid or "")
        if row_key in seen:  # the same card twice would be two items asking one thing
            repeats += 1
            continue
        seen.add(row_key)
        entries.append(entry)
    if repeats:
        skipped.append(f"{repeats} row{'s' * (repeats != 1)} repeating an earlier row exactly")
    if not entries:
        raise QuizError(f"{shown}: no cards in the file (only {'a header row' if skipped else 'blank lines'})")
    return Imported(path.stem, "", entries, skipped)
