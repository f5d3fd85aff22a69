"""Event store throughput against the raw SQLite floor, in one run.

    python benchmarks/store.py [--events 100000] [--repeat 3]

Measures, for realistic events (about 200 bytes encoded, a mix of school event types):
append throughput on the memory and SQLite stores (batches of 100, and bulk batches of
10,000), ``read_all`` + full decode throughput, and peak RSS; and the raw floor: plain
``sqlite3`` ``executemany`` of the same payload bytes into a simple table in the same batch
sizes (one transaction per batch, WAL + synchronous=FULL), and ``SELECT`` + ``orjson.loads``.

The machine may be shared, so every measurement is repeated, raw and hubcore runs are
interleaved (each repetition runs the raw floor, then hubcore, into fresh files), and each
ratio hubcore/raw is taken best-vs-best within this one run.
"""

from __future__ import annotations

import argparse
import gc
import os
import resource
import sqlite3
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import orjson

from hubcore.codec import encode
from hubcore.events import (
    ActionAgreed,
    ConversationHeld,
    Event,
    SchoolEngaged,
    SchoolRegistered,
    TrainingDelivered,
)
from hubcore.store import MemoryStore, SqliteStore
from hubcore.vocabulary import (
    ActionOwner,
    AgreedByRole,
    Agreement,
    Area,
    ConversationKind,
    DeliveredBy,
    Grade,
    Offer,
    Participant,
    Phase,
    TrainingFormat,
    TrainingTopic,
)

START = date(2024, 9, 2)


def event(urn: int, i: int) -> Event:
    day = START + timedelta(days=i % 600)
    kind = i % 5
    if kind == 0:
        return SchoolRegistered(
            occurred_on=day,
            urn=urn,
            name=f"St Cecilia's Church of England Primary School {urn % 97}",
            phase=Phase.PRIMARY,
            la_code="201",
            pupils_on_roll=180 + i % 400,
            disadvantaged_pct=round(5 + (i % 50) * 0.7, 1),
        )
    if kind == 1:
        return SchoolEngaged(
            occurred_on=day,
            urn=urn,
            offer={Offer.SINGING, Offer.CPD, Offer.WHOLE_CLASS_ENSEMBLE},
            agreement=Agreement.PARTNERSHIP_AGREEMENT,
            agreed_by_role=AgreedByRole.HEADTEACHER,
        )
    if kind == 2:
        return ConversationHeld(
            occurred_on=day,
            urn=urn,
            conversation_id=f"conv-{urn}-{i}",
            kind=ConversationKind.SUPPORTIVE,
            participants={Participant.MUSIC_LEAD, Participant.HUB_ADVISER},
            judgements={Area.CURRICULUM_TIME: Grade.EXPECTED, Area.LEADERSHIP: Grade.STRONG},
            next_due_on=day + timedelta(days=90),
        )
    if kind == 3:
        return TrainingDelivered(
            occurred_on=day,
            urn=urn,
            topic=TrainingTopic.SINGING,
            format=TrainingFormat.CPD_SESSION,
            hours=1.5,
            staff_trained=3 + i % 7,
            delivered_by=DeliveredBy.HUB_STAFF,
        )
    return ActionAgreed(
        occurred_on=day,
        urn=urn,
        action_id=f"act-{urn}-{i}",
        description="Plan a weekly singing assembly with the music lead",
        owner=ActionOwner.SCHOOL,
        due_on=day + timedelta(days=30),
    )


def batches(total: int, size: int) -> Iterator[tuple[str, list[Event]]]:
    """``total`` events as batches of ``size``, one school (stream) per batch."""
    for start in range(0, total, size):
        urn = 100000 + start // size
        count = min(size, total - start)
        yield f"school-{urn}", [event(urn, start + i) for i in range(count)]


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class Timings:
    """Best wall time per label over interleaved repetitions."""

    def __init__(self) -> None:
        self.best: dict[str, float] = {}
        self.runs: dict[str, int] = {}

    def time(self, label: str, run: Callable[..., object], *args: Any) -> None:
        gc.collect()
        began = time.perf_counter()
        run(*args)
        elapsed = time.perf_counter() - began
        self.best[label] = min(self.best.get(label, float("inf")), elapsed)
        self.runs[label] = self.runs.get(label, 0) + 1

    def report(self, label: str, name: str, count: int) -> float:
        elapsed = self.best[label]
        rate = count / elapsed
        print(
            f"  {name:<44} {rate:>10,.0f} events/s  ({elapsed:6.2f} s, best of {self.runs[label]})"
        )
        return rate


def raw_connection(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = FULL")
    conn.execute("CREATE TABLE IF NOT EXISTS raw (id INTEGER PRIMARY KEY, payload BLOB NOT NULL)")
    return conn


def raw_append(path: Path, payload_batches: list[list[bytes]]) -> None:
    conn = raw_connection(path)
    for payloads in payload_batches:
        conn.execute("BEGIN IMMEDIATE")
        conn.executemany("INSERT INTO raw (payload) VALUES (?)", ((p,) for p in payloads))
        conn.execute("COMMIT")
    conn.close()


def raw_read(path: Path) -> int:
    conn = raw_connection(path)
    count = 0
    loads = orjson.loads
    last = 0
    while True:
        rows = conn.execute(
            "SELECT id, payload FROM raw WHERE id > ? ORDER BY id LIMIT 2000", (last,)
        ).fetchall()
        for _, payload in rows:
            loads(payload)
            count += 1
        if len(rows) < 2000:
            break
        last = rows[-1][0]
    conn.close()
    return count


def compact(events: list[Event]) -> list[bytes]:
    """The events' payloads as exact-size bytes (orjson results are over-allocated)."""
    encoded = [encode(e) for e in events]
    joined = b"".join(encoded)
    out, at = [], 0
    for payload in encoded:
        out.append(joined[at : at + len(payload)])
        at += len(payload)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3, help="runs per measurement")
    args = parser.parse_args()
    total, repeat = args.events, max(1, args.repeat)

    small = list(batches(total, 100))
    bulk = list(batches(total, 10_000))
    payload_small = [compact(events) for _, events in small]
    payload_bulk = [compact(events) for _, events in bulk]
    size = sum(len(p) for ps in payload_small for p in ps) / total
    print(
        f"hubcore store benchmark: {total:,} events, {size:.0f} bytes encoded on average; "
        f"Python {sys.version.split()[0]}, SQLite {sqlite3.sqlite_version}; "
        f"{repeat} interleaved runs per measurement"
    )
    t = Timings()
    with tempfile.TemporaryDirectory(prefix="hubcore-bench-") as tmp:
        tmpdir = Path(tmp)

        def fresh(name: str) -> Path:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{tmpdir / name}{suffix}").unlink(missing_ok=True)
            return tmpdir / name

        def sqlite_append(path: Path, work: list[tuple[str, list[Event]]]) -> None:
            with SqliteStore(path) as store:
                for stream, events in work:
                    store.append(stream, events)

        for _ in range(repeat):
            t.time("raw_small", raw_append, fresh("raw-small.db"), payload_small)
            t.time("sql_small", sqlite_append, fresh("small.sqlite"), small)
            t.time("raw_bulk", raw_append, fresh("raw-bulk.db"), payload_bulk)
            t.time("sql_bulk", sqlite_append, fresh("bulk.sqlite"), bulk)
        memory = MemoryStore()
        t.time("mem_small", lambda: [memory.append(s, e) for s, e in small])
        memory_bulk = MemoryStore()
        t.time("mem_bulk", lambda: [memory_bulk.append(s, e) for s, e in bulk])
        memory_bulk.close()
        payload_bulk.clear()
        bulk.clear()
        fresh("raw-bulk.db")
        fresh("bulk.sqlite")

        for _ in range(repeat + 2):
            t.time("raw_read", lambda: raw_read(tmpdir / "raw-small.db"))
            with SqliteStore(tmpdir / "small.sqlite") as reader:
                t.time("sql_read", lambda: sum(1 for _ in reader.read_all()))
            t.time("mem_read", lambda: sum(1 for _ in memory.read_all()))
        with SqliteStore(tmpdir / "small.sqlite") as reader:
            t.time("sql_verify", reader.verify)

    results: dict[str, float] = {}
    print("append, batches of 100 (one transaction each):")
    results["raw_small"] = t.report("raw_small", "raw sqlite3 executemany", total)
    results["mem_small"] = t.report("mem_small", "hubcore memory", total)
    results["sql_small"] = t.report("sql_small", "hubcore sqlite", total)
    print("append, bulk batches of 10,000:")
    results["raw_bulk"] = t.report("raw_bulk", "raw sqlite3 executemany", total)
    results["mem_bulk"] = t.report("mem_bulk", "hubcore memory", total)
    results["sql_bulk"] = t.report("sql_bulk", "hubcore sqlite", total)
    print("read_all + decode:")
    results["raw_read"] = t.report("raw_read", "raw SELECT + orjson.loads", total)
    results["mem_read"] = t.report("mem_read", "hubcore memory read_all", total)
    results["sql_read"] = t.report("sql_read", "hubcore sqlite read_all (decoded events)", total)
    results["sql_verify"] = t.report("sql_verify", "hubcore sqlite verify", total)

    print("ratios hubcore sqlite / raw floor, best vs best (targets):")
    for label, ours, floor, target in (
        ("append, batches of 100", "sql_small", "raw_small", 0.60),
        ("append, bulk 10,000", "sql_bulk", "raw_bulk", 0.60),
        ("read_all + full decode", "sql_read", "raw_read", 0.35),
    ):
        ratio = results[ours] / results[floor]
        verdict = "ok" if ratio >= target else "BELOW TARGET"
        print(f"  {label:<26} {ratio:6.1%}  (target >= {target:.0%}: {verdict})")
    print(f"peak RSS: {rss_mb():.0f} MiB")
    print(f"load average: {os.getloadavg()[0]:.1f} (other work on this machine skews figures)")


if __name__ == "__main__":
    main()
