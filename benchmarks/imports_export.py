"""Times the importers and the export on SQLite, as a user runs them (the ``hubcore`` command).

    python benchmarks/imports_export.py                  # 1,000 schools, a 5,000-row register
    python benchmarks/imports_export.py --schools 4000 --demo-schools 2000

Prints, each in a fresh child process (wall time and the child's peak RSS):

* ``import registers`` of a register with one row per school and programme, then the same
  file again (everything found already stored), then ``--check``;
* what ``import events`` does with the same facts as JSON Lines (ids derived, every line
  checked before anything is appended), next to what it did before (the Recorder's
  ``record_many``), each in a Python child, in the same run;
* ``export`` of a demo hub's log in each format.
"""

from __future__ import annotations

import argparse
import csv
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

PROGRAMMES = ("Choir", "Band", "Individual lessons", "Singing", "Small group lessons")
REGISTERED_ON = date(2024, 9, 1)


def hubcore(store: Path, *args: str) -> tuple[float, float, str]:
    script = shutil.which("hubcore", path=str(Path(sys.executable).parent))
    command = [script] if script else [sys.executable, "-m", "hubcore"]
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.perf_counter()
    done = subprocess.run(
        [*command, "--store", f"sqlite:///{store}", *args],
        capture_output=True,
        text=True,
        check=False,
    )
    seconds = time.perf_counter() - start
    peak = max(before, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss) / 1024
    if done.returncode:
        raise SystemExit(f"hubcore {' '.join(args)} failed:\n{done.stdout}\n{done.stderr[-3000:]}")
    return seconds, peak, done.stdout.strip().splitlines()[-1]


def in_child(code: str) -> tuple[float, float]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", code], check=True)
    seconds = time.perf_counter() - start
    return seconds, max(before, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss) / 1024


def schools_store(path: Path, schools: int) -> None:
    from hubcore.domain import Recorder
    from hubcore.events import SchoolRegistered
    from hubcore.store import open_store
    from hubcore.vocabulary import Phase

    with open_store(f"sqlite:///{path}") as store:
        Recorder(store).record_many(
            SchoolRegistered(
                occurred_on=REGISTERED_ON,
                urn=200000 + i,
                name=f"School {i}",
                phase=Phase.PRIMARY,
                la_code=f"{900 + i % 7}",
                pupils_on_roll=400,
            )
            for i in range(schools)
        )


def register_file(path: Path, schools: int) -> int:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        header = ["URN", "Programme", "Academic year", "Term", "Pupils", "FSM", "SEND", "Remitted"]
        writer.writerow(header)
        rows = 0
        for i in range(schools):
            for k, programme in enumerate(PROGRAMMES):
                writer.writerow([200000 + i, programme, "2024/25", "Autumn", 10 + k, 2, 1, 0])
                rows += 1
    return rows


def show(label: str, seconds: float, peak: float, count: int, unit: str) -> None:
    rate = count / seconds if seconds else 0
    print(f"{label:44s} {seconds:7.2f} s  {rate:10,.0f} {unit}/s  peak RSS {peak:6,.0f} MiB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--schools", type=int, default=1000)
    parser.add_argument("--demo-schools", type=int, default=1000)
    options = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="hubcore-bench-imports-"))
    try:
        store = folder / "hub.sqlite"
        schools_store(store, options.schools)
        register = folder / "registers.csv"
        rows = register_file(register, options.schools)
        print(f"{options.schools} schools; a register of {rows} rows")
        seconds, peak, _ = hubcore(store, "import", "registers", str(register))
        show("import registers (new store)", seconds, peak, rows, "rows")
        seconds, peak, _ = hubcore(store, "import", "registers", str(register))
        show("import registers again (all already stored)", seconds, peak, rows, "rows")
        seconds, peak, _ = hubcore(store, "import", "registers", "--check", str(register))
        show("import registers --check", seconds, peak, rows, "rows")

        jsonl = folder / "events.jsonl"
        code_dump = (
            "from hubcore import codec; from hubcore.store import open_store\n"
            f"s = open_store('sqlite:///{store}')\n"
            f"open('{jsonl}', 'wb').write(b''.join(codec.encode(r.event) + b'\\n' for r in "
            "s.read_all() if r.event_type == 'ParticipationRecorded'))\n"
        )
        subprocess.run([sys.executable, "-c", code_dump], check=True)
        for name in ("events-new.sqlite", "events-old.sqlite"):
            schools_store(folder / name, options.schools)
        seconds, peak = in_child(
            "from hubcore.imports import planned_events, read_jsonl_lines, record_planned\n"
            "from hubcore.store import open_store\n"
            f"s = open_store('sqlite:///{folder / 'events-new.sqlite'}')\n"
            f"pairs = read_jsonl_lines('{jsonl}')\n"
            "planned = planned_events([e for _, e in pairs], [n for n, _ in pairs], 'events')\n"
            "record_planned(s, 'events', planned, source='events.jsonl')\n"
        )
        show("import events: ids derived, all checked first", seconds, peak, rows, "events")
        new = seconds
        seconds, peak = in_child(
            "from hubcore.domain import Recorder; from hubcore.imports import read_jsonl\n"
            "from hubcore.store import open_store\n"
            f"s = open_store('sqlite:///{folder / 'events-old.sqlite'}')\n"
            f"Recorder(s).record_many(read_jsonl('{jsonl}'))\n"
        )
        show("Recorder.record_many of the same (before)", seconds, peak, rows, "events")
        print(f"  import events / record_many time ratio: {new / seconds:.2f}")

        demo = folder / "demo.sqlite"
        hubcore(demo, "demo", "--schools", str(options.demo_schools), "--out", str(folder / "r"))
        from hubcore.store import open_store

        with open_store(f"sqlite:///{demo}") as opened:
            events = opened.head()
        print(f"demo hub: {options.demo_schools} schools, {events} events")
        for fmt in ("parquet", "csv", "jsonl"):
            out = folder / f"export-{fmt}"
            seconds, peak, _ = hubcore(demo, "export", "--format", fmt, str(out))
            show(f"export --format {fmt}", seconds, peak, events, "events")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
