"""Event stores: the append-only, hash-chained log, in memory or in SQLite.

>>> from hubcore.store import open_store
>>> with open_store("memory://") as store:
...     store.head()
0
"""

from __future__ import annotations

from hubcore.store._memory import MemoryStore
from hubcore.store._protocol import (
    ANY,
    NO_STREAM,
    AppendResult,
    EventStore,
    ExpectedVersion,
    Partition,
    Recorded,
    StoredProjection,
)
from hubcore.store._sqlite import SqliteStore
from hubcore.store._url import open_store

__all__ = [
    "ANY",
    "NO_STREAM",
    "AppendResult",
    "EventStore",
    "ExpectedVersion",
    "Partition",
    "MemoryStore",
    "Recorded",
    "SqliteStore",
    "StoredProjection",
    "open_store",
]
