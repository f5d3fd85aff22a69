"""Times ``hubcore demo`` end to end, as a user runs it: default size and national scale.

    python benchmarks/cli_demo.py                 # default demo, then 20,000 schools x 5 years
    python benchmarks/cli_demo.py --skip-national # default only

Targets (issue "The hubcore command"): default under 30 s; national scale under 5 minutes.
Each run uses a fresh SQLite file in a temporary folder and reports wall time and the
child's peak RSS.
"""

from __future__ import annotations

import argparse
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def run_demo(label: str, args: list[str], target_s: float) -> bool:
    folder = Path(tempfile.mkdtemp(prefix="hubcore-demo-"))
    script = shutil.which("hubcore", path=str(Path(sys.executable).parent))
    command = [script] if script else [sys.executable, "-m", "hubcore"]
    command += [
        "--store",
        f"sqlite:///{folder / 'demo.sqlite'}",
        "demo",
        *args,
        "--out",
        str(folder / "reports"),
    ]
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - start
    peak = max(before, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss) / 1024
    first = done.stdout.splitlines()[0] if done.stdout else done.stderr.strip()
    ok = done.returncode == 0 and seconds < target_s
    verdict = "ok" if ok else ("FAILED" if done.returncode else "OVER TARGET")
    print(
        f"{label:34s} {seconds:8.1f} s  (target < {target_s:.0f} s: {verdict}); "
        f"peak RSS {peak:,.0f} MiB"
    )
    print(f"  {first}")
    if done.returncode:
        print(done.stderr[-2000:])
    size = (folder / "demo.sqlite").stat().st_size if (folder / "demo.sqlite").exists() else 0
    print(f"  store {size / 1_048_576:,.0f} MiB in {folder}")
    shutil.rmtree(folder, ignore_errors=True)
    return ok


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--skip-national", action="store_true")
    options = parser.parse_args()
    results = [run_demo("hubcore demo (300 schools, 3 years)", [], 30)]
    if not options.skip_national:
        results.append(
            run_demo(
                "hubcore demo --schools 20000 --years 5",
                ["--schools", "20000", "--years", "5"],
                300,
            )
        )
    sys.exit(0 if all(results) else 1)


if __name__ == "__main__":
    main()
