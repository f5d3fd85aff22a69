"""The heavy half of the pytest plugin: imported only when one of its fixtures is used."""

from __future__ import annotations

import itertools
from pathlib import Path

from hubcore.demo import generate_hub
from hubcore.domain import Recorder
from hubcore.events import SchoolRegistered
from hubcore.store import EventStore, open_store
from hubcore.testing.pytest_plugin import HISTORY_TODAY, HubHistory

__all__ = ["HISTORY_HUB_ID", "demo_history", "open_backend", "record_history"]

HISTORY_HUB_ID = "test-hub"
_SCHOOLS = 4
_YEARS = 1
_SEED = 2024
_END_YEAR = "2024/25"


def open_backend(backend: str, tmp_path: Path | None) -> EventStore:
    """A fresh, empty store of ``backend`` (``sqlite`` makes a file in ``tmp_path``)."""
    if backend == "memory":
        return open_store("memory://")
    if backend == "sqlite":
        if tmp_path is None:
            raise ValueError("the sqlite backend needs a directory for its file")
        return open_store(f"sqlite:///{tmp_path / 'hub-store.sqlite'}")
    raise ValueError(f"unknown hubcore store backend {backend!r}")


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
