from __future__ import annotations

import pytest

from ._files import register_schools


@pytest.fixture
def store(hub_store):
    """``hub_store`` with the sample schools registered."""
    register_schools(hub_store)
    return hub_store
