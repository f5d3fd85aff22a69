"""What the time limit on plugin projections costs a fold (not collected by pytest).

    .venv/bin/python benchmarks/plugin_limits.py [--schools N] [--rounds R]

Generates a demo hub (``generate_hub``, default 3,000 schools over 2 years) into a
``memory://`` store, then folds the log, in alternating rounds within one run:

* ``builtin``: the built-in projections only (what benchmarks/projections.py measures; the
  time limit does not touch them);
* ``plugins raw``: the built-ins and every installed plugin's projections as the plugins
  registered them (no time limit; what a fold cost before the limit existed);
* ``plugins guarded``: the same, each plugin projection under its ``GuardedProjection``
  (``host.projections()``, what every command folds now).

It prints the median time of each and the ratio guarded / raw (the target: <= 1.05), and
the load average before and after (the machine is shared: ratios within one run hold,
absolute figures move with the load).
"""

from __future__ import annotations

import argparse
import gc
import os
import statistics
import time
from collections import defaultdict
from datetime import date
from typing import Any

from hubcore.demo import generate_hub
from hubcore.projections import builtin_projections, fold
from hubcore.reporting import PluginHost
from hubcore.store import open_store

TARGET = 1.05


def _load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def _time(projections: list[Any], records: list[Any]) -> float:
    gc.collect()
    started = time.perf_counter()
    fold(projections, records)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--schools", type=int, default=3000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    print(f"load before: {_load()}")
    by_stream: dict[str, list[Any]] = defaultdict(list)
    for event in generate_hub(schools=args.schools, years=2, today=date(2026, 7, 31)):
        by_stream[event.stream].append(event)
    store = open_store("memory://")
    for stream, events in by_stream.items():
        store.append(stream, events)
    del by_stream
    records = list(store.read_all())
    gc.collect()
    gc.freeze()
    host = PluginHost.default()
    infos = host.projections()
    builtin = list(builtin_projections())
    raw = [*builtin, *(i.original for i in infos)]
    guarded = [*builtin, *(i.projection for i in infos)]
    print(f"{len(records):,} events; plugin projections: {', '.join(i.name for i in infos)}")
    times: dict[str, list[float]] = {"builtin": [], "plugins raw": [], "plugins guarded": []}
    for _ in range(args.rounds):
        times["builtin"].append(_time(builtin, records))
        times["plugins raw"].append(_time(raw, records))
        times["plugins guarded"].append(_time(guarded, records))
    for name, values in times.items():
        median = statistics.median(values)
        print(f"{name:16} {median:7.3f} s  ({len(records) / median:,.0f} events/s)")
    ratio = statistics.median(times["plugins guarded"]) / statistics.median(times["plugins raw"])
    verdict = "ok" if ratio <= TARGET else "OVER"
    print(f"guarded / raw: {ratio:.3f} (target <= {TARGET}): {verdict}")
    failures = host.projection_failures()
    if failures:
        print(f"unexpected failures: {failures}")
    print(f"load after: {_load()}")


if __name__ == "__main__":
    main()
