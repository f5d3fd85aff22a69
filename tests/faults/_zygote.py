"""A fork server for the fault tests (run as a script, not imported): it imports hubcore
once, then forks a fresh child per job, so a hundred SIGKILLs cost no interpreter start-up.

    python _zygote.py

It prints ``up``, then reads one JSON job per line on stdin. For each it forks the
children the job asks for (``count``, default 1), prints ``pid P`` for each, waits for
them all and prints ``exit P CODE`` for each (``-9``: killed by SIGKILL). A child's
standard output and error go to the job's ``log`` file. The jobs:

* ``{"mode": "append", "url", "seed", "start", "replay", "ready", "calls"}``:
  ``append_many`` calls of marked events to a few of twelve streams, replaying calls
  ``start..`` of the plan ``seed`` gives (the same ids each time: the first ``replay``
  are stored already, so they are retries), touching ``ready`` after those;
* ``{"mode": "cli", "args": [...]}``: ``hubcore ARGS`` (an import, a rebuild, a verify);
* ``{"mode": "write", "url", "count", "calls", "go"}``: ``count`` concurrent writers
  (worker ``i`` of ``count``), each making ``calls`` appends with expected versions,
  retrying each conflict, once the file ``go`` exists; each prints its conflicts.
"""

from __future__ import annotations

import json
import os
import random
import sys
import time
import traceback
import uuid
from pathlib import Path
from typing import Any

from hubcore.cli._main import main as cli_main
from hubcore.errors import ConcurrencyError
from hubcore.events import Event
from hubcore.store import ANY, open_store

sys.path.insert(0, str(Path(__file__).parents[1] / "store"))
from _worker import action  # the store tests' marked event

STREAMS = 12
FIRST_URN = 300000
SIZES = (1, 2, 5, 20, 60, 200, 1500)
"""Batch sizes an append plan draws from (1,500 events are two commit rows)."""


def planned_call(seed: int, call: int) -> list[tuple[str, list[Event], Any, list[uuid.UUID]]]:
    """Call ``call`` of plan ``seed``: one to four batches, their events marked
    ``c<call>-n<events in the call>-b<batch>-<i>``, their ids derived from the marks."""
    rng = random.Random(seed * 1_000_003 + call)
    urns = rng.sample(range(FIRST_URN, FIRST_URN + STREAMS), rng.randint(1, 4))
    sizes = [rng.choice(SIZES[:-1]) if rng.random() > 0.05 else SIZES[-1] for _ in urns]
    total = sum(sizes)
    namespace = uuid.UUID(int=seed)
    batches = []
    for b, (urn, size) in enumerate(zip(urns, sizes, strict=True)):
        marks = [f"c{call}-n{total}-b{b}-{i}" for i in range(size)]
        batches.append(
            (
                f"school-{urn}",
                [action(urn, mark) for mark in marks],
                ANY,
                [uuid.uuid5(namespace, mark) for mark in marks],
            )
        )
    return batches


def append(job: dict[str, Any]) -> int:
    """Replay calls ``start..`` of the plan; touch the file ``ready`` once past the
    calls replayed (``replay``: those already stored), so a kill comes among new ones."""
    with open_store(job["url"]) as store:
        for call in range(job["start"], job["calls"]):
            if call == job["start"] + job["replay"]:
                Path(job["ready"]).touch()
            store.append_many(planned_call(job["seed"], call))
    return 0


def write(job: dict[str, Any], worker: int) -> int:
    """Appends with expected versions: half to two streams every worker shares (one
    ``append_many``), half to the worker's own; a conflict re-reads and tries again."""
    go = Path(job["go"])
    while not go.exists():
        time.sleep(0.002)
    conflicts = 0
    with open_store(job["url"]) as store:
        for call in range(job["calls"]):
            shared = call % 2 == 0
            urns = [FIRST_URN, FIRST_URN + 1] if shared else [FIRST_URN + 100 + worker]
            size = 1 + call % 3
            while True:
                batches = [
                    (
                        f"school-{urn}",
                        [action(urn, f"w{worker}-c{call}-b{b}-{i}") for i in range(size)],
                        store.stream_version(f"school-{urn}"),
                    )
                    for b, urn in enumerate(urns)
                ]
                try:
                    store.append_many(batches)
                    break
                except ConcurrencyError:
                    conflicts += 1
    print(json.dumps({"worker": worker, "conflicts": conflicts}), flush=True)
    return 0


def run(job: dict[str, Any], index: int) -> int:
    mode = job["mode"]
    if mode == "append":
        return append(job)
    if mode == "write":
        return write(job, index)
    try:
        cli_main(job["args"])
    except SystemExit as done:
        return done.code if isinstance(done.code, int) else 1
    return 0


def child(job: dict[str, Any], index: int) -> None:
    """In the forked child: point stdout and stderr at the log, do the job, exit."""
    code = 70
    try:
        log = os.open(job["log"], os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
        os.dup2(log, 1)
        os.dup2(log, 2)
        sys.stdin.close()
        code = run(job, index)
    except BaseException:
        traceback.print_exc()
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)


def serve() -> None:
    print("up", flush=True)
    for line in sys.stdin:
        job = json.loads(line)
        pids = []
        for index in range(job.get("count", 1)):
            pid = os.fork()
            if pid == 0:
                child(job, index)
            pids.append(pid)
            print(f"pid {pid}", flush=True)
        for pid in pids:
            _, status = os.waitpid(pid, 0)
            print(f"exit {pid} {os.waitstatus_to_exitcode(status)}", flush=True)


if __name__ == "__main__":
    serve()
