"""Appending an import's events to several streams, with ids that make a re-run safe.

An import touches many streams (one per school). :func:`append_batches` appends them all in
one transaction when the store offers ``append_many`` (a list of batches, all or nothing);
otherwise it appends one stream at a time, in order. Either way every event carries the id
its import derived for it (see :func:`event_id`): after a crash part-way, running the same
import again finds what is already stored and appends only the rest, so every event is
stored exactly once.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable, Sequence
from typing import Any

import attrs

from hubcore.events import Event

__all__ = ["NAMESPACE", "StreamBatch", "append_batches", "atomic", "event_id"]

_log = logging.getLogger("hubcore.imports")

NAMESPACE = uuid.UUID("6f1c4a52-3b0e-5d7a-9c42-8e1f0a7b2d61")
"""The namespace of the ids imports derive (UUID version 5)."""


def event_id(kind: str, key: str) -> uuid.UUID:
    """The id of the event an import of ``kind`` records for the fact ``key``."""
    return uuid.uuid5(NAMESPACE, f"{kind}\n{key}")


@attrs.frozen
class StreamBatch:
    """Events for one stream, the version it must be at, and their ids."""

    stream: str
    events: tuple[Event, ...]
    expected_version: int
    event_ids: tuple[uuid.UUID, ...]


def atomic(store: Any) -> bool:
    """Whether ``store`` appends several streams' batches all or nothing (``append_many``)."""
    return callable(getattr(store, "append_many", None))


def append_batches(
    store: Any,
    batches: Sequence[StreamBatch],
    *,
    progress: Callable[[int], None] | None = None,
) -> None:
    """Append every batch: in one transaction when the store can, else stream by stream.

    ``progress(events)`` is called after each stream's batch is stored.
    """
    if not batches:
        return
    if atomic(store):
        total = sum(len(b.events) for b in batches)
        _log.info("appending %d events to %d streams in one transaction", total, len(batches))
        store.append_many(
            [(b.stream, list(b.events), b.expected_version, list(b.event_ids)) for b in batches]
        )
        _log.info("committed %d events", total)
        if progress is not None:
            progress(total)
        return
    for batch in batches:
        store.append(
            batch.stream,
            list(batch.events),
            batch.expected_version,
            event_ids=list(batch.event_ids),
        )
        if progress is not None:
            progress(len(batch.events))
