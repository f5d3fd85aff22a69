"""The in-memory backend: the core's rows in a list, nothing on disk; thread-safe.

It keeps each row's events decoded too (the envelopes the core would decode them into),
so reading a memory store costs no decoding; ``verify()`` still checks the rows.
"""

from __future__ import annotations

import bisect
import threading
import zlib
from collections.abc import Collection, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from hubcore.errors import UnsupportedStoreURL
from hubcore.events import Event
from hubcore.store._backend import Buckets, Row, Tip
from hubcore.store._batch import TYPE_INFO, consecutive_ids, moment
from hubcore.store._commits import GENESIS, envelope, id_runs
from hubcore.store._core import Store
from hubcore.store._protocol import Recorded
from hubcore.store._url import StoreScheme

__all__ = ["SCHEME", "MemoryBackend", "MemoryStore"]


class _Row(tuple[Any, ...]):
    """A stored row, with its events' envelopes (read instead of decoding the row)."""

    envelopes: list[Recorded]


class MemoryBackend:
    """Rows, streams and projection states in memory; one lock guards every change."""

    label = "memory://"

    def __init__(self) -> None:
        self.lock = threading.RLock()
        self.rows: list[_Row] = []
        self._lasts: list[int] = []  # each row's last position, for bisecting
        self._versions: dict[str, int] = {}
        self._stream_rows: dict[str, list[int]] = {}  # stream -> indexes into rows
        self._ids: dict[bytes, int] = {}  # event id -> position
        self._runs: dict[bytes, tuple[bytes, int]] = {}
        self._buckets: dict[tuple[str, int], int] = {}
        self.projections: dict[str, tuple[int, int, bytes]] = {}
        self._appended = threading.Condition(self.lock)
        self._generation = 0  # appends so far, for waiters
        self._claims: set[str] = set()

    # -- writing -------------------------------------------------------------------------

    @contextmanager
    def writing(self) -> Iterator[_Writer]:
        """Hold the lock for the whole write; apply its rows only if it ends normally."""
        with self.lock:
            writer = _Writer(self)
            yield writer
            for stream, rows, events in writer.staged:
                self._apply(stream, rows, events)
            if writer.staged:
                self._generation += 1
                self._appended.notify_all()

    def _apply(self, stream: str, rows: Sequence[Row], events: Sequence[Event]) -> None:
        done = 0
        ids_index = self._ids
        info = TYPE_INFO
        for row in rows:
            last_position, count, _, last_version, micros, ids = row[:6]
            first_position = last_position - count + 1
            first_version = last_version - count + 1
            when = moment(micros)
            raws = (
                [ids[16 * k : 16 * k + 16] for k in range(count)]
                if len(ids) != 16
                else consecutive_ids(int.from_bytes(ids), count)
            )
            envelopes: list[Recorded] = []
            add = envelopes.append
            for k, raw in enumerate(raws):
                event = events[done + k]
                ids_index[raw] = first_position + k
                add(
                    envelope(
                        stream,
                        version=first_version + k,
                        position=first_position + k,
                        event_id=raw,
                        recorded_at=when,
                        schema_version=info[type(event)][1],
                        event=event,
                    )
                )
            done += count
            stored = _Row(row)
            stored.envelopes = envelopes
            self._stream_rows.setdefault(stream, []).append(len(self.rows))
            self.rows.append(stored)
            self._lasts.append(last_position)
            for first, last, position in id_runs(row):
                self._runs[first] = (last, position)
            self._versions[stream] = last_version

    def tip(
        self, stream: str, given: Sequence[bytes] | None, fresh: tuple[bytes, bytes] | None
    ) -> Tip:
        """See :meth:`~hubcore.store.Writer.tip` (under the lock)."""
        found = {}
        for event_id in given or ():
            position = self._ids.get(event_id)
            if position is not None:
                envelope = self._envelope(position)
                found[event_id] = (envelope.stream, envelope.version, position)
        overlap = False
        if fresh is not None and self._ids:
            first = int.from_bytes(fresh[0])
            count = int.from_bytes(fresh[1]) - first + 1
            overlap = not self._ids.keys().isdisjoint(consecutive_ids(first, count))
        head = self._lasts[-1] if self._lasts else 0
        prev = self.rows[-1][10] if self.rows else GENESIS
        return Tip(self._versions.get(stream, 0), head, prev, found, overlap)

    def _envelope(self, position: int) -> Recorded:
        row = self.rows[bisect.bisect_left(self._lasts, position)]
        found: Recorded = row.envelopes[position - (row[0] - row[1] + 1)]
        return found

    # -- reading -------------------------------------------------------------------------

    def read_rows(
        self, after: int, limit: int, buckets: Buckets | None, *, full: bool = False
    ) -> Sequence[Row]:
        """See :meth:`~hubcore.store.Backend.read_rows`: streams are bucketed by the CRC-32
        of their name, modulo the bucket count."""
        with self.lock:
            start = bisect.bisect_right(self._lasts, after)
            if buckets is None:
                return list(self.rows[start : start + limit])
            first, stop, count = buckets
            out: list[Row] = []
            for row in self.rows[start:]:
                if first <= self._bucket(row[2], count) < stop:
                    out.append(row)
                    if len(out) == limit:
                        break
            return out

    def _bucket(self, stream: str, count: int) -> int:
        key = (stream, count)
        bucket = self._buckets.get(key)
        if bucket is None:
            bucket = self._buckets[key] = zlib.crc32(stream.encode()) % count
        return bucket

    def read_stream_rows(self, stream: str, after_version: int, limit: int) -> Sequence[Row]:
        """See :meth:`~hubcore.store.Backend.read_stream_rows`."""
        with self.lock:
            indexes = self._stream_rows.get(stream, [])
            rows = [self.rows[i] for i in indexes]
            start = bisect.bisect_right([row[3] for row in rows], after_version)
            return rows[start : start + limit]

    def stream_names(self, keys: Collection[Any]) -> dict[Any, str]:
        """Rows hold the stream names themselves."""
        with self.lock:
            return {key: key for key in keys if key in self._versions}

    def streams(self) -> list[str]:
        with self.lock:
            return list(self._versions)

    def head(self) -> int:
        with self.lock:
            return self._lasts[-1] if self._lasts else 0

    def stream_version(self, stream: str) -> int:
        with self.lock:
            return self._versions.get(stream, 0)

    def stored_run(self, first: bytes) -> tuple[bytes, int] | None:
        with self.lock:
            return self._runs.get(first)

    # -- projections ---------------------------------------------------------------------

    def load_projection(self, name: str) -> tuple[int, int, bytes] | None:
        with self.lock:
            return self.projections.get(name)

    def save_projections(self, rows: Sequence[tuple[str, int, int, bytes]]) -> None:
        with self.lock:
            self.projections.update((name, (v, c, s)) for name, v, c, s in rows)

    def delete_projection(self, name: str) -> None:
        with self.lock:
            self.projections.pop(name, None)

    # -- waiting and claiming ------------------------------------------------------------

    def waiter(self) -> _Waiter:
        """Woken by this store's appends."""
        return _Waiter(self)

    def wait_after(self, generation: int, timeout: float) -> int:
        """Wait until an append after ``generation`` (or ``timeout``); the generation now."""
        with self._appended:
            self._appended.wait_for(lambda: self._generation != generation, timeout)
            return self._generation

    def claim(self, name: str) -> _Claim | None:
        """Claims among the threads using this store."""
        with self.lock:
            if name in self._claims:
                return None
            self._claims.add(name)
            return _Claim(self, name)

    def release(self, name: str) -> None:
        with self.lock:
            self._claims.discard(name)

    def close(self) -> None:
        """Nothing to release: the log goes with the store."""


class _Waiter:
    def __init__(self, backend: MemoryBackend) -> None:
        self._backend = backend
        self._seen = 0

    def start(self) -> None:
        with self._backend.lock:
            self._seen = self._backend._generation

    def wait(self, timeout: float) -> None:
        self._seen = self._backend.wait_after(self._seen, timeout)

    def close(self) -> None:
        """Nothing to release."""


class _Claim:
    def __init__(self, backend: MemoryBackend, name: str) -> None:
        self._backend: MemoryBackend | None = backend
        self.name = name

    def held(self) -> bool:
        return self._backend is not None

    def release(self) -> None:
        if self._backend is not None:
            self._backend.release(self.name)
            self._backend = None


class _Writer:
    """A memory write: the rows it inserts are applied when the write ends normally."""

    def __init__(self, backend: MemoryBackend) -> None:
        self._backend = backend
        self.staged: list[tuple[str, Sequence[Row], Sequence[Event]]] = []

    def tip(
        self, stream: str, given: Sequence[bytes] | None, fresh: tuple[bytes, bytes] | None
    ) -> Tip:
        return self._backend.tip(stream, given, fresh)

    def insert(self, stream: str, rows: Sequence[Row], events: Sequence[Event]) -> None:
        self.staged.append((stream, rows, events))


class MemoryStore(Store):
    """An :class:`~hubcore.store.EventStore` held in memory (``memory://``): for tests and
    throwaway work. Every call is thread-safe."""

    def __init__(self) -> None:
        super().__init__(MemoryBackend())


def _open(url: str) -> MemoryStore:
    if url != "memory://":
        raise UnsupportedStoreURL(f"{url!r}: a memory store URL is exactly 'memory://'")
    return MemoryStore()


@contextmanager
def _fresh_url(directory: Path) -> Iterator[str]:
    yield "memory://"


SCHEME = StoreScheme(open=_open, fresh_url=_fresh_url)
"""The ``memory`` entry point: ``memory://`` opens a fresh, empty store each time."""
