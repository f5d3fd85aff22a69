"""Checking and encoding an append batch once, before any backend touches its storage."""

from __future__ import annotations

import os
import uuid
from collections.abc import Sequence
from datetime import UTC, datetime

import attrs

from hubcore.codec import encode
from hubcore.errors import DuplicateEventId, InvalidEvent
from hubcore.events import EVENT_TYPES, Event
from hubcore.store._protocol import AppendResult, ExpectedVersion, StoredProjection

__all__ = [
    "Batch",
    "check_expected",
    "checked_projection",
    "now_text",
    "prepare",
    "resolve_retry",
    "uuid_from_bytes",
]

_KNOWN = frozenset(EVENT_TYPES.values())
_V4_CLEAR = ~((0xF000 << 64) | (0xC000 << 48)) & ((1 << 128) - 1)
_V4_SET = (0x4000 << 64) | (0x8000 << 48)


@attrs.frozen
class Batch:
    """A checked, encoded batch: parallel lists, one entry per event."""

    stream: str
    events: Sequence[Event]
    event_ids: list[bytes]
    ids_given: bool
    event_types: list[str]
    schema_versions: list[int]
    payloads: list[bytes]


def check_expected(expected: object) -> int | ExpectedVersion:
    """Refuse an ``expected_version`` that is not ANY, NO_STREAM or a whole number >= 0."""
    if isinstance(expected, ExpectedVersion):
        return expected
    if type(expected) is not int or expected < 0:
        raise InvalidEvent(
            "append", "expected_version", f"must be ANY, NO_STREAM or an int >= 0, got {expected!r}"
        )
    return expected


def _fresh_ids(count: int) -> list[bytes]:
    raw = os.urandom(16 * count)
    return [
        ((int.from_bytes(raw[i : i + 16]) & _V4_CLEAR) | _V4_SET).to_bytes(16)
        for i in range(0, 16 * count, 16)
    ]


def prepare(stream: str, events: Sequence[Event], event_ids: Sequence[uuid.UUID] | None) -> Batch:
    """Check every event belongs in ``stream`` and encode each once; raise before any write."""
    if not isinstance(stream, str) or not stream:
        raise InvalidEvent("append", "stream", f"must be a non-empty stream name, got {stream!r}")
    if isinstance(events, Event) or not isinstance(events, Sequence):
        raise InvalidEvent("append", "events", "must be a sequence of events")
    count = len(events)
    if count == 0:
        raise InvalidEvent("append", "events", "a batch must hold at least one event")
    types: list[str] = []
    versions: list[int] = []
    payloads: list[bytes] = []
    for index, event in enumerate(events):
        cls = type(event)
        if cls not in _KNOWN:
            raise InvalidEvent(
                "append", f"events[{index}]", f"is not a hubcore event, got {cls.__name__}"
            )
        if event.stream != stream:
            raise InvalidEvent(
                cls.event_type,
                "stream",
                f"events[{index}] belongs in stream {event.stream!r}, not {stream!r}",
            )
        types.append(cls.event_type)
        versions.append(cls.schema_version)
        payloads.append(encode(event))
    if event_ids is None:
        ids = _fresh_ids(count)
    else:
        if len(event_ids) != count:
            raise InvalidEvent(
                "append", "event_ids", f"{len(event_ids)} ids given for {count} events"
            )
        ids = []
        for event_id in event_ids:
            if not isinstance(event_id, uuid.UUID):
                raise InvalidEvent("append", "event_ids", f"must be UUIDs, got {event_id!r}")
            ids.append(event_id.bytes)
        if len(set(ids)) != count:
            raise DuplicateEventId(f"stream {stream!r}: the batch repeats an event id")
    return Batch(stream, events, ids, event_ids is not None, types, versions, payloads)


def now_text() -> str:
    """The current UTC time as the canonical ISO text stored in ``recorded_at``."""
    return datetime.now(UTC).isoformat(timespec="microseconds")


_new = object.__new__
_set = object.__setattr__
_UUID = uuid.UUID
_from_bytes = int.from_bytes
_UNKNOWN = uuid.SafeUUID.unknown


def uuid_from_bytes(raw: bytes) -> uuid.UUID:
    """A UUID from its 16 stored bytes (what ``UUID(bytes=raw)`` makes, without its checks)."""
    if len(raw) != 16:
        raise ValueError(f"an event id is 16 bytes, got {len(raw)}")
    value = _new(_UUID)
    _set(value, "int", _from_bytes(raw))
    _set(value, "is_safe", _UNKNOWN)
    return value


def resolve_retry(batch: Batch, found: dict[bytes, tuple[str, int, int]]) -> AppendResult | None:
    """Decide what already-stored ids (``id -> (stream, version, position)``) mean.

    None stored: ``None`` (append normally). All stored as exactly this batch (same stream,
    consecutive versions in the same order): the original result. Anything else:
    :class:`~hubcore.DuplicateEventId`.
    """
    if not found:
        return None
    count = len(batch.event_ids)
    if len(found) == count:
        places = [found[event_id] for event_id in batch.event_ids]
        stream, first_version, first_position = places[0]
        if all(
            place == (batch.stream, first_version + i, first_position + i)
            for i, place in enumerate(places)
        ):
            return AppendResult(first_version + count - 1, first_position + count - 1)
    clash = next(event_id for event_id in batch.event_ids if event_id in found)
    stream, version, position = found[clash]
    raise DuplicateEventId(
        f"stream {batch.stream!r}: event id {uuid_from_bytes(clash)} is already stored "
        f"(stream {stream!r}, version {version}, position {position}) and the batch is not "
        f"a retry of that same batch"
    )


def checked_projection(state: object) -> StoredProjection:
    """Refuse a malformed projection state before anything is written."""
    if not isinstance(state, StoredProjection):
        raise InvalidEvent(
            "save_projections", "states", f"expected StoredProjection, got {state!r}"
        )
    if not isinstance(state.name, str) or not state.name:
        raise InvalidEvent("StoredProjection", "name", "must be non-empty text")
    for field in ("version", "checkpoint"):
        value = getattr(state, field)
        if type(value) is not int or value < 0:
            raise InvalidEvent("StoredProjection", field, f"must be an int >= 0, got {value!r}")
    if not isinstance(state.state, bytes):
        raise InvalidEvent("StoredProjection", "state", "must be bytes")
    return StoredProjection(state.name, state.version, state.checkpoint, bytes(state.state))
