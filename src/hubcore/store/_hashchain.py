"""The memory store's hash chain: each event's hash covers the previous hash and the event.

(The SQLite store chains its commit rows instead, with a check value per event:
:mod:`._commits`. Both start from :data:`GENESIS`.)

``hash(n) = sha256(hash(n-1) || head(n) || subject(n) || payload(n))`` where ``head(n)``
packs, big-endian, the position (8 bytes), the stream version (8), the 16-byte event id,
``recorded_at`` in microseconds since the Unix epoch (8, signed) and the schema version (4);
``subject(n)`` is the stream name (4-byte length, UTF-8) and the event type (2-byte
length, UTF-8). Every part has a fixed size or a length prefix and the payload comes
last, so the encoding is unambiguous. ``hash(0)`` is 32 zero bytes.

The per-event work is one ``struct`` pack and one SHA-256 over about 300 bytes; the
memory store inlines :data:`HEAD` in its append loop.
"""

from __future__ import annotations

import struct
from hashlib import sha256

__all__ = ["GENESIS", "HEAD", "link", "subject"]

GENESIS = bytes(32)
HEAD = struct.Struct(">32sqq16sqi")
"""prev hash, position, version, event id, recorded_at (microseconds), schema version."""


def subject(stream: str, event_type: str) -> bytes:
    """The length-prefixed stream name and event type, as hashed after the head."""
    name = stream.encode()
    kind = event_type.encode()
    return len(name).to_bytes(4) + name + len(kind).to_bytes(2) + kind


def link(
    prev: bytes,
    *,
    position: int,
    stream: str,
    version: int,
    event_id: bytes,
    event_type: str,
    schema_version: int,
    recorded_at: int,
    payload: bytes,
) -> bytes:
    """The hash of one event, chained onto ``prev``; ``event_id`` must be 16 bytes."""
    if len(event_id) != 16:
        raise ValueError(f"an event id is 16 bytes, got {len(event_id)}")
    digest = sha256(HEAD.pack(prev, position, version, event_id, recorded_at, schema_version))
    digest.update(subject(stream, event_type))
    digest.update(payload)
    return digest.digest()
