"""Year truth on the demo: a past year's figures from the whole log and from what was known.

    python benchmarks/year_truth.py [--schools 80] [--years 3] [--seed 0] [--today YYYY-MM-DD]

Generates a demo hub (``generate_hub``, as ``hubcore demo`` does), and builds the four
first-party reports for its first academic year twice: from the whole log, and from the
log as it stood at that year's end (``hubcore.year_truth.year_true``: events dated by 31
August, plus later returns for the year). Prints the figures the issue measured drifting
(D11 progression, Ofsted Q1-Q3 green shares, the participation rate, the partner count,
the data-return tables) from both, and whether each whole report is the same (the basis
caveat aside). Year truth holds when every line says "same". Not a timed test; the times
printed are for orientation only.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Iterable
from datetime import date
from typing import Any

from hubcore.calendar import academic_year_of
from hubcore.demo import generate_hub
from hubcore.events import Event
from hubcore.reporting import Summary
from hubcore.reports import ReportSession
from hubcore.store import EventStore, open_store
from hubcore.year_truth import year_true

REPORTS = ("self-evaluation", "ofsted", "participation", "data-return", "trends", "comparison")
FIGURES = (
    ("self-evaluation", "d11-progression", "D11 progression judged expected or better (%)"),
    ("ofsted", "q1-green", "Ofsted Q1 schools green (%)"),
    ("ofsted", "q2-green", "Ofsted Q2 schools green (%)"),
    ("ofsted", "q3-green", "Ofsted Q3 schools green (%)"),
    ("participation", "participation-rate", "Participations per 100 pupils on roll"),
    ("participation", "partners", "Partners in the hub's network"),
    ("trends", "d3-coverage", "Trends: D3 coverage (%)"),
    ("comparison", "coverage-fsm-gap", "Comparison: coverage gap, FSM 35% and over (points)"),
)


def _append(store: EventStore, events: Iterable[Event]) -> int:
    """Append ``events`` in order, one batch per run of the same stream; return the count."""
    batch: list[Event] = []
    count = 0
    for event in events:
        if batch and batch[0].stream != event.stream:
            store.append(batch[0].stream, batch)
            batch = []
        batch.append(event)
        count += 1
    if batch:
        store.append(batch[0].stream, batch)
    return count


def _reports(events: Iterable[Event], year: str) -> tuple[dict[str, Summary], int, float]:
    start = time.perf_counter()
    with open_store("memory://") as store:
        count = _append(store, events)
        session = ReportSession(store)
        built = {name: session.build(name, year=year) for name in REPORTS}
    return built, count, time.perf_counter() - start


def _value(summary: Summary, key: str) -> Any:
    found = [m.value for m in summary.metrics if m.key == key]
    return found[0] if found else "(absent)"


def _figures(summary: Summary) -> tuple[Any, ...]:
    # the first caveat states the basis, the same for both but for nothing else
    return summary.metrics, summary.tables, summary.series, summary.sections, summary.caveats[1:]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--schools", type=int, default=80)
    parser.add_argument("--years", type=int, default=3)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--today", type=date.fromisoformat, default=None)
    args = parser.parse_args()

    events = list(
        generate_hub(schools=args.schools, years=args.years, seed=args.seed, today=args.today)
    )
    year = min(academic_year_of(e.occurred_on) for e in events)
    whole, n_whole, t_whole = _reports(events, year)
    known, n_known, t_known = _reports(year_true(events, year), year)
    print(f"demo: {args.schools} schools, {args.years} years, seed {args.seed}; first year {year}")
    print(f"whole log: {n_whole:,} events ({t_whole:.1f} s to record and build the reports)")
    print(f"known at {year}'s end: {n_known:,} events ({t_known:.1f} s)")
    print()
    print(f"{'figure for ' + year:52s} {'whole log':>10s} {'year end':>10s}")
    drifted = 0
    for name, key, label in FIGURES:
        a, b = _value(whole[name], key), _value(known[name], key)
        same = a == b
        drifted += not same
        print(f"{label:52s} {a!s:>10s} {b!s:>10s}  {'same' if same else 'DRIFTS'}")
    for name in REPORTS:
        same = _figures(whole[name]) == _figures(known[name])
        drifted += not same
        verdict = "same" if same else "DRIFTS"
        print(f"{'whole ' + name + ' report (every figure and table)':52s} {verdict:>21s}")
    dr_whole = list(whole["data-return"].tables)
    dr_known = list(known["data-return"].tables)
    differing = [a.name for a, b in zip(dr_whole, dr_known, strict=False) if a != b]
    print(f"{'data-return tables that differ':52s} {len(differing):>21d}  {', '.join(differing)}")
    print()
    print("year truth holds" if drifted == 0 else f"year truth FAILS: {drifted} figures drift")
    return 0 if drifted == 0 else 1


if __name__ == "__main__":
    raise SystemExit(main())
