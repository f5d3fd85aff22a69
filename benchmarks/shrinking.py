"""How well ``histories()`` shrinks: the failing history hypothesis reports for a bug.

    python benchmarks/shrinking.py [runs] [max_examples]

A user's projection (a fold of the log) with an off-by-one injected is tested against the
correct one, as a user's property test would, once per seed (default 12 runs per bug). For
each bug it prints the length of the shrunk history (median, worst) and, from hypothesis's
own run statistics, the share of shrink attempts that were invalid test cases (a draw the
strategy could not complete: overrun or rejected). It also checks every history the test
saw against the domain rules (``check_history``): none may break them.

The targets (issue 15): median shrunk history at most 6 events; under 10% of shrink
attempts invalid.

Nearly all invalid attempts are overruns, not rejections: a shrink that makes a step draw
more choices than it did (a lower kind ticket picking a template with more fields, an
optional field's flag lowered to the branch that draws) shifts every later draw, and the
run reaches the end of the choice sequence before the go-on draw says stop. Steps that draw
a fixed number of choices whatever their values are the lasting cure.
"""

from __future__ import annotations

import contextlib
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable
from datetime import date
from typing import Any

from hypothesis import HealthCheck, Phase, given, seed, settings
from hypothesis.statistics import collector

from hubcore.calendar import academic_year_of
from hubcore.domain import check_history
from hubcore.events import ActionAgreed, ActionCompleted, ConversationHeld, Event, SchoolEngaged
from hubcore.testing.strategies import histories

Fold = Callable[..., Any]
_TODAY = date(2026, 8, 31)  # the last day histories() reaches by default


# -- the user's projections, right and with an off-by-one ------------------------------------


def conversations_per_school(log: list[Event], *, bug: bool = False) -> dict[int, int]:
    counts: dict[int, int] = {}
    for event in log:
        if isinstance(event, ConversationHeld):
            first = -1 if bug else 0  # the bug: the first conversation is not counted
            counts[event.urn] = counts.get(event.urn, first) + 1
    return counts


def engaged_by_year(log: list[Event], *, bug: bool = False) -> Counter[str]:
    years: Counter[str] = Counter()
    for event in log:
        if isinstance(event, SchoolEngaged):
            day = event.occurred_on
            if bug:  # the bug: September counted in the year before (month > 9, not >= 9)
                first = day.year if day.month > 9 else day.year - 1
                years[f"{first}/{(first + 1) % 100:02d}"] += 1
            else:
                years[academic_year_of(day)] += 1
    return years


def regularly_met(log: list[Event], *, bug: bool = False) -> set[int]:
    held: Counter[int] = Counter(e.urn for e in log if isinstance(e, ConversationHeld))
    # the bug: "at least two conversations" written as > 2
    return {urn for urn, n in held.items() if (n > 2 if bug else n >= 2)}


def completed_actions(log: list[Event], *, bug: bool = False) -> int:
    agreed = sum(isinstance(e, ActionAgreed) for e in log)
    done = sum(isinstance(e, ActionCompleted) for e in log)
    # the bug: the share's numerator is counted from 1 (a fence-post error)
    return (done - 1 if bug and done else done) * 100 // max(1, agreed)


BUGS: dict[str, Fold] = {
    "first conversation not counted": conversations_per_school,
    "September in the year before": engaged_by_year,
    "schools met twice: > 2 for >= 2": regularly_met,
    "completed actions counted from 1": completed_actions,
}


# -- one run -----------------------------------------------------------------------------------


def run_once(fold: Fold, run: int, max_examples: int) -> dict[str, Any]:
    shrunk: list[int] = []  # lengths of the failing histories, in order; the last is shown
    broken_rules = 0
    stats: dict[str, Any] = {}

    @seed(run)
    @settings(
        max_examples=max_examples,
        database=None,
        deadline=None,
        phases=[Phase.generate, Phase.shrink],
        suppress_health_check=list(HealthCheck),
        report_multiple_bugs=False,
    )
    @given(histories(schools=(1, 3), max_events=40))
    def test_projection(log: list[Event]) -> None:
        nonlocal broken_rules
        try:
            check_history(log, today=_TODAY)
        except Exception:  # a history that breaks the rules: counted, never expected
            broken_rules += 1
        if fold(log, bug=True) != fold(log):
            shrunk.append(len(log))
            raise AssertionError("the projection disagrees with the reference")

    # the AssertionError is the bug being found: that is the point
    with collector.with_value(stats.update), contextlib.suppress(AssertionError):
        test_projection()
    phase = stats.get("shrink-phase", {})
    cases = phase.get("test-cases", [])
    status = Counter(case["status"] for case in cases)
    return {
        "found": bool(shrunk),
        "length": shrunk[-1] if shrunk else None,
        "shrinks": len(cases),
        "invalid": status["invalid"] + status["overrun"],
        "overrun": status["overrun"],
        "broken_rules": broken_rules,
    }


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 12
    max_examples = int(sys.argv[2]) if len(sys.argv) > 2 else 200
    print(f"shrinking histories(): {runs} seeded runs per bug, max_examples={max_examples}")
    all_lengths: list[int] = []
    all_shrinks = all_invalid = 0
    for name, fold in BUGS.items():
        started = time.perf_counter()
        results = [run_once(fold, run, max_examples) for run in range(runs)]
        found = [r for r in results if r["found"]]
        lengths = [r["length"] for r in found]
        shrinks = sum(r["shrinks"] for r in results)
        invalid = sum(r["invalid"] for r in results)
        broken = sum(r["broken_rules"] for r in results)
        all_lengths += lengths
        all_shrinks += shrinks
        all_invalid += invalid
        median = statistics.median(lengths) if lengths else float("nan")
        print(
            f"  {name:36} found {len(found):2}/{runs}; shrunk length median {median:4.1f}, "
            f"worst {max(lengths, default=0):2}; shrink attempts {shrinks:5}, "
            f"invalid {invalid:4} ({100 * invalid / max(1, shrinks):4.1f}%, overruns "
            f"{sum(r['overrun'] for r in results)}); "
            f"rule-breaking histories {broken}; {time.perf_counter() - started:5.1f} s"
        )
    median = statistics.median(all_lengths) if all_lengths else float("nan")
    share = 100 * all_invalid / max(1, all_shrinks)
    print(
        f"all bugs: median shrunk history {median:.1f} events (target <= 6); "
        f"invalid shrink attempts {share:.1f}% (target < 10%)"
    )


if __name__ == "__main__":
    main()
