"""``verify()``: walk every backend's commit rows and check the one hash chain."""

from __future__ import annotations

from typing import Any

from hubcore.errors import IntegrityError
from hubcore.store._backend import Backend, Row
from hubcore.store._commits import (
    GENESIS,
    event_checks,
    id_runs,
    kind_seed,
    row_hash,
    split_row,
    unpack_checks,
)

__all__ = ["VERIFY_PAGE_ROWS", "verify_chain", "verify_rows"]

VERIFY_PAGE_ROWS = 64
_LOWEST = -(2**63)  # below every position a backend can store (64-bit integers)


def verify_rows(backend: Backend) -> int:
    """Check every row of ``backend`` in order; the number of events checked.

    Checks each row's layout, positions and stream versions, each event's check value,
    each row's chain hash, and that the id index holds exactly each row's ids. Stream names
    are read afresh from the backend, never from a cache.
    """
    return verify_chain(backend)[0]


def verify_chain(backend: Backend, at: int | None = None) -> tuple[int, bytes, bytes | None]:
    """As :func:`verify_rows`: ``(head, the head's chain hash, the chain hash of the row
    ending at position `at`, or None when no row ends there)``. The head's hash of an
    empty log is the chain's genesis value."""
    chain = _Chain(backend)
    last = _LOWEST  # not 0: a row edited to a position below 1 is found too (not hidden)
    found: bytes | None = GENESIS if at == 0 else None
    while True:
        rows = backend.read_rows(last, VERIFY_PAGE_ROWS, None, full=True)
        for row in rows:
            chain.check(row)
            if row[0] == at:
                found = row[10]
        if len(rows) < VERIFY_PAGE_ROWS:
            return chain.position, chain.head_hash, found
        last = rows[-1][0]


class _Chain:
    """The running state of a verify, checking one commit row at a time."""

    def __init__(self, backend: Backend) -> None:
        self._backend = backend
        self.position = 0
        self._prev = GENESIS
        self._versions: dict[Any, int] = {}
        self._names: dict[Any, str] = {}

    def check(self, row: Row) -> None:
        """Check one full row after the ones before it: its place, its layout, each event's
        check value (an edited event is named exactly), the chain hash (anything else
        edited names the row's first position), and its ids in the id index."""
        last_position, count, key, last_version, at, ids, kinds, kind_index, blob = row[:9]
        checks, digest = row[9:11]
        first = self._place(last_position, count)
        stream = self._stream(key, first)
        want = self._versions.get(key, 0) + 1
        first_version = last_version - count + 1 if type(last_version) is int else last_version
        if first_version != want:
            raise IntegrityError(
                first,
                f"stream {stream!r} has version {first_version} where {want} was expected",
            )
        try:
            payloads, _ = split_row(row)
            if type(checks) is not bytes or type(digest) is not bytes:
                raise TypeError("the row's checks or hash are not bytes")
            if len(checks) != 4 * count:
                raise ValueError(f"{len(checks)} bytes of checks for {count} events")
            seeds = [kind_seed(kind) for kind in kinds.split(" ")]
            computed = event_checks(payloads, seeds, kind_index, ids, first)
        except (TypeError, ValueError, AttributeError, IndexError) as error:
            raise IntegrityError(first, f"malformed row: {error}") from None
        stored = unpack_checks(checks)
        for k, value in enumerate(computed):
            if value != stored[k]:
                raise IntegrityError(first + k, "the event was edited or moved")
        expected = row_hash(
            self._prev,
            last_position=last_position,
            count=count,
            stream=stream,
            last_version=last_version,
            recorded_at=at,
            ids=ids,
            kinds=kinds,
            kind_index=kind_index,
            checks=checks,
            payloads=blob,
        )
        if expected != digest:
            raise IntegrityError(first, "the hash chain does not match: edited or reordered")
        for run_first, run_last, run_position in id_runs(row):
            if self._backend.stored_run(run_first) != (run_last, run_position):
                raise IntegrityError(run_position, "the event id index does not match the log")
        self._prev = digest
        self._versions[key] = last_version
        self.position = last_position

    @property
    def head_hash(self) -> bytes:
        """The chain hash of the last row checked (the genesis value before any)."""
        return self._prev

    def _place(self, last_position: object, count: object) -> int:
        """The row's first position, which must follow the last row checked."""
        expected = self.position + 1
        if type(count) is not int or count < 1 or type(last_position) is not int:
            raise IntegrityError(expected, f"malformed row: event count {count!r}")
        first = last_position - count + 1
        if first > expected:
            raise IntegrityError(
                expected, f"position {expected} is missing (the next row starts at {first})"
            )
        if first < expected:
            raise IntegrityError(
                expected, f"the row ending at {last_position} claims {count} events"
            )
        return first

    def _stream(self, key: Any, first: int) -> str:
        """The name of the stream keyed ``key``, read from the backend."""
        stream = self._names.get(key)
        if stream is None:
            self._names.update(self._backend.stream_names([key]))
            stream = self._names.get(key)
            if stream is None:
                raise IntegrityError(first, f"stream {key!r} has no name")
        return stream
