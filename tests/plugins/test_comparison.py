"""The ``comparison`` report against the hand-worked history of ``_history.py`` (2025/26).

Open in 2025/26: A (primary, LA 901, FSM 30%, roll 200), B (primary, 901, 20%, 300),
C (secondary, 902, 10%, 1,000), D (special, 902, 50%, 60); Elm closed before the year.
Engaged at the year's end: A, B. Challenging or review conversation: A, C. Training: A, C.
Participations: A 93, B 32, C 33, D none recorded.
"""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hubcore.events import ParticipationRecorded, SchoolRegistered
from hubcore.projections import Coverage, ParticipationBreadth, TrainingLedger
from hubcore.reporting import Status
from hubcore.vocabulary import ParticipationProgramme, Phase
from hubcore_comparison import FSM_BANDS, NO_FSM_BAND, RULES, band_of

from ._helpers import metric, row, rows
from ._history import YEAR, history
from .conftest import projector_for, record, runner

COLUMNS = (
    "open schools", "coverage", "conversation cadence", "training reach", "participations",
    "pupils on roll", "participation rate",
)  # fmt: skip


def _cells(found: dict[str, object]) -> tuple[object, ...]:
    return tuple(found[c] for c in COLUMNS)


def test_by_local_authority(run):
    s = run("comparison")
    # 901: A, B -> engaged 2/2, challenged A 1/2, trained A 1/2; (93 + 32) / (200 + 300)
    assert _cells(row(s, "By local authority", **{"local authority": "901"})) == (
        2, 100.0, 50.0, 50.0, 125, 500, 25.0,
    )  # fmt: skip
    # 902: C, D -> engaged 0/2, challenged C, trained C; 33 / (1,000 + 60) = 3.1%
    assert _cells(row(s, "By local authority", **{"local authority": "902"})) == (
        2, 0.0, 50.0, 50.0, 33, 1060, 3.1,
    )  # fmt: skip


def test_by_phase_no_participation_is_no_data_not_zero(run):
    s = run("comparison")
    assert [r["phase"] for r in rows(s, "By phase")] == ["Primary", "Secondary", "Special"]
    assert _cells(row(s, "By phase", phase="Secondary")) == (1, 0.0, 100.0, 100.0, 33, 1000, 3.3)
    # Dale Special: nothing recorded -> empty cells, never 0
    assert _cells(row(s, "By phase", phase="Special")) == (1, 0.0, 0.0, 0.0, None, 60, None)


def test_by_fsm_band(run):
    s = run("comparison")
    found = {r["FSM band"]: _cells(r) for r in rows(s, "By FSM band")}
    assert found == {
        "under 15%": (1, 0.0, 100.0, 100.0, 33, 1000, 3.3),  # C, 10%
        "15-25%": (1, 100.0, 0.0, 0.0, 32, 300, 10.7),  # B, 20%
        "25-35%": (1, 100.0, 100.0, 100.0, 93, 200, 46.5),  # A, 30%
        "35% and over": (1, 0.0, 0.0, 0.0, None, 60, None),  # D, 50%
    }


def test_whole_hub_figures_and_the_high_fsm_gaps(run):
    s = run("comparison")
    assert [metric(s, k).value for k in ("coverage", "cadence", "training-reach")] == [50.0] * 3
    assert metric(s, "participation-rate").value == 10.1  # 158 / 1,560
    # D (the only school at 35% and over) has 0% of each against 50% for the hub
    for key in ("coverage", "cadence", "training-reach"):
        gap = metric(s, f"{key}-fsm-gap")
        assert (gap.value, gap.unit, gap.evidence) == (-50.0, "points", 1)
    # D has no participation recorded: the gap is no data, never 0 or -10.1
    gap = metric(s, "participation-rate-fsm-gap")
    assert (gap.value, gap.status) == (None, Status.NO_DATA)


def test_every_figure_states_its_rule(run):
    s = run("comparison")
    for m in s.metrics:
        key = m.key.removesuffix("-fsm-gap")
        assert RULES[key] in m.note
        if m.key.endswith("-fsm-gap"):
            assert RULES["gap"] in m.note


def test_la_and_phase_rows_agree_with_the_read_models(projector, run):
    s = run("comparison")
    coverage = projector.get("coverage")
    training = projector.get("training")
    participation = projector.get("participation")
    assert isinstance(coverage, Coverage)
    assert isinstance(training, TrainingLedger)
    assert isinstance(participation, ParticipationBreadth)
    for r in rows(s, "By local authority"):
        la = r["local authority"]
        assert r["coverage"] == round(coverage.rate(YEAR, la=la).percent or 0, 1)
        assert r["training reach"] == round(training.reach(YEAR, la=la).percent or 0, 1)
        rate = participation.rate(YEAR, la=la)
        assert (r["participations"], r["pupils on roll"]) == (rate.numerator, rate.denominator)


def test_the_report_is_year_true_for_the_earlier_year(run):
    s = run("comparison", year="2024/25")
    # 2024/25: all five open (Elm closed in July 2025); none engaged or talked to yet;
    # A's whole-class register of 50 pupils for 2024/25
    hub = metric(s, "coverage")
    assert (hub.value, hub.evidence) == (0.0, 5)
    assert metric(s, "participation-rate").value == round(100 * 50 / 1660, 1)


def test_small_counts_are_suppressed_as_the_other_reports_do(host):
    small = [
        SchoolRegistered(
            occurred_on=date(2024, 9, 1), urn=100009, name="Fen Infants", phase=Phase.PRIMARY,
            la_code="903", pupils_on_roll=90, disadvantaged_pct=None,
        ),
        ParticipationRecorded(
            occurred_on=date(2026, 6, 30), urn=100009, academic_year=YEAR,
            programme=ParticipationProgramme.CHOIR, key_stage=1, pupils=3, pupil_premium=0,
            send=0,
        ),
    ]  # fmt: skip
    run = runner(projector_for(record([*history(), *small]), host), host)
    s = run("comparison")
    fen = row(s, "By local authority", **{"local authority": "903"})
    assert (fen["participations"], fen["participation rate"]) == ("<5", None)
    unknown = row(s, "By FSM band", **{"FSM band": NO_FSM_BAND})
    assert (unknown["participations"], unknown["participation rate"]) == ("<5", None)
    assert s.leaves_hub
    assert s.suppressed
    assert any("no FSM share recorded" in c for c in s.caveats)


def test_the_shared_history_needs_no_suppression(run):
    s = run("comparison")
    assert s.leaves_hub
    assert not s.suppressed


@given(st.floats(0, 100, allow_nan=False))
def test_every_fsm_share_is_in_exactly_one_band(pct):
    holding = [b for b in FSM_BANDS if b.holds(pct)]
    assert len(holding) == 1
    assert band_of(pct) == holding[0].name


@pytest.mark.parametrize(
    ("pct", "band"),
    [(0.0, "under 15%"), (15.0, "15-25%"), (34.9, "25-35%"), (35.0, "35% and over")],
)
def test_a_band_holds_its_lower_bound(pct, band):
    assert band_of(pct) == band
    assert band_of(None) == NO_FSM_BAND


def test_the_fsm_shares_are_charted_in_html(run, host):
    s = run("comparison")
    chart = {r["FSM band"]: r for r in rows(s, "Shares by FSM band")}
    table_rows = {r["FSM band"]: r for r in rows(s, "By FSM band")}
    assert list(chart) == list(table_rows)
    for band, r in chart.items():
        for column in ("coverage", "conversation cadence", "training reach"):
            assert r[column] == table_rows[band][column]
    html = host.render(s, "html").decode()
    assert "<svg" in html
