"""Throughput of the demo generator (generation only; not collected by pytest).

    /work/venv/bin/python benchmarks/demo.py [--quick]

Prints events, seconds (wall and CPU), events/s and the estimate for the default demo
(300 schools x 3 years) and for 20,000 schools x 5 years (skipped with --quick), each as
complete academic years (today = 31 August, the end of the last year). Also the cost of
``validate=True`` on the default size, and peak RSS.
"""

from __future__ import annotations

import resource
import sys
import time
from collections import Counter
from datetime import date

from hubcore.demo import demo_event_count_estimate, generate_hub

TODAY = date(2026, 8, 31)
FLOOR = 200_000  # events/s the CLI's 5-minute budget for 20,000 x 5 needs from generation


def run(schools: int, years: int, *, validate: bool = False) -> tuple[int, float, float]:
    wall, cpu = time.perf_counter(), time.process_time()
    count = 0
    for _ in generate_hub(schools=schools, years=years, today=TODAY, validate=validate):
        count += 1
    return count, time.perf_counter() - wall, time.process_time() - cpu


def report(label: str, schools: int, years: int, *, validate: bool = False) -> None:
    count, wall, cpu = run(schools, years, validate=validate)
    estimate = demo_event_count_estimate(schools, years)
    rate = count / cpu
    status = "ok" if rate >= FLOOR or validate else "BELOW FLOOR"
    print(
        f"{label:<34} {count:>10,} events  {wall:7.2f}s wall {cpu:7.2f}s cpu  "
        f"{rate:>10,.0f} events/s (cpu)  estimate {estimate:>10,}  "
        f"{count / (schools * years):5.1f}/school-year  [{status}]"
    )


def main() -> None:
    quick = "--quick" in sys.argv
    print(f"floor: {FLOOR:,} events/s of CPU time")
    report("default (300 schools x 3 years)", 300, 3)
    report("default, validate=True", 300, 3, validate=True)
    report("2,000 schools x 5 years", 2_000, 5)
    if not quick:
        report("20,000 schools x 5 years", 20_000, 5)
    mix = Counter(e.event_type for e in generate_hub(today=TODAY))
    print("default demo by event type:")
    for name, count in sorted(mix.items(), key=lambda item: -item[1]):
        print(f"  {name:<32} {count:>7,}")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS {peak:,.0f} MiB")


if __name__ == "__main__":
    main()
