"""The pytest plugin: its fixtures in this very run, and in pytest subprocesses (pytester)."""

from __future__ import annotations

import argparse
import itertools
import json
import subprocess
import sys
import textwrap
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hubcore import StoreClosed
from hubcore.domain import check_history
from hubcore.events import HubEstablished, SchoolRegistered
from hubcore.projections import Coverage, Projector, builtin_projections, fold
from hubcore.store import ENTRY_POINT_GROUP, EventStore, MemoryStore, SqliteStore
from hubcore.testing import _fixtures
from hubcore.testing.conformance import school_events
from hubcore.testing.pytest_plugin import (
    HISTORY_TODAY,
    STORES_GROUP,
    HubHistory,
    installed_backends,
    parse_backends,
)
from hubcore.testing.strategies import histories

BACKENDS = ("memory", "sqlite")  # the backends every machine has


pytest_plugins = ["pytester"]

# Modules a pytest run must not pay for unless a hubcore fixture is used.
HEAVY = (
    "hubcore.store",
    "hubcore.projections",
    "hubcore.domain",
    "hubcore.demo",
    "hubcore.events",
    "hubcore.codec",
    "hubcore.testing._fixtures",
    "hubcore.testing.strategies",
    "hubcore.testing.conformance",
    "hubcore.reporting",
    "hubcore.imports",
    "hubcore.cli",
    "hypothesis",
)


# -- the fixtures, used by this suite itself ------------------------------------------------


def test_the_plugin_names_the_stores_entry_point_group() -> None:
    assert STORES_GROUP == ENTRY_POINT_GROUP
    assert set(BACKENDS) <= set(installed_backends())


def test_hub_store_is_fresh_and_empty(hub_store: EventStore, hub_store_backend: str) -> None:
    assert hub_store_backend in installed_backends()
    if hub_store_backend in BACKENDS:
        kind = {"memory": MemoryStore, "sqlite": SqliteStore}[hub_store_backend]
        assert isinstance(hub_store, kind)
    assert hub_store.head() == 0
    assert hub_store.streams() == []
    assert list(hub_store.read_all()) == []


@pytest.mark.parametrize("hub_store_backend", ["memory", "sqlite"], indirect=True)
@settings(max_examples=15, database=None)
@given(urns=st.lists(st.integers(100_000, 999_999), min_size=1, max_size=3, unique=True))
def test_hub_store_factory_gives_each_example_a_fresh_store(
    hub_store_factory: Any, hub_store_backend: str, urns: list[int]
) -> None:
    kind = {"memory": MemoryStore, "sqlite": SqliteStore}[hub_store_backend]
    with hub_store_factory() as store:
        assert type(store) is kind
        assert store.head() == 0  # nothing left over from an earlier example
        for urn in urns:
            store.append(f"school-{urn}", school_events(urn, 1, "x"))
        assert store.head() == len(urns)
    with pytest.raises(StoreClosed):
        store.head()  # closed when the block ends


@pytest.mark.parametrize("hub_store_backend", ["memory", "sqlite"], indirect=True)
def test_a_test_can_pin_its_backends(hub_store: EventStore, hub_store_backend: str) -> None:
    expected = {"memory": MemoryStore, "sqlite": SqliteStore}[hub_store_backend]
    assert type(hub_store) is expected
    assert hub_store.head() == 0


@pytest.mark.parametrize("hub_store_backend", ["memory", "sqlite"], indirect=True)
def test_hub_history_is_recorded_through_the_rules(
    hub_store: EventStore, hub_history: HubHistory
) -> None:
    events = hub_history.events
    assert hub_history.today == HISTORY_TODAY
    assert isinstance(events[0], HubEstablished)
    assert events[0].hub_id == hub_history.hub_id
    registered = sorted(e.urn for e in events if isinstance(e, SchoolRegistered))
    assert list(hub_history.urns) == registered
    assert 3 <= len(registered) <= 10
    assert len(events) >= 50
    # every rule holds, replayed from scratch
    check_history(events, today=hub_history.today)
    # everything landed, once, in the right streams, and the hash chain holds
    stored = list(hub_store.read_all())
    assert [r.position for r in stored] == list(range(1, len(events) + 1))
    assert hub_store.verify() == len(events)
    expected_streams = {f"hub-{hub_history.hub_id}"} | {f"school-{u}" for u in registered}
    assert set(hub_store.streams()) == expected_streams
    for stream in expected_streams:
        in_stream = [e for e in events if e.stream == stream]
        assert [r.event for r in hub_store.read_stream(stream)] == in_stream
    # recorded a day at a time: the log is in date order
    days = [r.event.occurred_on for r in stored]
    assert days == sorted(days)
    assert max(days) <= hub_history.today


def test_hub_history_is_the_same_every_time(hub_history: HubHistory) -> None:
    fresh = _fixtures.demo_history()
    assert fresh == hub_history
    assert fresh.events is not hub_history.events  # not shared between tests
    kinds = {type(e).__name__ for e in hub_history.events}
    # realistic: far more than registrations, across both kinds of stream
    assert {"SchoolEngaged", "ConversationHeld", "TrainingDelivered", "StaffTimeLogged"} <= kinds


@pytest.mark.parametrize("hub_store_backend", ["memory", "sqlite"], indirect=True)
def test_hub_projector_is_caught_up(
    hub_projector: Projector, hub_store: EventStore, hub_history: HubHistory
) -> None:
    head = hub_store.head()
    assert head == len(hub_history.events)
    assert hub_projector.lag() == 0
    for name in hub_projector.names:
        assert hub_projector.checkpoint(name) == head
    assert hub_projector.catch_up() == 0
    rebuilt = fold(builtin_projections(), hub_store.read_all())
    assert {n: hub_projector.get(n) for n in hub_projector.names} == rebuilt
    coverage = hub_projector.get("coverage", Coverage)
    assert sorted(coverage.open_schools("2024/25")) == list(hub_history.urns)
    # a second Projector resumes from the checkpoints the fixture saved
    again = Projector(hub_store)
    assert again.lag() == 0
    assert again.get("coverage") == coverage


# -- parsing the option --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("memory", ("memory",)),
        ("sqlite", ("sqlite",)),
        ("memory,sqlite", ("memory", "sqlite")),
        (" SQLite , memory, ", ("sqlite", "memory")),
        ("sqlite,sqlite,memory", ("sqlite", "memory")),
    ],
)
def test_parse_backends(text: str, expected: tuple[str, ...]) -> None:
    assert parse_backends(text) == expected


@pytest.mark.parametrize("text", ["", " , ", "postgres", "memory,postgres", "memory;sqlite"])
def test_parse_backends_refuses_unknown_or_no_names(text: str) -> None:
    with pytest.raises(argparse.ArgumentTypeError, match="backend") as caught:
        parse_backends(text)
    assert ", ".join(installed_backends()) in str(caught.value)


@given(st.lists(st.sampled_from(BACKENDS), min_size=1), st.sampled_from([",", ", ", " ,"]))
def test_parse_backends_keeps_first_occurrence_order(names: list[str], sep: str) -> None:
    assert parse_backends(sep.join(names)) == tuple(dict.fromkeys(names))


# -- the plugin in real pytest subprocesses --------------------------------------------------

USER_TESTS = """
    import pytest
    from hypothesis import given
    from hypothesis import strategies as st

    from hubcore.projections import Coverage
    from hubcore.store import MemoryStore, SqliteStore


    def test_store(hub_store, hub_store_backend):
        assert type(hub_store) is {"memory": MemoryStore, "sqlite": SqliteStore}[hub_store_backend]
        assert hub_store.head() == 0


    def test_history(hub_store, hub_history):
        assert hub_store.head() == len(hub_history.events) > 0
        assert hub_store.verify() == hub_store.head()


    def test_projector(hub_projector, hub_history):
        coverage = hub_projector.get("coverage", Coverage)
        assert sorted(coverage.open_schools("2024/25")) == list(hub_history.urns)


    @pytest.mark.parametrize("hub_store_backend", ["sqlite"], indirect=True)
    def test_pinned(hub_store):
        assert isinstance(hub_store, SqliteStore)


    @given(st.integers(0, 3))
    def test_given(hub_store_factory, n):
        with hub_store_factory() as store:
            assert store.head() == 0

    def test_no_store():
        pass
"""


@pytest.mark.slow
def test_unknown_backend_is_a_usage_error(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_user=textwrap.dedent(USER_TESTS))
    result = pytester.runpytest_subprocess("--hub-store-backend=memory,postgres")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(
        ["*--hub-store-backend*unknown hubcore store backend 'postgres'*memory*sqlite*"]
    )
    assert "passed" not in result.stdout.str()


LAZY_CONFTEST = """
    import json
    import sys

    HEAVY = {heavy!r}


    def pytest_sessionfinish(session):
        loaded = sorted(
            m for m in sys.modules if any(m == h or m.startswith(h + ".") for h in HEAVY)
        )
        report = {{
            "plugin": "hubcore.testing.pytest_plugin" in sys.modules,
            "option": session.config.getoption("hub_store_backend"),
            "loaded": loaded,
        }}
        with open("modules.json", "w") as out:
            json.dump(report, out)
"""


def _lazy_report(
    pytester: pytest.Pytester, test_body: str, *args: str, passed: int = 1
) -> dict[str, Any]:
    """Run ``test_body`` in a pytest subprocess; what the conftest saw at session finish."""
    pytester.makeconftest(textwrap.dedent(LAZY_CONFTEST.format(heavy=HEAVY)))
    pytester.makepyfile(test_user=textwrap.dedent(test_body))
    result = pytester.runpytest_subprocess(*args)
    result.assert_outcomes(passed=passed)
    report: dict[str, Any] = json.loads((pytester.path / "modules.json").read_text())
    report["stdout"] = result.stdout.str()
    return report


@pytest.mark.slow
def test_a_run_that_uses_no_fixture_loads_nothing_heavy(pytester: pytest.Pytester) -> None:
    report = _lazy_report(pytester, "def test_trivial():\n    assert 1 + 1 == 2\n")
    assert report["plugin"] is True  # loaded through the pytest11 entry point
    assert report["option"] == ["memory"]
    assert report["loaded"] == []


@pytest.mark.slow
def test_explicit_p_hubcore_without_autoload_is_lazy_too(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PYTEST_DISABLE_PLUGIN_AUTOLOAD", "1")
    report = _lazy_report(pytester, "def test_trivial():\n    pass\n", "-p", "hubcore")
    assert report["plugin"] is True
    assert report["loaded"] == []


@pytest.mark.slow
def test_fixtures_pass_with_both_backends(pytester: pytest.Pytester) -> None:
    report = _lazy_report(
        pytester, USER_TESTS, "--hub-store-backend=memory,sqlite", "-v", passed=10
    )
    lines = report["stdout"]
    for name, backend in itertools.product(["store", "history", "projector", "given"], BACKENDS):
        assert f"test_user.py::test_{name}[{backend}] PASSED" in lines
    assert "test_user.py::test_pinned[sqlite] PASSED" in lines
    assert "test_user.py::test_no_store PASSED" in lines
    assert report["option"] == ["memory", "sqlite"]
    # the control for the laziness tests: these fixtures do load the store and projections
    # (hypothesis is loaded here too, by hypothesis's own plugin: -v prints its settings)
    assert {"hubcore.store", "hubcore.projections", "hubcore.domain"} <= set(report["loaded"])


BAD_PIN = """
    import pytest


    @pytest.mark.parametrize("hub_store_backend", ["postgres"], indirect=True)
    def test_pinned_to_nothing(hub_store):
        pass
"""


@pytest.mark.slow
def test_default_backend_is_memory(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        test_user=textwrap.dedent(USER_TESTS),
        test_bad_pin=textwrap.dedent(BAD_PIN),
    )
    result = pytester.runpytest_subprocess("-v")
    result.assert_outcomes(passed=6, errors=1)
    out = result.stdout.str()
    assert "test_user.py::test_store[memory] PASSED" in out
    assert "test_user.py::test_pinned[sqlite] PASSED" in out  # the only sqlite run
    assert "test_store[sqlite]" not in out
    assert "test_bad_pin.py::test_pinned_to_nothing[postgres] ERROR" in out
    result.stdout.fnmatch_lines(["*hub_store_backend: unknown backend 'postgres'*memory*sqlite*"])


def test_importing_the_plugin_imports_nothing_heavy() -> None:
    # A fresh interpreter with -X importtime: every module the import pulled in is listed.
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", "import hubcore.testing.pytest_plugin"],
        capture_output=True,
        text=True,
        check=True,
    )
    imported = {
        line.rsplit("|", 1)[1].strip()
        for line in done.stderr.splitlines()
        if line.startswith("import time:") and line.count("|") == 2
    }
    assert "hubcore.testing.pytest_plugin" in imported
    assert "pytest" in imported
    heavy = sorted(m for m in imported if any(m == h or m.startswith(h + ".") for h in HEAVY))
    assert heavy == []


@settings(max_examples=10, database=None)
@given(log=histories(max_events=20))
def test_the_documented_factory_example(hub_store_factory: Any, log: list[Any]) -> None:
    # docs/testing.md, "In @given tests"
    with hub_store_factory() as store:
        for event in log:
            store.append(event.stream, [event])
        assert [r.event for r in store.read_all()] == log
