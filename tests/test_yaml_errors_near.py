"""A syntax error in a big deck file is worded as the pure-Python parser words it, with its
line and column, from the deck item it is in (quiz.decks.yaml_errors) — not by reading the whole
file again with that parser (~10 s at 20,000 items). Anything the item alone does not explain is
read whole, as before."""

from __future__ import annotations

from pathlib import Path

import pytest

from quiz.decks import yaml_reader
from quiz.decks.yaml_errors import QUICK_FROM_BYTES
from quiz.errors import InvalidFile

ITEMS = 3_000  # ~290 KB: over QUICK_FROM_BYTES


def _deck(broken: str, at: int = ITEMS - 3) -> str:
    items = []
    for n in range(ITEMS):
        body = f"  - id: item-{n}\n    type: basic\n    question: What is made-up word {n}?\n    answer: word {n}\n"
        items.append(broken if n == at else body)
    return "deck:\n  id: big\n  name: Big deck\nitems:\n" + "".join(items)


BROKEN = {
    "unclosed flow": "  - id: [item-x\n    type: basic\n    question: q?\n    answer: a\n",
    "unclosed quote": '  - id: item-x\n    type: basic\n    question: "q?\n    answer: a\n',
    "colon in plain text": "  - id: item-x\n    type: basic\n    question: ratio: 2 to 1?\n    answer: a\n",
    "tab": "  - id: item-x\n\ttype: basic\n    question: q?\n    answer: a\n",
    "indentation": "  - id: item-x\n   type: basic\n    question: q?\n    answer: a\n",
}


def _whole(text: str) -> str:
    with pytest.raises(InvalidFile) as e:
        yaml_reader._compose_checked(text, "big.yaml")
    return str(e.value)


def _read(text: str, path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[str, list[int]]:
    """compose()'s message for the file, and the lengths of the texts the slow parser read."""
    real = yaml_reader._compose_checked
    lengths: list[int] = []

    def counted(t: str, shown: str):  # type: ignore[no-untyped-def]
        lengths.append(len(t))
        return real(t, shown)

    monkeypatch.setattr(yaml_reader, "_compose_checked", counted)
    path.write_text(text, encoding="utf-8")
    with monkeypatch.context() as m:
        m.chdir(path.parent)
        with pytest.raises(InvalidFile) as e:
            yaml_reader.compose(Path(path.name), text)
    return str(e.value), lengths


@pytest.mark.parametrize("kind", sorted(BROKEN))
def test_a_syntax_error_in_a_big_file_is_worded_from_its_item(kind: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    text = _deck(BROKEN[kind])
    assert len(text.encode()) > QUICK_FROM_BYTES
    expected = _whole(text)
    message, lengths = _read(text, tmp_path / "big.yaml", monkeypatch)
    assert message == expected  # word for word, line and column (and any line in the text) the same
    assert len(lengths) == 1 and lengths[0] < len(text) // 10  # one item read, not the whole file


def test_an_error_begun_in_an_earlier_item_reads_the_whole_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The '[' opened in one item is found unclosed in the next: that item alone reads fine.
    opened = "  - id: item-x\n    type: basic\n    question: q?\n    answer: [a, b\n"
    text = _deck(opened, at=ITEMS - 4)
    expected = _whole(text)
    message, lengths = _read(text, tmp_path / "big.yaml", monkeypatch)
    assert message == expected
    assert lengths[-1] == len(text)


def test_a_small_file_is_read_whole(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    text = "deck:\n  id: d\n  name: D\nitems:\n" + BROKEN["unclosed flow"]
    expected = _whole(text).replace("big.yaml", "d.yaml")
    message, lengths = _read(text, tmp_path / "d.yaml", monkeypatch)
    assert lengths == [len(text)] and message == expected
