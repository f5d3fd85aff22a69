"""The ``trends`` report: each year's figure is that year's self-evaluation figure.

Checked against the hand-worked history of ``_history.py`` (two recorded years, 2024/25 and
2025/26) and against a generated demo hub (three years, through ``hubcore.build_report``).
"""

from __future__ import annotations

import itertools
from datetime import date

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

import hubcore
from hubcore.calendar import academic_year_of, next_academic_year
from hubcore.cli import cli
from hubcore.projections import LogSpan
from hubcore.reporting import Status, Summary
from hubcore.store import open_store
from hubcore_trends import TrendsReporter, recorded_years

from ._helpers import metric, rows, table
from ._history import YEAR, history
from .conftest import record

TABLE = "Self-evaluation by year"
EARLIER = "2024/25"


def _by_year(summary: Summary, years: list[str]) -> dict[str, dict[str, tuple[object, str]]]:
    """year -> metric label -> (value, status word), read back out of the trends table."""
    return {y: {r["metric"]: (r[y], r[f"{y} status"]) for r in rows(summary, TABLE)} for y in years}


def _same_as_self_evaluation(trends: Summary, own: dict[str, Summary]) -> None:
    years = sorted(own)
    found = _by_year(trends, years)
    for year, summary in own.items():
        for m in summary.metrics:
            label = m.label.replace(year, "the year")
            status = "no data" if m.status is Status.NO_DATA else m.status.value
            status = "not judged" if m.status is Status.NONE else status
            assert found[year][label] == (m.value, status), (year, m.key)
        series = {s.name: s for s in trends.series}
        for m in summary.metrics:
            points = {p.label: p.value for p in series[m.label.replace(year, "the year")].points}
            assert points[year] == m.value, (year, m.key)


def test_the_years_run_from_the_first_event_to_the_report_year(run):
    trends = run("trends")
    assert table(trends, TABLE).columns == (
        "metric", "unit", f"target {YEAR}", EARLIER, f"{EARLIER} status", YEAR, f"{YEAR} status",
    )  # fmt: skip
    # the hub was established on 1 Sep 2024: nothing before 2024/25
    assert run("trends", year=EARLIER).tables[0].columns[3:] == (EARLIER, f"{EARLIER} status")


def test_each_year_equals_that_years_self_evaluation(run):
    own = {y: run("self-evaluation", year=y) for y in (EARLIER, YEAR)}
    _same_as_self_evaluation(run("trends"), own)


def test_hand_worked_figures_of_both_years(run):
    found = _by_year(run("trends"), [EARLIER, YEAR])
    coverage = "D3 Schools engaged (coverage)"
    # 2025/26 (see test_self_evaluation): A and B engaged of 4 open schools
    assert found[YEAR][coverage] == (50.0, "red")
    # 2024/25: five schools open (Elm closed in July 2025), none engaged before Sep 2025:
    # a real 0%, red (there is data: five open schools)
    assert found[EARLIER][coverage] == (0.0, "red")
    # D1: plan v1 (published 5 Sep 2024) covers 2024/25, v2 covers 2025/26: green both years
    plan = "D1 Music education plan published covering the year"
    assert found[EARLIER][plan] == (1, "green")
    assert found[YEAR][plan] == (1, "green")
    # no pair of conversations in 2024/25: no data, never 0
    assert found[EARLIER]["D4 Median days between a school's conversations"] == (None, "no data")
    assert found[YEAR]["D4 Median days between a school's conversations"] == (119.0, "not judged")


def test_the_headline_metrics_are_the_report_years_with_the_change(run):
    trends, own = run("trends"), run("self-evaluation")
    for m in own.metrics:
        t = metric(trends, m.key)
        assert (t.value, t.status, t.target, t.rule) == (m.value, m.status, m.target, m.rule)
        assert t.note.endswith(m.note)
        assert t.evidence_table == ""
    assert metric(trends, "d4-median-days").note.startswith("No figure for 2024/25")


def test_one_line_chart_per_figure_with_its_target(run):
    trends = run("trends")
    assert len(trends.series) == len(trends.metrics)
    coverage = next(s for s in trends.series if s.name.startswith("D3"))
    assert (coverage.unit, coverage.target) == ("%", 100)
    assert [p.label for p in coverage.points] == [EARLIER, YEAR]


def test_the_html_draws_the_line_charts(run, host):
    html = host.render(run("trends"), "html").decode()
    assert html.count("<svg") >= len(run("trends").series)


def test_a_year_with_no_event_before_it_has_only_itself():
    assert recorded_years(LogSpan(), "2030/31") == ["2030/31"]


DAYS = st.dates(date(2000, 1, 1), date(2060, 12, 31))


@given(DAYS, DAYS)
def test_recorded_years_are_consecutive_and_end_at_the_report_year(first, report_day):
    span = LogSpan()
    span._schools[1] = [first.toordinal(), first.toordinal()]
    year = academic_year_of(report_day)
    years = recorded_years(span, year)
    assert years[-1] == year
    assert years[0] == min(academic_year_of(first), year)
    assert all(next_academic_year(a) == b for a, b in itertools.pairwise(years))


def test_the_reporter_takes_the_self_evaluations_read_models():
    reporter = TrendsReporter()
    assert set(reporter.base.projections) < set(reporter.projections)
    assert "log_span" in reporter.projections


# -- on a generated demo hub, through the public one-call API ----------------------------


@pytest.fixture(scope="module")
def demo_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    folder = tmp_path_factory.mktemp("trends-demo")
    url = f"sqlite:///{folder / 'hub.sqlite'}"
    args = ["--store", url, "demo", "--schools", "30", "--years", "3", "--out", str(folder)]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    return url


def test_on_the_demo_each_year_equals_that_years_self_evaluation(demo_url):
    with open_store(demo_url) as store:
        session = hubcore.ReportSession(store)
        trends = session.build("trends")
        years = [c for c in table(trends, TABLE).columns[3:] if not c.endswith("status")]
        assert len(years) >= 3
        own = {y: session.build("self-evaluation", year=y) for y in years}
    _same_as_self_evaluation(trends, own)


def test_on_the_demo_as_of_reaches_every_year(demo_url):
    with open_store(demo_url) as store:
        session = hubcore.ReportSession(store)
        last = session.default_year()
        day = date.today()
        trends = session.build("trends", year=last, as_of=day)
        years = [c for c in table(trends, TABLE).columns[3:] if not c.endswith("status")]
        own = {y: session.build("self-evaluation", year=y, as_of=day) for y in years}
    _same_as_self_evaluation(trends, own)


def test_the_change_names_its_unit(run):
    trends = run("trends")
    # D3: 0% in 2024/25, 50% in 2025/26
    assert metric(trends, "d3-coverage").note.startswith("Up 50 points since 2024/25. ")
    # D10: no pair in 2024/25, one in 2025/26
    assert metric(trends, "d10-school-to-school").note.startswith("Up 1 pair since 2024/25. ")
    # D1: a plan covering each year
    assert metric(trends, "d1-plan").note.startswith("Unchanged since 2024/25. ")


def test_without_the_self_evaluation_plugin_it_says_so():
    from hubcore import ReporterError
    from hubcore.projections import Projector, builtin_projections
    from hubcore.reporting import Context, HubInfo, PluginHost

    host = PluginHost()
    assert host.load_entrypoints(environ={"HUBCORE_LOAD_PLUGINS": "trends"}) == ["trends"]
    projector = Projector(record(history()), builtin_projections())
    projector.catch_up()
    context = Context(source=projector, academic_year=YEAR, hub=HubInfo("h", "Hub"))
    with pytest.raises(ReporterError, match="needs the self-evaluation plugin loaded"):
        host.run_report("trends", context, timeout=None)
