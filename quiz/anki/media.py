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
_SOUND_NAME_RE = re.compile(r"\[sound:([^\]]{1,500})\]")  # as Anki reads it (case-sensitive)
IMAGE_ONLY = "[image]"  # the text of a side that shows only images (the import writes it)


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
    """The media files a set of decks shows, under unique Anki media names (Anki's media
    folder is flat: two different files of the same name get the second a suffixed name)."""

    def __init__(self) -> None:
        self.files: dict[str, Path] = {}  # media name -> file
        self._names: dict[Path, str] = {}
        self.missing: dict[str, str] = {}  # image named by an item but not found -> "deck/item"
        self.unsent_sounds: dict[str, str] = {}  # sound whose file is not beside its deck -> "deck/item"

    def counts(self) -> tuple[int, int]:
        """How many image files and how many other (sound) files are sent."""
        images = sum(is_image(n) for n in self.files)
        return images, len(self.files) - images

    def name_for(self, deck_file: Path | None, ref: str, who: str = "") -> str | None:
        """The media name of the file ``ref`` of a deck at ``deck_file``; None if the file is gone
        (then ``missing`` names it, and ``who``: the item that shows it)."""
        path = (deck_file.parent / ref).resolve() if deck_file is not None else None
        if path is not None and path in self._names:
            return self._names[path]
        if path is None or not path.is_file():
            self.missing.setdefault(ref, who)
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


def sounds_in_field(field: str, deck_file: Path | None, media: ExportMedia, who: str) -> str:
    """An exported field whose ``[sound:NAME]`` references name only files the package sends:
    a sound whose file is in the deck's media folder is sent (under its media name); any other
    is written so that Anki shows it as text (``&#91;sound:NAME]``) and looks for no file."""

    def one(m: re.Match[str]) -> str:
        name = html.unescape(m[1])
        sent = None
        if deck_file is not None and "/" not in name and "\\" not in name:
            path = media_folder(deck_file) / name
            if path.is_file():
                sent = media.name_for(deck_file, reference(deck_file, name))
        if sent is None:
            media.unsent_sounds.setdefault(name, who)
            return "&#91;" + m[0][1:]
        return f"[sound:{html.escape(sent, quote=False)}]"

    return _SOUND_NAME_RE.sub(one, field)


def named(found: dict[str, str], shown: int = 3) -> str:
    """The first few of ``found`` (name -> where), then how many more."""
    parts = [f"{name} ({where})" if where else name for name, where in list(found.items())[:shown]]
    more = len(found) - shown
    return ", ".join(parts) + (f" and {more} more" if more > 0 else "")


def img_tags(names: list[str]) -> str:
    """HTML for images in an Anki field (names are escaped for an attribute)."""
    return "".join(f'<img src="{html.escape(n, quote=True)}">' for n in names)
