"""PostgreSQL store throughput next to SQLite (and the eventsourcing library), in one run.

    python benchmarks/postgres.py [--url postgresql://postgres@127.0.0.1:5432/test]
        [--events 100000] [--repeat 3] [--skip-rebuild]

Prints, for the same realistic events (``benchmarks/store.py``'s):

* append throughput, batches of 100 (one transaction each) and bulk batches of 10,000, on
  hubcore's PostgreSQL and SQLite stores, and on the ``eventsourcing`` library's
  PostgreSQL application recorder when that library is installed (the same events, each
  encoded by hubcore's codec, one ``insert_events`` per batch);
* ``read_all`` with every event decoded, PostgreSQL next to SQLite;
* the rebuild of the national log (``benchmarks/projections.py``'s: 20,000 schools over 5
  years, about 2 million events), copied once into the schema ``hubcore_bench_national``
  and reused: every built-in projection folded in one process, and with two workers
  (``parallel_fold``), from PostgreSQL and from SQLite, each in a fresh process; and the
  peak memory of a plain ``read_all`` of the log at 1 and 2 million events (flat: reading
  holds a page, never the log).

The machine is shared: each append figure is the best of ``--repeat`` runs, PostgreSQL and
SQLite interleaved; every figure comes with the load average.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))

from hubcore.codec import encode
from hubcore.store import Store, copy_log, open_store
from hubcore.store._postgres import drop_schema
from store import batches

NATIONAL_SCHEMA = "hubcore_bench_national"
TARGET_APPEND = 20_000
TARGET_REBUILD = 100_000
TARGET_SPEEDUP = 1.8


def _load() -> str:
    one, five, _ = os.getloadavg()
    return f"load {one:.1f} (5 min {five:.1f}) on {os.cpu_count()} cores"


def _best(times: dict[str, float], label: str, run: Callable[[], Any]) -> None:
    gc.collect()
    began = time.perf_counter()
    run()
    times[label] = min(times.get(label, float("inf")), time.perf_counter() - began)


def _with_schema(url: str, schema: str) -> str:
    return f"{url}{'&' if '?' in url else '?'}schema={schema}"


def _eventsourcing_recorder(url: str, table: str) -> Any | None:
    """The eventsourcing library's PostgreSQL application recorder, or None if absent."""
    try:
        from eventsourcing.postgres import PostgresApplicationRecorder, PostgresDatastore
    except ImportError:
        return None
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    datastore = PostgresDatastore(
        dbname=parts.path.lstrip("/"),
        host=parts.hostname or "127.0.0.1",
        port=parts.port or 5432,
        user=parts.username or "postgres",
        password=parts.password or "",
    )
    recorder = PostgresApplicationRecorder(datastore, events_table_name=table)
    recorder.create_table()
    return recorder


def _es_append(recorder: Any, work: list[tuple[str, list[Any]]]) -> None:
    from eventsourcing.persistence import StoredEvent

    for stream, events in work:
        originator = uuid.uuid5(uuid.NAMESPACE_URL, stream)
        recorder.insert_events(
            [
                StoredEvent(originator, version, event.event_type, encode(event))
                for version, event in enumerate(events, 1)
            ]
        )


def append_and_read(url: str, total: int, repeat: int) -> None:
    small = list(batches(total, 100))
    bulk = list(batches(total, 10_000))
    times: dict[str, float] = {}
    schemas: list[str] = []
    es_tables: list[str] = []
    es = None
    with tempfile.TemporaryDirectory(prefix="hubcore-pgbench-") as tmp:
        folder = Path(tmp)

        def run(store_url: str, work: list[tuple[str, list[Any]]]) -> None:
            with open_store(store_url) as store:
                for stream, events in work:
                    store.append(stream, events)

        for round_ in range(repeat):
            for kind, work in (("small", small), ("bulk", bulk)):
                schema = f"hubcore_bench_{os.getpid()}_{kind}_{round_}"
                schemas.append(schema)
                pg = _with_schema(url, schema)
                open_store(pg).close()
                _best(times, f"pg_{kind}", lambda pg=pg, work=work: run(pg, work))
                path = folder / f"{kind}-{round_}.sqlite"
                _best(times, f"sql_{kind}", lambda p=path, work=work: run(f"sqlite:///{p}", work))
                table = f"hubcore_bench_es_{os.getpid()}_{kind}_{round_}"
                es = _eventsourcing_recorder(url, table)
                if es is not None:
                    es_tables.append(table)
                    _best(times, f"es_{kind}", lambda es=es, work=work: _es_append(es, work))
        read_pg = _with_schema(url, schemas[0])
        read_sql = f"sqlite:///{folder / 'small-0.sqlite'}"
        for _ in range(repeat + 2):
            for label, store_url in (("pg_read", read_pg), ("sql_read", read_sql)):
                with open_store(store_url) as store:
                    _best(times, label, lambda s=store: sum(1 for _ in s.read_all()))
    for schema in schemas:
        drop_schema(url, schema)
    if es_tables:
        import psycopg

        with psycopg.connect(url, autocommit=True) as conn:
            for table in es_tables:
                conn.execute(f"DROP TABLE IF EXISTS {table}")

    def line(name: str, label: str, target: int | None = None) -> None:
        if label not in times:
            print(f"  {name:<46} (not measured: eventsourcing is not installed)")
            return
        rate = total / times[label]
        verdict = "" if target is None else (" ok" if rate >= target else " BELOW TARGET")
        print(f"  {name:<46} {rate:>10,.0f} events/s{verdict}")

    print(f"append, batches of 100 (one transaction each), best of {repeat}; {_load()}:")
    line("hubcore postgresql", "pg_small", TARGET_APPEND)
    line("hubcore sqlite", "sql_small")
    line("eventsourcing PostgresApplicationRecorder", "es_small")
    print("append, bulk batches of 10,000:")
    line("hubcore postgresql", "pg_bulk", TARGET_APPEND)
    line("hubcore sqlite", "sql_bulk")
    line("eventsourcing PostgresApplicationRecorder", "es_bulk")
    print(f"read_all, every event decoded, best of {repeat + 2}:")
    line("hubcore postgresql", "pg_read")
    line("hubcore sqlite", "sql_read")


def national(url: str) -> tuple[str, str]:
    """(SQLite URL, PostgreSQL URL) of the national log, copied into PostgreSQL once."""
    from projections import _cached_log  # benchmarks/projections.py's generated log

    sqlite_url = _cached_log(20_000)
    pg_url = _with_schema(url, NATIONAL_SCHEMA)
    with open_store(sqlite_url) as source:
        head = source.head()
        with open_store(pg_url) as target:
            stale = target.head() not in (0, head)
        if stale:  # a partial copy: start again
            drop_schema(url, NATIONAL_SCHEMA)
        with open_store(pg_url) as target:
            if target.head() != head:
                assert isinstance(source, Store)
                assert isinstance(target, Store)
                began = time.perf_counter()
                copied = copy_log(source, target)
                print(
                    f"  copied the national log into PostgreSQL: {copied:,} events in "
                    f"{time.perf_counter() - began:.0f}s (reused by later runs)"
                )
    return sqlite_url, pg_url


def _fresh(mode: str, store_url: str) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, __file__, "--child", mode, "--child-url", store_url],
        capture_output=True,
        text=True,
        check=True,
    )
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def child(mode: str, store_url: str) -> None:
    """One timed run in this fresh process; prints a JSON line."""
    from hubcore.projections import builtin_projections, fold, parallel_fold

    rss: dict[str, float] = {}

    def peak() -> float:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
        return 0.0

    began = time.perf_counter()
    cpu = time.process_time()
    if mode == "read":
        with open_store(store_url) as store:
            count = 0
            for count, _ in enumerate(store.read_all(), 1):
                if count in (1_000_000, 2_000_000):
                    rss[str(count)] = peak()
    elif mode == "fold":
        with open_store(store_url) as store:
            head = store.head()
            fold(builtin_projections(), store.read_all())
            count = head
    else:
        _, _, count = parallel_fold(store_url, workers=2)
    print(
        json.dumps(
            {
                "events": count,
                "elapsed": time.perf_counter() - began,
                "cpu": time.process_time() - cpu,
                "rss": rss,
                "load": _load(),
            }
        )
    )


def rebuild(url: str) -> None:
    print("national log (benchmarks/projections.py's, 20,000 schools, 5 years):")
    sqlite_url, pg_url = national(url)
    results: dict[tuple[str, str], dict[str, Any]] = {}
    for mode in ("read", "fold", "parallel"):
        for name, store_url in (("postgresql", pg_url), ("sqlite", sqlite_url)):
            results[(mode, name)] = _fresh(mode, store_url)
    for mode, title in (
        ("read", "plain read_all, every event decoded"),
        ("fold", "rebuild, every built-in projection, one process"),
        ("parallel", "rebuild, every built-in projection, two workers (parallel_fold)"),
    ):
        print(f"  {title} (a fresh process each):")
        for name in ("postgresql", "sqlite"):
            r = results[(mode, name)]
            rate = r["events"] / r["elapsed"]
            extra = ""
            if mode == "fold" and name == "postgresql":
                extra = " ok" if rate >= TARGET_REBUILD else " BELOW TARGET"
            if mode == "parallel":
                speedup = results[("fold", name)]["elapsed"] / r["elapsed"]
                extra = f", x{speedup:.2f} the one-process rebuild"
                if name == "postgresql":
                    extra += " (ok)" if speedup >= TARGET_SPEEDUP else " (BELOW the x1.8 target)"
            if mode == "read" and r["rss"]:
                extra = "; peak RSS " + ", ".join(
                    f"{float(k):,.0f} events {v:.0f} MiB" for k, v in r["rss"].items()
                )
            print(
                f"    {name:<10} {r['events']:,} events in {r['elapsed']:.1f}s = {rate:,.0f}"
                f" events/s ({r['cpu']:.1f} CPU-s){extra}; {r['load']}"
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--url",
        default=os.environ.get(
            "HUBCORE_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432/test"
        ),
    )
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--skip-rebuild", action="store_true")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--child-url", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.child_url)
        return
    print(f"hubcore PostgreSQL benchmark: {args.events:,} events; {_load()}")
    append_and_read(args.url, args.events, max(1, args.repeat))
    if not args.skip_rebuild:
        rebuild(args.url)
    print(f"done; {_load()}")


if __name__ == "__main__":
    main()
