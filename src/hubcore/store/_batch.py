"""Checking an append batch once, before any backend touches its storage; fresh event ids."""

from __future__ import annotations

import os
import time
import uuid
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

import attrs

from hubcore.errors import DuplicateEventId, InvalidAppend, InvalidEvent
from hubcore.events import EVENT_TYPES, Event
from hubcore.store._protocol import ANY, AppendResult, ExpectedVersion, StoredProjection

__all__ = [
    "EPOCH",
    "TYPE_INFO",
    "Batch",
    "BatchRequest",
    "check_expected",
    "checked_projection",
    "encode_failed",
    "consecutive_ids",
    "fresh_first_id",
    "moment",
    "now_micros",
    "prepare",
    "prepare_many",
    "resolve_retry",
    "uuid_from_bytes",
]

TYPE_INFO: dict[type[Event], tuple[str, int]] = {
    cls: (cls.event_type, cls.schema_version) for cls in EVENT_TYPES.values()
}
"""Each event class's stored type tag and the schema version this hubcore writes."""

_MS_MASK = (1 << 48) - 1
_RAND_B_MASK = (1 << 61) - 1


@attrs.frozen
class Batch:
    """A checked batch: its events and their ids, given (16 bytes each) or fresh.

    Fresh ids are consecutive UUIDv7s, ``first_id + k`` for the k-th event, so a backend
    may store just the first (see :func:`fresh_first_id`).
    """

    stream: str
    events: Sequence[Event]
    given_ids: list[bytes] | None
    first_id: int

    @property
    def ids_given(self) -> bool:
        """Whether the caller chose the ids (a retry is then recognised by them)."""
        return self.given_ids is not None

    @property
    def event_ids(self) -> list[bytes]:
        """Every event's 16-byte id, in order."""
        if self.given_ids is not None:
            return self.given_ids
        return consecutive_ids(self.first_id, len(self.events))


def check_expected(expected: object) -> int | ExpectedVersion:
    """Refuse an ``expected_version`` that is not ANY, NO_STREAM or a whole number >= 0."""
    if isinstance(expected, ExpectedVersion):
        return expected
    if type(expected) is not int or expected < 0:
        raise InvalidAppend(
            f"expected_version must be ANY, NO_STREAM or an int >= 0, got {expected!r}"
        )
    return expected


def fresh_first_id(count: int) -> int:
    """The first of ``count`` new consecutive, time-ordered event ids (UUIDv7 layout).

    The 48-bit millisecond timestamp comes first, so id indexes grow at their right edge.
    After the version and variant bits, 12 random bits and a 61-bit random start follow,
    incremented per event (kept clear of the 61-bit carry, so all ``count`` ids share
    the version and variant bits): ids within a batch ascend and never repeat, and two
    batches made in the same millisecond overlap with odds of about ``count / 2**73``;
    the stores refuse even that (:class:`~hubcore.DuplicateEventId`).
    """
    ms = time.time_ns() // 1_000_000 & _MS_MASK
    rand = int.from_bytes(os.urandom(10))
    high = (ms << 16) | 0x7000 | (rand >> 68)
    start = rand & _RAND_B_MASK
    if start > _RAND_B_MASK - count:
        start -= count
    low = (0b10 << 62) | start
    return (high << 64) | low


def consecutive_ids(first: int, count: int) -> list[bytes]:
    """The ``count`` ids from ``first`` on, as 16-byte values (fresh ids are consecutive:
    see :func:`fresh_first_id`)."""
    return [(first + k).to_bytes(16) for k in range(count)]


def prepare(stream: str, events: Sequence[Event], event_ids: Sequence[uuid.UUID] | None) -> Batch:
    """Check every event belongs in ``stream`` and every id is usable; raise before any write.

    Encoding is left to the backend's append loop: orjson's results are over-allocated,
    so holding a batch of them costs far more than encoding each as it is written.
    """
    if not isinstance(stream, str) or not stream:
        raise InvalidAppend(f"append: stream must be a non-empty stream name, got {stream!r}")
    if isinstance(events, Event) or not isinstance(events, Sequence):
        raise InvalidAppend(f"stream {stream!r}: events must be a sequence of events")
    count = len(events)
    if count == 0:
        raise InvalidAppend(f"stream {stream!r}: a batch must hold at least one event")
    known = TYPE_INFO
    for index, event in enumerate(events):
        cls = type(event)
        if cls not in known:
            raise InvalidAppend(
                f"stream {stream!r}: events[{index}] is not a hubcore event, got {cls.__name__}"
            )
        if event.stream != stream:
            raise InvalidAppend(
                f"stream {stream!r}: events[{index}] ({cls.event_type}) belongs in stream "
                f"{event.stream!r}"
            )
    if event_ids is None:
        return Batch(stream, events, None, fresh_first_id(count))
    if isinstance(event_ids, (str, bytes)) or len(event_ids) != count:
        given = len(event_ids) if isinstance(event_ids, Sequence) else event_ids
        raise InvalidAppend(f"stream {stream!r}: {given} event ids given for {count} events")
    ids = []
    for event_id in event_ids:
        if not isinstance(event_id, uuid.UUID):
            raise InvalidAppend(f"stream {stream!r}: event ids must be UUIDs, got {event_id!r}")
        ids.append(event_id.bytes)
    if len(set(ids)) != count:
        raise DuplicateEventId(f"stream {stream!r}: the batch repeats an event id")
    return Batch(stream, events, ids, 0)


BatchRequest = tuple[Any, ...]
"""One batch of :meth:`~hubcore.store.Store.append_many`: ``(stream, events)``,
``(stream, events, expected_version)`` or ``(stream, events, expected_version, event_ids)``."""


def prepare_many(requests: object) -> list[tuple[Batch, int | ExpectedVersion]]:
    """Check every batch of an ``append_many`` call (as :func:`prepare` and
    :func:`check_expected` do, the error naming the batch) and that no event id is used
    twice across them; raise before any write."""
    if not isinstance(requests, Sequence) or isinstance(requests, (str, bytes)):
        raise InvalidAppend(f"append_many: batches must be a list of batches, got {requests!r}")
    planned: list[tuple[Batch, int | ExpectedVersion]] = []
    for index, request in enumerate(requests):
        if not isinstance(request, tuple) or not 2 <= len(request) <= 4:
            raise InvalidAppend(
                f"append_many: batches[{index}] must be (stream, events[, expected_version"
                f"[, event_ids]]), got {request!r}"
            )
        stream, events = request[0], request[1]
        expected = request[2] if len(request) > 2 else ANY
        ids = request[3] if len(request) > 3 else None
        try:
            planned.append((prepare(stream, events, ids), check_expected(expected)))
        except (InvalidAppend, DuplicateEventId) as error:
            raise type(error)(f"append_many: batches[{index}]: {error}") from None
    if len(planned) > 1:
        _check_distinct_ids([batch for batch, _ in planned])
    return planned


def _check_distinct_ids(batches: Sequence[Batch]) -> None:
    """Refuse two batches of one call sharing an id (given, or within fresh ranges)."""
    spans: list[tuple[int, int, int]] = []  # (first id, last id, batch index)
    for index, batch in enumerate(batches):
        if batch.given_ids is None:
            spans.append((batch.first_id, batch.first_id + len(batch.events) - 1, index))
        else:
            spans.extend((value, value, index) for value in map(int.from_bytes, batch.given_ids))
    spans.sort()
    reach, owner = -1, -1  # the highest last id so far, and its batch
    for first, last, index in spans:
        if first <= reach and index != owner:
            one, other = sorted((owner, index))
            raise DuplicateEventId(
                f"append_many: batches[{one}] and batches[{other}] share event id "
                f"{uuid_from_bytes(first.to_bytes(16))}; nothing was appended"
            )
        if last > reach:
            reach, owner = last, index


def encode_failed(event: Event, error: Exception) -> InvalidEvent:
    """The error for an event orjson could not encode (e.g. text with lone surrogates)."""
    return InvalidEvent(type(event).event_type, "payload", f"cannot be encoded as JSON: {error}")


EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MICROSECOND = timedelta(microseconds=1)


def now_micros() -> int:
    """The current UTC time in whole microseconds since the Unix epoch (``recorded_at``)."""
    return time.time_ns() // 1000


def moment(micros: int) -> datetime:
    """The aware UTC datetime of ``micros`` microseconds since the epoch (exact)."""
    return EPOCH + timedelta(microseconds=micros)


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
