"""The seam between the store core and a backend: what a backend stores and reads.

The core (:class:`hubcore.store.Store`) checks every argument, encodes events, assigns ids,
builds the hash-chained commit rows (:mod:`._commits`), applies the expected-version rule,
recognises retries and decodes what it reads. A backend only keeps rows: it opens a write
transaction, answers a few questions inside it (:meth:`Writer.tip`), inserts the rows the
core built, and reads rows back in position order. See ``docs/stores.md`` ("Writing a
backend") for a complete example.

A **commit row** is a tuple in the order of :data:`ROW_FIELDS`: ``count`` consecutive events
of one stream appended together, their payloads and ids packed into a few values.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from contextlib import AbstractContextManager
from typing import Any, Protocol, runtime_checkable

import attrs

from hubcore.events import Event

__all__ = [
    "READ_FIELDS",
    "ROW_FIELDS",
    "Backend",
    "Buckets",
    "Place",
    "Row",
    "Tip",
    "Writer",
]

ROW_FIELDS = (
    "last_position",
    "count",
    "stream",
    "last_version",
    "recorded_at",
    "event_ids",
    "kinds",
    "kind_index",
    "payloads",
    "checks",
    "hash",
)
"""A commit row's values, in order. ``stream`` is the stream's name in the rows the core
hands to :meth:`Writer.insert`; in rows read back it may be any key the backend keeps for
the stream (e.g. an interned integer), which :meth:`Backend.stream_names` turns into names."""

READ_FIELDS = ROW_FIELDS[:9]
"""What :meth:`Backend.read_rows` returns per row unless ``full`` (no ``checks``, ``hash``)."""

Row = tuple[Any, ...]
"""One commit row (:data:`ROW_FIELDS`, or :data:`READ_FIELDS` when read without ``full``)."""

Buckets = tuple[int, int, int]
"""``(first, stop, count)``: the stream buckets ``first <= b < stop`` of ``count``."""

Place = tuple[str, int, int]
"""Where a stored event is: ``(stream, version, position)``."""


@attrs.frozen
class Tip:
    """What a backend reads inside a write transaction, for the core to decide on."""

    version: int
    """The stream's current version (0: no such stream)."""
    position: int
    """The last global position (0: an empty store)."""
    hash: bytes
    """The chain hash of the row ending at ``position`` (:data:`~._commits.GENESIS` if 0)."""
    found: dict[bytes, Place]
    """Of the ids the caller gave, those already stored, and where."""
    overlap: bool
    """Whether a stored id falls within the fresh id range asked about."""


class Writer(Protocol):
    """One write transaction (:meth:`Backend.writing`), serialised with every other one.

    The core calls :meth:`tip` then :meth:`insert` once per batch: once for ``append``,
    once for each batch of ``append_many``, in order, all in this one transaction. A tip
    need not see the rows inserted earlier in the same transaction (the core carries the
    head, its hash and the versions forward itself); it must see every committed row.
    """

    def tip(
        self, stream: str, given: Sequence[bytes] | None, fresh: tuple[bytes, bytes] | None
    ) -> Tip:
        """The stream's version, the head and its hash; where the ``given`` ids are stored
        (if any are); whether any stored id lies within ``fresh`` (first, last), inclusive."""
        ...

    def insert(self, stream: str, rows: Sequence[Row], events: Sequence[Event]) -> None:
        """Store ``rows`` (full :data:`ROW_FIELDS`, ``stream`` being the name) and index
        each row's ids (``hubcore.store.id_runs``); a stored id again is an error.

        ``events`` are the events the rows encode, in order, for a backend that keeps them
        decoded (the memory backend); a backend that stores rows ignores them."""
        ...


@runtime_checkable
class Backend(Protocol):
    """Storage for the core's commit rows, streams and projection states.

    Every method may raise only :class:`~hubcore.HubcoreError` subclasses (translate the
    database's own errors; :class:`~hubcore.StoreUnavailable` when it cannot be reached).
    The core never calls a backend after :meth:`close`.
    """

    label: str
    """How error messages name this store (a path, a URL without its password)."""

    def writing(self) -> AbstractContextManager[Writer]:
        """A write transaction: committed when the block ends normally, else rolled back.

        Writers are serialised: a writer sees every row committed before it, and commits
        before the next writer's :meth:`Writer.tip` (so positions follow commit order and a
        reader can never see a later position before an earlier one)."""
        ...

    def read_rows(
        self, after: int, limit: int, buckets: Buckets | None, *, full: bool = False
    ) -> Sequence[Row]:
        """Up to ``limit`` rows with ``last_position > after``, ascending; with
        ``buckets``, only rows of streams in those buckets, by a rule the backend keeps for
        the life of the store. ``full``: every field (for verify), else :data:`READ_FIELDS`.

        A row may carry its events' decoded envelopes as an ``envelopes`` attribute (a list
        of :class:`~hubcore.store.Recorded`, as the memory backend does); the core then
        yields those instead of decoding."""
        ...

    def read_stream_rows(self, stream: str, after_version: int, limit: int) -> Sequence[Row]:
        """Up to ``limit`` rows of ``stream`` with ``last_version > after_version``,
        ascending (:data:`READ_FIELDS`)."""
        ...

    def stream_names(self, keys: Collection[Any]) -> dict[Any, str]:
        """The names of the streams keyed ``keys`` in read rows, read from storage (a key
        with no name is left out; the core caches the answers)."""
        ...

    def streams(self) -> list[str]:
        """Every stream's name (any order)."""
        ...

    def head(self) -> int:
        """The last global position (0 for an empty store)."""
        ...

    def stream_version(self, stream: str) -> int:
        """The stream's version (0 if it has no events)."""
        ...

    def stored_run(self, first: bytes) -> tuple[bytes, int] | None:
        """The id index entry starting at ``first``: ``(last id, position of first)``."""
        ...

    def load_projection(self, name: str) -> tuple[int, int, bytes] | None:
        """``(version, checkpoint, state)`` of projection ``name``, or None."""
        ...

    def save_projections(self, rows: Sequence[tuple[str, int, int, bytes]]) -> None:
        """Store ``(name, version, checkpoint, state)`` rows in one transaction."""
        ...

    def delete_projection(self, name: str) -> None:
        """Forget projection ``name`` (no error if absent)."""
        ...

    def close(self) -> None:
        """Release connections and files."""
        ...
