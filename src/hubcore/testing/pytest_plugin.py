"""The pytest plugin (``pytest11`` entry point ``hubcore``): fixtures for tests built on hubcore.

pytest loads it by itself wherever hubcore is installed (with ``-p no:hubcore`` it does not;
with ``PYTEST_DISABLE_PLUGIN_AUTOLOAD`` set, ask for it with ``-p hubcore``). Fixtures:

``hub_store``
    A fresh, empty :class:`~hubcore.store.EventStore`, closed after the test. Tests that use
    it run once per backend chosen with ``--hub-store-backend`` (see below), with the
    backend in the test id: ``test_x[memory]``, ``test_x[sqlite]``. Each backend makes the
    fresh store itself (its :attr:`~hubcore.store.StoreScheme.fresh_url`: the SQLite store
    is a file in the test's ``tmp_path``, the PostgreSQL one a schema of its own), and the
    store is opened with ``open_store`` like any other. A backend with no database to test
    on here (PostgreSQL without ``HUBCORE_TEST_POSTGRES``) skips, saying how to enable it.
``hub_store_factory``
    For ``@given`` tests, which run many examples in one test call and so must not share
    one ``hub_store``: a function returning a context manager that opens a fresh, empty
    store of the chosen backend and closes it afterwards::

        @given(histories())
        def test_replay(hub_store_factory, log):
            with hub_store_factory() as store:
                store.append(...)

    Session-scoped (hypothesis refuses function-scoped fixtures in ``@given`` tests, as
    they are not reset between examples); its tests run once per backend, like
    ``hub_store``'s. Each store lives in a folder of its own under pytest's base temporary
    folder (or its own PostgreSQL schema).
``hub_store_backend``
    The backend name (URL scheme) of this run of the test, e.g. ``"memory"``. Pin it for one
    test with ``@pytest.mark.parametrize("hub_store_backend", ["sqlite"], indirect=True)``.
``hub_history``
    A small, realistic hub recorded into ``hub_store`` through the domain rules
    (:class:`~hubcore.domain.Recorder`, with the clock fixed at :data:`HISTORY_TODAY`): the
    seeded demo hub (:func:`hubcore.demo.generate_hub`) with 4 schools over the academic
    year 2024/25, recorded a day at a time. The same events on every run and backend.
    Returns a :class:`HubHistory`.
``hub_projector``
    A :class:`~hubcore.projections.Projector` with every built-in projection on
    ``hub_store``, caught up with ``hub_history``.

Command-line option ``--hub-store-backend=memory,sqlite``: a comma-separated list of the
backends to run ``hub_store`` tests on (default ``memory``): the URL schemes registered in
the ``hubcore.stores`` entry-point group, a third-party backend's as much as the built-in
ones; an unknown name is a usage error.

Loading this plugin costs almost nothing: at import time it imports only pytest, the
standard library and the ``hubcore`` package root (its errors); the store, domain rules,
projections and demo generator load inside the fixtures, so a run that uses none of them
never imports them (nor hypothesis, which this plugin never imports).
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager
from datetime import date
from typing import TYPE_CHECKING, NamedTuple

import pytest

if TYPE_CHECKING:
    from hubcore.events import Event
    from hubcore.projections import Projector
    from hubcore.store import EventStore

__all__ = [
    "DEFAULT_BACKEND",
    "STORES_GROUP",
    "HISTORY_TODAY",
    "HubHistory",
    "hub_history",
    "hub_projector",
    "hub_store",
    "hub_store_backend",
    "hub_store_factory",
    "installed_backends",
    "parse_backends",
]

STORES_GROUP = "hubcore.stores"
"""The entry-point group of store backends (``hubcore.store.ENTRY_POINT_GROUP``; named here
so that loading the plugin does not import the store)."""

DEFAULT_BACKEND = "memory"
"""The backend ``hub_store`` uses when ``--hub-store-backend`` is not given."""

HISTORY_TODAY = date(2025, 8, 31)
"""The fixed "today" that ``hub_history`` is generated and recorded with."""

_OPTION = "--hub-store-backend"
_DEST = "hub_store_backend"


class HubHistory(NamedTuple):
    """What the ``hub_history`` fixture recorded."""

    events: tuple[Event, ...]
    """Every event, in the order recorded (date order; ``HubEstablished`` first)."""
    hub_id: str
    """The hub's id (its stream is ``hub-<hub_id>``)."""
    urns: tuple[int, ...]
    """The URNs of the registered schools, ascending."""
    today: date
    """The fixed date the Recorder's clock returned (:data:`HISTORY_TODAY`)."""


def installed_backends() -> tuple[str, ...]:
    """The store backends ``--hub-store-backend`` accepts: every scheme registered in the
    ``hubcore.stores`` entry-point group, sorted."""
    from importlib.metadata import entry_points

    return tuple(sorted({ep.name for ep in entry_points(group=STORES_GROUP)}))


def parse_backends(value: str) -> tuple[str, ...]:
    """``"memory,sqlite"`` -> ``("memory", "sqlite")``; unknown or no names are refused.

    Raises :class:`argparse.ArgumentTypeError`, which pytest reports as a usage error.
    """
    known = installed_backends()
    names: list[str] = []
    for part in value.split(","):
        name = part.strip().lower()
        if not name:
            continue
        if name not in known:
            raise argparse.ArgumentTypeError(
                f"unknown hubcore store backend {name!r} in {value!r}; "
                f"choose from {', '.join(known)} (comma-separated, e.g. memory,sqlite)"
            )
        if name not in names:
            names.append(name)
    if not names:
        raise argparse.ArgumentTypeError(
            f"no hubcore store backend named in {value!r}; choose from {', '.join(known)}"
        )
    return tuple(names)


def pytest_addoption(parser: pytest.Parser) -> None:
    """Register ``--hub-store-backend``."""
    group = parser.getgroup("hubcore", "hubcore test fixtures")
    group.addoption(
        _OPTION,
        dest=_DEST,
        default=(DEFAULT_BACKEND,),
        type=parse_backends,
        metavar="BACKEND[,BACKEND...]",
        help=(
            "run tests using the hub_store fixture once per event store backend "
            f"(the schemes in the {STORES_GROUP!r} entry points; default: {DEFAULT_BACKEND})"
        ),
    )


def _chosen_backends(config: pytest.Config) -> tuple[str, ...]:
    chosen = config.getoption(_DEST, default=None)
    return tuple(chosen) if chosen else (DEFAULT_BACKEND,)


def _argnames(mark: pytest.Mark) -> Sequence[str]:
    names = mark.args[0] if mark.args else mark.kwargs.get("argnames", ())
    if isinstance(names, str):
        return [name.strip() for name in names.split(",")]
    return list(names)


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Run every test that (indirectly) uses ``hub_store`` once per chosen backend."""
    if _DEST not in metafunc.fixturenames:
        return
    for mark in metafunc.definition.iter_markers("parametrize"):
        if _DEST in _argnames(mark):
            return  # the test pinned its own backends
    metafunc.parametrize(_DEST, _chosen_backends(metafunc.config), indirect=True)


@pytest.fixture(scope="session")
def hub_store_backend(request: pytest.FixtureRequest) -> str:
    """The event store backend of this run of the test, e.g. ``"memory"`` or ``"sqlite"``."""
    backend = getattr(request, "param", None)
    if backend is None:
        return _chosen_backends(request.config)[0]
    known = installed_backends()
    if backend not in known:
        pytest.fail(
            f"hub_store_backend: unknown backend {backend!r}; choose from {', '.join(known)}",
            pytrace=False,
        )
    return str(backend)


@pytest.fixture
def hub_store(hub_store_backend: str, request: pytest.FixtureRequest) -> Iterator[EventStore]:
    """A fresh, empty event store of the chosen backend, closed after the test."""
    from hubcore.testing import _fixtures

    with _fixtures.fresh_store(hub_store_backend, request.getfixturevalue("tmp_path")) as store:
        yield store


@pytest.fixture(scope="session")
def hub_store_factory(
    hub_store_backend: str, tmp_path_factory: pytest.TempPathFactory
) -> Callable[[], AbstractContextManager[EventStore]]:
    """``with hub_store_factory() as store:``: a fresh, empty store per call (for ``@given``)."""
    from hubcore.testing import _fixtures

    def fresh() -> AbstractContextManager[EventStore]:
        return _fixtures.fresh_store(hub_store_backend, tmp_path_factory.mktemp("hub-store"))

    return fresh


@pytest.fixture
def hub_history(hub_store: EventStore) -> HubHistory:
    """A small realistic hub (4 schools, 2024/25), recorded into ``hub_store``."""
    from hubcore.testing import _fixtures

    history = _fixtures.demo_history()
    _fixtures.record_history(hub_store, history)
    return history


@pytest.fixture
def hub_projector(hub_store: EventStore, hub_history: HubHistory) -> Projector:
    """A Projector with every built-in projection, caught up with ``hub_history``."""
    from hubcore.projections import Projector

    projector = Projector(hub_store)
    projector.catch_up()
    return projector
