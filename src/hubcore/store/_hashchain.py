"""The hash chain over the log: each event's hash covers the previous hash and the event.

``hash(n) = sha256(hash(n-1) || canonical(n))`` where ``canonical(n)`` is the UTF-8 header
``"<position>|<len(stream)>:<stream>|<version>|<event id hex>|<event type>|<schema
version>|<recorded at>|"`` followed by the payload bytes. The stream is length-prefixed and
every other header field has a fixed alphabet without ``|``, and the payload comes last, so
the encoding is unambiguous. ``hash(0)`` is 32 zero bytes.
"""

from __future__ import annotations

from collections.abc import Sequence
from hashlib import sha256

__all__ = ["GENESIS", "chain", "link"]

GENESIS = bytes(32)


def link(
    prev: bytes,
    *,
    position: int,
    stream: str,
    version: int,
    event_id: bytes,
    event_type: str,
    schema_version: int,
    recorded_at: str,
    payload: bytes,
) -> bytes:
    """The hash of one event, chained onto ``prev``."""
    digest = sha256(prev)
    digest.update(
        f"{position}|{len(stream)}:{stream}|{version}|{event_id.hex()}|{event_type}|"
        f"{schema_version}|{recorded_at}|".encode()
    )
    digest.update(payload)
    return digest.digest()


def chain(
    prev: bytes,
    *,
    first_position: int,
    stream: str,
    first_version: int,
    event_ids: Sequence[bytes],
    event_types: Sequence[str],
    schema_versions: Sequence[int],
    recorded_at: str,
    payloads: Sequence[bytes],
) -> list[bytes]:
    """The hashes of one batch of consecutive events in one stream (a tight loop)."""
    hashes: list[bytes] = []
    append = hashes.append
    prefix = f"{len(stream)}:{stream}"
    position = first_position
    version = first_version
    for event_id, event_type, schema_version, payload in zip(
        event_ids, event_types, schema_versions, payloads, strict=True
    ):
        digest = sha256(prev)
        digest.update(
            f"{position}|{prefix}|{version}|{event_id.hex()}|{event_type}|"
            f"{schema_version}|{recorded_at}|".encode()
        )
        digest.update(payload)
        prev = digest.digest()
        append(prev)
        position += 1
        version += 1
    return hashes
