"""The ``self-evaluation`` report against the hand-worked history of ``_history.py``."""

from __future__ import annotations

from datetime import date

import pytest

from hubcore.events import HubEstablished, SchoolDetailsUpdated, SchoolRegistered
from hubcore.reporting import Status
from hubcore.vocabulary import Phase
from hubcore_self_evaluation import SelfEvaluationReporter, Target, Targets, months_of

from ._helpers import metric, row, table
from ._history import HUB, YEAR
from .conftest import load_host, projector_for, record, runner

# (key, value, target, status) worked out by hand from _history.py; 4 schools open in 2025/26
EXPECTED = [
    # D1: plan v2 (published 2025-09-01) covers 2025/26
    ("d1-plan", 1, 1, Status.GREEN),
    # D2: two pieces of publicity to school leaders; target 3, amber from 1
    ("d2-leader-publicity", 2, 3, Status.AMBER),
    # D3: A and B engaged at 31 Aug (C disengaged in March, D never) -> 2/4
    ("d3-coverage", 50.0, 100, Status.RED),
    # D4: challenging/review conversations with A and C -> 2/4 (B's was supportive)
    ("d4-cadence", 50.0, 100, Status.RED),
    # D4 on 31 Aug 2026: B's next conversation was agreed for 15 Jan 2026 (spring 1), grace to
    # the end of spring 2 (27 Mar): overdue. D has had none since it joined on 1 Sep 2024: due
    # a year later (1 Sep 2025, autumn 1), grace to the end of autumn 2 (19 Dec): overdue.
    # A's is agreed for 1 Oct 2026; C's last (20 Oct 2025) agreed none: due 20 Oct 2026.
    ("d4-overdue", 2, 0, Status.RED),
    # D4: A talked on 2025-10-06 and 2026-02-02: 119 days apart, the only pair
    ("d4-median-days", 119.0, None, Status.NONE),
    # D5: actions due in the year: a-a1 (on time), a-a2 (late), b-a1 (open) -> 1/3
    ("d5-follow-through", 33.3, 80, Status.RED),
    # D6: training at A and C -> 2/4; 3 + 1.5 hours
    ("d6-training-reach", 50.0, 50, Status.GREEN),
    ("d6-training-hours", 4.5, None, Status.NONE),
    # D7: hub staff trained 6 + 3 = 9 hours; target 12, amber from 6
    ("d7-hub-staff-training", 9.0, 12, Status.AMBER),
    # D8: adviser 30/150 + leader 50/100 (partner left out) -> 80/250 = 32%
    ("d8-strategic-share", 32.0, 20.0, Status.GREEN),
    # D9: widest reach 3 schools of 4 open = 75%; target 100, amber from 75
    ("d9-publicity-reach", 75.0, 100, Status.AMBER),
    # D10: B supported by A: one pair
    ("d10-school-to-school", 1, 1, Status.GREEN),
    # D11: latest curriculum_progression: A strong, B needs_attention -> 1/2
    ("d11-progression", 50.0, 80, Status.RED),
    # D11: A reports 7/7 classes weekly, B 6/10 -> 1/2
    ("d11-weekly-music", 50.0, 100, Status.RED),
    # D12: evaluable programmes delivered (school, programme), by engagements in force at any
    # time in the year: A wce + cpd, B instrumental + ensembles + school_to_school, C cpd
    # (engaged October to March) = 6; evaluated: A wce -> 1/6
    ("d12-evaluated-share", 16.7, 80, Status.RED),
    # D12: the one evaluation used pupil voice -> 1/1
    ("d12-pupil-voice", 100.0, 50, Status.GREEN),
]


def test_strategic_share_counts_its_evidence(run):
    # D8 adds up two StaffTimeLogged records of hub roles (adviser, leader)
    assert metric(run("self-evaluation"), "d8-strategic-share").evidence == 2


def test_d5_says_how_many_actions_it_counts_and_leaves_out(run):
    note = metric(run("self-evaluation"), "d5-follow-through").note
    assert note.startswith("1 of 3 actions due in ")
    assert note.endswith("; 0 withdrawn by their due date, left out")


@pytest.mark.parametrize(("key", "value", "target", "status"), EXPECTED)
def test_duty_metrics(run, key, value, target, status):
    m = metric(run("self-evaluation"), key)
    assert m.value == value
    assert m.target == target
    assert m.status is status
    if status is not Status.NONE:
        assert m.rule


def test_every_duty_is_reported_with_a_target(run):
    summary = run("self-evaluation")
    duties = {m.key.split("-")[0] for m in summary.metrics if m.target is not None}
    assert duties == {f"d{i}" for i in range(1, 13)}
    assert [m.key for m in summary.metrics] == [k for k, *_ in EXPECTED]


def test_coverage_by_phase_is_a_bar_chart(run):
    summary = run("self-evaluation")
    t = table(summary, "Coverage by phase")
    assert t.chart == "bar"
    assert t.unit == "%"
    assert t.numeric_columns() == (1,)
    assert row(summary, "Coverage by phase", phase="primary")["coverage"] == 100.0
    assert row(summary, "Coverage by phase", phase="secondary")["engaged of open"] == "0 of 1"
    assert row(summary, "Coverage by phase", phase="special")["coverage"] == 0.0


def test_conversations_per_month(run):
    (series,) = run("self-evaluation").series
    assert series.name == "Conversations per month"
    counts = {p.label: p.value for p in series.points}
    assert list(counts) == months_of(YEAR)
    assert counts == {
        "2025-09": 0, "2025-10": 2, "2025-11": 1, "2025-12": 0, "2026-01": 0, "2026-02": 1,
        "2026-03": 0, "2026-04": 0, "2026-05": 0, "2026-06": 0, "2026-07": 0, "2026-08": 0,
    }  # fmt: skip


def test_training_by_topic(run):
    t = table(run("self-evaluation"), "Training by topic")
    assert sorted(t.rows) == [("curriculum_progression", 1, 3.0, 4), ("singing", 1, 1.5, 2)]


def test_caveats(run):
    caveats = run("self-evaluation").caveats
    assert f"1 of 4 open schools have no conversation recorded {YEAR}." in caveats
    # 13 counted records of open schools in 2025/26: 7 participation, 2 provision, 2 training,
    # 1 impact, 1 pupil voice; A's small-group tuition is estimated; it and A's provision
    # report came from school returns
    assert any(
        "of 13 records" in c and "1 are estimates" in c and "2 came from schools'" in c
        for c in caveats
    )


def test_plan_for_another_year_is_amber_and_no_plan_red(run):
    # 2027/28: only plans covering earlier years exist
    assert metric(run("self-evaluation", year="2027/28"), "d1-plan").status is Status.AMBER
    # 2023/24: the hub had published nothing by that year's end
    m = metric(run("self-evaluation", year="2023/24"), "d1-plan")
    assert (m.value, m.status) == (0, Status.RED)


def _overdue_on(context, day: date, **options: object) -> list[str]:
    s = SelfEvaluationReporter(clock=lambda: day, **options).build(context)  # type: ignore[arg-type]
    m = metric(s, "d4-overdue")
    urns = [str(r[0]) for r in table(s, "Overdue conversations").rows]
    assert m.value == len(urns)
    assert m.evidence_table == "Overdue conversations"
    return urns


def test_overdue_waits_for_the_grace_to_end(context):
    # 10 Dec 2025: D's grace (to 19 Dec) runs; B's date (15 Jan) is not reached
    assert _overdue_on(context, date(2025, 12, 10)) == []
    # 20 Dec 2025: D's grace is over; the Christmas holiday does not count for B
    assert _overdue_on(context, date(2025, 12, 20)) == ["100004"]
    # B's grace runs through spring 2, to Friday 27 March 2026
    assert _overdue_on(context, date(2026, 3, 27)) == ["100004"]
    assert _overdue_on(context, date(2026, 3, 28)) == ["100002", "100004"]


def test_the_overdue_rule_is_configurable(context):
    # no grace: B is overdue the day after 15 Jan
    assert _overdue_on(context, date(2026, 1, 16), grace_half_terms=0) == ["100002", "100004"]
    # two half-terms of grace: D's runs to the end of spring 1 (13 Feb 2026)
    assert _overdue_on(context, date(2026, 2, 13), grace_half_terms=2) == []
    # a cadence of 60 days: C's last conversation (20 Oct 2025) was due on 19 Dec (autumn
    # 2): grace to the end of spring 1, 13 Feb 2026
    assert _overdue_on(context, date(2026, 2, 16), cadence_days=60) == ["100003", "100004"]


def test_the_overdue_table_says_where_each_due_date_came_from(run):
    s = run("self-evaluation")
    b = row(s, "Overdue conversations", urn="100002")
    assert (b["last conversation"], b["due"], b["due date from"], b["grace ended"]) == (
        "2025-11-12", "2026-01-15", "date agreed", "2026-03-27",
    )  # fmt: skip
    d = row(s, "Overdue conversations", urn="100004")
    assert (d["last conversation"], d["due"], d["due date from"], d["grace ended"]) == (
        None, "2025-09-01", "no conversation yet", "2025-12-19",
    )  # fmt: skip
    note = metric(s, "d4-overdue").note
    assert "1 date agreed, 1 no conversation yet" in note
    assert "school holidays not counted" in note


def test_targets_can_be_set_by_the_hub(context):
    reporter = SelfEvaluationReporter(targets=Targets(coverage=Target(50, 5)))
    m = metric(reporter.build(context), "d3-coverage")
    assert (m.target, m.status) == (50, Status.GREEN)


def test_d12_states_which_work_can_be_evaluated(run):
    from hubcore.projections import EVALUABLE_OFFERS, NOT_EVALUABLE_OFFERS
    from hubcore.vocabulary import Offer

    m = metric(run("self-evaluation"), "d12-evaluated-share")
    assert m.note.startswith("1 of 6 evaluable programmes delivered in schools")
    assert "Not counted: consultancy and music development plan support" in m.note
    assert m.note.endswith("0 open schools had only work that cannot be evaluated.")
    assert {Offer.CONSULTANCY, Offer.MUSIC_DEVELOPMENT_PLAN} == NOT_EVALUABLE_OFFERS
    assert set(EVALUABLE_OFFERS) | NOT_EVALUABLE_OFFERS == set(Offer)


@pytest.mark.parametrize(
    ("options", "named"),
    [
        ({"cadence_days": 0}, "cadence_days"),
        ({"cadence_days": 30.5}, "cadence_days"),
        ({"grace_half_terms": -1}, "grace_half_terms"),
        ({"grace_half_terms": True}, "grace_half_terms"),
    ],
)
def test_bad_d4_options_are_refused_naming_them(options, named):
    with pytest.raises(ValueError, match=f"SelfEvaluationReporter.{named}"):
        SelfEvaluationReporter(**options)


def test_the_overdue_table_names_each_school_as_it_was_in_the_year():
    # Found by tests/plugins/test_year_truth.py. The school joined on 4 Sep 2023 and has had
    # no conversation: due 4 Sep 2024, grace to the end of autumn 2, so overdue on 31 Aug 2025.
    # Its rename on 5 Sep 2025 is about 2025/26; the 2024/25 report keeps the old name.
    events = [
        HubEstablished(occurred_on=date(2023, 9, 1), hub_id=HUB, name="Hub",
                       lead_organisation="Council", la_codes={"901"}),
        SchoolRegistered(occurred_on=date(2023, 9, 4), urn=100001, name="Old Name",
                         phase=Phase.PRIMARY, la_code="901", pupils_on_roll=200),
        SchoolDetailsUpdated(occurred_on=date(2025, 9, 5), urn=100001, name="New Name"),
    ]  # fmt: skip
    host = load_host()
    run = runner(projector_for(record(events), host), host)
    assert row(run("self-evaluation", year="2024/25"), "Overdue conversations",
               urn="100001")["school"] == "Old Name"  # fmt: skip
    assert row(run("self-evaluation", year="2025/26"), "Overdue conversations",
               urn="100001")["school"] == "New Name"  # fmt: skip
