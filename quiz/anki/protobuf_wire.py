"""Just enough of the protobuf wire format to read the few messages an Anki package holds.

Anki's schema-18 collections and version-3 packages keep small protobuf blobs (the package
``meta``, the media map, note type and template configs, deck descriptions). We read them field
by field instead of shipping Anki's .proto files; anything malformed raises ``ValueError``.
"""

from __future__ import annotations

from collections.abc import Iterator

VARINT, FIXED64, LENGTH, FIXED32 = 0, 1, 2, 5


def _varint(data: bytes, pos: int) -> tuple[int, int]:
    value = shift = 0
    while True:
        if pos >= len(data):
            raise ValueError("truncated varint")
        byte = data[pos]
        pos += 1
        value |= (byte & 0x7F) << shift
        if not byte & 0x80:
            return value, pos
        shift += 7
        if shift > 63:
            raise ValueError("varint too long")


def fields(data: bytes) -> Iterator[tuple[int, int | bytes]]:
    """(field number, value) pairs in order: ints for varints and fixed widths, bytes for the rest."""
    pos = 0
    while pos < len(data):
        key, pos = _varint(data, pos)
        number, wire = key >> 3, key & 7
        if wire == VARINT:
            value, pos = _varint(data, pos)
            yield number, value
        elif wire == LENGTH:
            size, pos = _varint(data, pos)
            if pos + size > len(data):
                raise ValueError("truncated field")
            yield number, data[pos : pos + size]
            pos += size
        elif wire in (FIXED64, FIXED32):
            width = 8 if wire == FIXED64 else 4
            if pos + width > len(data):
                raise ValueError("truncated field")
            yield number, int.from_bytes(data[pos : pos + width], "little")
            pos += width
        else:
            raise ValueError(f"unsupported wire type {wire}")


def last(data: bytes, number: int, default: int | bytes) -> int | bytes:
    """The last value of field ``number`` (protobuf's rule for repeated scalars), else ``default``."""
    found = default
    for n, value in fields(data):
        if n == number:
            found = value
    if type(found) is not type(default):
        raise ValueError(f"field {number} has the wrong wire type")
    return found


def text(data: bytes, number: int) -> str:
    value = last(data, number, b"")
    assert isinstance(value, bytes)
    return value.decode("utf-8")


def number(data: bytes, field_number: int) -> int:
    value = last(data, field_number, 0)
    assert isinstance(value, int)
    return value


def repeated(data: bytes, field_number: int) -> list[bytes]:
    out = []
    for n, value in fields(data):
        if n == field_number:
            if not isinstance(value, bytes):
                raise ValueError(f"field {field_number} has the wrong wire type")
            out.append(value)
    return out
