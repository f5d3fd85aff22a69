from __future__ import annotations

import sys
import threading
import time
import uuid

import pytest
from hypothesis import given
from hypothesis import strategies as st
from plugin_kit import (
    BROKEN_PLUGIN,
    GOOD_PLUGIN,
    MISSPELLED_PLUGIN,
    CallableReporter,
    CountReporter,
    ReportersPlugin,
    context,
    install,
)

from hubcore.errors import HubcoreError, PluginError, ReporterError
from hubcore.reporting import (
    BUILTIN_PLUGIN,
    NameClash,
    NotRegistered,
    PluginHost,
    PluginLoadError,
    Summary,
    hookimpl,
    renderer,
)

BUILTIN_FORMATS = ["csv", "html", "json", "markdown", "text"]


@pytest.fixture
def prefix(monkeypatch):
    """A unique module-name prefix; modules imported under it are removed afterwards."""
    name = f"hcp{uuid.uuid4().hex[:8]}"
    yield name
    for module in [m for m in sys.modules if m.startswith(name)]:
        del sys.modules[module]


@pytest.fixture
def site(tmp_path, monkeypatch):
    """A fresh site-packages-like folder on sys.path."""
    monkeypatch.syspath_prepend(str(tmp_path))
    return tmp_path


# -- built-ins and embedding registration -------------------------------------------------


def test_builtin_renderers_come_from_the_builtin_plugin():
    host = PluginHost()
    assert [r.name for r in host.renderers()] == BUILTIN_FORMATS
    assert {r.plugin for r in host.renderers()} == {BUILTIN_PLUGIN}
    assert [p.name for p in host.plugins()] == [BUILTIN_PLUGIN]
    assert host.plugins()[0].hooks == ("hubcore_register_renderers",)
    assert host.renderer("html").suffix == ".html"
    assert host.renderer("csv").media_type.startswith("text/csv")


def test_register_a_plugin_object_and_run_its_report():
    host = PluginHost()
    name = host.register(ReportersPlugin(CountReporter()), name="counting")
    assert name == "counting"
    [info] = host.reporters()
    assert (info.name, info.plugin, info.projections) == ("school-count", "counting", ("schools",))
    summary = host.run_report("school-count", context())
    assert isinstance(summary, Summary)
    assert summary.metrics[0].value == 3
    assert summary.reporter == "school-count"
    assert summary.scope.hub_id == "north-shire"
    assert b"School count" in host.render(summary, "markdown")


def test_unknown_names_are_refused_listing_the_known_ones():
    host = PluginHost()
    with pytest.raises(NotRegistered, match=r"no renderer named 'pdf' \(registered: csv, html"):
        host.render(Summary.__new__(Summary), "pdf")
    with pytest.raises(NotRegistered, match="no reporter named 'nope'"):
        host.run_report("nope", context())
    with pytest.raises(NotRegistered):
        host.run_all(context(), ["nope"])


def test_unregister_removes_everything_the_plugin_gave():
    host = PluginHost()
    host.register(ReportersPlugin(CountReporter()), name="counting")
    host.unregister("counting")
    assert host.reporters() == []
    host.register(ReportersPlugin(CountReporter()), name="again")  # the name is free again
    assert host.reporter("school-count").plugin == "again"


# -- validation: misspelled hooks, bad objects, clashes -----------------------------------


class Misspelled:
    @hookimpl
    def hubcore_register_reporter(self, register):  # missing the final "s"
        register(CountReporter())


class MisspelledUnmarked:
    def hubcore_registre_renderers(self, register):
        pass


@pytest.mark.parametrize("plugin", [Misspelled(), MisspelledUnmarked()])
def test_misspelled_hook_is_an_error_naming_the_plugin(plugin):
    host = PluginHost()
    with pytest.raises(PluginLoadError) as info:
        host.register(plugin, name="typo-plugin")
    assert isinstance(info.value, PluginError)
    assert info.value.plugin == "typo-plugin"
    assert "unknown hook 'hubcore_regis" in str(info.value)
    assert "did you mean 'hubcore_register_re" in str(info.value)
    assert [p.name for p in host.plugins()] == [BUILTIN_PLUGIN]
    assert not host.pluggy_manager.has_plugin("typo-plugin")
    host.pluggy_manager.check_pending()  # nothing half-registered is left behind


class WrongArgument:
    @hookimpl
    def hubcore_register_reporters(self, register, colour):
        pass


def test_hook_asking_for_an_unknown_argument_is_refused():
    with pytest.raises(PluginLoadError, match=r"'wrong'.*colour"):
        PluginHost().register(WrongArgument(), name="wrong")


class Raising:
    @hookimpl
    def hubcore_register_reporters(self, register):
        raise RuntimeError("boom")


def test_hook_that_raises_is_reported_by_plugin_and_hook():
    host = PluginHost()
    with pytest.raises(PluginLoadError) as info:
        host.register(Raising(), name="raising")
    assert info.value.plugin == "raising"
    assert "hubcore_register_reporters" in str(info.value)
    assert "RuntimeError: boom" in str(info.value)
    assert host.reporters() == []


@pytest.mark.parametrize(
    ("reporter", "message"),
    [
        (CountReporter(name="Not A Slug"), "needs a 'name'"),
        (CountReporter(title=""), "non-empty string 'title'"),
        (CountReporter(projections="schools"), "tuple of read-model names"),  # type: ignore[arg-type]
        (object(), "needs a 'name'"),
    ],
)
def test_invalid_reporters_are_refused(reporter, message):
    with pytest.raises(PluginLoadError, match=message):
        PluginHost().register(ReportersPlugin(reporter), name="bad")


def test_invalid_renderer_is_refused():
    bad = renderer("ok-name", media_type="nonsense", suffix=".x")(lambda s: b"")
    with pytest.raises(PluginLoadError, match="media_type"):
        PluginHost().register(ReportersPlugin(renderers=(bad,)), name="bad")


def test_name_clash_names_both_plugins_and_keeps_nothing_of_the_second():
    host = PluginHost()
    host.register(ReportersPlugin(CountReporter()), name="first")
    extra = CountReporter(name="extra")
    with pytest.raises(NameClash) as info:
        host.register(ReportersPlugin(extra, CountReporter()), name="second")
    message = str(info.value)
    assert "'first'" in message
    assert "'second'" in message
    assert "reporter 'school-count'" in message
    assert info.value.plugins == ("first", "second")
    assert [r.name for r in host.reporters()] == ["school-count"]  # 'extra' was not kept
    assert host.reporter("school-count").plugin == "first"


def test_clash_with_a_builtin_renderer_names_the_builtin_plugin():
    html = renderer("html", media_type="text/html", suffix=".html")(lambda s: b"")
    with pytest.raises(NameClash, match=r"'hubcore\.builtin'.*'my-html'"):
        PluginHost().register(ReportersPlugin(renderers=(html,)), name="my-html")


def test_same_plugin_registering_a_name_twice_is_refused():
    with pytest.raises(NameClash, match="registers reporter 'school-count' twice"):
        PluginHost().register(ReportersPlugin(CountReporter(), CountReporter()), name="twice")


def test_same_plugin_object_or_name_cannot_be_registered_twice():
    host = PluginHost()
    plugin = ReportersPlugin(CountReporter())
    host.register(plugin, name="one")
    with pytest.raises(PluginLoadError, match="already registered as plugin 'one'"):
        host.register(plugin, name="two")
    with pytest.raises(PluginLoadError, match="already registered"):
        host.register(ReportersPlugin(), name="one")


@given(st.lists(st.lists(st.sampled_from("abcdef"), max_size=3), max_size=6))
def test_registry_holds_each_name_once_and_refuses_exactly_the_clashes(plugins):
    host = PluginHost(builtins=False)
    owners: dict[str, str] = {}
    for index, names in enumerate(plugins):
        plugin_name = f"p{index}"
        reporters = [CountReporter(name=n) for n in names]
        clash = len(set(names)) < len(names) or any(n in owners for n in names)
        if clash:
            with pytest.raises(NameClash):
                host.register(ReportersPlugin(*reporters), name=plugin_name)
        else:
            host.register(ReportersPlugin(*reporters), name=plugin_name)
            owners.update(dict.fromkeys(names, plugin_name))
    assert {r.name: r.plugin for r in host.reporters()} == owners


# -- real entry points --------------------------------------------------------------------


def test_entry_points_load_one_by_one_and_a_broken_one_is_named(site, prefix):
    install(
        site,
        f"{prefix}-dist",
        {f"{prefix}-good": f"{prefix}_good", f"{prefix}-broken": f"{prefix}_broken"},
        {f"{prefix}_good": GOOD_PLUGIN.format(prefix=prefix), f"{prefix}_broken": BROKEN_PLUGIN},
    )
    host = PluginHost()
    loaded = host.load_entrypoints(environ={})
    assert f"{prefix}-good" in loaded
    assert f"{prefix}-broken" not in loaded
    [error] = [e for e in host.load_errors if e.plugin.startswith(prefix)]
    assert error.plugin == f"{prefix}-broken"
    assert "hubcore_this_module_does_not_exist" in str(error)
    assert f"{prefix}-dist" in str(error)
    assert isinstance(error, HubcoreError)

    reporter = host.reporter(f"{prefix}-count")
    assert reporter.plugin == f"{prefix}-good"
    assert host.renderer(f"{prefix}-upper").plugin == f"{prefix}-good"
    info = next(p for p in host.plugins() if p.name == f"{prefix}-good")
    assert (info.source, info.distribution, info.version) == (
        "entry point",
        f"{prefix}-dist",
        "1.0",
    )
    assert info.entry_point == f"{prefix}_good"
    summary = host.run_report(f"{prefix}-count", context())
    assert host.render(summary, f"{prefix}-upper") == b"COUNT"

    # loading again does not load twice nor add errors for the good one
    assert host.load_entrypoints(environ={}) == []
    assert len([e for e in host.load_errors if e.plugin == f"{prefix}-good"]) == 0


def test_entry_point_with_a_misspelled_hook_lands_in_load_errors(site, prefix):
    install(
        site,
        f"{prefix}-typo",
        {f"{prefix}-typo": f"{prefix}_typo", f"{prefix}-good": f"{prefix}_good"},
        {f"{prefix}_typo": MISSPELLED_PLUGIN, f"{prefix}_good": GOOD_PLUGIN.format(prefix=prefix)},
    )
    host = PluginHost()
    host.load_entrypoints(environ={})
    [error] = [e for e in host.load_errors if e.plugin.startswith(prefix)]
    assert error.plugin == f"{prefix}-typo"
    assert "unknown hook 'hubcore_register_reporter'" in str(error)
    assert host.reporter(f"{prefix}-count").plugin == f"{prefix}-good"


def test_entry_point_clash_names_both_plugins(site, prefix):
    code = GOOD_PLUGIN.format(prefix=prefix)
    install(site, f"{prefix}-one", {f"{prefix}-a": f"{prefix}_a"}, {f"{prefix}_a": code})
    install(site, f"{prefix}-two", {f"{prefix}-b": f"{prefix}_b"}, {f"{prefix}_b": code})
    host = PluginHost()
    host.load_entrypoints(environ={})
    [error] = [e for e in host.load_errors if e.plugin.startswith(prefix)]
    assert isinstance(error, NameClash)
    assert error.plugins == (f"{prefix}-a", f"{prefix}-b")  # first by name wins
    assert f"'{prefix}-a'" in str(error)
    assert f"'{prefix}-b'" in str(error)
    assert host.reporter(f"{prefix}-count").plugin == f"{prefix}-a"


@pytest.mark.parametrize(
    ("environ", "expect_good", "expect_broken_error"),
    [
        ({}, True, True),
        ({"HUBCORE_LOAD_PLUGINS": "{p}-good"}, True, False),
        ({"HUBCORE_LOAD_PLUGINS": " {p}-good , {p}-broken "}, True, True),
        ({"HUBCORE_LOAD_PLUGINS": ""}, False, False),
        ({"HUBCORE_DISABLE_PLUGINS": "{p}-broken"}, True, False),
        ({"HUBCORE_DISABLE_PLUGINS": "{p}-good,{p}-broken"}, False, False),
        ({"HUBCORE_LOAD_PLUGINS": "{p}-good", "HUBCORE_DISABLE_PLUGINS": "{p}-good"}, False, False),
    ],
)
def test_allow_and_block_lists(
    site, prefix, monkeypatch, environ, expect_good, expect_broken_error
):
    install(
        site,
        f"{prefix}-dist",
        {f"{prefix}-good": f"{prefix}_good", f"{prefix}-broken": f"{prefix}_broken"},
        {f"{prefix}_good": GOOD_PLUGIN.format(prefix=prefix), f"{prefix}_broken": BROKEN_PLUGIN},
    )
    monkeypatch.delenv("HUBCORE_LOAD_PLUGINS", raising=False)
    monkeypatch.delenv("HUBCORE_DISABLE_PLUGINS", raising=False)
    for key, value in environ.items():
        monkeypatch.setenv(key, value.format(p=prefix))
    host = PluginHost.default()  # reads os.environ
    names = {p.name for p in host.plugins()}
    assert (f"{prefix}-good" in names) is expect_good
    assert any(e.plugin == f"{prefix}-broken" for e in host.load_errors) is expect_broken_error
    assert [r.name for r in host.renderers() if r.plugin == BUILTIN_PLUGIN] == BUILTIN_FORMATS


# -- fault isolation ----------------------------------------------------------------------


def _raise(context):
    raise ValueError("no such school")


def _wrong_type(context):
    return {"title": "not a summary"}


def _undeclared(context):
    return context.get("secret")


@pytest.fixture
def release():
    event = threading.Event()
    yield event
    event.set()  # let the abandoned thread finish


def _host(*reporters) -> PluginHost:
    host = PluginHost()
    host.register(ReportersPlugin(*reporters), name="untrusted")
    return host


@pytest.mark.parametrize(
    ("build", "reason"),
    [
        (_raise, "reporter 'bad' raised ValueError: no such school"),
        (_wrong_type, "reporter 'bad' returned dict, expected a Summary"),
        (_undeclared, "read model 'secret', which it does not declare"),
    ],
)
def test_reporter_failures_become_reporter_errors(build, reason):
    host = _host(CallableReporter("bad", build))
    with pytest.raises(ReporterError) as info:
        host.run_report("bad", context(schools=[], secret=1))
    assert info.value.plugin == "untrusted"
    assert info.value.hook == "Reporter.build"
    assert reason in info.value.reason
    assert "plugin 'untrusted'" in str(info.value)


def test_reporter_failure_without_a_thread_too():
    host = _host(CallableReporter("bad", _raise))
    with pytest.raises(ReporterError, match="ValueError"):
        host.run_report("bad", context(), timeout=None)


def test_hung_reporter_times_out_and_is_abandoned(release):
    host = _host(CallableReporter("hangs", lambda c: release.wait(30)))
    with pytest.raises(ReporterError, match=r"did not finish within 0\.2s") as info:
        host.run_report("hangs", context(), timeout=0.2)
    assert info.value.plugin == "untrusted"
    worker = [t for t in threading.enumerate() if t.name == "hubcore-plugin:untrusted:hangs"]
    assert worker
    assert worker[0].daemon


def test_run_all_returns_results_and_errors(release):
    host = _host(
        CountReporter(),
        CallableReporter("raises", _raise),
        CallableReporter("wrong", _wrong_type),
        CallableReporter("hangs", lambda c: release.wait(30)),
    )
    results = host.run_all(context(), timeout=0.3)
    assert list(results.summaries) == ["school-count"]
    assert sorted(results.errors) == ["hangs", "raises", "wrong"]
    assert not results.ok
    assert all(e.plugin == "untrusted" for e in results.errors.values())
    assert results.summaries["school-count"].metrics[0].value == 3


def test_renderer_failures_become_reporter_errors(summary):
    raising = renderer("raising", media_type="text/plain", suffix=".txt")(lambda s: 1 / 0)
    wrong = renderer("wrong", media_type="text/plain", suffix=".txt")(lambda s: "text")
    host = PluginHost()
    host.register(ReportersPlugin(renderers=(raising, wrong)), name="fmt")
    with pytest.raises(ReporterError, match="ZeroDivisionError") as info:
        host.render(summary, "raising")
    assert (info.value.plugin, info.value.hook) == ("fmt", "Renderer.render")
    with pytest.raises(ReporterError, match="returned str, expected bytes"):
        host.render(summary, "wrong")
    for name in BUILTIN_FORMATS:
        assert host.render(summary, name)


def test_a_plugin_whose_import_hangs_is_named_and_skipped(site, prefix):
    """The import runs under a time limit: the hung one is cut off, the others load."""
    install(
        site,
        f"{prefix}-dist",
        {f"{prefix}-good": f"{prefix}_good", f"{prefix}-hung": f"{prefix}_hung"},
        {
            f"{prefix}_good": GOOD_PLUGIN.format(prefix=prefix),
            f"{prefix}_hung": "import time\ntime.sleep(5)\n",
        },
    )
    host = PluginHost()
    started = time.monotonic()
    loaded = host.load_entrypoints(environ={}, timeout=0.5)
    assert time.monotonic() - started < 4
    assert f"{prefix}-good" in loaded
    assert f"{prefix}-hung" not in loaded
    [error] = [e for e in host.load_errors if e.plugin.startswith(prefix)]
    assert error.plugin == f"{prefix}-hung"
    assert "did not finish within 0.5s" in str(error)
    assert host.reporter(f"{prefix}-count").plugin == f"{prefix}-good"


@pytest.mark.parametrize("lazy", [False, True])
def test_a_reporter_that_mutates_its_read_model_changes_nothing_else(lazy):
    """Each reporter gets its own copy: the projector's state, what is saved next and what
    the next reporter sees stay as the log made them (a lazy projector reads each copy
    afresh from the store)."""
    from datetime import date

    from hubcore.events import SchoolRegistered
    from hubcore.projections import Projector
    from hubcore.reporting import Context, HubInfo, Summary
    from hubcore.store import open_store
    from hubcore.vocabulary import Phase

    store = open_store("memory://")
    for urn in (100001, 100002):
        store.append(
            f"school-{urn}",
            [SchoolRegistered(occurred_on=date(2024, 9, 2), urn=urn, name=f"School {urn}",
                              phase=Phase.PRIMARY, la_code="901", pupils_on_roll=200)],
        )  # fmt: skip
    Projector(store).catch_up()
    projector = Projector(store, lazy=lazy)
    projector.catch_up()
    before = Projector(store).get("coverage").dump()
    seen = []

    def vandal(ctx):
        model = ctx.get("coverage")
        model._roster.clear()
        assert ctx.get("coverage") is model  # one copy per reporter run
        return Summary(title="v", scope=ctx.scope())

    def witness(ctx):
        seen.append(len(ctx.get("coverage")._roster))
        return Summary(title="w", scope=ctx.scope())

    host = PluginHost()
    host.register(
        ReportersPlugin(
            CallableReporter("a-vandal", vandal, projections=("coverage",)),
            CallableReporter("b-witness", witness, projections=("coverage",)),
        ),
        "mutating",
    )
    context = Context(source=projector, academic_year="2024/25", hub=HubInfo("h", "Hub"))
    results = host.run_all(context, ["a-vandal", "b-witness"])
    assert results.errors == {}
    assert seen == [2]
    assert projector.get("coverage").dump() == before
    assert len(projector.get("coverage")._roster) == 2
