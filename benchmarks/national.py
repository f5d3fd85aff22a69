"""Every figure of issue 16 on the demo's national log, next to its target, in one run.

Builds the store itself with ``hubcore demo --schools N --years Y`` (cached under
``benchmarks/.data/``; the default 20,000 x 5 is about 2 million events and takes minutes,
so ``--schools 2000`` is the size to iterate on), then measures, each in a fresh process
(wall time, events/s, peak RSS from ``resource.getrusage``):

* the raw floor: SQLite ``SELECT`` of the commit rows + ``orjson.loads`` of every payload;
* ``read_all`` + decode alone (target: at least 60% of the floor's speed);
* ``fold()`` of every built-in projection in memory (no target: where the apply time goes);
* ``Projector.catch_up()`` from nothing saved (target: at least 100,000 events/s);
* ``hubcore rebuild`` of every projection, with 1 and 2 worker processes (target: at most
  3x the ``read_all`` + decode pass; on the national log under 30 s and 700 MiB);
* ``hubcore demo`` itself (target: 20,000 x 5 under 45 s and 800 MiB), measured when the
  store is built, or into a scratch file with ``--demo``.

The machine may be shared: ratios are measured within one run, and the load is printed.

Run: .venv/bin/python benchmarks/national.py [--schools 2000] [--years 5] [--demo]
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import resource
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import orjson

DATA = Path(__file__).parent / ".data"
READ_SHARE_TARGET = 0.60  # read_all + decode vs the raw floor
CATCH_UP_TARGET = 100_000  # events/s
REBUILD_RATIO_TARGET = 3.0  # rebuild vs one read_all + decode pass
NATIONAL = (20_000, 5)
NATIONAL_REBUILD_S, NATIONAL_REBUILD_MIB = 30.0, 700.0
NATIONAL_DEMO_S, NATIONAL_DEMO_MIB = 45.0, 800.0


def _peak_mib() -> tuple[float, float]:
    """Peak RSS of this process and of its largest forked helper, MiB."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return own, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def _cli(*args: str) -> None:
    from hubcore.cli import main

    try:
        main(list(args))
    except SystemExit as stop:
        if stop.code not in (0, None):
            raise RuntimeError(f"hubcore {' '.join(args)} exited {stop.code}") from None


# -- the measured tasks, each run in a fresh process (see _child) ------------------------


def _task_demo(path: str, schools: str, years: str) -> int:
    with tempfile.TemporaryDirectory(prefix="national-demo-") as out:
        store = f"sqlite:///{path}"
        _cli("--store", store, "demo", "--schools", schools, "--years", years, "--out", out)
    return _head(path)


def _task_floor(path: str) -> int:
    loads = orjson.loads
    count = 0
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        for (blob,) in conn.execute("SELECT payloads FROM commits ORDER BY last_position"):
            for payload in blob.split(b"\n"):
                loads(payload)
                count += 1
    finally:
        conn.close()
    return count


def _task_read(path: str) -> int:
    from hubcore.store import open_store

    count = 0
    with open_store(f"sqlite:///{path}") as store:
        for _ in store.read_all():
            count += 1
    return count


def _task_fold(path: str) -> int:
    from hubcore.projections import builtin_projections, fold
    from hubcore.store import open_store

    count = 0
    with open_store(f"sqlite:///{path}") as store:

        def counted() -> Iterator[Any]:
            nonlocal count
            for rec in store.read_all():
                count += 1
                yield rec

        fold(builtin_projections(), counted())
    return count


def _task_catch_up(path: str) -> int:
    from hubcore.projections import Projector
    from hubcore.store import open_store

    with open_store(f"sqlite:///{path}") as store:
        return Projector(store).catch_up()


def _task_rebuild(path: str, workers: str) -> int:
    from hubcore.cli import _reports

    options = {p.name for p in _reports.rebuild_command.params}
    if workers == "1" or "workers" in options:
        extra = () if workers == "1" else ("--workers", workers)
        _cli("--store", f"sqlite:///{path}", "rebuild", *extra)
        return _head(path)
    # before the CLI had --workers: the Python API's partitioned rebuild
    from hubcore.projections import Projector
    from hubcore.store import open_store

    url = f"sqlite:///{path}"
    with open_store(url) as store:
        return Projector(store).rebuild_partitioned(url, workers=int(workers))


_TASKS: dict[str, Callable[..., int]] = {
    "demo": _task_demo,
    "floor": _task_floor,
    "read": _task_read,
    "fold": _task_fold,
    "catch_up": _task_catch_up,
    "rebuild": _task_rebuild,
}


def _child(task: str, args: list[str]) -> None:
    started = time.perf_counter()
    events = _TASKS[task](*args)
    wall = time.perf_counter() - started
    own, helper = _peak_mib()
    print(json.dumps({"events": events, "wall": wall, "peak": own, "helper": helper}))


# -- the parent ----------------------------------------------------------------------------


def _run(task: str, *args: str) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, __file__, "--child", task, *args],
        check=True,
        stdout=subprocess.PIPE,
        text=True,
    )
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def _head(path: str) -> int:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return int(conn.execute("SELECT MAX(last_position) FROM commits").fetchone()[0] or 0)
    finally:
        conn.close()


@contextlib.contextmanager
def _copy(path: Path, *, clear_projections: bool) -> Iterator[str]:
    """A scratch copy of the store (SQLite's backup API: consistent, WAL included)."""
    with tempfile.TemporaryDirectory(prefix="national-", dir=DATA) as folder:
        target = Path(folder) / "copy.sqlite"
        source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        dest = sqlite3.connect(target)
        try:
            source.backup(dest)
            if clear_projections:
                dest.execute("DELETE FROM projections")
                dest.commit()
        finally:
            source.close()
            dest.close()
        yield str(target)


def _load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f} {five:.2f} {fifteen:.2f} on {os.cpu_count()} CPUs"


def _line(label: str, r: dict[str, Any], note: str = "") -> None:
    rate = r["events"] / r["wall"] if r["wall"] else 0.0
    helper = f" (+helper {r['helper']:.0f})" if r["helper"] else ""
    print(
        f"  {label:<34} {r['events']:>10,} ev {r['wall']:8.2f} s {rate:>10,.0f} ev/s "
        f"peak {r['peak']:6.0f} MiB{helper}  {note}"
    )


def _verdict(ok: bool) -> str:
    return "[ok]" if ok else "[MISSED]"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--schools", type=int, default=NATIONAL[0])
    parser.add_argument("--years", type=int, default=NATIONAL[1])
    parser.add_argument("--demo", action="store_true", help="measure the demo even if cached")
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.child:
        _child(options.child[0], options.child[1:])
        return

    DATA.mkdir(parents=True, exist_ok=True)
    path = DATA / f"national-demo-{options.schools}x{options.years}.sqlite"
    national = (options.schools, options.years) == NATIONAL
    print(f"store {path.name}; {_load()}")
    demo: dict[str, Any] | None = None
    size = (str(options.schools), str(options.years))
    if not path.exists():
        partial = path.with_suffix(".partial")
        for suffix in ("", "-wal", "-shm"):
            Path(f"{partial}{suffix}").unlink(missing_ok=True)
        demo = _run("demo", str(partial), *size)
        partial.rename(path)
    elif options.demo:
        with tempfile.TemporaryDirectory(prefix="national-", dir=DATA) as folder:
            demo = _run("demo", str(Path(folder) / "demo.sqlite"), *size)

    floor = _run("floor", str(path))
    read = _run("read", str(path))
    fold = _run("fold", str(path))
    with _copy(path, clear_projections=True) as copy:
        catch_up = _run("catch_up", copy)
    rebuilds = {}
    for workers in ("1", "2"):
        with _copy(path, clear_projections=False) as copy:
            rebuilds[workers] = _run("rebuild", copy, workers)

    share = (floor["wall"] / read["wall"]) if read["wall"] else 0.0
    catch_rate = catch_up["events"] / catch_up["wall"]
    print(f"  {'figure':<34} {'events':>13} {'wall':>10} {'rate':>15}  peak memory, vs target")
    _line("raw floor (SELECT + orjson.loads)", floor, "(the floor)")
    read_ok = _verdict(share >= READ_SHARE_TARGET)
    _line("read_all + decode", read, f"{share:.0%} of the floor, target >= 60% {read_ok}")
    _line("fold() in memory, built-ins", fold, f"{fold['wall'] / read['wall']:.1f}x read_all")
    catch_ok = _verdict(catch_rate >= CATCH_UP_TARGET)
    _line("Projector.catch_up() from empty", catch_up, f"target >= 100,000 ev/s {catch_ok}")
    for workers, r in rebuilds.items():
        ratio = r["wall"] / read["wall"]
        note = f"{ratio:.1f}x read_all, target <= {REBUILD_RATIO_TARGET:.0f}x " + _verdict(
            ratio <= REBUILD_RATIO_TARGET
        )
        if national and workers == "2":
            ok = r["wall"] < NATIONAL_REBUILD_S and r["peak"] < NATIONAL_REBUILD_MIB
            note += f"; national < {NATIONAL_REBUILD_S:.0f} s, < {NATIONAL_REBUILD_MIB:.0f} MiB "
            note += _verdict(ok)
        _line(f"hubcore rebuild, {workers} worker(s)", r, note)
    if demo is None:
        print("  hubcore demo: store cached (pass --demo to measure it)")
    else:
        note = ""
        if national:
            ok = demo["wall"] < NATIONAL_DEMO_S and demo["peak"] < NATIONAL_DEMO_MIB
            note = f"target < {NATIONAL_DEMO_S:.0f} s, < {NATIONAL_DEMO_MIB:.0f} MiB {_verdict(ok)}"
        _line(f"hubcore demo {options.schools} x {options.years}", demo, note)
    print(f"after: {_load()}")


if __name__ == "__main__":
    main()
