"""Shared plumbing of the importers: reading bytes and collecting problems."""

from __future__ import annotations

import os
from pathlib import Path

from hubcore.errors import ImportFailed

__all__ = ["FILE", "MAX_PROBLEMS", "Problems", "Source", "read_source"]

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
        """The error listing the problems kept, in line order."""
        return ImportFailed(self.source, sorted(self.kept, key=lambda p: p[0]), self.total)

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
