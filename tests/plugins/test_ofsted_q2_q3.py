"""Q2 and Q3 weigh the school's own report against the hub's notes (hand-worked history).

2025/26, four schools, each with a conversation judged by lesson observation:

| URN    | provision report (2025/26)       | conversation note, weekly | hub: class teaching |
|--------|----------------------------------|---------------------------|---------------------|
| 100021 | 10 of 10 classes; grade strong   | no (2025-11-03)           | needs attention     |
| 100022 | 8 of 10 classes; needs attention | yes (2025-11-03)          | strong              |
| 100023 | none                             | yes (2025-11-03)          | expected            |
| 100024 | 10 of 10 classes; expected       | no, but in 2024/25        | expected            |

Q2: 021 amber (report and note disagree); 022 red (the report says not every class) and the
disagreement shown; 023 amber (no report: the note is used, and says yes); 024 green (last
year's note is not this year's evidence). Q3: 021 amber (strong vs needs attention); 022
amber (needs attention vs strong); 023 amber (no report: the school's view unknown); 024
green (expected and expected).
"""

from __future__ import annotations

from datetime import date

import pytest

from hubcore.events import (
    ConversationHeld,
    Event,
    HubEstablished,
    ProvisionReported,
    SchoolRegistered,
)
from hubcore.projections import InspectionEvidence
from hubcore.reporting import Context, HubInfo
from hubcore.vocabulary import (
    Area,
    ConversationKind,
    Grade,
    Participant,
    Phase,
    QualityEvidence,
)

from ._helpers import row, table
from .conftest import projector_for, record

HUB, YEAR = "north-shire", "2025/26"
S1, S2, S3, S4 = 100021, 100022, 100023, 100024


def _talk(urn: int, on: date, weekly: bool, teaching: Grade) -> ConversationHeld:
    return ConversationHeld(
        occurred_on=on, urn=urn, conversation_id=f"c-{on.isoformat()}",
        kind=ConversationKind.CHALLENGING, participants={Participant.HEADTEACHER},
        judgements={Area.CLASS_TEACHING: teaching}, music_taught_weekly_to_all_classes=weekly,
        quality_judged_by={QualityEvidence.LESSON_OBSERVATION},
    )  # fmt: skip


def _report(urn: int, weekly: int, grade: Grade) -> ProvisionReported:
    return ProvisionReported(
        occurred_on=date(2026, 1, 12), urn=urn, academic_year=YEAR, classes_total=10,
        classes_with_weekly_music=weekly, self_evaluation_grade=grade,
    )  # fmt: skip


def history() -> list[Event]:
    autumn = date(2025, 11, 3)
    return [
        HubEstablished(
            occurred_on=date(2024, 9, 1), hub_id=HUB, name="North Shire Music Hub",
            lead_organisation="North Shire Council", la_codes={"901"},
        ),
        *(
            SchoolRegistered(
                occurred_on=date(2024, 9, 1), urn=u, name=f"School {u}", phase=Phase.PRIMARY,
                la_code="901", pupils_on_roll=300,
            )
            for u in (S1, S2, S3, S4)
        ),
        _talk(S4, date(2024, 10, 1), False, Grade.EXPECTED),
        _talk(S1, autumn, False, Grade.NEEDS_ATTENTION),
        _talk(S2, autumn, True, Grade.STRONG),
        _talk(S3, autumn, True, Grade.EXPECTED),
        _report(S1, 10, Grade.STRONG),
        _report(S2, 8, Grade.NEEDS_ATTENTION),
        _report(S4, 10, Grade.EXPECTED),
    ]  # fmt: skip


@pytest.fixture(scope="module")
def context(host) -> Context:
    return Context(
        source=projector_for(record(history()), host), academic_year=YEAR,
        hub=HubInfo(HUB, "North Shire"),
    )  # fmt: skip


def _answer(context: Context, urn: int, question: str):
    model = context.source.get("inspection_evidence", InspectionEvidence)  # type: ignore[union-attr]
    return model.evidence(urn, YEAR).answer(question)


def _facts(answer) -> dict[str, object]:
    return {f.label: f.value for f in answer.facts}


def test_q2_the_report_is_primary_and_a_disagreeing_note_is_shown(context: Context) -> None:
    a = _answer(context, S1, "Q2")
    assert _facts(a) == {
        "school's report: classes with weekly music": "10 of 10",
        "conversation note: music taught weekly to all classes": False,
    }
    assert a.gaps == (
        "the school's report and the hub's conversation disagree about weekly music (10 of 10"
        " classes reported; the conversation noted no)",
    )
    b = _answer(context, S2, "Q2")
    assert b.gaps == (
        "music is not taught weekly to all classes (the school's report)",
        "the school's report and the hub's conversation disagree about weekly music (8 of 10"
        " classes reported; the conversation noted yes)",
    )


def test_q2_a_note_only_where_no_report_exists(context: Context) -> None:
    c = _answer(context, S3, "Q2")
    assert _facts(c) == {
        "conversation note (no report this year): music taught weekly to all classes": True
    }
    assert c.gaps == ("no provision report this year",)
    d = _answer(context, S4, "Q2")  # last year's "no" is not this year's evidence
    assert _facts(d) == {"school's report: classes with weekly music": "10 of 10"}
    assert d.gaps == ()


def test_q3_compares_the_schools_own_grade_with_the_hubs(context: Context) -> None:
    a = _answer(context, S1, "Q3")
    assert _facts(a)["school's own grade"] == "Strong"
    assert _facts(a)["hub's judgement of class teaching"] == "Needs attention"
    assert a.gaps == (
        "the school's view and the hub's judgement disagree (the school rates itself strong;"
        " the hub judges class teaching needs attention)",
    )
    assert _answer(context, S2, "Q3").gaps == (
        "the school's view and the hub's judgement disagree (the school rates itself needs"
        " attention; the hub judges class teaching strong)",
    )
    assert _answer(context, S3, "Q3").gaps == (
        "the school's own view of quality unknown (no provision report this year)",
    )
    assert _answer(context, S4, "Q3").gaps == ()


def test_the_report_colours_and_explains_them(context: Context, host) -> None:
    s = host.run_report("ofsted", context, timeout=None)
    statuses = {r[0]: (r[3], r[4]) for r in table(s, "Status by school").rows}
    assert statuses == {
        str(S1): ("amber", "amber"),
        str(S2): ("red", "amber"),
        str(S3): ("amber", "amber"),
        str(S4): ("green", "green"),
    }
    rules = row(s, "Status rules", question="Q2")
    assert "a conversation's note only where there is no report" in rules["evidence used"]
