"""The in-memory event store: same semantics as SQLite, nothing on disk; thread-safe."""

from __future__ import annotations

import threading
import uuid
import zlib
from collections.abc import Iterator, Sequence
from hashlib import sha256

import attrs

from hubcore.codec import encode
from hubcore.errors import ConcurrencyError, IntegrityError, StoreClosed
from hubcore.events import Event
from hubcore.store._batch import (
    TYPE_INFO,
    check_expected,
    checked_projection,
    encode_failed,
    moment,
    now_micros,
    prepare,
    resolve_retry,
    uuid_from_bytes,
)
from hubcore.store._closing import ClosingContext
from hubcore.store._hashchain import GENESIS, HEAD, link, subject
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

__all__ = ["MemoryStore"]


@attrs.define
class _Row:
    recorded: Recorded
    recorded_at: int
    hash: bytes


class MemoryStore(ClosingContext):
    """An :class:`~hubcore.store.EventStore` held in memory; one lock guards every change.

    Each recorded event keeps its hash-chain link, so :meth:`verify` re-encodes and checks
    the log just as the SQLite store does.
    """

    def __init__(self) -> None:
        self._lock = threading.RLock()
        self._rows: list[_Row] = []
        self._streams: dict[str, list[int]] = {}
        self._ids: dict[bytes, tuple[str, int, int]] = {}
        self._projections: dict[str, StoredProjection] = {}
        self._closed = False

    def _check_open(self) -> None:
        if self._closed:
            raise StoreClosed("the memory store is closed")

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
        batch = prepare(stream, events, event_ids)
        with self._lock:
            self._check_open()
            if batch.ids_given:
                found = {i: self._ids[i] for i in batch.event_ids if i in self._ids}
                retry = resolve_retry(batch, found)
                if retry is not None:
                    return retry
            positions = self._streams.get(stream)
            actual = len(positions) if positions else 0
            if expected is NO_STREAM:
                if actual:
                    raise ConcurrencyError(stream, expected, actual)
            elif expected is not ANY and expected != actual:
                raise ConcurrencyError(stream, expected, actual)
            first_position = len(self._rows) + 1
            prev = self._rows[-1].hash if self._rows else GENESIS
            micros = now_micros()
            when = moment(micros)
            pack = HEAD.pack
            subjects: dict[type[Event], bytes] = {}
            rows = []
            ids = batch.event_ids
            for i, event in enumerate(batch.events):
                cls = type(event)
                schema_version = TYPE_INFO[cls][1]
                head = subjects.get(cls)
                if head is None:
                    head = subjects[cls] = subject(stream, cls.event_type)
                try:
                    payload = encode(event)
                except Exception as error:
                    raise encode_failed(event, error) from None
                event_id = ids[i]
                position = first_position + i
                version = actual + 1 + i
                digest = sha256(pack(prev, position, version, event_id, micros, schema_version))
                digest.update(head)
                digest.update(payload)
                prev = digest.digest()
                record = Recorded(
                    stream=stream,
                    version=version,
                    position=position,
                    event_id=uuid_from_bytes(event_id),
                    recorded_at=when,
                    schema_version=schema_version,
                    event=event,
                )
                rows.append(_Row(record, micros, prev))
            # Nothing below can fail: the batch lands whole.
            self._rows.extend(rows)
            self._streams.setdefault(stream, []).extend(r.recorded.position for r in rows)
            for row in rows:
                rec = row.recorded
                self._ids[rec.event_id.bytes] = (stream, rec.version, rec.position)
            last = rows[-1].recorded
            return AppendResult(last.version, last.position)

    def read_stream(self, stream: str, from_version: int = 0) -> Iterator[Recorded]:
        """The events of ``stream`` with version > ``from_version``, lazily, in order."""
        self._check_open()
        return self._read_stream(stream, from_version)

    def _read_stream(self, stream: str, from_version: int) -> Iterator[Recorded]:
        index = max(from_version, 0)
        while True:
            with self._lock:
                self._check_open()
                positions = self._streams.get(stream, ())
                if index >= len(positions):
                    return
                recorded = self._rows[positions[index] - 1].recorded
            yield recorded
            index += 1

    def read_all(
        self, after: int = 0, limit: int | None = None, *, partition: Partition | None = None
    ) -> Iterator[Recorded]:
        """The events with position > ``after``, ascending, lazily, at most ``limit``.

        ``partition=(index, count)``: only streams whose CRC-32 of the name, modulo
        ``count``, is ``index`` (or in the ``range``).
        """
        self._check_open()
        buckets = check_partition(partition)
        records = self._read_all(after, None if buckets else limit)
        if buckets is None:
            return records
        return _in_partition(records, buckets, limit)

    def _read_all(self, after: int, limit: int | None) -> Iterator[Recorded]:
        index = max(after, 0)
        end = None if limit is None else index + max(limit, 0)
        rows = self._rows
        while end is None or index < end:
            with self._lock:
                self._check_open()
                if index >= len(rows):
                    return
                recorded = rows[index].recorded
            yield recorded
            index += 1

    def streams(self, prefix: str | None = None) -> list[str]:
        """The names of all streams (starting with ``prefix``), sorted."""
        with self._lock:
            self._check_open()
            names = list(self._streams)
        if prefix is not None:
            names = [n for n in names if n.startswith(prefix)]
        return sorted(names)

    def head(self) -> int:
        """The last global position (0 for an empty store)."""
        with self._lock:
            self._check_open()
            return len(self._rows)

    def stream_version(self, stream: str) -> int:
        """The stream's current version (0 if it does not exist)."""
        with self._lock:
            self._check_open()
            return len(self._streams.get(stream, ()))

    def verify(self) -> int:
        """Re-encode every event and walk the hash chain; see the protocol."""
        with self._lock:
            self._check_open()
            rows = list(self._rows)
        prev = GENESIS
        versions: dict[str, int] = {}
        for expected_position, row in enumerate(rows, start=1):
            rec = row.recorded
            if rec.position != expected_position:
                raise IntegrityError(expected_position, f"found position {rec.position} here")
            version = versions.get(rec.stream, 0) + 1
            if rec.version != version:
                raise IntegrityError(
                    rec.position, f"stream {rec.stream!r} expected version {version}"
                )
            versions[rec.stream] = version
            digest = link(
                prev,
                position=rec.position,
                stream=rec.stream,
                version=rec.version,
                event_id=rec.event_id.bytes,
                event_type=rec.event_type,
                schema_version=rec.schema_version,
                recorded_at=row.recorded_at,
                payload=encode(rec.event),
            )
            if digest != row.hash:
                raise IntegrityError(rec.position, "the hash chain does not match the event")
            prev = digest
        return len(rows)

    def load_projection(self, name: str) -> StoredProjection | None:
        """The stored state of projection ``name``, or ``None``."""
        with self._lock:
            self._check_open()
            return self._projections.get(name)

    def save_projections(self, states: Sequence[StoredProjection]) -> None:
        """Store several projection states at once: all or none."""
        checked = [checked_projection(s) for s in states]
        with self._lock:
            self._check_open()
            self._projections.update((s.name, s) for s in checked)

    def delete_projection(self, name: str) -> None:
        """Forget the stored state of projection ``name`` (no error if absent)."""
        with self._lock:
            self._check_open()
            self._projections.pop(name, None)

    def close(self) -> None:
        """Drop the log; later use raises :class:`~hubcore.StoreClosed`."""
        with self._lock:
            self._closed = True

    def __repr__(self) -> str:
        return f"MemoryStore(head={len(self._rows)})"


def _in_partition(
    records: Iterator[Recorded], buckets: tuple[int, int, int], limit: int | None
) -> Iterator[Recorded]:
    first, stop, count = buckets
    member: dict[str, bool] = {}
    left = limit
    for recorded in records:
        if left is not None and left <= 0:
            return
        stream = recorded.stream
        keep = member.get(stream)
        if keep is None:
            keep = member[stream] = first <= zlib.crc32(stream.encode()) % count < stop
        if keep:
            if left is not None:
                left -= 1
            yield recorded
