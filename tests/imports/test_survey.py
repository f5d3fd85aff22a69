from __future__ import annotations

from datetime import date

from hubcore.events import MusicDevelopmentPlanRecorded, ProvisionReported
from hubcore.imports import import_file
from hubcore.vocabulary import Grade, QualityEvidence, Source

from ._files import EXAMPLES, TODAY, csv_bytes, events_of, refused


def run(store, data, **options):
    options.setdefault("today", TODAY)
    return import_file(store, "survey", data, name="survey.csv", **options)


def of(store, cls):
    return events_of(store, cls)


def problems_of(store, data) -> list[tuple[int, str, str]]:
    return refused(store, lambda: run(store, data))


def test_the_sample_survey_imports_once(store):
    report = run(store, EXAMPLES / "survey.csv")
    assert report.appended == {"MusicDevelopmentPlanRecorded": 6, "ProvisionReported": 6}
    assert any("'Who teaches music'" in w for w in report.warnings)
    assert run(store, EXAMPLES / "survey.csv").already == 12
    first = of(store, ProvisionReported)[0]
    assert first == ProvisionReported(
        occurred_on=date(2026, 2, 3),
        urn=141021,
        academic_year="2025/26",
        classes_total=14,
        classes_with_weekly_music=14,
        minutes_per_week={1: 45, 2: 60},
        self_evaluation_grade=Grade.STRONG,
        judged_by=frozenset({QualityEvidence.LESSON_OBSERVATION, QualityEvidence.PUPIL_VOICE}),
        source=Source.SCHOOL_RETURN,
    )
    infant_plan = of(store, MusicDevelopmentPlanRecorded)[3]
    assert (infant_plan.urn, infant_plan.has_plan, infant_plan.summary_published) == (
        142063,
        False,
        False,
    )


def test_year_groups_are_averaged_into_key_stages_and_a_key_stage_column_wins(store):
    rows = [
        [
            "URN",
            "Year",
            "Classes",
            "Classes with weekly music",
            "Grade",
            "Year 3",
            "Year 4",
            "Year 5",
            "Year 6",
            "Y1",
            "KS1 minutes",
        ],
        [141021, "2025/26", 14, 12, "Expected", "60", "45", "45 mins", "1 hour", "30", "40"],
    ]
    run(store, csv_bytes(rows))
    (report,) = of(store, ProvisionReported)
    assert report.minutes_per_week == {1: 40, 2: 53}


def test_only_the_plan_questions_make_only_plan_events(store):
    rows = [
        ["URN", "Academic year", "MDP", "Plan published", "Hub supported"],
        [142219, "2025-26", "y", "n", "y"],
    ]
    assert run(store, csv_bytes(rows)).appended == {"MusicDevelopmentPlanRecorded": 1}


def test_contradictions_and_gaps_are_problems(store):
    rows = [
        [
            "URN",
            "Academic year",
            "Classes",
            "Classes with weekly music",
            "Grade",
            "MDP",
            "Plan published",
        ],
        [141021, "2025/26", 10, 11, "Strong", "", ""],  # more weekly classes than classes
        [141305, "2025/26", 10, 5, "Brilliant", "", ""],  # not a grade
        [142219, "2025/26", "", "", "", "No", "Yes"],  # a summary of no plan
        [142350, "2025/26", "", "", "", "Yes", "Yes"],  # hub support not asked
        [142518, "2025/26", "", "", "", "", ""],  # no answers at all
    ]
    problems = problems_of(store, csv_bytes(rows))
    assert [(line, column) for line, column, _ in problems] == [
        (2, "Classes with weekly music"),
        (3, "Grade"),
        (4, "Plan published"),
        (5, "hub_supported"),
        (6, "URN"),
    ]


def test_an_undated_survey_takes_the_years_end_or_today(store):
    rows = [
        ["URN", "Year", "MDP", "Summary published", "Hub supported"],
        [141021, "2025/26", "no", "", ""],
    ]
    run(store, csv_bytes(rows), today=date(2026, 3, 1))
    assert of(store, MusicDevelopmentPlanRecorded)[0].occurred_on == date(2026, 3, 1)
    assert run(store, csv_bytes(rows)).already == 1
