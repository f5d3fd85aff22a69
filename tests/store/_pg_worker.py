"""Child processes of the PostgreSQL multi-process tests (run as a script, not imported).

python _pg_worker.py append <url> <worker> <batches> <size> <go-file>
    wait for <go-file>, then append <batches> batches of <size> ActionAgreed events to
    stream school-<100000 + worker>; action ids are "<worker>-<batch>-<i>".
python _pg_worker.py project <url> <report-file> <delay>
    run a ProjectionWorker with the Applied projection until killed; append a line to
    <report-file> each time it claims the projection.
"""

from __future__ import annotations

import logging
import sys
import threading
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import orjson

from hubcore.events import ActionAgreed
from hubcore.projections import ProjectionWorker
from hubcore.store import Store, open_store
from hubcore.vocabulary import ActionOwner

DAY = date(2025, 10, 1)


def actions(urn: int, tag: str, size: int) -> list[ActionAgreed]:
    return [
        ActionAgreed(
            occurred_on=DAY,
            urn=urn,
            action_id=f"{tag}-{i}",
            description="Set up a lunchtime choir",
            owner=ActionOwner.SCHOOL,
            due_on=DAY + timedelta(days=60),
        )
        for i in range(size)
    ]


class Applied:
    """Every position folded into the state, in order (so a repeat or a gap shows)."""

    name = "applied"
    version = 1
    handles = frozenset({"ActionAgreed"})

    def __init__(self, delay: float = 0.0) -> None:
        self._delay = delay

    def initial(self) -> list[int]:
        return []

    def apply(self, state: list[int], recorded: Any) -> list[int]:
        if self._delay:
            time.sleep(self._delay)
        state.append(recorded.position)
        return state

    def dump(self, state: list[int]) -> bytes:
        return orjson.dumps(state)

    def load(self, data: bytes) -> list[int]:
        loaded: list[int] = orjson.loads(data)
        return loaded


def append(url: str, worker: int, batches: int, size: int, go: Path) -> None:
    while not go.exists():
        time.sleep(0.01)
    urn = 100000 + worker
    with open_store(url) as store:
        for batch in range(batches):
            store.append(f"school-{urn}", actions(urn, f"{worker}-{batch}", size))


class _Report(logging.Handler):
    """Appends ``<time> <name>`` to the report file whenever the worker claims a projection."""

    def __init__(self, report: Path) -> None:
        super().__init__()
        self._report = report

    def emit(self, record: logging.LogRecord) -> None:
        if record.getMessage().startswith("claimed projection"):
            with self._report.open("a") as out:
                out.write(f"{record.created} {record.args[0]}\n")  # type: ignore[index]


def project(url: str, report: Path, delay: float) -> None:
    log = logging.getLogger("hubcore.projections.worker")
    log.setLevel(logging.INFO)
    log.addHandler(_Report(report))
    store = open_store(url)
    assert isinstance(store, Store)
    worker = ProjectionWorker(store, [Applied(delay)], save_every=50)
    print("ready", flush=True)
    worker.run(threading.Event(), poll=0.1)


if __name__ == "__main__":
    mode, url = sys.argv[1], sys.argv[2]
    if mode == "append":
        append(url, int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]), Path(sys.argv[6]))
    else:
        project(url, Path(sys.argv[3]), float(sys.argv[4]))
