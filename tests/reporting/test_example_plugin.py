"""The example plugin in docs/examples runs as documented: found through the entry points
its own pyproject.toml declares (installed here with a hand-written dist-info folder)."""

from __future__ import annotations

import sys
import tomllib
from datetime import date
from pathlib import Path

import attrs
import pytest
from plugin_kit import FakeSource, install

from hubcore.reporting import Context, HubInfo, PluginHost, Status, render_html

EXAMPLE = Path(__file__).resolve().parents[2] / "docs" / "examples" / "hubcore_example_plugin"


@attrs.frozen
class Totals:
    sessions: int
    hours: float
    staff_trained: int


class FakeLedger:
    """Duck-types the ``training`` read model's ``by_topic(year)``."""

    def by_topic(self, year):
        assert year == "2025/26"
        return {"singing": Totals(12, 30.0, 40), "assessment": Totals(20, 410.5, 55)}


@pytest.fixture
def host(tmp_path, monkeypatch):
    project = tomllib.loads((EXAMPLE / "pyproject.toml").read_text(encoding="utf-8"))
    entry_points = project["project"]["entry-points"]["hubcore"]
    assert entry_points == {"example": "hubcore_example_plugin"}
    monkeypatch.syspath_prepend(str(EXAMPLE))
    monkeypatch.syspath_prepend(str(tmp_path))
    install(tmp_path, project["project"]["name"], entry_points, {})
    host = PluginHost()
    loaded = host.load_entrypoints(environ={"HUBCORE_LOAD_PLUGINS": "example"})
    assert loaded == ["example"]
    yield host
    for name in [m for m in sys.modules if m.startswith("hubcore_example_plugin")]:
        monkeypatch.delitem(sys.modules, name)


def _context(source) -> Context:
    return Context(
        source=source, academic_year="2025/26", hub=HubInfo("north-shire", "North Shire")
    )


def test_example_plugin_registers_its_report_and_format(host):
    assert host.load_errors == ()
    info = host.reporter("training-hours")
    assert (info.plugin, info.projections) == ("example", ("training",))
    assert host.renderer("tsv").plugin == "example"
    plugin = next(p for p in host.plugins() if p.name == "example")
    assert plugin.distribution == "hubcore-example-plugin"
    assert plugin.hooks == ("hubcore_register_renderers", "hubcore_register_reporters")


def test_example_report_builds_and_renders(host):
    summary = host.run_report("training-hours", _context(FakeSource({"training": FakeLedger()})))
    hours = summary.metrics[0]
    assert hours.value == 440.5
    assert hours.status is Status.AMBER  # target 500, amber within 100
    assert hours.evidence == 32
    assert summary.tables[0].rows[0] == ("assessment", 410.5, 55)
    tsv = host.render(summary, "tsv").decode("utf-8").splitlines()
    assert tsv[0] == "key\tlabel\tvalue\tunit\ttarget\tstatus"
    assert (
        tsv[1] == "training-hours\tTraining hours delivered to schools\t440.5\thours\t500.0\tamber"
    )
    assert b'class="chart bar-chart"' in host.render(summary, "html")


def test_example_report_on_a_real_projector(host):
    """End to end: events in a store, the Projector's ``training`` read model, the report."""
    from hubcore.events import SchoolRegistered, TrainingDelivered
    from hubcore.projections import Projector
    from hubcore.store import open_store
    from hubcore.vocabulary import DeliveredBy, Phase, TrainingFormat, TrainingTopic

    with open_store("memory://") as store:
        store.append(
            "school-100001",
            [
                SchoolRegistered(
                    urn=100001,
                    occurred_on=date(2025, 9, 1),
                    name="Oakfield Primary",
                    phase=Phase.PRIMARY,
                    la_code="901",
                    pupils_on_roll=300,
                ),
                TrainingDelivered(
                    urn=100001,
                    occurred_on=date(2025, 10, 6),
                    topic=TrainingTopic.SINGING,
                    format=TrainingFormat.CPD_SESSION,
                    hours=2.5,
                    staff_trained=6,
                    delivered_by=DeliveredBy.HUB_STAFF,
                ),
            ],
        )
        projector = Projector(store)
        projector.catch_up()
        summary = host.run_report("training-hours", _context(projector))
    assert summary.metrics[0].value == 2.5
    assert summary.metrics[1].value == 6
    assert render_html(summary).startswith(b"<!doctype html>")
