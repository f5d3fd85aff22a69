from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import pytest

from hubcore.domain import Recorder
from hubcore.events import Event
from hubcore.projections import Projector, builtin_projections
from hubcore.reporting import Context, HubInfo, PluginHost, Summary
from hubcore.store import EventStore, open_store

from ._history import HUB, TODAY, YEAR, history

Run = Callable[..., Summary]


def load_host() -> PluginHost:
    """A host with hubcore's built-ins and every installed ``hubcore`` entry point."""
    host = PluginHost()
    host.load_entrypoints(environ={})
    assert not host.load_errors, host.load_errors
    return host


def projector_for(store: EventStore, host: PluginHost) -> Projector:
    """A caught-up Projector over the built-in read models and those plugins registered."""
    extra: list[Any] = [info.projection for info in host.projections()]
    projector = Projector(store, [*builtin_projections(), *extra])
    projector.catch_up()
    return projector


def record(events: Iterable[Event]) -> EventStore:
    store = open_store("memory://")
    Recorder(store, clock=lambda: TODAY).record_many(events)
    return store


def runner(projector: Projector, host: PluginHost) -> Run:
    def run(name: str, year: str = YEAR, schools: Any = "all") -> Summary:
        context = Context(
            source=projector,
            academic_year=year,
            hub=HubInfo(HUB, "North Shire Music Hub"),
            schools=schools,
        )
        return host.run_report(name, context, timeout=None)

    return run


@pytest.fixture(scope="session")
def host() -> PluginHost:
    return load_host()


@pytest.fixture(scope="session")
def projector(host: PluginHost) -> Projector:
    return projector_for(record(history()), host)


@pytest.fixture(scope="session")
def run(host: PluginHost, projector: Projector) -> Run:
    return runner(projector, host)


@pytest.fixture
def context(projector: Projector) -> Context:
    """The history's context for 2025/26, to call a reporter's ``build`` directly."""
    return Context(source=projector, academic_year=YEAR, hub=HubInfo(HUB, "North Shire Music Hub"))
