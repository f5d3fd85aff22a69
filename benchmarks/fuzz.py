"""Count fuzz inputs: every importer and the stored-row decoder, N random inputs each.

    .venv/bin/python benchmarks/fuzz.py [--n 200] [--seed 0]

Targets: the four table importers (registers, training, survey, send) fed CSV bytes and
xlsx workbooks, the GIAS reader (CSV) and JSON Lines, each input a random edit of a valid
file (the samples in docs/examples/import/): bytes flipped, cut or inserted, cells
replaced with hostile ones (tests/imports/test_fuzz.py's list) or random text, in a random
dialect; and the SQLite decoder, fed a small store with one commit row edited at random
(tests/store/_row_fuzz.py). Each outcome is counted as a clean, named error (a
``HubcoreError``), accepted (imported / read and verified; for rows, also "tail hidden":
see tests/store/_row_fuzz.py) or a crash (any other exception, printed: a bug). Prints
one line per target and the totals; exits 1 on any crash or forged row.

The hypothesis tests (tests/imports/test_fuzz.py, tests/store/test_row_fuzz.py) search
the same spaces with shrinking; this script makes the number of inputs tried countable.
"""

from __future__ import annotations

import argparse
import csv
import io
import random
import sys
import tempfile
import time
import traceback
from collections import Counter
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.imports._files import TODAY, register_schools, xlsx_bytes  # noqa: E402
from tests.imports.test_fuzz import HOSTILE_CELLS  # noqa: E402
from tests.store._row_fuzz import apply, judge, outcome, pristine, random_mutation  # noqa: E402

from hubcore.errors import HubcoreError  # noqa: E402
from hubcore.imports import (  # noqa: E402
    import_file,
    plan_school_lines,
    planned_events,
    read_gias,
    read_jsonl_lines,
)
from hubcore.imports import record_planned as record  # noqa: E402
from hubcore.store import open_store  # noqa: E402

SAMPLES = ROOT / "docs" / "examples" / "import"
JSON_LINES = [
    b'{"type": "SchoolClosed", "occurred_on": "2026-01-01", "urn": 141021, "reason": "x"}',
    b'{"type": "SchoolClosed", "occurred_on": "2026-01-01", "urn": 141305, "reason": "merged"}',
    b'{"type": "SchoolClosed", "occurred_on": "2030-01-01", "urn": 142518, "reason": "x"}',
]
DIALECTS = [("utf-8", ","), ("utf-8-sig", ";"), ("utf-16", "\t"), ("cp1252", ",")]


def _rows(data: bytes) -> list[list[str]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:  # the GIAS sample is Windows-1252, as GIAS exports are
        text = data.decode("cp1252")
    return list(csv.reader(io.StringIO(text)))


def _write(rows: list[list[str]], rnd: random.Random) -> bytes:
    encoding, delimiter = rnd.choice(DIALECTS)
    out = io.StringIO(newline="")
    csv.writer(out, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    try:
        return out.getvalue().encode(encoding)
    except UnicodeEncodeError:
        return out.getvalue().encode("utf-8")


def _cell(rnd: random.Random) -> str:
    if rnd.random() < 0.6:
        return rnd.choice(HOSTILE_CELLS)
    return "".join(chr(rnd.randint(1, 0x2FFF)) for _ in range(rnd.randint(0, 10)))


def _edit_cells(rows: list[list[str]], rnd: random.Random) -> list[list[str]]:
    rows = [list(r) for r in rows]
    for _ in range(rnd.randint(1, 4)):
        r = rnd.randrange(len(rows))
        if rows[r]:
            rows[r][rnd.randrange(len(rows[r]))] = _cell(rnd)
    if rnd.random() < 0.2:
        del rows[rnd.randrange(len(rows))]
    return rows


def _edit_bytes(data: bytes, rnd: random.Random) -> bytes:
    data = bytearray(data)
    for _ in range(rnd.randint(1, 6)):
        how = rnd.random()
        at = rnd.randrange(len(data) + 1)
        if how < 0.4 and data:
            data[min(at, len(data) - 1)] ^= 1 << rnd.randrange(8)
        elif how < 0.7:
            del data[at : at + rnd.randint(1, 40)]
        else:
            data[at:at] = rnd.randbytes(rnd.randint(1, 8))
    return bytes(data)


def _table_input(kind: str, xlsx: bool) -> Callable[[random.Random], bytes]:
    seed = (SAMPLES / f"{kind}.csv").read_bytes()
    rows = _rows(seed)

    def make(rnd: random.Random) -> bytes:
        edited = _edit_cells(rows, rnd)
        if xlsx:  # (characters a workbook cannot hold are left out, as Excel would)
            from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

            clean = [[ILLEGAL_CHARACTERS_RE.sub("", c) for c in row] for row in edited]
            return xlsx_bytes({"Sheet": clean})
        data = _write(edited, rnd)
        return _edit_bytes(data, rnd) if rnd.random() < 0.3 else data

    return make


def _import(kind: str) -> Callable[[bytes], object]:
    def run(data: bytes) -> object:
        store = open_store("memory://")
        register_schools(store)
        return import_file(store, kind, data, name=f"{kind}.csv", today=TODAY)

    return run


def _gias(data: bytes) -> object:
    store = open_store("memory://")
    gias = read_gias(data, name="gias.csv", today=TODAY)
    pairs = plan_school_lines(gias, store, today=TODAY)
    planned = planned_events([e for _, e in pairs], [n for n, _ in pairs], "schools")
    return record(store, "schools", planned, source="gias.csv", today=TODAY)


def _gias_input(rnd: random.Random) -> bytes:
    data = _write(_edit_cells(_rows((SAMPLES / "schools.csv").read_bytes()), rnd), rnd)
    return _edit_bytes(data, rnd) if rnd.random() < 0.3 else data


def _jsonl(data: bytes) -> object:
    store = open_store("memory://")
    register_schools(store)
    pairs = read_jsonl_lines(data, name="events.jsonl")
    planned = planned_events([e for _, e in pairs], [n for n, _ in pairs], "events")
    return record(store, "events", planned, source="events.jsonl", today=TODAY)


def _jsonl_input(rnd: random.Random) -> bytes:
    lines = [rnd.choice(JSON_LINES) for _ in range(rnd.randint(1, 5))]
    data = b"\n".join(lines)
    return _edit_bytes(data, rnd) if rnd.random() < 0.7 else data


def _run(name: str, make: Callable[[random.Random], bytes], use: Callable[[bytes], object],
         n: int, rnd: random.Random, counts: Counter[tuple[str, str]]) -> None:  # fmt: skip
    for _ in range(n):
        data = make(rnd)
        try:
            use(data)
            counts[name, "accepted"] += 1
        except HubcoreError:
            counts[name, "clean error"] += 1
        except Exception:
            counts[name, "CRASH"] += 1
            print(f"CRASH in {name} on {data[:120]!r}:\n{traceback.format_exc()}")


def _rows_target(n: int, rnd: random.Random, counts: Counter[tuple[str, str]]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        original = pristine(Path(folder))
        _, ids = outcome(original)
        target = Path(folder) / "edited.sqlite"
        for _ in range(n):
            mutation = random_mutation(rnd)
            try:
                changed = apply(original, target, mutation)
                verdict = judge(ids, changed, outcome(target))
            except Exception:
                counts["rows", "CRASH"] += 1
                print(f"CRASH in rows on {mutation}:\n{traceback.format_exc()}")
                continue
            if verdict.startswith("refused"):
                counts["rows", "clean error"] += 1
            else:
                counts["rows", verdict] += 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=200, help="inputs per target")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    rnd = random.Random(args.seed)
    counts: Counter[tuple[str, str]] = Counter()
    started = time.perf_counter()
    targets: list[str] = []
    for kind in ("registers", "training", "survey", "send"):
        for xlsx in (False, True):
            name = f"{kind} {'xlsx' if xlsx else 'csv'}"
            targets.append(name)
            _run(name, _table_input(kind, xlsx), _import(kind), args.n, rnd, counts)
    targets += ["gias csv", "jsonl", "rows"]
    _run("gias csv", _gias_input, _gias, args.n, rnd, counts)
    _run("jsonl", _jsonl_input, _jsonl, args.n, rnd, counts)
    _rows_target(args.n, rnd, counts)
    kinds = ["clean error", "accepted", "unchanged", "tail hidden", "CRASH", "FORGED"]
    print(f"{'target':16} {'tried':>6} " + " ".join(f"{k:>12}" for k in kinds))
    for name in targets:
        tried = sum(v for (t, _), v in counts.items() if t == name)
        print(f"{name:16} {tried:6} " + " ".join(f"{counts[name, k]:12}" for k in kinds))
    total = sum(counts.values())
    bad = sum(v for (_, k), v in counts.items() if k in ("CRASH", "FORGED"))
    print(f"total: {total} inputs tried, {bad} crashes or forgeries, "
          f"{time.perf_counter() - started:.0f} s")  # fmt: skip
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
