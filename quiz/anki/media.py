"""Media in Anki fields: images we keep as files, sounds and LaTeX we keep as references.

An imported deck's images go to a folder beside the deck file, ``<deck file stem>.media/``;
items name them by their path relative to the deck file's folder (``images``/``answer_images``).
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote

IMAGE_SUFFIXES = frozenset({".png", ".jpg", ".jpeg", ".gif", ".webp", ".svg", ".bmp", ".tif", ".tiff", ".avif"})
_IMG_RE = re.compile(r"""<img\b[^>]*?\bsrc\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""", re.IGNORECASE)
_SOUND_RE = re.compile(r"\[sound:[^\]]{1,500}\]")
_LATEX_RE = re.compile(r"\[(\$\$?|latex)\].{0,20000}?\[/\1\]", re.DOTALL | re.IGNORECASE)
_ANY_RE = re.compile(r"<img\b|\[sound:|\[\$|\[latex\]", re.IGNORECASE)  # what any of the three needs


def may_hold_media(html: str) -> bool:
    """False when ``scan`` would find nothing: what each of its three patterns starts with,
    looked for in the lowered text (four substring searches took half the instructions of one
    case-blind regex search, at 33,000 notes)."""
    if not html.isascii():  # a case-blind regex takes "ı" for an "i": "<ımg" is an image there
        return _ANY_RE.search(html) is not None
    low = html.lower()
    return "<img" in low or "[sound:" in low or "[$" in low or "[latex]" in low


@dataclass(frozen=True)
class FieldMedia:
    """The media one field names."""

    images: tuple[str, ...]  # Anki media names, in order, each once
    sounds: int
    latex: int


def scan(html: str) -> FieldMedia:
    images = []
    for m in _IMG_RE.finditer(html):
        name = unquote(m[1] or m[2] or m[3] or "").strip()
        if name and "://" not in name and not name.startswith("data:"):
            images.append(name)
    return FieldMedia(tuple(dict.fromkeys(images)), len(_SOUND_RE.findall(html)), len(_LATEX_RE.findall(html)))


def media_folder(deck_file: Path) -> Path:
    """Where an imported deck's images go: beside it, named after it."""
    return deck_file.with_name(f"{deck_file.stem}.media")


def reference(deck_file: Path, name: str) -> str:
    """How an item names an image: its path relative to the deck file's folder, with '/'."""
    return f"{media_folder(deck_file).name}/{name}"


def is_image(name: str) -> bool:
    return Path(name).suffix.lower() in IMAGE_SUFFIXES


class ExportMedia:
    """The image files a set of decks shows, under unique Anki media names (Anki's media
    folder is flat: two different files of the same name get the second a suffixed name)."""

    def __init__(self) -> None:
        self.files: dict[str, Path] = {}  # media name -> file
        self._names: dict[Path, str] = {}
        self.missing = 0

    def name_for(self, deck_file: Path | None, ref: str) -> str | None:
        """The media name of the image ``ref`` of a deck at ``deck_file``; None if the file is gone."""
        if deck_file is None:
            self.missing += 1
            return None
        path = (deck_file.parent / ref).resolve()
        if path in self._names:
            return self._names[path]
        if not path.is_file():
            self.missing += 1
            return None
        name, n = path.name, 1
        while name in self.files and not _same_bytes(self.files[name], path):
            n += 1
            name = f"{path.stem}-{n}{path.suffix}"
        self.files[name] = path
        self._names[path] = name
        return name


def _same_bytes(a: Path, b: Path) -> bool:
    """Whether two files hold the same bytes (one image imported into two sub-decks)."""
    return a.stat().st_size == b.stat().st_size and a.read_bytes() == b.read_bytes()


def img_tags(names: list[str]) -> str:
    """HTML for images in an Anki field (names are escaped for an attribute)."""
    return "".join(f'<img src="{html.escape(n, quote=True)}">' for n in names)
