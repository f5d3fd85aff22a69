"""Event stores: the append-only, hash-chained log, in memory, in SQLite or elsewhere.

One core (:class:`Store`) does what a store means; a :class:`Backend` keeps its rows.
Backends are found by URL scheme (entry-point group ``hubcore.stores``).

>>> from hubcore.store import open_store
>>> with open_store("memory://") as store:
...     store.head()
0
"""

from __future__ import annotations

from hubcore.store._backend import (
    READ_FIELDS,
    ROW_FIELDS,
    Backend,
    Buckets,
    Place,
    Row,
    Tip,
    Writer,
)
from hubcore.store._commits import GENESIS, id_runs
from hubcore.store._copy import copy_log
from hubcore.store._core import Claim, Store
from hubcore.store._memory import MemoryBackend, MemoryStore
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
from hubcore.store._sqlite import SqliteBackend, SqliteStore
from hubcore.store._subscribe import Subscription, Waiter
from hubcore.store._url import (
    ENTRY_POINT_GROUP,
    NoTestDatabase,
    StoreScheme,
    open_store,
    store_scheme,
    store_schemes,
)

__all__ = [
    "ANY",
    "ENTRY_POINT_GROUP",
    "GENESIS",
    "NO_STREAM",
    "READ_FIELDS",
    "ROW_FIELDS",
    "AppendResult",
    "Backend",
    "Buckets",
    "Claim",
    "EventStore",
    "ExpectedVersion",
    "MemoryBackend",
    "MemoryStore",
    "NoTestDatabase",
    "Partition",
    "Place",
    "Recorded",
    "Row",
    "SqliteBackend",
    "SqliteStore",
    "Store",
    "StoreScheme",
    "StoredProjection",
    "Subscription",
    "Tip",
    "Waiter",
    "Writer",
    "copy_log",
    "id_runs",
    "open_store",
    "store_scheme",
    "store_schemes",
]
