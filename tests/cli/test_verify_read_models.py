"""``hubcore verify --read-models``: forged read-model state is found, not reported as
true; a report over a forged or unreadable state folds it again and says so."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import orjson

from hubcore.projections import Coverage

from .conftest import Invoke, import_sample


def _forge(path: Path, name: str, data: bytes) -> None:
    """Edit a stored read model as someone with the file could (the table has no triggers)."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("UPDATE projections SET state = ? WHERE name = ?", (data, name))
    conn.close()


def test_clean_read_models_pass_and_a_forged_one_fails(invoke: Invoke, tmp_path: Path) -> None:
    import_sample(invoke)
    assert invoke("report", "data-return", "--format", "json").exit_code == 0  # saves them
    clean = invoke("verify", "--read-models")
    assert clean.exit_code == 0, clean.stderr
    assert "read model coverage: ok: equals the fold of the log's first 38 events" in clean.stdout
    store = tmp_path / "hub.sqlite"
    conn = sqlite3.connect(store)
    (state,) = conn.execute("SELECT state FROM projections WHERE name = 'coverage#0'").fetchone()
    conn.close()
    forged = Coverage.load(state)
    urn = sorted(forged._roster)[0]
    forged._engagement[urn] = [[739200, True, ["singing"]]]  # a school engaged: it was not
    _forge(store, "coverage#0", forged.dump_part(forged.keys()))
    caught = invoke("verify", "--read-models", "--json")
    assert caught.exit_code == 1
    result = orjson.loads(caught.stdout)
    assert result["intact"] is True  # the log itself is untouched
    assert result["read_models_match"] is False
    statuses = {m["name"]: m["status"] for m in result["read_models"]}
    assert statuses["coverage"] == "differs"
    assert {s for n, s in statuses.items() if n != "coverage"} == {"ok"}
    assert "do not match the log: coverage" in caught.stderr


def test_a_report_over_unreadable_state_folds_it_again(invoke: Invoke, tmp_path: Path) -> None:
    import_sample(invoke)
    first = invoke("report", "data-return", "--format", "json")
    _forge(tmp_path / "hub.sqlite", "coverage", b"\x00 not a state")
    again = invoke("report", "data-return", "--format", "json")
    assert again.exit_code == 0, again.stderr
    assert again.stdout == first.stdout
    assert "read model 'coverage' was folded again from the log" in again.stderr
    assert invoke("verify", "--read-models").exit_code == 0  # and saved right again
