from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from hubcore.cli import cli
from hubcore.store import open_store

DATA = Path(__file__).parents[1] / "imports" / "data"
GIAS_CP1252 = DATA / "gias_sample_cp1252.csv"
GIAS_UTF8BOM = DATA / "gias_sample_utf8bom.csv"

Invoke = Callable[..., Result]


@pytest.fixture
def store_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'hub.sqlite'}"


@pytest.fixture
def invoke(store_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Invoke:
    """Run ``hubcore --store <tmp> ARGS`` in-process; returns click's Result."""
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()

    def run(*args: str) -> Result:
        return runner.invoke(cli, ["--store", store_url, *args], catch_exceptions=False)

    return run


@pytest.fixture
def head(store_url: str) -> Callable[[], int]:
    def read() -> int:
        with open_store(store_url) as store:
            return store.head()

    return read


def import_sample(invoke: Invoke) -> None:
    """Register the sample GIAS file's 38 schools, open from 2024-09-01."""
    result = invoke("import", "schools", str(GIAS_CP1252), "--registered-on", "2024-09-01")
    assert result.exit_code == 0, result.output
