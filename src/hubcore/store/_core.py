"""The store core: one :class:`~hubcore.store.EventStore` over any :class:`Backend`.

Everything a store means is done here, once, for every backend: argument checks,
encoding, id assignment, the hash-chained commit rows (:mod:`._commits`), the
expected-version rule, idempotent retries, paging and decoding, ``verify()``. A backend
only keeps rows (:mod:`._backend`).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator, Sequence
from typing import Any, Protocol

from hubcore.errors import (
    ConcurrencyError,
    DuplicateEventId,
    HubcoreError,
    InvalidRead,
    StoreClosed,
)
from hubcore.events import Event
from hubcore.store._backend import Backend, Buckets, Row
from hubcore.store._batch import (
    Batch,
    BatchRequest,
    check_expected,
    checked_projection,
    prepare,
    prepare_many,
    resolve_retry,
)
from hubcore.store._closing import ClosingContext
from hubcore.store._commits import commit_rows, records
from hubcore.store._protocol import (
    ANY,
    NO_STREAM,
    AppendResult,
    ExpectedVersion,
    Partition,
    Recorded,
    StoredProjection,
    check_partition,
)
from hubcore.store._subscribe import Subscription
from hubcore.store._verify import verify_chain, verify_rows

__all__ = ["PAGE", "Claim", "Store"]

PAGE = 4000
"""Events per page a read fetches, about (rows are sized from the previous page)."""
_FIRST_PAGE_ROWS = 4


class Claim(Protocol):
    """Exclusive ownership of a name among every process using a store (:meth:`Store.claim`),
    held until :meth:`release`, or until its holder dies."""

    name: str

    def held(self) -> bool:
        """Whether the claim still holds (False once the backend lost it: stop working)."""
        ...

    def release(self) -> None:
        """Give the name up (another process may claim it at once)."""
        ...


def _whole(where: str, name: str, value: object) -> int:
    """Refuse a position or version that is not a whole number >= 0."""
    if type(value) is not int or value < 0:
        raise InvalidRead(f"{where}: {name} must be an int >= 0, got {value!r}")
    return value


class Store(ClosingContext):
    """An :class:`~hubcore.store.EventStore` keeping its rows in ``backend``.

    :class:`~hubcore.store.MemoryStore` and :class:`~hubcore.store.SqliteStore` are this
    class over the built-in backends; ``Store(MyBackend(...))`` is a third backend's store
    (see ``docs/stores.md``).
    """

    def __init__(self, backend: Backend) -> None:
        self._backend: Backend | None = backend
        self._label = backend.label
        self._names: dict[Any, str] = {}  # committed stream names never change

    @property
    def backend(self) -> Backend:
        """The backend keeping this store's rows (:class:`StoreClosed` once closed)."""
        backend = self._backend
        if backend is None:
            raise StoreClosed(f"the store {self._label} is closed")
        return backend

    # -- writing -------------------------------------------------------------------------

    def append(
        self,
        stream: str,
        events: Sequence[Event],
        expected_version: int | ExpectedVersion = ANY,
        *,
        event_ids: Sequence[uuid.UUID] | None = None,
    ) -> AppendResult:
        """Append ``events`` to ``stream`` as one all-or-nothing batch (see the protocol)."""
        expected = check_expected(expected_version)
        return self._write([(prepare(stream, events, event_ids), expected)])[0]

    def append_many(self, batches: Sequence[BatchRequest]) -> list[AppendResult]:
        """Append several batches, to one stream or many, in one transaction: all or none.

        Each batch is ``(stream, events)``, ``(stream, events, expected_version)`` or
        ``(stream, events, expected_version, event_ids)``, meaning what the same arguments
        mean to :meth:`append`; the batches are applied in order (a stream named twice
        goes on from its first batch's version), and the results come back in that
        order. Every batch is checked before anything is written; a version conflict,
        a duplicate id or any other error in any batch stores nothing of any of them.
        A batch whose ids are all stored as exactly that batch is a retry: its original
        result, and nothing stored for it. No batches: nothing stored, ``[]``.
        """
        planned = prepare_many(batches)
        return self._write(planned) if planned else []

    def _write(self, planned: Sequence[tuple[Batch, int | ExpectedVersion]]) -> list[AppendResult]:
        """Append checked batches in one write transaction of the backend.

        A backend's :meth:`~hubcore.store.Writer.tip` need not see rows inserted earlier
        in the same transaction, so after the first batch the head, its hash and the
        versions of streams already written come from what this call inserted.
        """
        backend = self.backend
        results: list[AppendResult] = []
        head: tuple[int, bytes] | None = None  # the last row this transaction inserted
        versions: dict[str, int] = {}  # streams this transaction appended to
        with backend.writing() as writer:
            for batch, expected in planned:
                stream = batch.stream
                count = len(batch.events)
                fresh = None
                if batch.given_ids is None:
                    last_id = batch.first_id + count - 1
                    fresh = (batch.first_id.to_bytes(16), last_id.to_bytes(16))
                tip = writer.tip(stream, batch.given_ids, fresh)
                if batch.given_ids is not None:
                    retry = resolve_retry(batch, tip.found)
                    if retry is not None:
                        results.append(retry)
                        continue
                actual = versions.get(stream, tip.version)
                if (expected is NO_STREAM and actual) or (
                    expected is not ANY and expected is not NO_STREAM and expected != actual
                ):
                    raise ConcurrencyError(stream, expected, actual)
                if tip.overlap:
                    raise DuplicateEventId(
                        f"{self._label}: stream {stream!r}: fresh event ids overlap stored "
                        "ids (a chance of about 1 in 2**60); nothing was appended, append again"
                    )
                position, prev = (tip.position, tip.hash) if head is None else head
                rows = list(commit_rows(batch, position + 1, actual + 1, prev))
                writer.insert(stream, rows, batch.events)
                head = (rows[-1][0], rows[-1][10])
                versions[stream] = actual + count
                results.append(AppendResult(actual + count, position + count))
        return results

    # -- reading -------------------------------------------------------------------------

    def read_all(
        self, after: int = 0, limit: int | None = None, *, partition: Partition | None = None
    ) -> Iterator[Recorded]:
        """The events with position > ``after``, ascending, lazily, at most ``limit``.

        ``partition=(index, count)``: only the streams in that bucket, by the backend's rule.
        """
        _whole("read_all", "after", after)
        if limit is not None:
            _whole("read_all", "limit", limit)
        buckets = check_partition(partition)
        self.backend  # noqa: B018 (refuses a closed store now, not at the first next())
        return self._read_all(after, limit, buckets)

    def _read_all(
        self, after: int, limit: int | None, buckets: Buckets | None
    ) -> Iterator[Recorded]:
        remaining = limit
        position = after
        size = _FIRST_PAGE_ROWS
        while remaining is None or remaining > 0:
            rows = self.backend.read_rows(position, size, buckets)
            if not rows:
                return
            page = records(rows, self._names, self._name_of, after_position=after)
            if remaining is None:
                yield from page
            else:
                for record in page:
                    yield record
                    remaining -= 1
                    if not remaining:
                        return
            if len(rows) < size:
                return
            position = rows[-1][0]
            size = _page_rows(rows)

    def read_stream(self, stream: str, from_version: int = 0) -> Iterator[Recorded]:
        """The events of ``stream`` with version > ``from_version``, lazily, in pages."""
        if not isinstance(stream, str):
            raise InvalidRead(f"read_stream: stream must be text, got {stream!r}")
        _whole("read_stream", "from_version", from_version)
        self.backend  # noqa: B018
        return self._read_stream(stream, from_version)

    def _read_stream(self, stream: str, from_version: int) -> Iterator[Recorded]:
        version = from_version
        size = _FIRST_PAGE_ROWS
        while True:
            rows = self.backend.read_stream_rows(stream, version, size)
            yield from records(rows, self._names, self._name_of, after_version=from_version)
            if len(rows) < size:
                return
            version = rows[-1][3]
            size = _page_rows(rows)

    def _name_of(self, key: Any) -> str | None:
        """The name of stream ``key`` (read from the backend on a cache miss)."""
        found = self.backend.stream_names([key])
        self._names.update(found)
        return found.get(key)

    def streams(self, prefix: str | None = None) -> list[str]:
        """The names of all streams (starting with ``prefix``), sorted."""
        if prefix is not None and not isinstance(prefix, str):
            raise InvalidRead(f"streams: prefix must be text or None, got {prefix!r}")
        names = self.backend.streams()
        if prefix:
            names = [name for name in names if name.startswith(prefix)]
        return sorted(names)

    def head(self) -> int:
        """The last global position (0 for an empty store)."""
        return self.backend.head()

    def stream_version(self, stream: str) -> int:
        """The stream's current version (0 if it does not exist)."""
        if not isinstance(stream, str):
            raise InvalidRead(f"stream_version: stream must be text, got {stream!r}")
        return self.backend.stream_version(stream)

    def verify(self) -> int:
        """Walk the whole hash chain; see the protocol."""
        return verify_rows(self.backend)

    def verify_chain(self, at: int | None = None) -> tuple[int, bytes, bytes | None]:
        """Walk the whole hash chain as :meth:`verify` does (raising
        :class:`~hubcore.IntegrityError` where it breaks); return ``(head, head_hash,
        hash_at)``: the head position, the chain hash there, and the chain hash of the
        batch ending at position ``at`` (None if no batch ends there). What
        :mod:`hubcore.anchor` signs and checks."""
        if at is not None:
            _whole("verify_chain", "at", at)
        return verify_chain(self.backend, at)

    def subscribe(self, after: int = 0, *, poll: float = 1.0) -> Subscription:
        """Every event after position ``after``, then each new one as it is appended (by
        any process), in order: a :class:`~hubcore.store.Subscription`.

        It wakes on the backend's notifications where it has them (PostgreSQL's
        ``LISTEN``/``NOTIFY``, the memory store's own appends), and polls every ``poll``
        seconds otherwise or when a notification is lost; a dropped connection is
        reconnected and reading goes on from the last position delivered.
        """
        self.backend  # noqa: B018
        return Subscription(self, after, poll)

    def claim(self, name: str) -> Claim | None:
        """Try to become the one holder of ``name`` among every process using this store
        (e.g. the one worker folding a projection); None if another holds it.

        A claim ends with :meth:`Claim.release` or when its holder dies, so another
        process can take over. Raises :class:`~hubcore.HubcoreError` if the backend
        cannot coordinate processes.
        """
        if not isinstance(name, str) or not name:
            raise InvalidRead(f"claim: name must be non-empty text, got {name!r}")
        take = getattr(self.backend, "claim", None)
        if take is None:
            raise HubcoreError(f"{self._label}: this store's backend cannot hand out claims")
        claim: Claim | None = take(name)
        return claim

    # -- projections ---------------------------------------------------------------------

    def load_projection(self, name: str) -> StoredProjection | None:
        """The stored state of projection ``name``, or ``None``."""
        if not isinstance(name, str):
            raise InvalidRead(f"load_projection: name must be text, got {name!r}")
        found = self.backend.load_projection(name)
        if found is None:
            return None
        version, checkpoint, state = found
        return StoredProjection(name, version, checkpoint, bytes(state))

    def save_projections(self, states: Sequence[StoredProjection]) -> None:
        """Store several projection states in one transaction: all or none."""
        checked = [checked_projection(s) for s in states]
        self.backend.save_projections([(s.name, s.version, s.checkpoint, s.state) for s in checked])

    def delete_projection(self, name: str) -> None:
        """Forget the stored state of projection ``name`` (no error if absent)."""
        if not isinstance(name, str):
            raise InvalidRead(f"delete_projection: name must be text, got {name!r}")
        self.backend.delete_projection(name)

    # -- lifetime ------------------------------------------------------------------------

    def close(self) -> None:
        """Release the backend; later use raises :class:`~hubcore.StoreClosed`."""
        backend, self._backend = self._backend, None
        if backend is not None:
            backend.close()

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self._label!r})"


def _page_rows(rows: Sequence[Row]) -> int:
    """How many rows the next page should fetch to hold about :data:`PAGE` events."""
    events = sum(row[1] for row in rows)
    return int(max(1, min(4096, PAGE * len(rows) // max(events, 1))))
