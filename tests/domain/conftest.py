from __future__ import annotations

import pytest

from hubcore.store import EventStore


@pytest.fixture
def store(hub_store: EventStore) -> EventStore:
    """A fresh event store from hubcore's own pytest plugin (``--hub-store-backend``)."""
    return hub_store
