"""Every plugin call runs under a time limit; a hung or failing one is named and cut off,
and the command goes on without it (its projection and the reports reading it fail, the
rest are exact)."""

from __future__ import annotations

import threading
import time
from datetime import date
from typing import Any

import orjson
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from plugin_kit import CallableReporter, ReportersPlugin

from hubcore.domain import Recorder
from hubcore.errors import PluginLoadError, ReporterError
from hubcore.events import EVENT_TYPES, SchoolRegistered
from hubcore.projections import Projector, builtin_projections, fold
from hubcore.reporting import Context, HubInfo, Metric, PluginHost, Summary
from hubcore.reporting._guard import FAILED_STATE, GuardedProjection
from hubcore.store import open_store
from hubcore.vocabulary import Phase

LIMIT = 0.3
"""The time limit of these tests' plugin calls (seconds)."""
SLACK = 5.0
"""How much longer than the limit a cut-off may take on a busy machine."""


class Counter:
    """A plugin projection counting events; ``misbehave(position)`` decides, per event,
    whether ``apply`` hangs ("spin", "sleep"), raises ("raise") or folds (None)."""

    version = 1
    handles = frozenset(EVENT_TYPES)

    def __init__(self, name: str = "counter", misbehave: Any = None) -> None:
        self.name = name
        self.misbehave = misbehave or (lambda position: None)
        self.applied = 0

    def initial(self) -> dict[str, int]:
        return {"events": 0}

    def apply(self, state: dict[str, int], recorded: Any) -> dict[str, int]:
        how = self.misbehave(recorded.position)
        if how == "spin":
            while True:
                pass
        if how == "sleep":
            while True:
                time.sleep(0.01)
        if how == "raise":
            raise RuntimeError(f"cannot fold event {recorded.position}")
        self.applied += 1
        state["events"] += 1
        return state

    def dump(self, state: dict[str, int]) -> bytes:
        return orjson.dumps(state)

    def load(self, data: bytes) -> dict[str, int]:
        return orjson.loads(data)


class ProjectionsPlugin(ReportersPlugin):
    """Registers the projections (and reporters) it is given."""

    def __init__(self, *projections: Any, reporters: tuple[Any, ...] = ()) -> None:
        super().__init__(*reporters)
        self.projections = projections

    def hubcore_register_projections(self, register: Any) -> None:
        for projection in self.projections:
            register(projection)


def _events(count: int) -> list[SchoolRegistered]:
    return [
        SchoolRegistered(
            occurred_on=date(2025, 9, 1),
            urn=100000 + i,
            name=f"School {i}",
            phase=Phase.PRIMARY,
            la_code="901",
            pupils_on_roll=100 + i,
        )
        for i in range(count)
    ]


def _store(url: str = "memory://", count: int = 12) -> Any:
    store = open_store(url)
    Recorder(store, clock=lambda: date(2025, 9, 2)).record_many(_events(count))
    return store


def _host(*plugin_projections: Any, reporters: tuple[Any, ...] = ()) -> PluginHost:
    host = PluginHost(apply_timeout=LIMIT)
    host.register(ProjectionsPlugin(*plugin_projections, reporters=reporters), name="misfit")
    return host


def _projector(store: Any, host: PluginHost) -> Projector:
    return Projector(store, [*builtin_projections(), *(i.projection for i in host.projections())])


def _caught_up_in_time(projector: Projector) -> float:
    started = time.monotonic()
    projector.catch_up()
    took = time.monotonic() - started
    assert took < LIMIT + SLACK, f"catch_up took {took:.1f}s: the hung plugin was not cut off"
    return took


def _builtin_models(store: Any) -> dict[str, bytes]:
    states = fold(builtin_projections(), store.read_all())
    return {p.name: p.dump(states[p.name]) for p in builtin_projections()}


@pytest.mark.parametrize("how", ["spin", "sleep", "raise"])
def test_a_hung_or_failing_plugin_projection_is_cut_off_and_named(how):
    store = _store()
    host = _host(Counter(misbehave=lambda p: how if p == 5 else None), Counter("fine"))
    projector = _projector(store, host)
    _caught_up_in_time(projector)
    failures = host.projection_failures()
    assert list(failures) == ["counter"]
    assert "plugin 'misfit'" in failures["counter"]
    assert "apply() of event 5 (SchoolRegistered)" in failures["counter"]
    expected = f"within {LIMIT:g}s" if how != "raise" else "RuntimeError: cannot fold event 5"
    assert expected in failures["counter"]
    # the others are exact: the other plugin projection and every built-in one
    assert projector.get("fine") == {"events": 12}
    for p in builtin_projections():
        assert p.dump(projector.get(p.name)) == _builtin_models(store)[p.name]


def test_the_fold_goes_on_after_a_cut_off_and_the_projection_folds_nothing_more():
    counter = Counter(misbehave=lambda p: "spin" if p == 3 else None)
    store = _store()
    projector = _projector(store, _host(counter))
    _caught_up_in_time(projector)
    assert counter.applied == 2  # events 1 and 2; after the cut at 3, nothing
    Recorder(store, clock=lambda: date(2025, 9, 3)).record_many(_events(15)[12:])
    projector.catch_up()
    assert counter.applied == 2


def test_a_failed_projection_is_saved_as_a_marker_and_folded_again_next_time(tmp_path):
    url = f"sqlite:///{tmp_path / 'hub.sqlite'}"
    hang_once = {"armed": True}

    def misbehave(position: int) -> str | None:
        return "spin" if position == 4 and hang_once["armed"] else None

    with _store(url) as store:
        host = _host(Counter(misbehave=misbehave))
        _caught_up_in_time(_projector(store, host))
        assert store.load_projection("counter").state == FAILED_STATE
    hang_once["armed"] = False
    with open_store(url) as store:
        projector = _projector(store, _host(Counter(misbehave=misbehave)))
        assert "counter" in projector.rebuilt
        projector.catch_up()
        assert projector.get("counter") == {"events": 12}


def test_a_report_reading_a_cut_off_projection_fails_naming_it_and_the_others_run():
    def count(context: Any) -> Summary:
        value = context.get("counter")["events"]
        return Summary(
            title="count",
            scope=context.scope(),
            metrics=[Metric(key="n", label="events", value=value)],
        )

    def fine(context: Any) -> Summary:
        return Summary(title="fine", scope=context.scope(), metrics=[])

    reporters = (
        CallableReporter("needs-counter", count, projections=("counter",)),
        CallableReporter("needs-nothing", fine, projections=()),
    )
    store = _store()
    host = _host(Counter(misbehave=lambda p: "spin" if p == 2 else None), reporters=reporters)
    projector = _projector(store, host)
    _caught_up_in_time(projector)
    context = Context(source=projector, academic_year="2025/26", hub=HubInfo("h", "H"))
    results = host.run_all(context)
    assert list(results.summaries) == ["needs-nothing"]
    error = results.errors["needs-counter"]
    assert isinstance(error, ReporterError)
    assert "read model 'counter' is not available" in str(error)
    assert "did not finish within" in str(error)


def test_a_hung_registration_hook_is_named_and_the_host_goes_on():
    release = threading.Event()

    class Hangs:
        def hubcore_register_projections(self, register: Any) -> None:
            release.wait(30)
            register(Counter("late"))

    host = PluginHost(register_timeout=LIMIT)
    started = time.monotonic()
    with pytest.raises(PluginLoadError, match=r"hook 'hubcore_register_projections' did not"):
        host.register(Hangs(), name="slow")
    assert time.monotonic() - started < LIMIT + SLACK
    release.set()
    time.sleep(0.1)  # the abandoned hook returns now: what it registers is not kept
    assert [p.name for p in host.projections()] == []
    assert "slow" not in [p.name for p in host.plugins()]
    host.register(ProjectionsPlugin(Counter()), name="next")
    assert [p.name for p in host.projections()] == ["counter"]


def test_plugin_projections_are_guarded_and_keep_saving_in_parts():
    from hubcore_participation import PROJECTION_NAME

    host = PluginHost()
    host.load_entrypoints(environ={})
    guarded = {i.name: i.projection for i in host.projections()}
    assert all(isinstance(p, GuardedProjection) for p in guarded.values())
    assert hasattr(guarded[PROJECTION_NAME], "dump_part")
    assert not hasattr(guarded[PROJECTION_NAME], "merge")  # folded in this process


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    count=st.integers(1, 10),
    fails_at=st.integers(1, 12),
    how=st.sampled_from(["raise", "spin"]),
)
def test_whatever_event_a_plugin_fails_on_the_rest_equal_a_fold_without_it(count, fails_at, how):
    store = _store(count=count)
    host = _host(Counter(misbehave=lambda p: how if p == fails_at else None), Counter("fine"))
    projector = _projector(store, host)
    projector.catch_up()
    assert ("counter" in host.projection_failures()) == (fails_at <= count)
    assert projector.get("fine") == {"events": count}
    expected = _builtin_models(store)
    for p in builtin_projections():
        assert p.dump(projector.get(p.name)) == expected[p.name]


def test_on_the_command_line_the_report_reading_it_exits_1_and_others_exit_0(tmp_path, monkeypatch):
    from click.testing import CliRunner

    from hubcore.cli import cli

    def count(context: Any) -> Summary:
        value = context.get("counter")["events"]
        return Summary(
            title="count", scope=context.scope(), metrics=[Metric(key="n", label="n", value=value)]
        )

    def fine(context: Any) -> Summary:
        return Summary(title="fine", scope=context.scope(), metrics=[])

    reporters = (
        CallableReporter("needs-counter", count, projections=("counter",)),
        CallableReporter("needs-nothing", fine, projections=()),
    )

    def default(cls: type[PluginHost], environ: Any = None) -> PluginHost:
        return _host(Counter(misbehave=lambda p: "spin" if p == 2 else None), reporters=reporters)

    monkeypatch.setattr(PluginHost, "default", classmethod(default))
    url = f"sqlite:///{tmp_path / 'hub.sqlite'}"
    _store(url).close()
    runner = CliRunner()
    failed = runner.invoke(cli, ["--store", url, "report", "needs-counter", "--year", "2025/26"])
    assert failed.exit_code == 1, failed.output
    assert "warning: projection 'counter' of plugin 'misfit'" in failed.stderr
    assert "error: " in failed.stderr
    assert "read model 'counter' is not available" in failed.stderr
    ok = runner.invoke(cli, ["--store", url, "report", "needs-nothing", "--year", "2025/26"])
    assert ok.exit_code == 0, ok.output
    assert "warning: projection 'counter'" in ok.stderr


def test_a_plugin_dump_that_raises_fails_its_projection_not_the_save(tmp_path):
    class BadDump(Counter):
        def dump(self, state: dict[str, int]) -> bytes:
            raise ValueError("no bytes today")

    with _store(f"sqlite:///{tmp_path / 'hub.sqlite'}") as store:
        host = _host(BadDump())
        projector = _projector(store, host)
        projector.catch_up()  # saves every read model: the built-ins' are written
        assert "dump() raised ValueError: no bytes today" in host.projection_failures()["counter"]
        assert store.load_projection("counter").state == FAILED_STATE
        for p in builtin_projections():
            assert store.load_projection(p.name) is not None


def test_a_plugin_dump_that_hangs_is_cut_off_under_the_state_limit(tmp_path):
    from hubcore.reporting._guard import STATE_FACTOR

    class HungDump(Counter):
        def dump(self, state: dict[str, int]) -> bytes:
            while True:
                pass

    with _store(f"sqlite:///{tmp_path / 'hub.sqlite'}") as store:
        host = _host(HungDump())
        projector = _projector(store, host)
        started = time.monotonic()
        projector.catch_up()
        took = time.monotonic() - started
        assert LIMIT * STATE_FACTOR <= took < LIMIT * STATE_FACTOR + SLACK
        failure = host.projection_failures()["counter"]
        assert f"dump() did not finish within {LIMIT * STATE_FACTOR:g}s" in failure
        assert store.load_projection("counter").state == FAILED_STATE
        for p in builtin_projections():
            assert store.load_projection(p.name) is not None
