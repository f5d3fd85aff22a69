"""The event store contract: the :class:`EventStore` protocol and the values it trades in."""

from __future__ import annotations

import uuid
from collections.abc import Iterator, Sequence
from datetime import datetime
from enum import Enum
from types import TracebackType
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

import attrs

from hubcore.errors import InvalidRead
from hubcore.events import Event

if TYPE_CHECKING:
    from hubcore.store._subscribe import Subscription

__all__ = [
    "ANY",
    "NO_STREAM",
    "AppendResult",
    "EventStore",
    "ExpectedVersion",
    "Recorded",
    "StoredProjection",
]


class ExpectedVersion(Enum):
    """The symbolic ``expected_version`` values of :meth:`EventStore.append`."""

    ANY = "any"
    """Append whatever version the stream is at."""
    NO_STREAM = "no-stream"
    """The stream must not exist yet (the same as expecting version 0)."""


ANY = ExpectedVersion.ANY
NO_STREAM = ExpectedVersion.NO_STREAM


@attrs.frozen
class AppendResult:
    """Where an appended batch landed: its last stream version and last global position."""

    last_version: int
    last_position: int


@attrs.frozen
class Recorded:
    """The envelope the store wraps around a domain event it has recorded."""

    stream: str
    version: int
    position: int
    event_id: uuid.UUID
    recorded_at: datetime
    schema_version: int
    event: Event

    @property
    def event_type(self) -> str:
        """The stored type tag of the event (e.g. ``"SchoolEngaged"``)."""
        return self.event.event_type


Partition = tuple["int | range", int]
"""``(index, count)``: bucket ``index`` of ``count`` (or a ``range`` of buckets)."""


def check_partition(partition: Partition | None) -> tuple[int, int, int] | None:
    """``(first, stop, count)``: the buckets ``first <= b < stop`` of ``count``; refuses a
    ``partition`` that is not ``(index or range of indexes, count)`` within ``0..count``."""
    if partition is None:
        return None
    if isinstance(partition, tuple) and len(partition) == 2 and type(partition[1]) is int:
        index, count = partition
        first, stop = (
            (index, index + 1)
            if type(index) is int
            else (index.start, index.stop)
            if isinstance(index, range) and index.step == 1
            else (-1, -1)
        )
        if 0 <= first < stop <= count:
            return first, stop, count
    raise InvalidRead(
        "read_all: partition must be (index, count) with 0 <= index < count, or "
        f"(range(first, stop), count) within 0..count; got {partition!r}"
    )


@attrs.frozen
class StoredProjection:
    """A projection's persisted state: its code version, checkpoint position and state bytes."""

    name: str
    version: int
    checkpoint: int
    state: bytes


@runtime_checkable
class EventStore(Protocol):
    """An append-only, hash-chained log of domain events, in streams, with global positions.

    Versions are 1-based per stream, positions 1-based and gap-free over the whole log.
    Every backend (memory, SQLite, ...) passes :class:`hubcore.testing.conformance.
    StoreConformance`.
    """

    def append(
        self,
        stream: str,
        events: Sequence[Event],
        expected_version: int | ExpectedVersion = ANY,
        *,
        event_ids: Sequence[uuid.UUID] | None = None,
    ) -> AppendResult:
        """Append ``events`` to ``stream`` as one all-or-nothing batch.

        ``expected_version`` is :data:`ANY`, :data:`NO_STREAM` or the version the stream must
        be at (0: no stream); otherwise :class:`~hubcore.ConcurrencyError`. A batch whose
        ``event_ids`` are already stored as exactly that batch returns the original result
        and stores nothing (idempotent retry); a partial overlap raises
        :class:`~hubcore.DuplicateEventId`.
        """
        ...

    def append_many(self, batches: Sequence[tuple[Any, ...]]) -> list[AppendResult]:
        """Append several batches, each ``(stream, events[, expected_version[,
        event_ids]])`` as :meth:`append` takes them, in one transaction: all or none.

        Batches apply in order (a stream named twice goes on from its earlier batch);
        one result per batch, in order. Any error in any batch (a version conflict, a
        duplicate id, a malformed batch) stores nothing of any of them; a batch that is
        a retry of one already stored returns its original result.
        """
        ...

    def read_stream(self, stream: str, from_version: int = 0) -> Iterator[Recorded]:
        """The events of ``stream`` with version > ``from_version``, lazily, in order."""
        ...

    def read_all(
        self, after: int = 0, limit: int | None = None, *, partition: Partition | None = None
    ) -> Iterator[Recorded]:
        """The events with position > ``after``, ascending, lazily, at most ``limit``.

        ``partition=(index, count)`` yields only the events of the streams in bucket
        ``index`` of ``count`` (``index`` may be a ``range`` of buckets, for unequal
        shares): every stream falls in exactly one bucket, by a rule the backend chooses and
        keeps for the life of the store, and other streams' events are skipped before they
        are decoded (for folding a log in several processes).
        """
        ...

    def streams(self, prefix: str | None = None) -> list[str]:
        """The names of all streams (starting with ``prefix``), sorted."""
        ...

    def head(self) -> int:
        """The last global position (0 for an empty store)."""
        ...

    def stream_version(self, stream: str) -> int:
        """The stream's current version (0 if it does not exist)."""
        ...

    def subscribe(self, after: int = 0, *, poll: float = 1.0) -> Subscription:
        """Every event after ``after``, then each new one as it is appended, in order."""
        ...

    def verify(self) -> int:
        """Walk the hash chain; return the number of events checked.

        Raises :class:`~hubcore.IntegrityError` at the first position that was edited,
        removed or reordered outside hubcore.
        """
        ...

    def load_projection(self, name: str) -> StoredProjection | None:
        """The stored state of projection ``name``, or ``None``."""
        ...

    def save_projections(self, states: Sequence[StoredProjection]) -> None:
        """Store several projection states in one transaction: all or none."""
        ...

    def delete_projection(self, name: str) -> None:
        """Forget the stored state of projection ``name`` (no error if absent)."""
        ...

    def close(self) -> None:
        """Release the store's resources; later use raises :class:`~hubcore.StoreClosed`."""
        ...

    def __enter__(self) -> EventStore: ...

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...
