"""An item's images: drawn with textual-image where the terminal speaks a graphics protocol
(Sixel, Kitty), else one labelled line per image; ``i`` opens the first one in the system viewer.

textual-image asks the terminal what it can draw when it is imported, which must happen before
Textual takes the terminal over: ``probe_graphics`` is called by the app before it runs, and only
when a deck in use has images (the probe costs start-up time and writes escape sequences).
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.widget import Widget
from textual.widgets import Static

_drawer: type[Widget] | None = None  # the textual-image widget class, once probed and drawable


def probe_graphics() -> None:
    """Find out (once, before the app runs) whether the terminal can draw images."""
    global _drawer
    if _drawer is not None or not sys.__stdout__ or not sys.__stdout__.isatty():
        return
    # why: imported here, not at the top: the import itself queries the terminal (see above).
    from textual_image.renderable import Image as Renderable
    from textual_image.renderable.sixel import Image as SixelRenderable
    from textual_image.renderable.tgp import Image as TGPRenderable
    from textual_image.widget import Image

    if Renderable in (SixelRenderable, TGPRenderable):
        _drawer = Image


def opener() -> str:
    """The program that hands a file to the desktop's viewer for its type."""
    return "open" if sys.platform == "darwin" else "xdg-open"


def open_file(path: Path) -> None:
    """Open ``path`` with the desktop's viewer, detached (never a terminal program in our tty)."""
    if sys.platform == "win32":
        os.startfile(path)  # type: ignore[attr-defined]
        return
    subprocess.Popen(
        [opener(), str(path)], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL, start_new_session=True,
    )


class CardImages(Vertical):
    """The images of one side of a card (after its ``extra`` text, on the answer side), or
    nothing (hidden) when it has none."""

    DEFAULT_CSS = """
    CardImages { height: auto; display: none; }
    CardImages > .image { height: 12; width: auto; max-width: 60; }
    CardImages > .placeholder { color: $text-muted; }
    CardImages > .extra { margin-bottom: 1; }
    """

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.paths: list[Path] = []
        self.openable = False  # one of the images shown is there to open (as its placeholder says)

    def compose(self) -> ComposeResult:
        return iter(())

    def show(self, folder: Path | None, refs: Sequence[str], extra: str = "", key: str = "i") -> None:
        """Show ``extra`` text, then the images ``refs`` (relative to ``folder``, the deck file's
        folder); ``key`` is the one the placeholder names (the exam's answer box takes ``i``)."""
        if not (refs or extra or self.children):
            self.paths, self.openable = [], False
            self.display = False
            return  # most cards have no images: nothing to remove, mount or lay out
        self.remove_children()
        self.paths = [(folder or Path()) / r for r in refs]
        present = [path.is_file() for path in self.paths]
        self.openable = any(present)
        self.display = bool(self.paths or extra)
        if extra:
            self.mount(Static(Content(extra), classes="extra"))
        for path, there in zip(self.paths, present):
            if _drawer is not None and there:
                self.mount(_drawer(path, classes="image"))  # type: ignore[arg-type]
                continue
            state = f"press {key} to open" if there else "file missing"
            self.mount(Static(Content.styled(f"[image: {path.name}] ({state})", "italic"), classes="placeholder"))

    def open_first(self) -> bool:
        """Open the first image that exists; False when there is none. Without a viewer (no
        xdg-open on a server) the student is told where the file is."""
        for path in self.paths:
            if path.is_file():
                try:
                    open_file(path)
                except OSError as e:
                    self.notify(no_viewer_message(e, path), severity="warning", markup=False, timeout=10)
                return True
        return False


def no_viewer_message(error: OSError, path: Path) -> str:
    """Why ``i`` opened nothing, and where the image is (it is there: only the viewer is not)."""
    where = f"The image is at {path}"
    if isinstance(error, FileNotFoundError) and sys.platform != "win32":
        # the opener itself is missing (a server, a container), not the image
        how = "install xdg-utils; `xdg-mime default VIEWER.desktop image/png` picks the viewer"
        return f"No image viewer found: there is no {opener()} here ({how}). {where}"
    return f"The image viewer could not start ({error.strerror or error}). {where}"
