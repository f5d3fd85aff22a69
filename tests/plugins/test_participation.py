"""The ``participation`` report against the hand-worked history of ``_history.py``."""

from __future__ import annotations

from hubcore.reporting import Status
from hubcore_participation import ParticipationReporter

from ._helpers import metric, row, table
from ._history import YEAR, A, B, C, D

# Participations 2025/26 (see _history.py):
#   A 93 (pp 30, SEND 9) of roll 200; B 32 (pp 3, SEND 3) of 300; C 33 (pp 2, SEND 1) of
#   1,000; D none of 60. Hub: 158 of 1,560 on roll.
# Disadvantaged index = (pp / participations) / (FSM % / 100), weighted by participations:
#   A (30/93)/0.30 = 1.075; B (3/32)/0.20 = 0.469; C (2/33)/0.10 = 0.606
#   primary (33/125) / ((93*0.3 + 32*0.2)/125) = 33/34.3 = 0.962
#   hub 35 / (27.9 + 6.4 + 3.3) = 35/37.6 = 0.931
# SEND index: no school records a SEND share and Dale Special takes no part, so every school
#   taking part uses the national 18.4%: hub (13/158)/0.184 = 0.447; A (9/93)/0.184 = 0.526


def test_headline_metrics(run):
    s = run("participation")
    assert metric(s, "participations").value == 158
    assert metric(s, "participation-rate").value == 10.1  # 158 / 1560
    d = metric(s, "disadvantaged-index")
    assert (d.value, d.status, d.target) == (0.93, Status.AMBER, 1.0)
    send = metric(s, "send-index")
    assert (send.value, send.status) == (0.45, Status.RED)
    # fee remission 2 + 3 over paid tuition 8 + 12 + 3 = 23
    assert metric(s, "remission-share").value == 21.7
    # continuation: A's 7 continuing / A's 50 whole-class pupils of 2024/25
    cont = metric(s, "continuation")
    assert (cont.value, cont.target, cont.status) == (14.0, 30.0, Status.RED)
    # two schools (B, C) below 0.8, of three with data: red (amber only up to 0.3)
    flagged = metric(s, "schools-under-represented")
    assert (flagged.value, flagged.status) == (2, Status.RED)


def test_pupil_voice_and_network(run):
    s = run("participation")
    assert metric(s, "pupil-voice-schools").value == 25.0  # A of 4 open schools
    assert metric(s, "pupil-voice-evaluations").value == 100.0  # 1 of 1
    assert metric(s, "pupil-voice-respondents").value == 30
    assert metric(s, "partners").value == 3
    assert metric(s, "school-to-school-pairs").value == 1
    partners = dict(table(s, "Partners by kind").rows)  # type: ignore[arg-type]
    assert partners == {
        "music_organisation": 1, "practitioner": 0, "arts_venue": 1, "school_network": 0,
        "youth_voice": 1,
    }  # fmt: skip


def test_by_school_with_small_numbers_suppressed(run):
    s = run("participation")
    a = row(s, "Participation by school", urn=str(A))
    assert (a["participations"], a["pupil premium"], a["SEND"]) == (93, 30, 9)
    assert a["participation rate"] == 46.5  # 93 / 200
    assert (a["disadvantaged index"], a["SEND index"], a["under-represented"]) == (
        1.08, 0.53, False,
    )  # fmt: skip
    b = row(s, "Participation by school", urn=str(B))
    # pp 3 and SEND 3 are under 5: shown as "<5", and the indices resting on them withheld
    assert (b["participations"], b["pupil premium"], b["SEND"]) == (32, "<5", "<5")
    assert b["participation rate"] == 10.7
    assert (b["disadvantaged index"], b["SEND index"]) == (None, None)
    assert b["under-represented"] is True
    c = row(s, "Participation by school", urn=str(C))
    assert (c["pupil premium"], c["SEND"], c["under-represented"]) == ("<5", "<5", True)
    d = row(s, "Participation by school", urn=str(D))
    assert (d["participations"], d["participation rate"], d["under-represented"]) == (
        0, 0.0, None,
    )  # fmt: skip
    assert "100005" not in [r[0] for r in table(s, "Participation by school").rows]


def test_the_summary_says_suppression_applied(run):
    s = run("participation")
    assert s.leaves_hub
    assert s.suppressed
    assert s.suppression_threshold == 5
    assert s.suppression_note is not None
    assert "<5" in s.suppression_note
    assert "applied" in s.suppression_note


def test_by_phase_and_chart(run):
    s = run("participation")
    chart = table(s, "Participation vs school population by phase")
    assert chart.chart == "bar"
    assert chart.numeric_columns() == (1, 2)
    assert [tuple(r) for r in chart.rows] == [
        ("primary", 125, 500), ("secondary", 33, 1000), ("special", 0, 60),
    ]  # fmt: skip
    primary = row(s, "Representation by phase", phase="primary")
    assert (primary["participation rate"], primary["disadvantaged index"]) == (25.0, 0.96)
    assert primary["under-represented"] is False
    secondary = row(s, "Representation by phase", phase="secondary")
    assert (secondary["participation rate"], secondary["disadvantaged index"]) == (3.3, None)
    assert secondary["under-represented"] is True  # index 0.61, withheld: pp 2 is under 5


def test_by_programme(run):
    s = run("participation")
    wcet = row(s, "Participation by programme", programme="whole_class_ensemble")
    assert (wcet["participations"], wcet["pupil premium"], wcet["SEND"]) == (60, 20, 6)
    assert wcet["disadvantaged index"] == 1.11  # (20/60) / 0.30
    tuition = row(s, "Participation by programme", programme="tuition_individual")
    # B 12 + C 3 = 15; pp 1; SEND 1; remission 3
    assert (tuition["participations"], tuition["pupil premium"], tuition["fee remission"]) == (
        15, "<5", "<5",
    )  # fmt: skip


def test_caveats(run):
    caveats = run("participation").caveats
    assert f"1 of 4 open schools have no participation recorded for {YEAR}." in caveats
    assert any("of 7 participation records" in c and "1 are estimates" in c for c in caveats)
    assert any(
        c.startswith("3 schools taking part have no SEND share recorded")
        and "national average of 18.4%" in c
        for c in caveats
    )


def test_send_share_can_be_set(context):
    s = ParticipationReporter(send_share=0.1).build(context)
    assert metric(s, "send-index").value == 0.82  # (13/158) / 0.10
    assert metric(s, "send-index").status is Status.AMBER


def test_nothing_to_suppress_says_so(run):
    s = run("participation", year="2023/24")  # no participation at all
    assert s.leaves_hub
    assert not s.suppressed
    assert "No figure in this report needed suppressing" in (s.suppression_note or "")


def test_schools_filter_limits_the_per_school_table(run):
    s = run("participation", schools=(str(A), "100005"))
    assert [r[0] for r in table(s, "Participation by school").rows] == [str(A)]
    assert metric(s, "participations").value == 158  # hub-wide figures stay hub-wide
    assert any("100005 is not a school open" in c for c in s.caveats)
    assert any("limits the per-school table" in c for c in s.caveats)
