"""``copy_log(source, target)``: every commit row of one store into another, as stored.

The rows and their chain do not depend on the backend (the stream enters the hash by its
name), so a log copied row by row verifies in its new store: the way to move a hub from
SQLite to PostgreSQL.
"""

from __future__ import annotations

from hubcore.errors import HubcoreError
from hubcore.store._commits import records
from hubcore.store._core import Store

__all__ = ["copy_log"]

_ROWS_PER_TRANSACTION = 200


def copy_log(source: Store, target: Store) -> int:
    """Append every row of ``source`` to the empty ``target``, unchanged (ids, times,
    chain), a few hundred rows per transaction; the number of events copied. Projection
    states are not copied (they are rebuilt from the log)."""
    if target.head() != 0:
        raise HubcoreError(f"copy_log: the target store {target!r} is not empty")
    names: dict[object, str] = {}
    after = copied = 0
    while True:
        rows = source.backend.read_rows(after, _ROWS_PER_TRANSACTION, None, full=True)
        if not rows:
            return copied
        missing = {row[2] for row in rows} - names.keys()
        if missing:
            names.update(source.backend.stream_names(missing))
        with target.backend.writing() as writer:
            tip = writer.tip(names[rows[0][2]], None, None)
            if tip.position != after:
                raise HubcoreError(f"copy_log: the target changed while copying (at {after})")
            for row in rows:
                stream = names[row[2]]
                events = [r.event for r in records([row], names, names.get)]
                writer.tip(stream, None, None)  # the backend learns the stream (or its absence)
                writer.insert(stream, [(*row[:2], stream, *row[3:])], events)
        after = rows[-1][0]
        copied += sum(row[1] for row in rows)
