"""Bulk queries answer exactly what the per-school queries they replace answer."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from hypothesis import given

from hubcore.calendar import academic_year_bounds
from hubcore.errors import HubcoreError
from hubcore.events import Event
from hubcore.projections import (
    ActionFollowThrough,
    ConversationCadence,
    Coverage,
    ImpactEvaluations,
    InspectionEvidence,
    ParticipationBreadth,
    ParticipationTotals,
    TrainingLedger,
    TrainingTotals,
    builtin_projections,
)
from hubcore.vocabulary import ParticipationProgramme, Phase, TrainingFormat, TrainingTopic

from ._histories import URNS, histories

YEARS = ("2023/24", "2024/25", "2025/26")
AS_OF = (date(2024, 6, 1), date(2025, 9, 1), date(2026, 8, 31))


def _states(events: list[Event]) -> dict[str, Any]:
    states = {p.name: p.initial() for p in builtin_projections()}
    for projection in builtin_projections():
        state = states[projection.name]
        handlers = projection.event_handlers()
        for event in events:
            handler = handlers.get(event.event_type)
            if handler is not None:
                handler.__get__(state)(event)
    return states


@given(histories())
def test_bulk_queries_equal_the_per_school_queries(events: list[Event]) -> None:
    states = _states(events)
    part: ParticipationBreadth = states["participation"]
    coverage: Coverage = states["coverage"]
    cadence: ConversationCadence = states["cadence"]
    impact: ImpactEvaluations = states["impact"]
    actions: ActionFollowThrough = states["actions"]
    unknown = 999_999_999  # never registered
    for year in YEARS:
        open_schools = part.open_schools(year)
        # bit for bit, not approximately: the same floats summed in the same order
        assert part.disadvantaged_indices(year) == {
            u: part.disadvantaged_index(year, urn=u) for u in open_schools
        }
        wanted = [*URNS, unknown]
        assert part.disadvantaged_indices(year, wanted) == {
            u: part.disadvantaged_index(year, urn=u) for u in wanted
        }

        engaged = [u for u in coverage.open_schools(year) if coverage.engaged_at_end(u, year)]
        assert coverage.engaged_schools(year) == engaged
        assert coverage.rate(year).numerator == len(engaged)
        assert coverage.rate(year).denominator == len(coverage.open_schools(year))
        assert coverage.unengaged_schools(year) == [
            u for u in coverage.open_schools(year) if u not in engaged
        ]

        start, end = academic_year_bounds(year)
        talked = cadence.schools_talked_to(year)
        for urn in [*URNS, unknown]:
            last = cadence.last_conversation(urn, as_of=end)
            assert (urn in talked) == (last is not None and last >= start)

        delivered = evaluated = 0
        for urn in impact.open_schools(year):
            programmes = impact.delivered(urn, year)
            delivered += len(programmes)
            evaluated += len(programmes & impact.evaluated(urn, year))
        share = impact.evaluated_share(year)
        assert (share.numerator, share.denominator) == (evaluated, delivered)

    for as_of in AS_OF:
        assert actions.overdue_count(as_of) == len(actions.overdue_actions(as_of))


def _evidence_one_by_one(model: InspectionEvidence, urn: int, year: str) -> Any:
    """The evidence file from a fresh call for the one school (nothing shared)."""
    return next(model.evidence_files([urn], year))


@given(histories())
def test_evidence_files_equal_one_file_at_a_time(events: list[Event]) -> None:
    model: InspectionEvidence = _states(events)["inspection_evidence"]
    for year in YEARS:
        urns = model.registered()
        files = list(model.evidence_files(urns, year))
        assert [f.urn for f in files] == urns
        assert files == [model.evidence(u, year) for u in urns]
        assert files == [_evidence_one_by_one(model, u, year) for u in urns]
        # the same school twice, and in reverse: nothing carried over from file to file
        assert list(model.evidence_files([*urns, *urns][::-1], year)) == [
            model.evidence(u, year) for u in [*urns, *urns][::-1]
        ]


@given(histories())
def test_evidence_files_stop_at_an_unregistered_school(events: list[Event]) -> None:
    model: InspectionEvidence = _states(events)["inspection_evidence"]
    files = model.evidence_files([*model.registered(), 999_999_999], YEARS[0])
    for _ in model.registered():
        next(files)
    with pytest.raises(HubcoreError, match="school 999999999 is not registered"):
        next(files)


def _naive_index(
    part: ParticipationBreadth, year: str, programme: str | None, phase: str | None
) -> float | None:
    """The disadvantaged index over the open schools (of a phase) as first written: school
    by school ascending, rows in fold order, one float sum."""
    pupils = pp = 0
    expected = 0.0
    for urn in part.open_schools(year, phase):
        facts = part.school(urn)
        if facts is None or facts.disadvantaged_pct is None:
            continue
        for row in part._rows(urn, year, None if programme is None else [programme]):
            pupils += row[1]
            pp += row[2]
            expected += row[1] * facts.disadvantaged_pct / 100
    if pupils == 0 or expected == 0:
        return None
    return (pp / pupils) / (expected / pupils)


def _naive_totals(
    part: ParticipationBreadth,
    year: str,
    programme: str | None,
    key_stage: int | None,
    phase: str | None,
) -> ParticipationTotals:
    """Hub-wide totals as the sum of every open school's own totals."""
    found = [0] * 8
    for urn in part.open_schools(year, phase):
        t = part.totals(year, programme, key_stage=key_stage, urn=urn)
        for i, value in enumerate(
            (t.records, t.pupils, t.pupil_premium, t.send, t.fee_remission,
             t.continuing_from_wcet, t.wcet_terms, t.estimated_records)
        ):  # fmt: skip
            found[i] += value
    return ParticipationTotals(*found)


@given(histories())
def test_hub_wide_participation_equals_school_by_school(events: list[Event]) -> None:
    part: ParticipationBreadth = _states(events)["participation"]
    for year in YEARS:
        for phase in (None, *Phase, "no such phase"):
            for programme in (None, *ParticipationProgramme):
                prog = None if programme is None else programme.value
                for key_stage in (None, 1, 2, 3, 4):
                    assert part.totals(
                        year, programme, key_stage=key_stage, phase=phase
                    ) == _naive_totals(part, year, prog, key_stage, phase)
                # bit for bit, not approximately
                assert part.disadvantaged_index(year, programme, phase=phase) == _naive_index(
                    part, year, prog, phase
                )


def _naive_training(
    training: TrainingLedger, year: str, topic: str | None, fmt: str | None
) -> TrainingTotals:
    """Training totals summed row by row in the year's fold order, as first written."""
    sessions = staff = 0
    hours = 0.0
    for t, f, row in training._year(year):
        if (topic is None or t == topic) and (fmt is None or f == fmt):
            sessions += row[0]
            hours += row[1]
            staff += row[2]
    return TrainingTotals(sessions, hours, staff)


@given(histories())
def test_training_totals_equal_the_row_by_row_sums(events: list[Event]) -> None:
    training: TrainingLedger = _states(events)["training"]
    for year in YEARS:
        for topic in (None, *TrainingTopic):
            for fmt in (None, *TrainingFormat):
                t = None if topic is None else topic.value
                f = None if fmt is None else fmt.value
                found = training.totals(year, topic, fmt)
                assert found == _naive_training(training, year, t, f)  # hours to the bit
                assert type(found.hours) is float
        assert training.by_topic(year) == {
            t: _naive_training(training, year, t.value, None) for t in TrainingTopic
        }
        assert training.by_format(year) == {
            f: _naive_training(training, year, None, f.value) for f in TrainingFormat
        }
