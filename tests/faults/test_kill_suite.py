"""The kill suite: 100 SIGKILLs at random moments of appends, imports and rebuilds, with
the invariants checked after each one.

* **append** (SQLite and PostgreSQL): ``append_many`` calls of one to four streams'
  batches (up to 1,500 events, two commit rows) land whole or not at all, each once, in
  order, with contiguous versions; the next writer replays the last calls with the same
  ids (retries) and goes on.
* **import**: ``hubcore import events`` of a 1,000-event file leaves nothing of it or
  all of it; run again to the end, everything once.
* **rebuild**: ``hubcore rebuild`` killed part-way leaves every saved read model equal to
  a fold of the log (``verify --read-models``'s check); a rebuild run to the end then
  passes it with every read model saved.

After every kill the store's hash chain verifies. Children are forked from a fork server
(``_zygote.py``) that imported hubcore once, so a kill costs milliseconds, not a start-up.
"""

from __future__ import annotations

import random
from collections import Counter
from pathlib import Path

import pytest

from hubcore.store import open_store

from ._checks import (
    AppendLedger,
    read_model_checks,
    read_models_match,
    whole_import,
    write_events_file,
)
from ._zygote_client import KILLED, Zygote

APPEND_KILLS, IMPORT_KILLS, REBUILD_KILLS = 20, 30, 30
"""100 kills in all: appends on SQLite and on PostgreSQL (20 each), imports, rebuilds."""
ATTEMPTS = 3
"""At most this many tries per kill wanted (a child may end before its kill comes)."""
IMPORT_EVENTS = 1000


def _sqlite(path: Path) -> str:
    return f"sqlite:///{path}"


@pytest.mark.slow
def test_killed_appends_leave_whole_calls(
    backend_url: str, tmp_path: Path, zygote: Zygote, figures: Counter[str]
) -> None:
    """Fails when a backend commits an ``append_many`` batch by batch, a retry after a
    crash stores events twice, or a kill mid-commit leaves a torn row."""
    url = backend_url
    open_store(url).close()  # created before the first child, which may die at once
    rng = random.Random(101)
    ledger = AppendLedger()
    kills = tries = 0
    ready = tmp_path / "ready"
    window = 0.4  # seconds after the replayed calls within which the kill comes
    while kills < APPEND_KILLS and tries < APPEND_KILLS * ATTEMPTS:
        tries += 1
        start = max(0, ledger.calls - 2)  # replay two whole calls: they are retries
        job = {"mode": "append", "url": url, "seed": 7, "calls": 10**6, "ready": str(ready)}
        job |= {"start": start, "replay": ledger.calls - start}
        ready.unlink(missing_ok=True)
        code, _ = zygote.run(job, kill_after=rng.uniform(0.0, window), ready=ready)
        assert code == KILLED, f"the appending child failed ({code}); see {zygote.log}"
        kills += 1
        with open_store(url) as store:
            landed = ledger.check(store)
        # a loaded machine (or a 1,500-event call) may need longer for a call to land
        window = max(0.4, window / 2) if landed else min(window * 2, 6.4)
    assert kills == APPEND_KILLS
    assert ledger.calls >= APPEND_KILLS // 4, "too few calls landed between kills"
    backend = url.split(":", 1)[0]
    figures[f"kills survived: append_many ({backend})"] += kills
    figures[f"append_many calls landed whole across those kills ({backend})"] += ledger.calls


@pytest.mark.slow
def test_killed_imports_leave_nothing_or_everything(
    tmp_path: Path, zygote: Zygote, figures: Counter[str]
) -> None:
    """Fails when an import is not one transaction, or a re-run is not exactly once."""
    source = tmp_path / "events.jsonl"
    write_events_file(source, IMPORT_EVENTS // 5)
    store_path = tmp_path / "import-0.sqlite"

    def job(path: Path) -> dict[str, object]:
        return {"mode": "cli", "args": ["--store", _sqlite(path), "import", "events", str(source)]}

    code, whole = zygote.run(job(tmp_path / "calibrate.sqlite"))
    assert code == 0, f"see {zygote.log}"
    rng = random.Random(202)
    kills = landed = tries = 0
    while kills < IMPORT_KILLS and tries < IMPORT_KILLS * ATTEMPTS:
        tries += 1
        code, _ = zygote.run(job(store_path), kill_after=rng.uniform(0.0, 1.05) * whole)
        assert code in (0, KILLED), f"the import failed ({code}); see {zygote.log}"
        kills += code == KILLED
        with open_store(_sqlite(store_path)) as store:
            head, _ = whole_import(store, IMPORT_EVENTS)
        if head:
            landed += 1
            store_path = tmp_path / f"import-{landed}.sqlite"
    assert kills == IMPORT_KILLS
    for _ in range(2):  # to the end, then once more: nothing new
        assert zygote.run(job(store_path))[0] == 0, f"see {zygote.log}"
    with open_store(_sqlite(store_path)) as store:
        assert whole_import(store, IMPORT_EVENTS)[0] == IMPORT_EVENTS
    figures["kills survived: import"] += kills
    figures["imports whose kill came after the commit (all stored)"] += landed


@pytest.mark.slow
def test_killed_rebuilds_leave_true_read_models(
    tmp_path: Path, zygote: Zygote, figures: Counter[str]
) -> None:
    """Fails when a projection's state is saved apart from its checkpoint, or a torn
    save is read back as if true."""
    source = tmp_path / "events.jsonl"
    write_events_file(source, IMPORT_EVENTS // 5)
    url = _sqlite(tmp_path / "rebuild.sqlite")
    imported = {"mode": "cli", "args": ["--store", url, "import", "events", str(source)]}
    assert zygote.run(imported)[0] == 0, f"see {zygote.log}"
    rebuild = {"mode": "cli", "args": ["--store", url, "rebuild"]}
    code, whole = zygote.run(rebuild)
    assert code == 0, f"see {zygote.log}"
    rng = random.Random(303)
    kills = tries = 0
    while kills < REBUILD_KILLS and tries < REBUILD_KILLS * ATTEMPTS:
        tries += 1
        code, _ = zygote.run(rebuild, kill_after=rng.uniform(0.0, 1.05) * whole)
        assert code in (0, KILLED), f"the rebuild failed ({code}); see {zygote.log}"
        kills += code == KILLED
        with open_store(url) as store:
            assert store.verify() == IMPORT_EVENTS
            assert not read_models_match(store)
    assert kills == REBUILD_KILLS
    assert zygote.run(rebuild)[0] == 0, f"see {zygote.log}"
    with open_store(url) as store:
        assert {check.status for check in read_model_checks(store)} == {"ok"}
    figures["kills survived: rebuild"] += kills
