"""Several OS processes share one SQLite file; a writer killed mid-append loses nothing whole."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

from hubcore.store import SqliteStore

WORKER = str(Path(__file__).with_name("_worker.py"))


def _spawn(*args: object) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, WORKER, *map(str, args)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


@pytest.mark.slow
def test_four_processes_append_without_loss_or_duplicates(tmp_path: Path) -> None:
    path = tmp_path / "shared.sqlite"
    SqliteStore(path).close()
    workers, attempts = 4, 60
    children = [_spawn("contend", path, worker, attempts) for worker in range(workers)]
    time.sleep(0.5)
    Path(f"{path}.go").touch()
    reports = []
    for child in children:
        out, err = child.communicate(timeout=120)
        assert child.returncode == 0, err
        reports.append(json.loads(out))
    successes = [s for r in reports for s in r["successes"]]
    conflicts = sum(r["conflicts"] for r in reports)
    assert conflicts + len(successes) == workers * attempts
    assert conflicts > 0, "the shared stream should have seen some contention"

    with SqliteStore(path) as store:
        records = list(store.read_all())
        total = sum(size for _, _, size, _ in successes)
        assert [r.position for r in records] == list(range(1, total + 1))
        assert store.verify() == total
        action_ids = [r.event.action_id for r in records]  # type: ignore[attr-defined]
        assert len(set(action_ids)) == len(action_ids)
        expected_ids = {f"{marker}-{i}" for _, marker, size, _ in successes for i in range(size)}
        assert set(action_ids) == expected_ids
        for stream in store.streams():
            versions = [r.version for r in store.read_stream(stream)]
            assert versions == list(range(1, len(versions) + 1))
        # Each success's reported last version holds that batch's last event.
        by_place = {(r.stream, r.version): r.event for r in records}
        for stream, marker, size, last_version in successes:
            assert by_place[(stream, last_version)].action_id == f"{marker}-{size - 1}"  # type: ignore[attr-defined]


@pytest.mark.slow
def test_killed_writer_leaves_whole_batches_only(tmp_path: Path) -> None:
    path = tmp_path / "crash.sqlite"
    SqliteStore(path).close()
    rng = random.Random(2025)
    landed = 0
    for run in range(25):
        child = _spawn("crash", path, run)
        assert child.stdout is not None
        assert child.stdout.readline().strip() == "ready"
        time.sleep(rng.uniform(0.0, 0.15))
        os.kill(child.pid, signal.SIGKILL)
        child.wait(timeout=30)
        assert child.returncode == -signal.SIGKILL
        child.stdout.close()
        assert child.stderr is not None
        child.stderr.close()
        with SqliteStore(path) as store:
            checked = store.verify()
            batches = Counter(
                r.event.action_id.rsplit("-", 1)[0]  # type: ignore[attr-defined]
                for r in store.read_all(after=landed)  # earlier batches were checked
            )
        assert checked == landed + sum(batches.values())  # nothing earlier was lost
        bad = {marker: n for marker, n in batches.items() if n != 50}
        assert not bad, f"after kill {run}: partial batches {bad}"
        landed = checked
    assert landed >= 50 * 25  # every child committed its first batch before the kill
