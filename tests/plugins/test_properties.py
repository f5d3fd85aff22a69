"""Invariants of the four reports over any valid hub history (hypothesis)."""

from __future__ import annotations

from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from hubcore.calendar import academic_year_of
from hubcore.events import Event
from hubcore.projections import (
    TUITION,
    ConversationCadence,
    ParticipationBreadth,
    Projector,
    PupilVoice,
)
from hubcore.reporting import PluginHost, Status, Summary, is_suppressed_marker
from hubcore.testing.strategies import histories
from hubcore.vocabulary import ParticipationProgramme
from hubcore_data_return import PROJECTION_NAME as RETURN_SOURCES
from hubcore_data_return import SCHOOLS_PROJECTION, ReturnSources, SchoolCounts
from hubcore_participation import PROJECTION_NAME as PARTICIPATION_SOURCES
from hubcore_participation import ParticipationSources
from hubcore_pupil_voice import theme_key

from ._helpers import metric, rows, table
from .conftest import load_host, projector_for, record, runner

HUB = "prop-hub"
YEARS = ("2024/25", "2025/26")
HOST: PluginHost = load_host()
LOGS = histories(schools=(1, 6), years=(1, 2), max_events=60, hub_id=HUB, start_year="2024/25")
PUPIL_COLUMNS = {"pupils on roll", "participations", "pupil premium", "SEND", "fee remission"}


def _reports(events: list[Event], year: str) -> tuple[Projector, dict[str, Summary]]:
    projector = projector_for(record(events), HOST)
    run = runner(projector, HOST)
    return projector, {
        name: run(name, year=year)
        for name in ("ofsted", "self-evaluation", "participation", "data-return", "pupil-voice")
    }


def _no_small_count(summary: Summary, columns: set[str] | None) -> None:
    for t in summary.tables:
        for r in t.rows:
            for column, cell in zip(t.columns, r, strict=True):
                if is_suppressed_marker(cell):
                    assert summary.suppressed, (t.name, column)
                counted = columns is None or column in columns
                if counted and isinstance(cell, int) and not isinstance(cell, bool):
                    assert cell == 0 or cell >= 5, (t.name, column, r)


@given(LOGS, st.sampled_from(YEARS))
def test_reports_are_consistent_on_any_history(events, year):
    projector, s = _reports(events, year)
    for summary in s.values():
        for fmt in ("json", "csv", "html"):
            assert HOST.render(summary, fmt)
        for m in summary.metrics:
            # shares lie in [0, 100]; participation rates do not (participations, not pupils)
            if m.unit == "%" and m.value is not None and m.key != "participation-rate":
                assert 0 <= m.value <= 100, m

    # ofsted: five answers per school; the green share counts the green cells
    ofsted = s["ofsted"]
    matrix = table(ofsted, "Status by school").rows
    assert len(table(ofsted, "Evidence by school and question").rows) == 5 * len(matrix)
    for i, q in enumerate(("Q1", "Q2", "Q3", "Q4", "Q5"), start=2):
        greens = sum(1 for r in matrix if r[i] == "green")
        expected = None if not matrix else round(100 * greens / len(matrix), 1)
        assert metric(ofsted, f"{q.lower()}-green").value == expected
        reds = {r[0] for r in matrix if r[i] == "red"}
        red_gaps = {
            g["urn"]
            for g in rows(ofsted, "Gaps to close before inspection")
            if g["question"] == q and g["priority"] == "red"
        }
        assert reds == red_gaps

    # self-evaluation: the monthly series adds up to the conversations held
    (series,) = s["self-evaluation"].series
    cadence = projector.get("cadence", ConversationCadence)
    assert sum(p.value or 0 for p in series.points) == cadence.conversations_held(year)
    assert {m.key.split("-")[0] for m in s["self-evaluation"].metrics} == {
        f"d{i}" for i in range(1, 13)
    }

    # participation and data return leave the hub: no pupil count from 1 to 4 shows
    _no_small_count(s["participation"], PUPIL_COLUMNS)
    assert s["participation"].leaves_hub
    dr = s["data-return"]
    assert dr.leaves_hub
    totals = {r["figure"]: r for r in rows(dr, "Totals")}
    for figure, r in totals.items():
        if figure.startswith(("tuition", "whole_class.", "ensemble", "choir")):
            for column in ("numerator", "denominator"):
                cell = r[column]
                if isinstance(cell, int) and figure not in (
                    "whole_class.schools",
                    "whole_class.terms",
                ):
                    assert cell == 0 or cell >= 5, (figure, column, cell)
        if is_suppressed_marker(r["numerator"]) or is_suppressed_marker(r["denominator"]):
            assert r["percentage"] is None
            assert dr.suppressed

    # data return: the totals agree with the schools table
    schools = rows(dr, "Schools")
    assert metric(dr, "open-schools").value == len(schools)
    for figure, column in (
        ("schools.engaged", "engaged"),
        ("whole_class.schools", "whole-class programme"),
        ("cpd.schools", "cpd"),
        ("plans.hub_supported", "plan support"),
    ):
        assert totals[figure]["numerator"] == sum(1 for r in schools if r[column] == "y")
        assert totals[figure]["denominator"] == len(schools)
    phase_sum = sum(r["numerator"] for f, r in totals.items() if f.startswith("schools.engaged."))
    assert phase_sum == totals["schools.engaged"]["numerator"]

    # pupil voice leaves the hub: no pupil count from 1 to 4 shows; its respondents are the
    # built-in read model's (every school that gathered any was open that year), and the
    # phase table adds up to them
    voice = s["pupil-voice"]
    assert voice.leaves_hub
    _no_small_count(voice, {"respondents", "young people"})
    respondents = projector.get("pupil_voice", PupilVoice).respondents(year)
    shown = metric(voice, "respondents")
    assert shown.value == (None if respondents < 5 else respondents)
    if respondents >= 5:
        by_phase = [r["respondents"] for r in rows(voice, "By phase")]
        if "<5" not in by_phase:
            assert sum(n or 0 for n in by_phase) == respondents
    # each theme's gatherings and schools add up over the phases (a school has one phase)
    per_phase: dict[str, list[int]] = {}
    for r in rows(voice, "Themes by phase"):
        sums = per_phase.setdefault(theme_key(r["theme"]), [0, 0])
        sums[0] += r["gatherings"]
        sums[1] += r["schools"]
    assert per_phase == {
        theme_key(r["theme"]): [r["gatherings"], r["schools"]] for r in rows(voice, "Themes")
    }


@given(LOGS, st.sampled_from(YEARS))
def test_plugin_sums_agree_with_the_participation_read_model(events, year):
    # the participation and data-return plugins add up per-school counts in their own
    # read models rather than asking ParticipationBreadth once per school: same events,
    # same sums, for every school (registered or not) and every year
    projector = projector_for(record(events), HOST)
    model = projector.get("participation", ParticipationBreadth)
    sums = projector.get(PARTICIPATION_SOURCES, ParticipationSources).by_school(year)
    whole_class = projector.get(RETURN_SOURCES, ReturnSources).whole_class_schools(year)
    schools = projector.get(SCHOOLS_PROJECTION, SchoolCounts)
    wcet = ParticipationProgramme.WHOLE_CLASS_ENSEMBLE
    urns = {e.urn for e in events if hasattr(e, "urn")}
    assert set(sums) <= urns
    assert whole_class <= urns
    for urn in urns:
        t = model.totals(year, urn=urn)
        assert sums.get(urn, (0, 0, 0)) == (t.pupils, t.pupil_premium, t.send), urn
        assert (urn in sums) == (t.records > 0), urn
        assert (urn in whole_class) == (model.totals(year, wcet, urn=urn).pupils > 0), urn
        # the per-school return's counts are the read model's per-school totals too
        counts = schools.counts(urn, year) or {}
        tuition = [model.totals(year, p, urn=urn) for p in sorted(TUITION)]
        assert counts.get("participations", 0) == t.pupils, urn
        assert counts.get("whole_class_pupils", 0) == model.totals(year, wcet, urn=urn).pupils
        assert counts.get("tuition_pupils", 0) == sum(x.pupils for x in tuition), urn
        assert counts.get("tuition_send", 0) == sum(x.send for x in tuition), urn


@given(LOGS, st.integers(0, 100))
def test_plugin_read_models_survive_a_restart_and_incremental_catch_up(events, cut):
    # fold part of the log, save, restart a Projector on the same store, fold the rest:
    # the reports equal those from one fresh fold (plugin read models dump and load)
    split = min(len(events), cut)
    store = record(events[:split])
    first = projector_for(store, HOST)
    del first
    from hubcore.domain import Recorder

    from ._history import TODAY

    if events[split:]:
        Recorder(store, clock=lambda: TODAY).record_many(events[split:])
    resumed = projector_for(store, HOST)
    fresh = projector_for(record(events), HOST)
    year = academic_year_of(max((e.occurred_on for e in events), default=date(2025, 1, 1)))
    for name in ("self-evaluation", "participation", "data-return"):
        a = runner(resumed, HOST)(name, year=year)
        b = runner(fresh, HOST)(name, year=year)
        assert a == b, name


def test_red_status_exists_for_a_school_with_nothing_recorded():
    # a school registered and nothing else: Q1 red (not engaged), the rest amber
    from hubcore.events import HubEstablished, SchoolRegistered
    from hubcore.vocabulary import Phase

    events = [
        HubEstablished(
            occurred_on=date(2025, 9, 1), hub_id=HUB, name="Hub", lead_organisation="Org",
            la_codes={"901"},
        ),
        SchoolRegistered(
            occurred_on=date(2025, 9, 1), urn=123456, name="Lone School", phase=Phase.PRIMARY,
            la_code="901", pupils_on_roll=3, disadvantaged_pct=None,
        ),
    ]  # fmt: skip
    _, s = _reports(events, "2025/26")
    assert table(s["ofsted"], "Status by school").rows == (
        ("123456", "Lone School", "red", "amber", "amber", "amber", "amber"),
    )
    # a roll of 3 pupils is itself a count under 5
    (school,) = rows(s["participation"], "Participation by school")
    assert school["pupils on roll"] == "<5"
    assert s["participation"].suppressed
    assert metric(s["self-evaluation"], "d3-coverage").status is Status.RED
