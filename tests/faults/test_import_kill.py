"""``hubcore import`` is crash-atomic: a real ``hubcore`` process importing a 5,000-event
file, SIGKILLed at random moments, leaves nothing of the file or all of it; run again, it
imports everything exactly once.

Half the kills come at a random moment of the whole run (start-up, reading, checking,
appending); the other half at a random moment after the process logged that it began
its one append transaction (``hubcore -v``), which is where a stream-by-stream import
used to leave part of the file behind.
"""

from __future__ import annotations

import random
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

from hubcore.store import open_store

from ._checks import whole_import, write_events_file

EVENTS = 5000
KILLS = 6
BEGUN, COMMITTED = "appending", "committed"
"""Words of the import's log lines around its append transaction."""


def _import(path: Path, source: Path) -> subprocess.Popen[str]:
    command = ["-m", "hubcore", "-v", f"--store=sqlite:///{path}", "import", "events"]
    return subprocess.Popen(
        [sys.executable, *command, str(source)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )


def _wait_for(child: subprocess.Popen[str], word: str) -> list[str]:
    """The child's log lines up to the first holding ``word`` (all of them if none)."""
    assert child.stderr is not None
    lines = []
    for line in child.stderr:
        lines.append(line)
        if word in line:
            break
    return lines


@pytest.mark.slow
def test_a_killed_import_leaves_nothing_or_everything(
    tmp_path: Path, figures: Counter[str]
) -> None:
    """Fails when an import appends stream by stream (a kill leaves some schools in), or
    when its ids are not derived from the file (a re-run stores events twice)."""
    source = tmp_path / "events.jsonl"
    assert write_events_file(source, EVENTS // 5) == EVENTS
    began = time.perf_counter()
    calibrate = _import(tmp_path / "calibrate.sqlite", source)
    _wait_for(calibrate, BEGUN)
    appending = time.perf_counter()
    _wait_for(calibrate, COMMITTED)
    append = time.perf_counter() - appending  # the append transaction, about
    assert calibrate.wait(timeout=300) == 0, calibrate.stderr
    whole = time.perf_counter() - began  # start-up, reading, checking, appending
    rng = random.Random(13)
    path = tmp_path / "hub-0.sqlite"
    killed = inside = landed = 0
    for attempt in range(KILLS):
        child = _import(path, source)
        if attempt % 2:
            log = _wait_for(child, BEGUN)
            time.sleep(rng.uniform(0.0, 0.9) * append)
        else:
            log = []
            time.sleep(rng.uniform(0.1, 1.0) * whole)
        child.send_signal(signal.SIGKILL)
        code = child.wait(timeout=300)
        log += child.stderr.readlines() if child.stderr else []
        assert code in (0, -signal.SIGKILL), "".join(log)
        killed += code == -signal.SIGKILL
        with open_store(f"sqlite:///{path}") as store:
            head, _ = whole_import(store, EVENTS)
        text = "".join(log)
        inside += BEGUN in text and COMMITTED not in text and code == -signal.SIGKILL
        if head:  # the kill came after the commit: go on with an empty store
            landed += 1
            path = tmp_path / f"hub-{landed}.sqlite"
    assert killed >= KILLS // 2
    for _ in range(2):  # to the end, then once more: nothing new
        rerun = _import(path, source)
        assert rerun.wait(timeout=300) == 0, rerun.stderr.read() if rerun.stderr else ""
    with open_store(f"sqlite:///{path}") as store:
        head, types = whole_import(store, EVENTS)
        assert head == EVENTS
        assert set(types.values()) == {EVENTS // 5}
    label = "import of a 5,000-event file, real hubcore process"
    figures[f"{label}: kills survived"] += killed
    figures[f"{label}: kills inside its append transaction"] += inside
    figures[f"{label}: runs that committed before the kill (all stored)"] += landed
