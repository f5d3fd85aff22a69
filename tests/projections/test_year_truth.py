"""Year-true read models, on small histories worked by hand (docs/year-truth.md).

A school's details, judgements, partners and the facts of its evidence file are asked
about a year and answered as they stood at that year's end, plus later returns for it.
"""

from __future__ import annotations

from hubcore.events import (
    PartnerJoined,
    ProvisionReported,
    SchoolClosed,
    SchoolDetailsUpdated,
)
from hubcore.projections import (
    Coverage,
    InspectionEvidence,
    JudgementProfile,
    ParticipationBreadth,
    Ratio,
    SchoolToSchool,
)
from hubcore.vocabulary import Area, Grade, PartnerKind, Phase

from ._support import D, conv, part, project, reg

Y1, Y2 = "2024/25", "2025/26"
HUB = "h1"
PROG = Area.CURRICULUM_PROGRESSION


def _details(urn: int, on: D, **kw: object) -> SchoolDetailsUpdated:
    return SchoolDetailsUpdated(occurred_on=on, urn=urn, **kw)  # type: ignore[arg-type]


def test_a_schools_details_are_those_at_the_years_end() -> None:
    history = [
        reg(100001, D(2024, 9, 1), roll=200, dpct=20),
        _details(100001, D(2025, 10, 1), pupils_on_roll=300, phase=Phase.SECONDARY),
        # a correction for the first year, recorded after the second year's change
        _details(100001, D(2025, 6, 1), pupils_on_roll=210),
        _details(100001, D(2025, 6, 1), disadvantaged_pct=25),  # same day: both apply
        SchoolClosed(occurred_on=D(2026, 3, 1), urn=100001, reason="merged"),
        reg(100002, D(2025, 9, 1)),  # registered in the second year
    ]
    coverage = project(history).get("coverage", Coverage)
    first = coverage.school(100001, Y1)
    assert first is not None
    # 2024/25: registered 200, corrected to 210 on 1 Jun 2025; the 1 Oct 2025 change is later
    assert (first.pupils_on_roll, first.phase, first.disadvantaged_pct) == (
        210,
        Phase.PRIMARY,
        25,
    )
    assert first.closed_on is None  # it closed after 2024/25
    second = coverage.school(100001, Y2)
    assert second is not None
    assert (second.pupils_on_roll, second.phase, second.closed_on) == (
        300,
        Phase.SECONDARY,
        D(2026, 3, 1),
    )
    latest = coverage.school(100001)
    assert latest is not None
    assert latest.pupils_on_roll == 300
    assert coverage.school(100002, Y1) is None
    assert coverage.school(100002, Y2) is not None
    assert coverage.phases(Y1) == [Phase.PRIMARY]
    assert coverage.phases(Y2) == [Phase.PRIMARY, Phase.SECONDARY]


def test_the_participation_rate_divides_by_the_roll_of_its_year() -> None:
    history = [
        reg(100001, D(2024, 9, 1), roll=200),
        part(100001, Y1, "choir", 50),
        _details(100001, D(2025, 9, 10), pupils_on_roll=400),
        part(100001, Y2, "choir", 100),
    ]
    breadth = project(history).get("participation", ParticipationBreadth)
    assert breadth.rate(Y1) == Ratio(50, 200)  # not 50 / 400, today's roll
    assert breadth.rate(Y2) == Ratio(100, 400)
    assert breadth.rate(Y1, urn=100001) == Ratio(50, 200)


def test_d11_progression_is_bounded_to_the_year() -> None:
    history = [
        reg(100001, D(2020, 1, 1)),
        conv(100001, D(2024, 11, 1), cid="c1", judgements={PROG: Grade.EXPECTED}),
        conv(100001, D(2025, 11, 1), cid="c2", judgements={PROG: Grade.NEEDS_ATTENTION}),
        reg(100002, D(2020, 1, 1)),
        conv(100002, D(2023, 11, 1), cid="c1", judgements={PROG: Grade.STRONG}),
        conv(100002, D(2025, 2, 1), cid="c2", judgements={PROG: Grade.URGENT_IMPROVEMENT}),
        conv(100002, D(2025, 5, 1), cid="c3", judgements={PROG: Grade.STRONG}),
        reg(100003, D(2020, 1, 1)),  # judged in 2023/24 only: not evidence for 2024/25
        conv(100003, D(2024, 1, 1), cid="c1", judgements={PROG: Grade.NEEDS_ATTENTION}),
    ]
    judgements = project(history).get("judgements", JudgementProfile)
    # 2024/25: 001 expected (1 Nov 2024), 002 strong (its latest that year, 1 May 2025)
    assert judgements.share_at_or_above_expected(PROG, Y1) == Ratio(2, 2)
    # 2025/26: only 001 was judged, needs attention
    assert judgements.share_at_or_above_expected(PROG, Y2) == Ratio(0, 1)
    # 2023/24: 002 strong, 003 needs attention
    assert judgements.share_at_or_above_expected(PROG, "2023/24") == Ratio(1, 2)
    # without a year: every school's latest ever (001 needs attention, 002 strong, 003 n.a.)
    assert judgements.share_at_or_above_expected(PROG) == Ratio(1, 3)
    assert judgements.latest(100001, Y1)[PROG].grade is Grade.EXPECTED


def test_partners_are_those_that_had_joined_by_the_years_end() -> None:
    def joined(on: D, pid: str, name: str) -> PartnerJoined:
        return PartnerJoined(
            occurred_on=on, hub_id=HUB, partner_id=pid, name=name, kind=PartnerKind.ARTS_VENUE
        )

    history = [
        joined(D(2024, 10, 1), "p1", "Old Hall"),
        joined(D(2025, 10, 1), "p2", "Arts Centre"),
        joined(D(2025, 11, 1), "p1", "New Hall"),  # p1's details changed later
    ]
    s2s = project(history).get("school_to_school", SchoolToSchool)
    assert [(p.partner_id, p.name) for p in s2s.partners(HUB, Y1)] == [("p1", "Old Hall")]
    assert [(p.partner_id, p.name) for p in s2s.partners(HUB, Y2)] == [
        ("p1", "New Hall"),
        ("p2", "Arts Centre"),
    ]
    assert s2s.partners_by_kind(HUB, Y1)[PartnerKind.ARTS_VENUE] == 1
    assert len(s2s.partners(HUB)) == 2


def test_an_evidence_file_keeps_its_years_facts_and_late_returns() -> None:
    def provision(on: D, year: str, grade: Grade) -> ProvisionReported:
        return ProvisionReported(
            occurred_on=on, urn=100001, academic_year=year, classes_total=10,
            classes_with_weekly_music=8, self_evaluation_grade=grade,
        )  # fmt: skip

    history = [
        reg(100001, D(2020, 1, 1)),
        conv(100001, D(2025, 3, 1), cid="c1", judgements={PROG: Grade.EXPECTED}),
        # 2024/25's return, made in the autumn after: still 2024/25's evidence
        provision(D(2025, 9, 20), Y1, Grade.STRONG),
        conv(100001, D(2025, 10, 1), cid="c2", judgements={PROG: Grade.NEEDS_ATTENTION}),
        provision(D(2025, 10, 5), Y2, Grade.NEEDS_ATTENTION),
    ]
    model = project(history).get("inspection_evidence", InspectionEvidence)

    def facts(year: str) -> dict[str, object]:
        q3 = model.evidence(100001, year).answer("Q3")
        return {f.label: f.value for f in q3.facts}

    assert facts(Y1)["school's own grade"] == "Strong"
    assert facts(Y1)["hub's latest judgements"] == "curriculum_progression: expected"
    assert facts(Y2)["school's own grade"] == "Needs attention"
    assert facts(Y2)["hub's latest judgements"] == "curriculum_progression: needs_attention"
