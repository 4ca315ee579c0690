"""Open an Anki package (.apkg/.colpkg) without trusting it.

A package is a zip: the collection (``collection.anki21b`` zstd-compressed SQLite in the
current format, ``collection.anki21``/``collection.anki2`` plain SQLite in the legacy ones), a
``media`` map (JSON in legacy packages, zstd-compressed protobuf in version 3) and the media
files, named "0", "1"... (zstd-compressed too in version 3). The ``meta`` member, when present,
says which version it is.

Everything is streamed in chunks and counted: a member may unpack to at most ``ratio`` times
its packed size above a floor, and never past an absolute cap, so a 1 MB zip or zstd bomb stops
after a bounded amount of work and memory. The collection goes to a temp file (SQLite reads it
from disk, not from memory). A deadline bounds the whole import, SQLite queries included.
"""

from __future__ import annotations

import json
import re
import shutil
import sqlite3
import tempfile
import time
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

import zstandard

from quiz.anki import protobuf_wire as pb
from quiz.errors import QuizError

MiB = 1 << 20
CHUNK = 1 << 20
ZSTD_MAGIC = b"\x28\xb5\x2f\xfd"
LEGACY_MEMBERS = ("collection.anki21", "collection.anki2")
LATEST_MEMBER = "collection.anki21b"
LATEST_VERSION = 3
# Media names become file names on disk: a plain name, no path, no control characters.
_MEDIA_NAME = re.compile(r"[^/\\\x00-\x1f\x7f]{1,255}")


@dataclass(frozen=True)
class Limits:
    """What a package may unpack to. A 33,000-note collection is ~40 MiB of SQLite packed ~5:1;
    real collections with long HTML stay far under these caps, bombs (1000:1 and more) do not."""

    collection_bytes: int = 4096 * MiB  # absolute cap on the unpacked collection
    media_file_bytes: int = 256 * MiB  # one image or sound
    total_bytes: int = 8192 * MiB  # everything unpacked from one package
    small_bytes: int = 64 * MiB  # the media map and meta
    floor_bytes: int = 64 * MiB  # up to this much, any ratio (tiny members of repeated text)
    ratio: int = 100  # past the floor, unpacked / packed must stay under this
    media_files: int = 500_000
    notes: int = 1_000_000  # rows held in memory: the largest shared decks have ~40,000
    reviews: int = 5_000_000  # review log rows brought across (a heavy user: ~1M in 10 years)
    seconds: float = 600.0  # the whole import, SQLite included


LIMITS = Limits()


class PackageError(QuizError):
    """A package we refuse: the message names the file and says why, on one line."""


class Deadline:
    """Wall-clock budget for reading one package; ``check`` raises once it is spent."""

    def __init__(self, shown: str, seconds: float) -> None:
        self.shown = shown
        self.seconds = seconds
        self.end = time.monotonic() + seconds

    def expired(self) -> bool:
        return time.monotonic() > self.end

    def check(self) -> None:
        if self.expired():
            raise PackageError(f"{self.shown}: reading the package took longer than {self.seconds:.0f} s; gave up")


@dataclass
class _Budget:
    """How much a package may still unpack before it is refused as a bomb."""

    limits: Limits
    used: int = 0

    def allowance(self, packed: int, cap: int) -> int:
        """How many bytes a member packed in ``packed`` bytes may unpack to."""
        by_ratio = max(self.limits.floor_bytes, packed * self.limits.ratio)
        return min(cap, by_ratio, self.limits.total_bytes - self.used)


@dataclass
class Package:
    """An open package; use as a context manager (it owns a temp directory)."""

    path: Path
    shown: str
    version: int
    collection: Path  # the SQLite file, unpacked into our temp directory
    media: dict[str, str]  # media file name -> zip member
    deadline: Deadline
    skipped_media: int = 0  # names refused as unsafe file names
    _zip: zipfile.ZipFile | None = None
    _tmp: Path | None = None
    _budget: _Budget = field(default_factory=lambda: _Budget(LIMITS))

    def __enter__(self) -> Package:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self._zip is not None:
            self._zip.close()
            self._zip = None
        if self._tmp is not None:
            shutil.rmtree(self._tmp, ignore_errors=True)
            self._tmp = None

    def connect(self) -> sqlite3.Connection:
        """The collection, read-only; queries are interrupted when the deadline passes."""
        try:
            conn = sqlite3.connect(f"file:{self.collection}?mode=ro&immutable=1", uri=True)
        except sqlite3.Error as e:
            raise self.bad_collection(e) from None
        conn.set_progress_handler(self.deadline.expired, 100_000)
        return conn

    def bad_collection(self, e: Exception) -> PackageError:
        if isinstance(e, sqlite3.OperationalError) and "interrupt" in str(e):
            return PackageError(
                f"{self.shown}: reading the package took longer than {self.deadline.seconds:.0f} s; gave up"
            )
        detail = " ".join(str(e).split())[:200]
        return PackageError(f"{self.shown}: the collection inside is not a readable Anki database ({detail})")

    def copy_media(self, name: str, dest: Path) -> bool:
        """Unpack media file ``name`` to ``dest``; False when the package does not hold it."""
        member = self.media.get(name)
        if member is None or self._zip is None:
            return False
        try:
            info = self._zip.getinfo(member)
        except KeyError:
            return False
        with dest.open("wb") as out:
            _unpack(self, info, out, self.limits.media_file_bytes, zstd=self.version >= LATEST_VERSION)
        return True

    @property
    def limits(self) -> Limits:
        return self._budget.limits


def open_package(path: Path, limits: Limits | None = None) -> Package:
    """Open and check ``path``; the collection is unpacked, media are unpacked on demand."""
    limits = limits or LIMITS
    shown = str(path)
    deadline = Deadline(shown, limits.seconds)
    try:
        z = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, ValueError) as e:
        raise PackageError(f"{shown}: not an Anki package (not a readable zip file: {e})") from None
    except OSError as e:
        raise PackageError(f"{shown}: cannot read: {e.strerror or e}") from None
    tmp = Path(tempfile.mkdtemp(prefix="quiz-apkg-"))
    pkg = Package(path, shown, 0, tmp / "collection.sqlite", {}, deadline, _zip=z, _tmp=tmp, _budget=_Budget(limits))
    try:
        names = set(z.namelist())
        pkg.version = _version(pkg, z, names)
        member = LATEST_MEMBER if pkg.version >= LATEST_VERSION else next(m for m in LEGACY_MEMBERS if m in names)
        with pkg.collection.open("wb") as out:
            _unpack(pkg, z.getinfo(member), out, limits.collection_bytes, zstd=pkg.version >= LATEST_VERSION)
        _check_sqlite_file(pkg, member)
        if "media" in names:
            pkg.media, pkg.skipped_media = _media_map(pkg, z, names)
    except BaseException:
        pkg.close()
        raise
    return pkg


def _check_sqlite_file(pkg: Package, member: str) -> None:
    """The header's page size x page count must fit in the file: catches a cut-off collection
    (a truncated zstd stream ends without an error)."""
    with pkg.collection.open("rb") as f:
        head = f.read(100)
    if len(head) < 100 or not head.startswith(b"SQLite format 3\0"):
        raise PackageError(f"{pkg.shown}: the collection inside is not a readable Anki database ({member} is not SQLite)")
    page_size = int.from_bytes(head[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    pages = int.from_bytes(head[28:32], "big")
    valid = head[24:28] == head[92:96]  # the in-header size is trusted only when these match
    if valid and pages and pkg.collection.stat().st_size < pages * page_size:
        raise PackageError(f"{pkg.shown}: the package is damaged ({member} is cut short)")


def _version(pkg: Package, z: zipfile.ZipFile, names: set[str]) -> int:
    if "meta" in names:
        raw = _read_small(pkg, z, "meta", zstd=False)
        try:
            version = pb.number(raw, 1)
        except ValueError as e:
            raise PackageError(f"{pkg.shown}: the package's 'meta' member is damaged ({e})") from None
        if version > LATEST_VERSION:
            raise PackageError(f"{pkg.shown}: made by a newer Anki (package version {version}); quiz reads up to {LATEST_VERSION}")
        if version == LATEST_VERSION and LATEST_MEMBER not in names:
            raise PackageError(f"{pkg.shown}: not an Anki package ({LATEST_MEMBER} missing though 'meta' says it is there)")
        if version == LATEST_VERSION:
            return version
    if LATEST_MEMBER in names and not any(m in names for m in LEGACY_MEMBERS):
        return LATEST_VERSION
    if "collection.anki21" in names:
        return 2
    if "collection.anki2" in names:
        return 1
    raise PackageError(f"{pkg.shown}: not an Anki package (no collection inside the zip)")


def _media_map(pkg: Package, z: zipfile.ZipFile, names: set[str]) -> tuple[dict[str, str], int]:
    raw = _read_small(pkg, z, "media", zstd=pkg.version >= LATEST_VERSION)
    pairs: list[tuple[str, str]] = []
    try:
        if pkg.version >= LATEST_VERSION:
            for index, entry in enumerate(pb.repeated(raw, 1)):
                legacy = pb.last(entry, 255, -1)
                member = str(legacy if isinstance(legacy, int) and legacy >= 0 else index)
                pairs.append((pb.text(entry, 1), member))
        else:
            data = json.loads(raw.decode("utf-8")) if raw.strip() else {}
            if not isinstance(data, dict):
                raise ValueError("not a JSON object")
            pairs = [(str(name), str(member)) for member, name in data.items()]
    except (ValueError, UnicodeDecodeError) as e:
        raise PackageError(f"{pkg.shown}: the package's media list is damaged ({' '.join(str(e).split())[:120]})") from None
    if len(pairs) > pkg.limits.media_files:
        raise PackageError(f"{pkg.shown}: lists {len(pairs)} media files; quiz reads at most {pkg.limits.media_files}")
    media: dict[str, str] = {}
    unsafe = 0
    for name, member in pairs:
        if _MEDIA_NAME.fullmatch(name) and name not in (".", "..") and member in names:
            media.setdefault(name, member)
        else:
            unsafe += 1
    return media, unsafe


def _read_small(pkg: Package, z: zipfile.ZipFile, member: str, *, zstd: bool) -> bytes:
    sink = _Collect()
    _unpack(pkg, z.getinfo(member), sink, pkg.limits.small_bytes, zstd=zstd)
    return b"".join(sink.parts)


class _Collect:
    def __init__(self) -> None:
        self.parts: list[bytes] = []

    def write(self, data: bytes) -> int:
        self.parts.append(data)
        return len(data)


def _unpack(pkg: Package, info: zipfile.ZipInfo, out: IO[bytes] | _Collect, cap: int, *, zstd: bool) -> None:
    """Stream one member (through zstd when ``zstd`` and the data starts with its magic) into
    ``out``, refusing once it passes its allowance."""
    allowance = pkg._budget.allowance(info.compress_size, cap)
    if info.file_size > allowance and not zstd:
        raise _too_big(pkg, info.filename, allowance)
    written = 0

    def emit(data: bytes) -> None:
        nonlocal written
        written += len(data)
        if written > allowance:
            raise _too_big(pkg, info.filename, allowance)
        pkg.deadline.check()
        out.write(data)

    try:
        assert pkg._zip is not None
        with pkg._zip.open(info) as raw:
            head = raw.read(18)  # long enough for a zstd frame header
            if zstd and head[:4] == ZSTD_MAGIC:
                declared = zstandard.frame_content_size(head)  # -1: not in the header
                if declared > allowance:
                    raise _too_big(pkg, info.filename, allowance)
                _unzstd(_Prefixed(head, raw), emit)
                if declared >= 0 and written < declared:
                    raise zstandard.ZstdError(f"truncated: {written} of {declared} bytes")
            else:
                emit(head)
                while chunk := raw.read(CHUNK):
                    emit(chunk)
    except PackageError:
        raise
    except (zipfile.BadZipFile, zlib.error, EOFError, zstandard.ZstdError, NotImplementedError, RuntimeError) as e:
        detail = " ".join(str(e).split())[:160]
        raise PackageError(f"{pkg.shown}: the package is damaged ({info.filename}: {detail})") from None
    except OSError as e:
        raise PackageError(f"{pkg.shown}: cannot unpack {info.filename}: {e.strerror or e}") from None
    pkg._budget.used += written


def _unzstd(source: IO[bytes] | _Prefixed, emit: Callable[[bytes], None]) -> None:
    # read_across_frames: Anki writes one frame, but a crafted file may hold many; all count.
    reader = zstandard.ZstdDecompressor().stream_reader(source, read_across_frames=True)  # type: ignore[arg-type]
    while chunk := reader.read(CHUNK):
        emit(chunk)


class _Prefixed:
    """A stream with the bytes already read from its start put back in front."""

    def __init__(self, head: bytes, rest: IO[bytes]) -> None:
        self.head = head
        self.rest = rest

    def read(self, n: int = -1) -> bytes:
        if self.head:
            out, self.head = self.head, b""
            if n < 0:
                return out + self.rest.read()
            return out + self.rest.read(max(n - len(out), 0))
        return self.rest.read(n)


def _too_big(pkg: Package, member: str, allowance: int) -> PackageError:
    return PackageError(
        f"{pkg.shown}: {member} unpacks to more than {allowance // MiB} MiB (over {pkg.limits.ratio}× its packed size "
        "or quiz's cap); refused as a possible zip bomb"
    )
