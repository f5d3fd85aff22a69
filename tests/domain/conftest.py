from __future__ import annotations

from collections.abc import Iterator

import pytest

from hubcore.store import EventStore, open_store


@pytest.fixture
def store() -> Iterator[EventStore]:
    """A fresh in-memory event store."""
    with open_store("memory://") as opened:
        yield opened
