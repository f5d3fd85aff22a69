"""How long the reading commands take while another process holds the store's write lock.

    python benchmarks/locked_reads.py             # a 25-school demo store
    python benchmarks/locked_reads.py --schools 200

Records a demo hub into a fresh SQLite file, then times ``hubcore verify``, ``log --json``,
``stats`` and ``report data-return --format json`` twice: with the store free, and while a
second process holds a write transaction (``BEGIN IMMEDIATE`` with 8 MB of uncommitted
pages in the -wal file, as a long import does). Before readers were unblocked, each read
under the lock waited SQLite's 30 s busy timeout and then failed. Prints one line per
command: seconds free, seconds locked.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

_HOLDER = """
import sqlite3, sys
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("PRAGMA cache_size = -256")
conn.execute("BEGIN IMMEDIATE")
conn.execute("INSERT INTO projections VALUES ('held', 1, 0, ?)", (bytes(8_000_000),))
print("holding", flush=True)
sys.stdin.read()
conn.execute("ROLLBACK")
"""

_COMMANDS = (
    ("verify",),
    ("log", "--json"),
    ("stats",),
    ("report", "data-return", "--format", "json"),
)


def _hubcore(url: str, *args: str) -> float:
    script = shutil.which("hubcore", path=str(Path(sys.executable).parent))
    command = [script] if script else [sys.executable, "-m", "hubcore"]
    started = time.perf_counter()
    done = subprocess.run(
        [*command, "--store", url, *args], capture_output=True, text=True, check=False
    )
    took = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"hubcore {' '.join(args)} failed: {done.stderr.strip()}")
    return took


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--schools", type=int, default=25)
    options = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="hubcore-locked-"))
    path = folder / "hub.sqlite"
    url = f"sqlite:///{path}"
    try:
        _hubcore(url, "demo", "--schools", str(options.schools), "--years", "1",
                 "--out", str(folder / "reports"))  # fmt: skip
        free = {args: _hubcore(url, *args) for args in _COMMANDS}
        holder = subprocess.Popen(
            [sys.executable, "-c", _HOLDER, str(path)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert holder.stdout is not None
        assert holder.stdin is not None
        if holder.stdout.readline() != "holding\n":
            raise SystemExit("the lock holder did not start")
        try:
            locked = {args: _hubcore(url, *args) for args in _COMMANDS}
        finally:
            holder.stdin.close()
            holder.wait(timeout=30)
        print(f"{options.schools} schools, 1 year; seconds per command (free / write-locked):")
        for args in _COMMANDS:
            print(f"  hubcore {' '.join(args):<40} {free[args]:6.2f}  {locked[args]:6.2f}")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
