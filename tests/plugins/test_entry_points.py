"""The first-party plugins load through the real ``hubcore`` entry points, and use only
hubcore's public API, as a third-party plugin would."""

from __future__ import annotations

import ast
import importlib
import importlib.metadata
from pathlib import Path

import pytest

from hubcore.reporting import PluginHost

PLUGINS = {
    "ofsted": ("hubcore_ofsted", "ofsted", ()),
    "self-evaluation": (
        "hubcore_self_evaluation",
        "self-evaluation",
        ("self-evaluation.hub-record",),
    ),
    "participation": ("hubcore_participation", "participation", ("participation.sources",)),
    "data-return": ("hubcore_data_return", "data-return", ("data-return.sources",)),
    "trends": ("hubcore_trends", "trends", ()),
    "comparison": ("hubcore_comparison", "comparison", ()),
    "school": ("hubcore_school", "school", ("school.story",)),
    "pupil-voice": ("hubcore_pupil_voice", "pupil-voice", ("pupil-voice.record",)),
}
MORE_REPORTERS = {"data-return": ("data-return-schools", "data-return.schools")}
"""A plugin's further reporter, with the read model of its own that it reads."""
# a first-party plugin built on another's report imports that plugin's public names only
BUILT_ON = {"trends": "hubcore_self_evaluation", "school": "hubcore_ofsted"}
PUBLIC_MODULES = (
    "hubcore",
    "hubcore.events",
    "hubcore.vocabulary",
    "hubcore.calendar",
    "hubcore.projections",
    "hubcore.reporting",
)


def test_entry_points_are_installed_with_the_plugin_names():
    points = {ep.name: ep.value for ep in importlib.metadata.entry_points(group="hubcore")}
    for name, (module, _, _) in PLUGINS.items():
        assert points.get(name) == module


def test_host_loads_all_of_them_by_plugin_name(host: PluginHost):
    plugins = {p.name: p for p in host.plugins()}
    reporters = {r.name: r for r in host.reporters()}
    projections = {p.name: p for p in host.projections()}
    for name, (module, reporter, extra) in PLUGINS.items():
        assert plugins[name].source == "entry point"
        assert plugins[name].entry_point == module
        assert plugins[name].distribution == "hubcore"
        assert "hubcore_register_reporters" in plugins[name].hooks
        assert reporters[reporter].plugin == name
        assert reporters[reporter].title
        for projection in extra:
            assert projections[projection].plugin == name
            assert projection in reporters[reporter].projections
    for name, (reporter, projection) in MORE_REPORTERS.items():
        assert reporters[reporter].plugin == name
        assert projections[projection].plugin == name
        assert projection in reporters[reporter].projections


def test_each_plugin_loads_alone():
    for name, (_, reporter, _) in PLUGINS.items():
        host = PluginHost()
        assert host.load_entrypoints(environ={"HUBCORE_LOAD_PLUGINS": name}) == [name]
        more = MORE_REPORTERS.get(name, ())[:1]
        assert [r.name for r in host.reporters()] == [reporter, *more]
        assert not host.load_errors


def test_disabling_one_plugin_leaves_the_others():
    host = PluginHost()
    loaded = host.load_entrypoints(environ={"HUBCORE_DISABLE_PLUGINS": "ofsted"})
    assert "ofsted" not in loaded
    assert sorted(loaded) == sorted(set(PLUGINS) - {"ofsted"})


def _imports(path: Path) -> list[tuple[str, list[str]]]:
    found: list[tuple[str, list[str]]] = []
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append((node.module, [a.name for a in node.names]))
        elif isinstance(node, ast.Import):
            found.extend((a.name, []) for a in node.names)
    return found


@pytest.mark.parametrize("plugin", sorted(PLUGINS))
def test_plugins_import_only_hubcores_public_api(plugin: str):
    package = importlib.import_module(PLUGINS[plugin][0])
    assert package.__file__ is not None
    files = sorted(Path(package.__file__).parent.glob("*.py"))
    assert files
    for path in files:
        for module, names in _imports(path):
            root = module.split(".")[0]
            if root == BUILT_ON.get(plugin):
                assert module == root, f"{path.name} imports {module}, not {root}"
                public = importlib.import_module(root).__all__
                assert all(n in public for n in names), f"{path.name}: {names} of {root}"
                continue
            if root != "hubcore":
                assert root in {
                    "__future__",
                    "attrs",
                    "collections",
                    "datetime",
                    "math",
                    "typing",
                } or (root == PLUGINS[plugin][0]), f"{path.name} imports {module}"
                continue
            assert module in PUBLIC_MODULES, f"{path.name} imports private {module}"
            public = importlib.import_module(module).__all__
            for name in names:
                assert name in public, f"{path.name} imports {name} not in {module}.__all__"
