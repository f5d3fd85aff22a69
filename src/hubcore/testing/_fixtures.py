"""The heavy half of the pytest plugin: imported only when one of its fixtures is used."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

import pytest

from hubcore.demo import generate_hub
from hubcore.domain import Recorder
from hubcore.events import SchoolRegistered
from hubcore.store import EventStore, NoTestDatabase, open_store, store_scheme
from hubcore.testing.pytest_plugin import HISTORY_TODAY, HubHistory

__all__ = ["HISTORY_HUB_ID", "demo_history", "fresh_store", "record_history"]

HISTORY_HUB_ID = "test-hub"
_SCHOOLS = 4
_YEARS = 1
_SEED = 2024
_END_YEAR = "2024/25"


@contextmanager
def fresh_store(backend: str, tmp_path: Path) -> Iterator[EventStore]:
    """A fresh, empty store of ``backend`` (a URL scheme), made by the backend's own
    ``fresh_url`` and opened through ``open_store``; closed and removed afterwards.

    A backend with no database to test on here skips the test, with its reason."""
    scheme = store_scheme(backend)
    if scheme.fresh_url is None:
        pytest.fail(
            f"the store backend {backend!r} gives no fresh_url, so tests cannot make a "
            "fresh store of it",
            pytrace=False,
        )
    with ExitStack() as stack:
        try:
            url = stack.enter_context(scheme.fresh_url(tmp_path))
        except NoTestDatabase as missing:
            pytest.skip(str(missing))
        yield stack.enter_context(open_store(url))


def demo_history() -> HubHistory:
    """The seeded demo hub of ``hub_history``: the same events on every call.

    Built afresh each time (a few milliseconds): some events hold dicts, which a test could
    change, so no test shares them with another.
    """
    events = tuple(
        generate_hub(
            schools=_SCHOOLS,
            years=_YEARS,
            seed=_SEED,
            hub_id=HISTORY_HUB_ID,
            end_year=_END_YEAR,
            today=HISTORY_TODAY,
            validate=True,
        )
    )
    urns = tuple(sorted(e.urn for e in events if isinstance(e, SchoolRegistered)))
    return HubHistory(events=events, hub_id=HISTORY_HUB_ID, urns=urns, today=HISTORY_TODAY)


def record_history(store: EventStore, history: HubHistory) -> None:
    """Record ``history`` into ``store`` through the domain rules, one day per call."""
    recorder = Recorder(store, clock=lambda: history.today)
    for _, same_day in itertools.groupby(history.events, key=lambda e: e.occurred_on):
        recorder.record_many(same_day)
