"""Helpers for plugin tests: fake plugins, contexts and installable dist-info folders."""

from __future__ import annotations

import importlib
import textwrap
from pathlib import Path
from typing import Any

import attrs

from hubcore.reporting import Context, HubInfo, Metric, Summary


@attrs.define
class FakeSource:
    """A read-model source with fixed read models (stands in for the Projector)."""

    models: dict[str, Any]

    def get(self, name: str) -> Any:
        return self.models[name]


def context(**models: Any) -> Context:
    return Context(
        source=FakeSource(models or {"schools": ["100001", "100002", "100003"]}),
        academic_year="2025/26",
        hub=HubInfo("north-shire", "North Shire Music Hub"),
    )


@attrs.frozen
class CountReporter:
    """Counts the schools in the ``schools`` read model."""

    name: str = "school-count"
    title: str = "School count"
    description: str = "How many schools the hub knows."
    projections: tuple[str, ...] = ("schools",)

    def build(self, context: Any) -> Summary:
        schools = context.get("schools")
        return Summary(
            title=self.title,
            scope=context.scope(),
            metrics=[Metric(key="schools", label="Schools", value=len(schools), unit="schools")],
        )


@attrs.frozen
class CallableReporter:
    """A reporter whose build is any function (to make it fail in chosen ways)."""

    name: str
    build_function: Any
    title: str = "Misbehaving"
    description: str = ""
    projections: tuple[str, ...] = ("schools",)

    def build(self, context: Any) -> Any:
        return self.build_function(context)


class ReportersPlugin:
    """A plugin object registering the reporters and renderers it is given."""

    def __init__(self, *reporters: Any, renderers: tuple[Any, ...] = ()) -> None:
        self.reporters = reporters
        self.renderers = renderers

    def hubcore_register_reporters(self, register: Any) -> None:
        for reporter in self.reporters:
            register(reporter)

    def hubcore_register_renderers(self, register: Any) -> None:
        for renderer in self.renderers:
            register(renderer)


GOOD_PLUGIN = """
from hubcore.reporting import Metric, Summary, hookimpl, renderer


class Reporter:
    name = "{prefix}-count"
    title = "Count"
    description = "Counts schools."
    projections = ("schools",)

    def build(self, context):
        return Summary(
            title="Count",
            scope=context.scope(),
            metrics=[Metric(key="n", label="Schools", value=len(context.get("schools")))],
        )


@renderer("{prefix}-upper", media_type="text/plain", suffix=".txt")
def upper(summary):
    return summary.title.upper().encode()


@hookimpl
def hubcore_register_reporters(register):
    register(Reporter())


@hookimpl
def hubcore_register_renderers(register):
    register(upper)
"""

BROKEN_PLUGIN = """
import hubcore_this_module_does_not_exist  # noqa: F401
"""

MISSPELLED_PLUGIN = """
from hubcore.reporting import hookimpl


@hookimpl
def hubcore_register_reporter(register):
    pass
"""


def install(root: Path, dist: str, entry_points: dict[str, str], modules: dict[str, str]) -> None:
    """Write modules and a ``<dist>-1.0.dist-info`` (METADATA + entry_points.txt) under root,
    as ``pip install`` would, so importlib.metadata finds the entry points."""
    for name, code in modules.items():
        (root / f"{name}.py").write_text(textwrap.dedent(code), encoding="utf-8")
    info = root / f"{dist.replace('-', '_')}-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(
        f"Metadata-Version: 2.1\nName: {dist}\nVersion: 1.0\n", encoding="utf-8"
    )
    lines = ["[hubcore]"] + [f"{name} = {target}" for name, target in entry_points.items()]
    (info / "entry_points.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    importlib.invalidate_caches()
