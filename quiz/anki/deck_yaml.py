"""Write an imported deck as YAML, fast: our deck files are a fixed shape of text and lists of
text, so we emit them directly instead of through PyYAML's emitter (which costs ~0.8 ms an item
even with libyaml: 25 s for a 33,000-note collection).

Text that is safe as a plain scalar is written plain (readable, as in the shipped decks); any
other text is written double-quoted with JSON's escapes, which YAML reads the same, plus escapes
for the characters YAML would not take raw or would read as line breaks. Every file written this
way is checked as the deck loader would before it is kept (quiz.anki.importer), and the
tests read every file written back through the loader.
"""

from __future__ import annotations

import re
from json.encoder import encode_basestring as _encode
from collections.abc import Mapping, Sequence

# Plain only when nothing in it can mean anything to YAML: no ':' or '#', no quotes or brackets,
# starting with a letter or digit, not ending in a space. Tested as "no character outside the
# set" (a search for the first one, in C) and the two ends: a fullmatch of the whole pattern
# took twice the instructions, at 165,000 texts a 33,000-note import.
_NOT_PLAIN = re.compile(r"[^A-Za-z0-9 ,.;()/+=?!%-]")
# Not allowed raw in YAML, or a line break to YAML 1.1 (NEL, LS, PS), or a byte-order mark.
_ESCAPE = re.compile("[\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff\ud800-\udfff]")


_NULLS = frozenset({"null", "Null", "NULL"})  # YAML's null: the loader refuses it as text


def scalar(text: str) -> str:
    if text and not _NOT_PLAIN.search(text) and text[0].isalnum() and text[-1] != " " and text not in _NULLS:
        return text
    quoted = _encode(text)  # what json.dumps(text, ensure_ascii=False) gives, without its set-up
    if quoted.isascii() and "\x7f" not in quoted:
        return quoted  # nothing _ESCAPE could match (two scans in C, not a regex pass)
    return _ESCAPE.sub(lambda m: f"\\u{ord(m[0]):04x}", quoted)


def _entry(key: str, value: object, indent: str) -> str:
    if isinstance(value, str):
        return f"{indent}{key}: {scalar(value)}\n"
    if isinstance(value, Sequence):
        if not value:
            return f"{indent}{key}: []\n"
        return f"{indent}{key}:\n" + "".join(_element(v, indent + "  ") for v in value)
    raise TypeError(f"cannot write {type(value).__name__} for {key!r}")


def _element(value: object, indent: str) -> str:
    """One list element: text, or a mapping (a list entry with its accepted forms)."""
    if isinstance(value, Mapping):
        return _mapping(value, indent)
    if isinstance(value, str):
        return f"{indent}- {scalar(value)}\n"
    raise TypeError(f"cannot write {type(value).__name__} in a list")


def _mapping(value: Mapping[str, object], indent: str) -> str:
    """``- key: value`` for the first key, the others under it."""
    inner = indent + "  "
    # Text inline: most values are text, and this runs for every key of 100,000 items.
    lines = [f"{inner}{k}: {scalar(v)}\n" if type(v) is str else _entry(k, v, inner) for k, v in value.items()]
    return indent + "- " + "".join(lines)[len(inner) :]


def dump_deck(deck: Mapping[str, object], items: Sequence[Mapping[str, object]]) -> str:
    """The deck file's text: the ``deck:`` section, then ``items:`` in order, keys in order."""
    return dump_deck_lines(deck, items)[0]


def dump_deck_lines(deck: Mapping[str, object], items: Sequence[Mapping[str, object]]) -> tuple[str, list[int]]:
    """``dump_deck``'s text and the line each item starts on (as the loader would report it)."""
    out = ["deck:\n", *(_entry(k, v, "  ") for k, v in deck.items())]
    if not items:
        out.append("items: []\n")
        return "".join(out), []
    out.append("items:\n")
    line = 1 + sum(part.count("\n") for part in out)
    lines = []
    types: dict[str, str] = {}  # a few item types, each written 10,000 times: worked out once
    # _mapping's text, written straight into ``out``: this runs for every key of 100,000 items,
    # and text (one line: scalar() never writes a raw line break) is nearly every value.
    for item in items:
        lines.append(line)
        prefix = "  - "
        for k, v in item.items():
            if type(v) is str:
                if k == "type":
                    written = types.get(v) or types.setdefault(v, scalar(v))
                    out.append(f"{prefix}type: {written}\n")
                else:
                    out.append(f"{prefix}{k}: {scalar(v)}\n")
                line += 1
            else:
                block = _entry(k, v, "    ")
                out.append(prefix + block[4:])
                line += block.count("\n")
            prefix = "    "
    return "".join(out), lines
