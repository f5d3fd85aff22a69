"""Benchmark the four first-party reports on a national-scale hub (not collected by pytest).

    /work/venv/bin/python benchmarks/reports.py [--schools N] [--seed S] [--out DIR]

Generates a demo hub of 20,000 schools over 2 academic years (``generate_hub``; the cost of
a report depends on the number of schools, not of events), appends it straight into a
``memory://`` store one batch per stream (domain rules bypassed: the events are valid by
construction; the store's objects are then frozen out of the cycle collector, as a SQLite
store's would not be in memory at all), and builds every projection with the Projector
(timed and printed, but not part of the target), then freezes the read models too, as the
CLI does after catch-up. Then, for each installed reporter, times
``host.run_report`` and ``host.render`` in every format (text, markdown, json, csv, html),
and prints a table with the time and size of each output, the totals, and peak RSS.

The target (issue "Reporter plugins on pluggy"): building all four reports and rendering
each in all five formats takes under 5 s once projections are built. That total is the
line marked ``TARGET``; the total for the main deliverable formats only (html for ofsted,
self-evaluation and participation, csv for data-return) is printed as well. Times are wall
clock, as the CLI would see them: a report's time includes freeing the report before it
and the cycle collector's pass over what it made. The machine's load average is printed
before and after: on a shared machine the figures move with it.
"""

from __future__ import annotations

import argparse
import gc
import os
import resource
import sys
import time
from collections import defaultdict
from datetime import date
from pathlib import Path

from hubcore.demo import generate_hub
from hubcore.events import Event, HubEstablished
from hubcore.projections import Projector, builtin_projections
from hubcore.reporting import Context, HubInfo, PluginHost
from hubcore.store import open_store

TODAY = date(2026, 8, 31)
YEAR = "2025/26"
FORMATS = ("text", "markdown", "json", "csv", "html")
MAIN_FORMAT = {
    "ofsted": "html",
    "self-evaluation": "html",
    "participation": "html",
    "data-return": "csv",
}
TARGET_S = 5.0


def _rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def _size(n: int) -> str:
    if n < 1024:
        return f"{n} B"
    if n < 1024**2:
        return f"{n / 1024:.1f} KiB"
    return f"{n / 1024**2:.1f} MiB"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--schools", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, help="write every rendered report into this folder")
    args = parser.parse_args()

    print(f"python {sys.version.split()[0]}; {args.schools:,} schools x 2 years, seed {args.seed}")
    print(f"load average before: {_load()}")
    t0 = time.perf_counter()
    by_stream: dict[str, list[Event]] = defaultdict(list)
    hub = HubInfo(id="unknown", name="(no HubEstablished recorded)")
    count = 0
    for event in generate_hub(
        schools=args.schools, years=2, seed=args.seed, today=TODAY, end_year=YEAR
    ):
        by_stream[event.stream].append(event)
        if isinstance(event, HubEstablished):
            hub = HubInfo(id=event.hub_id, name=event.name)
        count += 1
    t_gen = time.perf_counter() - t0
    print(f"generated {count:,} events in {len(by_stream):,} streams: {t_gen:.1f} s")

    store = open_store("memory://")
    t0 = time.perf_counter()
    for stream, events in by_stream.items():
        store.append(stream, events)
    del by_stream
    # The memory store keeps every event (millions of objects) in this process, where the
    # CLI's SQLite store keeps them on disk: freeze them out of the cycle collector's full
    # passes so that they do not slow the reports down.
    gc.collect()
    gc.freeze()
    print(f"appended to memory://: {time.perf_counter() - t0:.1f} s")

    host = PluginHost.default()
    for error in host.load_errors:
        print(f"warning: {error}")
    t0 = time.perf_counter()
    projector = Projector(
        store, [*builtin_projections(), *(i.projection for i in host.projections())]
    )
    projector.catch_up()
    t_proj = time.perf_counter() - t0
    print(f"projections built ({len(projector.names)}): {t_proj:.1f} s  (not part of the target)")
    context = Context(source=projector, academic_year=YEAR, hub=hub)
    # As the CLI does after catch-up: the read models (millions of long-lived objects) are
    # frozen out of the cycle collector, so its full passes stay cheap during the reports.
    gc.collect()
    gc.freeze()

    names = [info.name for info in host.reporters()]
    build: dict[str, float] = {}
    render: dict[tuple[str, str], tuple[float, int]] = {}
    for name in names:
        t0 = time.perf_counter()
        summary = host.run_report(name, context, timeout=None)
        build[name] = time.perf_counter() - t0
        for fmt in FORMATS:
            t0 = time.perf_counter()
            data = host.render(summary, fmt, timeout=None)
            render[name, fmt] = (time.perf_counter() - t0, len(data))
            if args.out:
                args.out.mkdir(parents=True, exist_ok=True)
                suffix = host.renderer(fmt).suffix
                (args.out / f"{name}{suffix}").write_bytes(data)
            del data
        rows = sum(len(t.rows) for t in summary.tables)
        print(f"  {name}: {len(summary.tables)} tables, {rows:,} table rows")

    print()
    header = f"{'report':<16} {'build':>8}" + "".join(f" {f:>18}" for f in FORMATS)
    print(header)
    print("-" * len(header))
    for name in names:
        cells = "".join(
            f" {render[name, f][0]:>7.3f}s {_size(render[name, f][1]):>9}" for f in FORMATS
        )
        print(f"{name:<16} {build[name]:>7.3f}s{cells}")
    print("-" * len(header))
    cells = "".join(
        f" {sum(render[n, f][0] for n in names):>7.3f}s "
        f"{_size(sum(render[n, f][1] for n in names)):>9}"
        for f in FORMATS
    )
    print(f"{'all reports':<16} {sum(build.values()):>7.3f}s{cells}")
    print("-" * len(header))
    total_build = sum(build.values())
    total_all = total_build + sum(t for t, _ in render.values())
    main = total_build + sum(render[n, MAIN_FORMAT.get(n, "html")][0] for n in names)
    verdict = "PASS" if total_all < TARGET_S else "FAIL"
    print(f"build all {len(names)} reports:                               {total_build:7.3f} s")
    mains = ", ".join(f"{n}={MAIN_FORMAT.get(n, 'html')}" for n in names)
    print(f"build all + render each in its main format ({mains}): {main:7.3f} s")
    print(
        f"TARGET build all + render each in all {len(FORMATS)} formats:        "
        f"{total_all:7.3f} s  (target < {TARGET_S:g} s: {verdict})"
    )
    print(f"projections (not in the target): {t_proj:.1f} s; peak RSS {_rss_mib():,.0f} MiB")
    print(f"load average after: {_load()}")


if __name__ == "__main__":
    main()
