"""Invariants of the ``trends`` and ``comparison`` reports over any valid history."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from hubcore.events import Event
from hubcore.projections import (
    ConversationCadence,
    Coverage,
    ParticipationBreadth,
    Projector,
    Ratio,
    TrainingLedger,
)
from hubcore.reporting import PluginHost, Status, Summary, is_suppressed_marker
from hubcore.testing.strategies import histories
from hubcore.vocabulary import Phase, label

from ._helpers import rows, table
from .conftest import load_host, projector_for, record, runner

HUB = "prop-hub"
YEARS = ("2024/25", "2025/26")
HOST: PluginHost = load_host()
LOGS = histories(schools=(1, 6), years=(1, 2), max_events=60, hub_id=HUB, start_year="2024/25")
BREAKDOWNS = {
    "By local authority": "local authority",
    "By phase": "phase",
    "By FSM band": "FSM band",
}
SHARES = ("coverage", "conversation cadence", "training reach")


def _run(events: list[Event]) -> tuple[Projector, object]:
    projector = projector_for(record(events), HOST)
    return projector, runner(projector, HOST)


def _pct(numerator: float, denominator: float) -> float | None:
    return None if not denominator else round(100 * numerator / denominator, 1)


def _share(ratio: Ratio) -> float | None:
    return _pct(ratio.numerator, ratio.denominator)


@settings(deadline=None)
@given(LOGS, st.sampled_from(YEARS))
def test_every_breakdown_counts_each_open_school_once(events, year):
    projector, run = _run(events)
    s: Summary = run("comparison", year=year)
    coverage = projector.get("coverage")
    assert isinstance(coverage, Coverage)
    open_schools = coverage.open_schools(year)
    for name in BREAKDOWNS:
        assert sum(r["open schools"] for r in rows(s, name)) == len(open_schools), name
    # the whole-hub figures are the read models' own
    cadence, training = projector.get("cadence"), projector.get("training")
    assert isinstance(cadence, ConversationCadence)
    assert isinstance(training, TrainingLedger)
    by_key = {m.key: m for m in s.metrics}
    assert by_key["coverage"].value == _share(coverage.rate(year))
    assert by_key["cadence"].value == _share(cadence.challenged_share(year))
    assert by_key["training-reach"].value == _share(training.reach(year))
    # and the hub's participation rate is the participation report's, suppressed alike
    own = {m.key: m for m in run("participation", year=year).metrics}["participation-rate"]
    mine = by_key["participation-rate"]
    assert (mine.value, mine.suppressed) == (own.value, own.suppressed)


@settings(deadline=None)
@given(LOGS, st.sampled_from(YEARS))
def test_la_and_phase_rows_equal_the_read_models_filtered_answers(events, year):
    projector, run = _run(events)
    s: Summary = run("comparison", year=year)
    coverage, cadence = projector.get("coverage"), projector.get("cadence")
    training, participation = projector.get("training"), projector.get("participation")
    assert isinstance(participation, ParticipationBreadth)
    phases = {label(p): p for p in Phase}
    for name, column in (("By local authority", "local authority"), ("By phase", "phase")):
        for r in rows(s, name):
            where = (
                {"la": r[column]} if column == "local authority" else {"phase": phases[r[column]]}
            )
            assert r["coverage"] == _share(coverage.rate(year, **where))
            assert r["conversation cadence"] == _share(cadence.challenged_share(year, **where))
            assert r["training reach"] == _share(training.reach(year, **where))
            totals = participation.totals(year, **where)
            rate = participation.rate(year, **where)
            if not totals.records:
                assert (r["participations"], r["participation rate"]) == (None, None)
            elif 0 < totals.pupils < 5:
                assert (r["participations"], r["participation rate"]) == ("<5", None)
                assert s.suppressed
            else:
                assert r["participations"] == totals.pupils
                assert r["participation rate"] == _pct(rate.numerator, rate.denominator)


@settings(deadline=None)
@given(LOGS, st.sampled_from(YEARS))
def test_no_small_participation_count_is_shown(events, year):
    _, run = _run(events)
    s: Summary = run("comparison", year=year)
    for t in s.tables:
        if "participations" not in t.columns:
            continue
        for r in t.rows:
            cell = dict(zip(t.columns, r, strict=True))["participations"]
            if is_suppressed_marker(cell):
                assert s.suppressed
            elif cell is not None:
                assert cell == 0 or cell >= 5
    for m in s.metrics:
        if m.value is None and not m.suppressed:
            assert m.status is Status.NO_DATA


@settings(deadline=None, max_examples=40)
@given(LOGS)
def test_each_trend_year_is_that_years_self_evaluation(events):
    _, run = _run(events)
    trends: Summary = run("trends", year=YEARS[-1])
    t = table(trends, "Self-evaluation by year")
    years = [c for c in t.columns[3:] if not c.endswith(" status")]
    assert years[-1] == YEARS[-1]
    found = {r[0]: dict(zip(t.columns, r, strict=True)) for r in t.rows}
    for year in years:
        for m in run("self-evaluation", year=year).metrics:
            cells = found[m.label.replace(year, "the year")]
            assert cells[year] == m.value, (year, m.key)
            assert (cells[f"{year} status"] == "no data") == (m.status is Status.NO_DATA)
