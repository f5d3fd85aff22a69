"""The compact stored form of a read model's state: its fields' values, marshalled.

A built-in read model's state is plain data (ints, floats, text, None, lists, dicts), so
``marshal`` writes it whole. Against the JSON form it loads faster (no text to parse, and
URN keys stay ints with no conversion pass), and it keeps the state's sharing: a value
repeated across millions of facts (a day, a judgement mapping) is written once and loads
as one object, so a loaded state is as small in memory as the folded one.

Layout: :data:`MAGIC`, a CRC-32 of the body (4 bytes, big-endian), then the body:
``marshal.dumps((field names, field values))``. The CRC and the names guard against a
damaged or foreign row (:class:`~hubcore.CorruptRecord`; the Projector then folds the
read model again from the log). ``marshal`` may change between Python versions; a row it
cannot read is such a row too.
"""

from __future__ import annotations

import marshal
import zlib
from collections.abc import Sequence
from typing import Any

from hubcore.errors import CorruptRecord

__all__ = ["MAGIC", "is_packed", "pack", "unpack"]

MAGIC = b"\x00hubcore-marshal-1\x00"
"""The first bytes of a packed state (JSON never starts with a NUL byte)."""


def pack(names: tuple[str, ...], values: Sequence[Any]) -> bytes | None:
    """The fields ``names`` holding ``values``, packed; None if marshal cannot write one."""
    try:
        body = marshal.dumps((names, list(values)))
    except ValueError:  # a value marshal cannot write (a date, an enum member, ...)
        return None
    return MAGIC + zlib.crc32(body).to_bytes(4, "big") + body


def is_packed(data: bytes) -> bool:
    """Whether ``data`` is in the packed form (rather than JSON)."""
    return data.startswith(MAGIC)


def unpack(data: bytes, names: tuple[str, ...], owner: str) -> list[Any]:
    """The field values packed in ``data``, checked to be ``names``' (``owner`` names the
    read model in errors): :class:`~hubcore.CorruptRecord` if damaged or foreign."""
    start = len(MAGIC) + 4
    body = memoryview(data)[start:]
    if len(data) < start or zlib.crc32(body) != int.from_bytes(data[len(MAGIC) : start]):
        raise CorruptRecord(f"stored state of read model {owner}: damaged (CRC mismatch)")
    try:
        found, values = marshal.loads(body)
    except (EOFError, ValueError, TypeError) as error:
        raise CorruptRecord(f"stored state of read model {owner}: {error!r}") from None
    if found != names or not isinstance(values, list) or len(values) != len(names):
        raise CorruptRecord(
            f"stored state of read model {owner}: its fields {found!r} are not {names!r}"
        )
    return values
