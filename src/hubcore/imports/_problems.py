"""Shared plumbing of the importers: reading bytes, choosing an encoding, collecting problems."""

from __future__ import annotations

import codecs
import os
from pathlib import Path

from hubcore.errors import ImportFailed

__all__ = ["FILE", "MAX_PROBLEMS", "Problems", "Source", "decode_text", "read_source"]

MAX_PROBLEMS = 50
"""How many problems an :class:`~hubcore.ImportFailed` lists before "and N more"."""

FILE = "file"
"""The ``column`` of a problem about the file as a whole."""

Source = str | os.PathLike[str] | bytes
"""A path to read, or the file's bytes."""


class Problems:
    """Collects ``(line, column, reason)`` problems, keeping the first ``limit`` and a total."""

    def __init__(self, source: str, limit: int = MAX_PROBLEMS) -> None:
        self.source = source
        self.limit = limit
        self.kept: list[tuple[int, str, str]] = []
        self.total = 0

    def add(self, line: int, column: str, reason: str) -> None:
        self.total += 1
        if len(self.kept) < self.limit:
            self.kept.append((line, column, reason))

    def __bool__(self) -> bool:
        return self.total > 0

    def fail(self, line: int, column: str, reason: str) -> ImportFailed:
        """Add one problem and return the error to raise with everything collected so far."""
        self.add(line, column, reason)
        return self.error()

    def error(self) -> ImportFailed:
        return ImportFailed(self.source, list(self.kept), self.total)

    def raise_if_any(self) -> None:
        if self.total:
            raise self.error()


def read_source(source: Source, name: str | None) -> tuple[bytes, str]:
    """The bytes of ``source`` and the name to report it by."""
    if isinstance(source, bytes):
        return source, name or "<bytes>"
    label = name or os.fspath(source)
    try:
        return Path(source).read_bytes(), label
    except OSError as error:
        raise ImportFailed(label, [(0, FILE, f"cannot read the file: {error.strerror}")]) from None


def _line_of(data: bytes, index: int) -> int:
    return data.count(b"\n", 0, index) + 1


def decode_text(data: bytes, problems: Problems, *, allow_cp1252: bool) -> tuple[str, str]:
    """Decode ``data`` and say which encoding was used.

    A UTF-8 byte-order mark means ``utf-8-sig``; otherwise strict UTF-8 is tried, then (when
    ``allow_cp1252``) Windows-1252. Empty, binary (NUL bytes), UTF-16 and undecodable input
    raise :class:`~hubcore.ImportFailed` naming the line.
    """
    if not data.strip():
        raise problems.fail(1, FILE, "the file is empty")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise problems.fail(
            1, FILE, "the file is UTF-16; save it as CSV UTF-8 or Windows-1252 and try again"
        )
    nul = data.find(b"\x00")
    if nul >= 0:
        raise problems.fail(
            _line_of(data, nul), FILE, "contains NUL bytes: this is a binary file, not text"
        )
    offset, body = 0, data
    if data.startswith(codecs.BOM_UTF8):
        offset, body = len(codecs.BOM_UTF8), data[len(codecs.BOM_UTF8) :]
        encodings = ["utf-8"]
    elif allow_cp1252:
        encodings = ["utf-8", "cp1252"]
    else:
        encodings = ["utf-8"]
    bad: UnicodeDecodeError | None = None
    for encoding in encodings:
        try:
            text = body.decode(encoding)
        except UnicodeDecodeError as error:
            bad = error
            continue
        return text, "utf-8-sig" if offset else encoding
    assert bad is not None
    index = offset + bad.start
    tried = " or ".join("Windows-1252" if e == "cp1252" else "UTF-8" for e in encodings)
    raise problems.fail(
        _line_of(data, index),
        FILE,
        f"not valid {tried} text: byte 0x{data[index]:02x} cannot be decoded"
        " (wrong encoding, or not a text file)",
    )
