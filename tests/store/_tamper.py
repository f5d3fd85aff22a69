"""Editing a SQLite store file behind hubcore's back, for tamper-evidence tests.

The store keeps one ``commits`` row per appended batch; tests find it easier to say "edit
the payload at position 7". :func:`edited` drops the append-only triggers and lays the log
out as a temporary ``events`` table, one row per event (position, stream_id, version,
event_id, event_type, schema_version, recorded_at, payload, checks, hash), whose ``checks``
and ``hash`` are what hubcore would have stored had each event been appended on its own
(the same log, batched differently); it runs the test's SQL on that table, then writes it
back as one commit row per event with a matching ``event_ids`` index. So the file is a
valid log that was then edited by exactly the test's SQL.
"""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

from hubcore.store._commits import GENESIS, event_checks, kind_seed, pack_checks, row_hash

TRIGGERS = (
    "commits_no_update",
    "commits_no_delete",
    "streams_no_update",
    "streams_no_delete",
    "event_ids_no_update",
    "event_ids_no_delete",
)


def drop_triggers(conn: sqlite3.Connection) -> None:
    for trigger in TRIGGERS:
        conn.execute(f"DROP TRIGGER {trigger}")


def _explode(conn: sqlite3.Connection) -> None:
    conn.execute(
        "CREATE TEMP TABLE events (position INTEGER, stream_id INTEGER, version INTEGER, "
        "event_id BLOB, event_type TEXT, schema_version INTEGER, recorded_at INTEGER, "
        "payload BLOB, checks BLOB, hash BLOB)"
    )
    names = dict(conn.execute("SELECT id, name FROM streams").fetchall())
    rows = conn.execute(
        "SELECT last_position, count, stream_id, last_version, recorded_at, event_ids, kinds, "
        "kind_index, payloads FROM commits ORDER BY last_position"
    ).fetchall()
    prev = GENESIS
    for last, count, stream_id, last_version, at, ids, kinds, index, blob in rows:
        table = kinds.split(" ")
        payloads = blob.split(b"\n")
        for k in range(count):
            kind = table[index[k]]
            event_type, schema = kind.rsplit("/", 1)
            event_id = (
                ids[16 * k : 16 * k + 16]
                if len(ids) != 16
                else (int.from_bytes(ids) + k).to_bytes(16)
            )
            position = last - count + 1 + k
            version = last_version - count + 1 + k
            checks = pack_checks(
                event_checks([payloads[k]], [kind_seed(kind)], b"\x00", event_id, position)
            )
            prev = row_hash(
                prev,
                last_position=position,
                count=1,
                stream=names[stream_id],
                last_version=version,
                recorded_at=at,
                ids=event_id,
                kinds=kind,
                kind_index=b"\x00",
                checks=checks,
                payloads=payloads[k],
            )
            conn.execute(
                "INSERT INTO events VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    position,
                    stream_id,
                    version,
                    event_id,
                    event_type,
                    int(schema),
                    at,
                    payloads[k],
                    checks,
                    prev,
                ),
            )


def _implode(conn: sqlite3.Connection) -> None:
    conn.execute("DELETE FROM commits")
    conn.execute("DELETE FROM event_ids")
    for (
        position,
        stream_id,
        version,
        event_id,
        event_type,
        schema,
        at,
        payload,
        checks,
        digest,
    ) in conn.execute("SELECT * FROM events ORDER BY position").fetchall():
        conn.execute(
            "INSERT INTO commits VALUES (?, 1, ?, ?, ?, ?, ?, X'00', ?, ?, ?)",
            (
                position,
                stream_id,
                version,
                at,
                event_id,
                f"{event_type}/{schema}",
                payload,
                checks,
                digest,
            ),
        )
        conn.execute(
            "INSERT OR REPLACE INTO event_ids VALUES (?, ?, ?)", (event_id, event_id, position)
        )
    conn.execute("DROP TABLE temp.events")


def edited(clean: Path, target: Path, *sql: tuple[str, tuple[object, ...]]) -> Path:
    """A copy of ``clean`` whose per-event ``events`` table was changed by ``sql`` (``clean``
    itself when ``target`` is the same path)."""
    if Path(target).resolve() != Path(clean).resolve():
        shutil.copyfile(clean, target)
    conn = sqlite3.connect(target, isolation_level=None)
    try:
        drop_triggers(conn)
        _explode(conn)
        for statement, params in sql:
            conn.execute(statement, params)
        _implode(conn)
    finally:
        conn.close()
    return target


def raw_edit(clean: Path, target: Path, *sql: tuple[str, tuple[object, ...]]) -> Path:
    """A copy of ``clean`` changed by raw SQL on the stored tables, triggers dropped."""
    shutil.copyfile(clean, target)
    conn = sqlite3.connect(target, isolation_level=None)
    try:
        drop_triggers(conn)
        for statement, params in sql:
            conn.execute(statement, params)
    finally:
        conn.close()
    return target
