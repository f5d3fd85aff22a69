"""A child process for the multi-process and crash tests (run as a script, not imported).

python _worker.py contend <path> <worker> <attempts>
python _worker.py crash <path> <run>
"""

from __future__ import annotations

import json
import sys
import time
from datetime import date, timedelta
from pathlib import Path

from hubcore.errors import ConcurrencyError
from hubcore.events import ActionAgreed
from hubcore.store import SqliteStore
from hubcore.vocabulary import ActionOwner

DAY = date(2025, 10, 1)


def action(urn: int, action_id: str) -> ActionAgreed:
    return ActionAgreed(
        occurred_on=DAY,
        urn=urn,
        action_id=action_id,
        description="Set up a lunchtime choir",
        owner=ActionOwner.SCHOOL,
        due_on=DAY + timedelta(days=60),
    )


def contend(path: str, worker: int, attempts: int) -> None:
    """Append small batches with expected_version, half to a shared stream."""
    successes: list[list[object]] = []
    conflicts = 0
    go = Path(path + ".go")
    while not go.exists():  # start together, to contend
        time.sleep(0.005)
    with SqliteStore(path) as store:
        for attempt in range(attempts):
            urn = 100500 if attempt % 2 == 0 else 100510 + worker
            stream = f"school-{urn}"
            version = store.stream_version(stream)
            size = 1 + attempt % 3
            marker = f"w{worker}-n{attempt}"
            events = [action(urn, f"{marker}-{i}") for i in range(size)]
            time.sleep(0.002)  # widen the window between reading the version and appending
            try:
                result = store.append(stream, events, version)
            except ConcurrencyError:
                conflicts += 1
                continue
            successes.append([stream, marker, size, result.last_version])
    print(json.dumps({"successes": successes, "conflicts": conflicts}))


def crash(path: str, run: int) -> None:
    """Append batches of 50 marked events until killed; say "ready" after the first."""
    with SqliteStore(path) as store:
        batch = 0
        while True:
            urn = 100600 + batch % 7
            marker = f"r{run}-b{batch}"
            store.append(f"school-{urn}", [action(urn, f"{marker}-{i}") for i in range(50)])
            if batch == 0:
                print("ready", flush=True)  # one batch is in: the kill comes later
            batch += 1


if __name__ == "__main__":
    if sys.argv[1] == "contend":
        contend(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]))
    else:
        crash(sys.argv[2], int(sys.argv[3]))
