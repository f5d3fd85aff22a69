"""Both backends pass the store conformance suite."""

from __future__ import annotations

from pathlib import Path

import pytest

from hubcore.store import MemoryStore, open_store
from hubcore.testing.conformance import StoreConformance, StoreFactory


class TestMemory(StoreConformance):
    @pytest.fixture
    def store_factory(self) -> StoreFactory:
        return MemoryStore


class TestMemoryByURL(StoreConformance):
    @pytest.fixture
    def store_factory(self) -> StoreFactory:
        return lambda: open_store("memory://")


class TestSqlite(StoreConformance):
    persistent = True

    @pytest.fixture
    def store_factory(self, tmp_path: Path) -> StoreFactory:
        path = tmp_path / "events.sqlite"
        return lambda: open_store(f"sqlite:///{path}")
