"""Benchmark each installed report built cold from a store's saved read models.

    python benchmarks/cold_report.py --store sqlite:///DIR/n.sqlite [--year 2025/26] [--runs 1]

The store must hold a log whose read models are saved and at its head (build it once with
``hubcore --store sqlite:///DIR/n.sqlite demo --schools 20000 --years 5``, about 2.1M
events; the demo saves the read models). Each report (every installed reporter) runs in a
fresh Python process exactly as ``hubcore report NAME`` does: open the store, make a
``ReportSession`` (plugins and projections), catch up (nothing to fold: the process checks
that no event was folded and no read model was rebuilt), freeze the read models out of the
cycle collector, build the report for the year (a report about one school at a time: for
the first school) and render it in its main format.

For each report it prints the process's wall time (interpreter start to exit, as the parent
sees it, via ``os.wait4``) and CPU time (user + system: steadier than the wall time on a
busy machine), its phases as the child measured them (import, session and
catch-up, build, render), and the process's peak RSS, next to the targets of the issue
"National scale": under 3 s and under 600 MiB. The load average before and after is
printed: on a shared machine the times move with it.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from typing import Any

import orjson

TARGET_S = 3.0
TARGET_MIB = 600.0
MAIN_FORMAT = {"data-return": "csv"}  # others: html

_CHILD = r"""
import time
t0 = time.perf_counter()
import gc, resource, sys, orjson
from hubcore.reporting import PluginHost
from hubcore.reports import ReportSession
from hubcore.store import open_store
url, name, fmt, year = sys.argv[1:5]
t1 = time.perf_counter()
host = PluginHost.default()
with open_store(url) as store:
    session = ReportSession(store, plugins=host)
    folded = session.catch_up()
    gc.freeze()
    t2 = time.perf_counter()
    urn = None  # a report about one school at a time: the first school's
    if host.reporter(name).per_school:
        urn = int(store.streams("school-")[0].removeprefix("school-"))
    summary = session.build(name, year=year or None, urn=urn)
    t3 = time.perf_counter()
    data = session.render(summary, fmt)
    t4 = time.perf_counter()
    rebuilt = sorted(session.projector.rebuilt)
print(orjson.dumps({
    "import": t1 - t0, "session": t2 - t1, "build": t3 - t2, "render": t4 - t3,
    "folded": folded, "rebuilt": rebuilt, "bytes": len(data),
    "rss": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
}).decode())
"""


def _load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def _run(url: str, name: str, fmt: str, year: str) -> tuple[float, float, float, dict[str, Any]]:
    """(wall seconds, CPU seconds, peak RSS MiB, the child's own figures) of one fresh
    process."""
    with tempfile.TemporaryFile() as err:
        t0 = time.perf_counter()
        child = subprocess.Popen(
            [sys.executable, "-c", _CHILD, url, name, fmt, year], stdout=subprocess.PIPE, stderr=err
        )
        out = child.stdout.read() if child.stdout is not None else b""
        _, status, usage = os.wait4(child.pid, 0)  # this child's own peak RSS
        wall = time.perf_counter() - t0
        child.returncode = code = os.waitstatus_to_exitcode(status)
        if code != 0:
            err.seek(0)
            sys.exit(f"report {name!r} failed (exit {code}):\n{err.read().decode()}")
    cpu = usage.ru_utime + usage.ru_stime
    return wall, cpu, usage.ru_maxrss / 1024, orjson.loads(out.splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", required=True, help="the store's URL (read models saved)")
    parser.add_argument("--year", default="", help="academic year (default: the latest)")
    parser.add_argument("--runs", type=int, default=1, help="fresh processes per report")
    parser.add_argument("--report", action="append", help="only these reports (repeatable)")
    args = parser.parse_args()

    from hubcore.reporting import PluginHost

    names = args.report or [info.name for info in PluginHost.default().reporters()]
    print(f"python {sys.version.split()[0]}; store {args.store}; load average {_load()}")
    header = (
        f"{'report':<16} {'format':>6} {'wall':>7} {'cpu':>7} {'import':>7} {'session':>8}"
        f" {'build':>7} {'render':>7} {'peak RSS':>10}"
        f"  verdict (< {TARGET_S:g} s, < {TARGET_MIB:g} MiB)"
    )
    print(header)
    print("-" * len(header))
    failed = 0
    for name in names:
        fmt = MAIN_FORMAT.get(name, "html")
        for _ in range(max(1, args.runs)):
            wall, cpu, rss, child = _run(args.store, name, fmt, args.year)
            if child["folded"] or child["rebuilt"]:
                sys.exit(
                    f"report {name!r}: the store's read models were not at its head "
                    f"({child['folded']} events folded, rebuilt {child['rebuilt']}); "
                    "run any report once to save them, then benchmark"
                )
            ok = wall < TARGET_S and rss < TARGET_MIB
            failed += not ok
            print(
                f"{name:<16} {fmt:>6} {wall:>6.2f}s {cpu:>6.2f}s {child['import']:>6.2f}s"
                f" {child['session']:>7.2f}s {child['build']:>6.2f}s {child['render']:>6.2f}s"
                f" {rss:>6.0f} MiB  {'PASS' if ok else 'FAIL'}"
            )
    print("-" * len(header))
    print(f"{failed} run(s) over a target; load average after {_load()}")


if __name__ == "__main__":
    main()
