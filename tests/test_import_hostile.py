"""Hostile and broken Anki packages: one line naming the file, exit 1, nothing written, bounded work."""

from __future__ import annotations

import io
import json
import sqlite3
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
import zstandard
from anki_packages import build_package
from test_export_helpers import quiz_home  # noqa: F401

from quiz.anki import package_reader
from quiz.anki.package_reader import Limits
from quiz.cli import main

MiB = 1 << 20


@pytest.fixture(scope="module")
def packages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    folder = tmp_path_factory.mktemp("anki")
    return {
        "legacy": build_package(folder / "legacy", legacy=True).path.read_bytes(),
        "latest": build_package(folder / "latest", legacy=False).path.read_bytes(),
    }


def members(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return {n: z.read(n) for n in z.namelist()}


def rezip(parts: dict[str, bytes], method: int = zipfile.ZIP_STORED) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", method) as z:
        for name, data in parts.items():
            z.writestr(name, data)
    return buf.getvalue()


def edit_collection(data: bytes, sql: str, *, latest: bool = False) -> bytes:
    """The package with ``sql`` run against its collection (recompressed for the latest format)."""
    parts = members(data)
    name = "collection.anki21b" if latest else "collection.anki21"
    raw = bytearray(zstandard.ZstdDecompressor().stream_reader(parts[name]).read() if latest else parts[name])
    raw[18:20] = b"\x01\x01"  # Anki's file is in WAL mode, which a deserialized database cannot be
    conn = sqlite3.connect(":memory:")
    conn.deserialize(bytes(raw))
    conn.executescript(sql)
    out = conn.serialize()
    conn.close()
    parts[name] = zstandard.ZstdCompressor().compress(out) if latest else out
    return rezip(parts)


def zero_stream_zip(name: str, size: int) -> bytes:
    """A zip whose member ``name`` deflates ``size`` zero bytes into a few KiB (a zip bomb)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z, z.open(name, "w", force_zip64=True) as f:
        chunk = bytes(MiB)
        for _ in range(size // MiB):
            f.write(chunk)
    return buf.getvalue()


def zstd_bomb(size: int) -> bytes:
    out = io.BytesIO()
    with zstandard.ZstdCompressor(level=1).stream_writer(out, closefd=False) as w:
        chunk = bytes(MiB)
        for _ in range(size // MiB):
            w.write(chunk)
    return out.getvalue()


META3 = b"\x08\x03"

CASES: dict[str, tuple[Callable[[dict[str, bytes]], bytes], str]] = {
    "truncated zip": (lambda p: p["legacy"][: len(p["legacy"]) // 2], "not an Anki package (not a readable zip file"),
    "not a zip": (lambda p: b"PK\x03\x04" + b"\x00" * 100, "not an Anki package (not a readable zip file"),
    "no collection": (lambda p: rezip({"media": b"{}", "readme.txt": b"hi"}), "no collection inside the zip"),
    "meta says latest, no anki21b": (
        lambda p: rezip({"meta": META3, "collection.anki2": members(p["legacy"])["collection.anki21"]}),
        "collection.anki21b missing",
    ),
    "meta from the future": (lambda p: rezip({"meta": b"\x08\x09", "collection.anki21b": b""}), "made by a newer Anki"),
    "bad meta protobuf": (lambda p: rezip({"meta": b"\x08", "collection.anki21": b""}), "'meta' member is damaged"),
    "not sqlite": (lambda p: rezip({"collection.anki2": b"\x01" * 4096}), "not a readable Anki database"),
    "sqlite without anki tables": (
        lambda p: rezip({"collection.anki2": _empty_sqlite()}), "not an Anki collection (tables notes, cards or col missing)"
    ),
    "bad models json": (
        lambda p: edit_collection(p["legacy"], "UPDATE col SET models = '{not json'"), "not a readable Anki database"
    ),
    "models without fields (KeyError)": (
        lambda p: edit_collection(p["legacy"], """UPDATE col SET models = '{"1": {"id": 1}}'"""),
        "not a readable Anki database",
    ),
    "models a list (TypeError)": (
        lambda p: edit_collection(p["legacy"], "UPDATE col SET models = '[1, 2]'"), "not a readable Anki database"
    ),
    "note fields a number": (
        lambda p: edit_collection(p["legacy"], "UPDATE notes SET flds = x'ff00'"), "not a readable Anki database"
    ),
    "deck names null": (
        lambda p: edit_collection(p["legacy"], """UPDATE col SET decks = '{"1": {"id": null}}'"""),
        "not a readable Anki database",
    ),
    "bad notetype protobuf": (
        lambda p: edit_collection(p["latest"], "UPDATE notetypes SET config = x'08'", latest=True),
        "not a readable Anki database",
    ),
    "bad template protobuf": (
        lambda p: edit_collection(p["latest"], "UPDATE templates SET config = x'0aff'", latest=True),
        "not a readable Anki database",
    ),
    "notetypes table dropped": (
        lambda p: edit_collection(p["latest"], "DROP TABLE notetypes; DROP TABLE fields", latest=True),
        "not a readable Anki database",
    ),
    "broken zstd": (
        lambda p: rezip({**members(p["latest"]), "collection.anki21b": _half(members(p["latest"])["collection.anki21b"])}),
        "the collection inside is not a readable Anki database (collection.anki21b is not SQLite)",
    ),
    "collection cut short": (
        lambda p: rezip({"collection.anki21": _half(members(p["legacy"])["collection.anki21"])}),
        "the package is damaged (collection.anki21 is cut short)",
    ),
    "bad media protobuf": (
        lambda p: rezip({**members(p["latest"]), "media": zstandard.ZstdCompressor().compress(b"\x0a\xff\x01")}),
        "media list is damaged",
    ),
    "bad media json": (lambda p: rezip({**members(p["legacy"]), "media": b"[1, 2"}), "media list is damaged"),
    "media json a list": (lambda p: rezip({**members(p["legacy"]), "media": b"[1, 2]"}), "media list is damaged"),
    "only the stub collection": (
        lambda p: rezip({"meta": b"\x08\x02", "collection.anki2": members(p["latest"])["collection.anki2"]}),
        "only Anki's 'please update' stub collection",
    ),
    "bad crc": (lambda p: _flip_crc(p["legacy"]), "the package is damaged"),
}


def _half(data: bytes) -> bytes:
    return data[: len(data) // 2]


def _empty_sqlite() -> bytes:
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE TABLE t (x)")
    data = conn.serialize()
    conn.close()
    return data


def _flip_crc(data: bytes) -> bytes:
    parts = members(data)
    raw = bytearray(rezip(parts))
    at = raw.index(b"SQLite format 3") + 200  # inside the stored collection member
    raw[at] ^= 0xFF
    return bytes(raw)


def _refused(path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], message: str) -> None:
    out = tmp_path / "out"
    assert main(["import", str(path), "-o", str(out)]) == 1
    captured = capsys.readouterr()
    assert captured.err.count("\n") == 1, captured.err
    assert captured.err.startswith(f"quiz: {path}: "), captured.err
    assert message in captured.err and "Traceback" not in captured.err
    assert not out.exists()


@pytest.mark.parametrize("case", sorted(CASES))
def test_bad_package_is_one_line_and_exit_1(case: str, packages, tmp_path: Path, quiz_home: Path, capsys) -> None:
    make, message = CASES[case]
    path = tmp_path / "bad.apkg"
    path.write_bytes(make(packages))
    _refused(path, tmp_path, capsys, message)


def test_zip_bomb_stops_at_the_cap(tmp_path: Path, quiz_home: Path, capsys, monkeypatch) -> None:
    monkeypatch.setattr(package_reader, "LIMITS", Limits(floor_bytes=4 * MiB))
    path = tmp_path / "bomb.apkg"
    path.write_bytes(zero_stream_zip("collection.anki2", 64 * MiB))
    assert path.stat().st_size < MiB // 4  # 64 MiB of zeros packed into a few KiB
    _refused(path, tmp_path, capsys, "collection.anki2 unpacks to more than 6 MiB (over 100× its packed size or quiz's cap); refused as a possible zip bomb")


def test_zstd_bomb_inside_the_latest_format_stops_at_the_real_cap(tmp_path: Path, quiz_home: Path, capsys) -> None:
    path = tmp_path / "zbomb.apkg"
    path.write_bytes(rezip({"meta": META3, "collection.anki21b": zstd_bomb(80 * MiB)}))
    assert path.stat().st_size < MiB
    _refused(path, tmp_path, capsys, "collection.anki21b unpacks to more than 64 MiB")


def test_a_media_bomb_is_refused(packages, tmp_path: Path, quiz_home: Path, capsys, monkeypatch) -> None:
    monkeypatch.setattr(package_reader, "LIMITS", Limits(floor_bytes=4 * MiB))
    parts = members(packages["latest"])
    bomb = zstd_bomb(16 * MiB)
    parts.update({n: bomb for n in parts if n.isdigit()})
    path = tmp_path / "mbomb.apkg"
    path.write_bytes(rezip(parts))
    _refused(path, tmp_path, capsys, "unpacks to more than 4 MiB")


def test_time_is_bounded(packages, tmp_path: Path, quiz_home: Path, capsys, monkeypatch) -> None:
    monkeypatch.setattr(package_reader, "LIMITS", Limits(seconds=0.0))
    path = tmp_path / "slow.apkg"
    path.write_bytes(packages["legacy"])
    _refused(path, tmp_path, capsys, "took longer than 0 s; gave up")


def test_unsafe_media_names_are_never_written(packages, tmp_path: Path, quiz_home: Path, capsys) -> None:
    parts = members(packages["legacy"])
    media = json.loads(parts["media"])
    media = {k: ("../../evil.png" if v == "pill.png" else v) for k, v in media.items()}
    parts["media"] = json.dumps(media).encode()
    path = tmp_path / "sneaky.apkg"
    path.write_bytes(rezip(parts))
    assert main(["import", str(path), "-o", str(tmp_path / "out")]) == 0
    assert "image not in the package" in capsys.readouterr().err  # pill.png is now missing
    assert not list(tmp_path.parent.glob("**/evil.png"))


@pytest.mark.parametrize(("limits", "message"), [
    (Limits(notes=5), "holds 11 notes; quiz imports at most 5"),
    (Limits(reviews=3), "holds 6 reviews; quiz brings at most 3 across"),
])
def test_row_counts_are_capped(limits: Limits, message: str, packages, tmp_path: Path, quiz_home: Path, capsys,
                               monkeypatch) -> None:
    monkeypatch.setattr(package_reader, "LIMITS", limits)
    path = tmp_path / "many.apkg"
    path.write_bytes(packages["latest"])
    _refused(path, tmp_path, capsys, message)
