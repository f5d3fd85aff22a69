"""The test side of the fork server (``_zygote.py``): send a job, kill its child at a
chosen moment, and learn how it ended."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ZYGOTE = str(Path(__file__).with_name("_zygote.py"))
KILLED = -signal.SIGKILL


class Zygote:
    """One fork server process; close it (or use ``with``) when done."""

    def __init__(self, log: Path) -> None:
        self.log = log
        self._process = subprocess.Popen(
            [sys.executable, ZYGOTE],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self._readline() == "up"

    def _readline(self) -> str:
        assert self._process.stdout is not None
        line = self._process.stdout.readline()
        if not line:
            raise RuntimeError(f"the fork server died; see {self.log}")
        return line.strip()

    def start(self, job: dict[str, Any]) -> list[int]:
        """Send ``job``; the pids of the children it forked (already at work)."""
        assert self._process.stdin is not None
        self._process.stdin.write(json.dumps({"log": str(self.log), **job}) + "\n")
        self._process.stdin.flush()
        pids = []
        for _ in range(job.get("count", 1)):
            word, pid = self._readline().split()
            assert word == "pid"
            pids.append(int(pid))
        return pids

    def finish(self, pids: list[int]) -> list[int]:
        """Wait for the children of the last job; their exit codes (-9: SIGKILL)."""
        codes = []
        for pid in pids:
            word, ended, code = self._readline().split()
            assert (word, int(ended)) == ("exit", pid)
            codes.append(int(code))
        return codes

    def run(
        self, job: dict[str, Any], kill_after: float | None = None, *, ready: Path | None = None
    ) -> tuple[int, float]:
        """Run a one-child job, SIGKILLed ``kill_after`` seconds after it started (or
        after it made the file ``ready``) unless it ended first; its exit code and how
        long it ran."""
        began = time.perf_counter()
        (pid,) = self.start(job)
        while ready is not None and not ready.exists():
            time.sleep(0.002)
        if kill_after is not None:
            time.sleep(kill_after)
            with contextlib.suppress(ProcessLookupError):  # it ended (and was reaped) first
                os.kill(pid, signal.SIGKILL)
        (code,) = self.finish([pid])
        return code, time.perf_counter() - began

    def close(self) -> None:
        assert self._process.stdin is not None
        self._process.stdin.close()
        self._process.wait(timeout=60)

    def __enter__(self) -> Zygote:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
