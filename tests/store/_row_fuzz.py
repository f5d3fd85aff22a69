"""Stored commit rows, edited at random behind hubcore's back, fed to the decoder.

Shared by tests/store/test_row_fuzz.py (hypothesis) and benchmarks/fuzz.py (a count of
inputs tried). A :class:`Mutation` edits one column of one ``commits`` row of a copy of a
small SQLite store: a whole new value of any SQLite type, or a byte-level edit of the value
there (a flipped bit, a cut, an extension). :func:`outcome` then opens the store and reads
it every way (``read_all``, ``read_stream`` per stream, ``verify``): the answer is
``"accepted"`` or the name of the :class:`~hubcore.HubcoreError` raised; anything else
propagates, and is a bug.
"""

from __future__ import annotations

import random
import shutil
import sqlite3
import uuid
from pathlib import Path
from typing import Any

import attrs

from hubcore.errors import HubcoreError
from hubcore.store import SqliteStore, open_store
from hubcore.store._backend import ROW_FIELDS
from hubcore.testing.conformance import school_events

COLUMNS = tuple("stream_id" if f == "stream" else f for f in ROW_FIELDS)
"""The SQLite ``commits`` table's columns (the stream is keyed by its id there)."""
TRIGGERS = ("commits_no_update", "commits_no_delete")


def pristine(folder: Path) -> Path:
    """A small store: three streams, batches of 1-4 events, store-made and given ids."""
    path = folder / "pristine.sqlite"
    with SqliteStore(path) as store:
        store.append("school-100001", school_events(100001, 4, "a"))
        store.append("school-100002", school_events(100002, 1, "b"))
        given = school_events(100003, 3, "c")
        store.append("school-100003", given, event_ids=[uuid.uuid4() for _ in given])
        store.append("school-100001", school_events(100001, 6, "d")[4:], expected_version=4)
    return path


@attrs.frozen
class Mutation:
    """Edit ``column`` of the ``row``-th commit row (modulo the number of rows).

    ``kind`` is ``"set"`` (``value`` replaces it), ``"flip"`` (bit ``at`` of the value's
    bytes is flipped), ``"cut"`` (the value is cut to ``at`` bytes) or ``"extend"``
    (``value``, bytes, is appended)."""

    row: int
    column: str
    kind: str
    value: Any = None
    at: int = 0


def _edited(old: Any, m: Mutation) -> Any:
    if m.kind == "set":
        return m.value
    data = old.encode("utf-8", "surrogatepass") if isinstance(old, str) else old
    if isinstance(data, int):
        data = str(data).encode()
    if m.kind == "flip":
        if not data:
            return b"\x01"
        i = (m.at // 8) % len(data)
        new = data[:i] + bytes([data[i] ^ (1 << (m.at % 8))]) + data[i + 1 :]
    elif m.kind == "cut":
        new = data[: m.at % (len(data) + 1)]
    else:
        new = data + m.value
    if isinstance(old, str):
        return new.decode("utf-8", "replace")
    if isinstance(old, int):
        return int(new) if new.strip().lstrip(b"-").isdigit() else new
    return new


def apply(pristine_path: Path, target: Path, m: Mutation) -> bool:
    """Copy the store to ``target`` and edit it; True if the stored rows changed (an edit
    SQLite refuses, e.g. a duplicate position, or one that stores the same value, is not a
    change)."""
    shutil.copyfile(pristine_path, target)
    conn = sqlite3.connect(target)
    try:
        for trigger in TRIGGERS:
            conn.execute(f"DROP TRIGGER {trigger}")
        before = conn.execute("SELECT * FROM commits ORDER BY rowid").fetchall()
        position = before[m.row % len(before)][0]
        (old,) = conn.execute(
            f"SELECT {m.column} FROM commits WHERE last_position = ?", (position,)
        ).fetchone()
        try:
            conn.execute(
                f"UPDATE commits SET {m.column} = ? WHERE last_position = ?",
                (_edited(old, m), position),
            )
        except (sqlite3.IntegrityError, OverflowError):
            return False
        conn.commit()
        return conn.execute("SELECT * FROM commits ORDER BY rowid").fetchall() != before
    finally:
        conn.close()


def outcome(path: Path) -> tuple[str, tuple[str, ...]]:
    """``("accepted", the event ids read)`` if the store at ``path`` reads and verifies,
    else ``(the name of the HubcoreError it raised, ())``; any other exception propagates.
    """
    try:
        with open_store(f"sqlite:///{path}") as store:
            ids = tuple(str(r.event_id) for r in store.read_all())
            for stream in store.streams():
                list(store.read_stream(stream))
            store.verify()
    except HubcoreError as error:
        return type(error).__name__, ()
    return "accepted", ids


def judge(pristine_ids: tuple[str, ...], changed: bool, found: tuple[str, tuple[str, ...]]) -> str:
    """What an outcome means: ``"unchanged"``, ``"refused: <error>"``, ``"tail hidden"``
    (the edit hid the last rows: the log reads and verifies as a true prefix of itself,
    which only an anchor can tell from the whole; docs/stores.md; verify walks from the
    lowest storable position, so only a row moved to exactly -2**63 is hidden this way)
    or ``"FORGED"`` (changed, accepted and not a prefix: a bug)."""
    label, ids = found
    if label != "accepted":
        return f"refused: {label}"
    if not changed or ids == pristine_ids:
        return "unchanged" if not changed else "FORGED"
    if pristine_ids[: len(ids)] == ids:
        return "tail hidden"
    return "FORGED"


def random_mutation(rnd: random.Random) -> Mutation:
    """A mutation drawn with ``rnd`` (benchmarks/fuzz.py; the test draws its own)."""
    column = rnd.choice(COLUMNS)
    kind = rnd.choice(["set", "flip", "cut", "extend"])
    value: Any = None
    if kind == "set":
        value = rnd.choice(
            [
                rnd.randint(-(2**63), 2**63 - 1),
                rnd.randint(-3, 12),
                rnd.random() * 1e6,
                "".join(chr(rnd.randint(1, 0x2FFF)) for _ in range(rnd.randint(0, 12))),
                rnd.randbytes(rnd.randint(0, 40)),
            ]
        )
    elif kind == "extend":
        value = rnd.randbytes(rnd.randint(1, 8))
    return Mutation(rnd.randint(0, 8), column, kind, value, rnd.randint(0, 4096))
