"""Store and codec throughput of this tree against an earlier revision, in ONE process.

    python benchmarks/store_ab.py --base <git revision> [--events 100000] [--rounds 5]

The machine is shared and noisy, so figures taken by separate runs cannot show a 5%
change. This script exports ``src/hubcore`` of ``--base`` (``git archive``) into a temporary
directory as a package renamed ``hubcore_base``, imports both, and times the same work
with each, alternately, ``--rounds`` times: append (memory and SQLite, batches of 100 and
bulk batches of 10,000), ``read_all`` with full decoding, ``verify``, and the codec's
encode and trusted decode. Each is timed in CPU seconds of this process, the cycle
collector paused, so other programs' load does not enter; it prints the best of each for
both and their ratio.
"""

from __future__ import annotations

import argparse
import gc
import importlib
import os
import re
import subprocess
import sys
import tarfile
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


def export_base(revision: str, folder: Path) -> None:
    """``src/hubcore`` of ``revision`` as the package ``hubcore_base`` in ``folder``."""
    archive = folder / "base.tar"
    subprocess.run(
        ["git", "-C", str(ROOT), "archive", "-o", str(archive), revision, "src/hubcore"],
        check=True,
    )
    with tarfile.open(archive) as tar:
        tar.extractall(folder, filter="data")
    (folder / "src" / "hubcore").rename(folder / "hubcore_base")
    word = re.compile(r"\bhubcore\b(?=[.\s:,]|$)", re.M)
    for path in (folder / "hubcore_base").rglob("*.py"):
        text = path.read_text()
        text = word.sub("hubcore_base", text).replace(
            "from hubcore import", "from hubcore_base import"
        )
        path.write_text(text)


class Side:
    """One package's store, codec and events (``hubcore`` or ``hubcore_base``)."""

    def __init__(self, name: str, total: int) -> None:
        self.name = name
        self.store: ModuleType = importlib.import_module(f"{name}.store")
        self.codec: ModuleType = importlib.import_module(f"{name}.codec")
        conformance = importlib.import_module(f"{name}.testing.conformance")
        make = conformance.school_events
        self.small = [
            (f"school-{100000 + i}", make(100000 + i, 100, "b")) for i in range(total // 100)
        ]
        self.bulk = [
            (f"school-{200000 + i}", make(200000 + i, 10_000, "b"))
            for i in range(max(1, total // 10_000))
        ]
        events = [e for _, batch in self.small for e in batch]
        self.events = events
        self.payloads = [(self.codec.encode(e), e.event_type, e.schema_version) for e in events]


def best(times: dict[tuple[str, str], float], key: tuple[str, str], run: Callable[[], Any]) -> None:
    """Time ``run`` in this process's CPU seconds (other programs' load and the disk's
    flushes are left out: this compares code), the cycle collector paused."""
    gc.collect()
    gc.disable()
    try:
        started = time.process_time()
        run()
        elapsed = time.process_time() - started
    finally:
        gc.enable()
    times[key] = min(times.get(key, float("inf")), elapsed)


def round_of(side: Side, folder: Path, times: dict[tuple[str, str], float], number: int) -> None:
    store = side.store
    small_path = folder / f"{side.name}-{number}-small.sqlite"
    bulk_path = folder / f"{side.name}-{number}-bulk.sqlite"

    def append(path: Path, work: list[tuple[str, list[Any]]]) -> None:
        with store.SqliteStore(path) as s:
            for stream, events in work:
                s.append(stream, events)

    def memory(work: list[tuple[str, list[Any]]]) -> Any:
        m = store.MemoryStore()
        for stream, events in work:
            m.append(stream, events)
        return m

    best(
        times, ("append sqlite, batches of 100", side.name), lambda: append(small_path, side.small)
    )
    best(times, ("append sqlite, bulk 10,000", side.name), lambda: append(bulk_path, side.bulk))
    best(times, ("append memory, batches of 100", side.name), lambda: memory(side.small))
    best(times, ("append memory, bulk 10,000", side.name), lambda: memory(side.bulk))
    mem = memory(side.small)
    best(times, ("read_all memory", side.name), lambda: sum(1 for _ in mem.read_all()))
    with store.SqliteStore(small_path) as s:
        best(times, ("read_all sqlite (decoded)", side.name), lambda: sum(1 for _ in s.read_all()))
        best(times, ("verify sqlite", side.name), s.verify)
    codec = side.codec
    best(times, ("codec encode", side.name), lambda: [codec.encode(e) for e in side.events])
    best(
        times,
        ("codec decode_trusted", side.name),
        lambda: [codec.decode_trusted(p, t, v) for p, t, v in side.payloads],
    )
    for path in (small_path, bulk_path):
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", required=True, help="the git revision to compare with")
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="hubcore-ab-") as tmp:
        folder = Path(tmp)
        export_base(args.base, folder)
        sys.path.insert(0, str(folder))
        sides = [Side("hubcore_base", args.events), Side("hubcore", args.events)]
        times: dict[tuple[str, str], float] = {}
        load = [os.getloadavg()[0]]
        for number in range(args.rounds):
            for side in sides if number % 2 == 0 else sides[::-1]:
                round_of(side, folder, times, number)
            load.append(os.getloadavg()[0])
    print(
        f"{args.events:,} events; best of {args.rounds} alternating rounds in one process; "
        f"base = {args.base}; load average during the run {min(load):.1f}-{max(load):.1f}"
    )
    print(f"  events per CPU-second {'':12} {'base':>14} {'this tree':>14}  this/base")
    for label in dict.fromkeys(key[0] for key in times):
        base, ours = times[(label, "hubcore_base")], times[(label, "hubcore")]
        count = args.events
        print(
            f"  {label:<34} {count / base:>12,.0f}/s {count / ours:>12,.0f}/s  {base / ours:8.3f}"
        )


if __name__ == "__main__":
    main()
