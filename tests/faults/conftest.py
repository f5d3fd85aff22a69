"""The fault suite's figures: each test adds what it did (kills survived, faults injected),
and the terminal summary prints them, so a closing note can state them."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

from ._zygote_client import Zygote

_FIGURES: Counter[str] = Counter()


@pytest.fixture
def figures() -> Counter[str]:
    """Add to the figures this session prints (``figures["kills: import"] += 1``)."""
    return _FIGURES


@pytest.fixture(params=["sqlite", "postgresql"])
def backend_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """The URL of a fresh empty store: an SQLite file, or a PostgreSQL schema (skipped,
    saying how to enable it, without ``HUBCORE_TEST_POSTGRES``)."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'store.sqlite'}"
        return
    from store._pg import fresh_schema_url  # tests/store's helper

    with fresh_schema_url(tmp_path) as url:
        yield url


@pytest.fixture
def zygote(tmp_path: Path) -> Iterator[Zygote]:
    """A fork server for this test; its children log to ``tmp_path/children.log``."""
    with Zygote(tmp_path / "children.log") as server:
        yield server


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if _FIGURES:
        terminalreporter.section("fault injection figures")
        for name, value in sorted(_FIGURES.items()):
            terminalreporter.write_line(f"{name}: {value}")
