"""Throughput of the domain rules (not collected by pytest; run it directly).

    /work/venv/bin/python tests/domain/bench_rules.py [schools]

Builds ~100 realistic events per school (default 1,000 schools: ~100k events), then times
the pure rule check (check_history: decide + evolve), Recorder.record_many against a store
whose append does nothing (the Recorder's own cost), and against the memory store.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator, Sequence
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from hubcore.domain import Recorder, check_history
from hubcore.events import Event, TrainingDelivered
from hubcore.store import AppendResult, open_store
from hubcore.vocabulary import DeliveredBy, TrainingFormat, TrainingTopic

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tests.domain import _events as ev

TODAY = date(2026, 8, 31)


def school_history(urn: int) -> list[Event]:
    start = date(2025, 9, 1)
    out: list[Event] = [ev.registered(urn, start, 400), ev.engaged(urn, start)]
    for n in range(14):
        day = start + timedelta(days=7 * n + 1)
        out.append(ev.conversation(urn, day, f"C{n}"))
        out.append(ev.agreed(urn, day, f"A{n}", f"C{n}"))
        out.append(ev.completed(urn, day + timedelta(days=3), f"A{n}"))
        out.append(ev.participation(urn, day, 30 + n))
        out.append(ev.evaluated(urn, day, f"E{n}"))
        out.append(
            TrainingDelivered(
                urn=urn,
                occurred_on=day,
                topic=TrainingTopic.SINGING,
                format=TrainingFormat.CPD_SESSION,
                hours=1.5,
                staff_trained=4,
                delivered_by=DeliveredBy.HUB_STAFF,
            )
        )
        if n % 7 == 0:
            out.append(ev.updated(urn, day, 410 + n))
    return out


class NullStore:
    """Appends nothing: isolates the Recorder's rule checking from storage."""

    def read_stream(self, stream: str, from_version: int = 0) -> Iterator[Any]:
        return iter(())

    def append(self, stream: str, events: Sequence[Event], expected_version: Any = None) -> Any:
        return AppendResult(last_version=expected_version + len(events), last_position=0)


def interleaved(schools: int) -> list[Event]:
    histories = [school_history(100000 + n) for n in range(schools)]
    events: list[Event] = []
    for step in range(max(map(len, histories))):  # week by week across schools, like the demo
        events.extend(h[step] for h in histories if step < len(h))
    return events


def timed(label: str, count: int, run: Any) -> None:
    started = time.perf_counter()
    run()
    seconds = time.perf_counter() - started
    print(f"{label:<48} {count:>9,} events {seconds:7.3f} s {count / seconds:>11,.0f} events/s")


def main() -> None:
    schools = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    events = interleaved(schools)
    n = len(events)
    timed("check_history (decide + evolve, pure)", n, lambda: check_history(events, today=TODAY))
    timed(
        "Recorder.record_many, null store",
        n,
        lambda: Recorder(NullStore(), clock=lambda: TODAY).record_many(events),  # type: ignore[arg-type]
    )
    with open_store("memory://") as store:
        recorder = Recorder(store, clock=lambda: TODAY)
        timed("Recorder.record_many, memory store", n, lambda: recorder.record_many(events))


if __name__ == "__main__":
    main()
