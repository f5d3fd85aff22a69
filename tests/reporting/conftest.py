from __future__ import annotations

from collections.abc import Callable

import pytest

from hubcore.reporting import Metric, Scope, Series, Status, Summary, Suppressor, Table, rag

EVIL = "<script>alert(1)</script> & \"double\" 'single'"


def build_summary(school: str = "St Mary's C of E Primary", *, leaves_hub: bool = True) -> Summary:
    """A realistic hand-built summary exercising every part of the model."""
    suppress = Suppressor()
    status, rule = rag(86.4, 100, amber_within=10)
    participation = [
        (school, 212, suppress(3), 540),
        ("Ysgol Gymraeg Bro Ŵyr", 96, 14, 310),
        ("Oakfield Academy", 351, 41, 1_060),
        ("Riverside Special School", 22, suppress(0), 145),
    ]
    summary = Summary(
        title="Self-evaluation 2025/26",
        scope=Scope(
            hub_id="north-shire", hub_name="North Shire Music Hub", academic_year="2025/26"
        ),
        metrics=[
            Metric(
                key="coverage",
                label="Schools engaged (D3)",
                value=86.4,
                unit="%",
                target=100,
                status=status,
                rule=rule,
                evidence=512,
            ),
            Metric(
                key="strategic-share",
                label="Strategic share of staff time (D8)",
                value=23.1,
                unit="%",
                target=20,
                status=Status.GREEN,
                rule="green if >= 20",
                evidence=48,
            ),
            Metric(
                key="overdue",
                label="Schools with an overdue conversation",
                value=37,
                unit="schools",
                target=0,
                status=Status.RED,
                rule="green if <= 0, amber if <= 10, else red",
                evidence=37,
            ),
            Metric(
                key="disadvantaged-index",
                label="Disadvantaged representation index",
                value=0.83,
                unit="index",
                target=1.0,
                status=Status.AMBER,
                rule="amber within 0.2",
                evidence=1_204,
            ),
            Metric(key="send-tuition", label="SEND pupils in tuition", value=None, suppressed=True),
            Metric(key="impact", label="Impact evaluations", value=None, note="none recorded yet"),
        ],
        tables=[
            Table(
                name="Coverage by phase",
                columns=["phase", "coverage"],
                rows=[
                    ["primary", 91.2],
                    ["secondary", 78.5],
                    ["special", 83.0],
                    ["alternative_provision", 52.9],
                    ["nursery", 40.0],
                ],
                chart="bar",
                unit="%",
                caption="Schools engaged / open schools, by GIAS phase",
            ),
            Table(
                name="Participation vs school population",
                columns=["school", "participations", "pupil premium", "pupils on roll"],
                rows=participation,
                chart="bar",
            ),
            Table(
                name="Schools",
                columns=["urn", "school", "engaged", "last conversation"],
                rows=[
                    ["100001", school, True, "2025-11-03"],
                    ["100002", '=HYPERLINK("x")', False, None],
                ],
            ),
        ],
        series=[
            Series(
                name="Conversations per month",
                unit="conversations",
                points=[
                    ("Sep", 12),
                    ("Oct", 30),
                    ("Nov", 41),
                    ("Dec", 18),
                    ("Jan", 35),
                    ("Feb", 38),
                    ("Mar", 44),
                    ("Apr", None),
                    ("May", 39),
                    ("Jun", 47),
                    ("Jul", 21),
                    ("Aug", 0),
                ],
            ),
            Series(
                name="Coverage through the year",
                unit="%",
                target=100,
                points=[("2025-09-30", 61.0), ("2025-12-31", 74.5), ("2026-03-31", 86.4)],
            ),
        ],
        caveats=[
            "Participation counts are participations, not pupils (one pupil in two ensembles "
            "counts twice).",
            f"{school} returned estimated figures.",
        ],
    )
    if leaves_hub:
        summary = summary.leaving_hub(suppressed=suppress.applied, threshold=suppress.threshold)
    return summary


@pytest.fixture
def make_summary() -> Callable[..., Summary]:
    return build_summary


@pytest.fixture
def summary() -> Summary:
    return build_summary()


@pytest.fixture
def evil_summary() -> Summary:
    return build_summary(EVIL)
