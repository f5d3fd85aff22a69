"""Query caches of the read models: answers never go stale, caches never reach the state."""

from __future__ import annotations

from datetime import date
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from hubcore.events import Event
from hubcore.projections import (
    ActionFollowThrough,
    ConversationCadence,
    Coverage,
    ImpactEvaluations,
    JudgementProfile,
    ParticipationBreadth,
    TrainingLedger,
    builtin_projections,
)
from hubcore.vocabulary import Area, ParticipationProgramme, Phase

from ._histories import URNS, histories

YEARS = ("2023/24", "2024/25", "2025/26")
AS_OF = (date(2024, 6, 1), date(2025, 9, 1), date(2026, 8, 31))


def _fold(states: dict[str, Any], events: list[Event]) -> None:
    """Fold ``events`` into ``states`` through the handlers the Projector binds."""
    for projection in builtin_projections():
        state = states[projection.name]
        handlers = projection.event_handlers()
        for event in events:
            handler = handlers.get(event.event_type)
            if handler is not None:
                handler.__get__(state)(event)


def _fresh() -> dict[str, Any]:
    return {p.name: p.initial() for p in builtin_projections()}


def _answers(states: dict[str, Any]) -> list[Any]:
    """Every cached query of every model, over every year and selection."""
    part: ParticipationBreadth = states["participation"]
    judged: JudgementProfile = states["judgements"]
    training: TrainingLedger = states["training"]
    actions: ActionFollowThrough = states["actions"]
    coverage: Coverage = states["coverage"]
    cadence: ConversationCadence = states["cadence"]
    impact: ImpactEvaluations = states["impact"]
    found: list[Any] = []
    for year in YEARS:
        found.append(part.schools_with_data(year))
        found.append(part.disadvantaged_indices(year))
        found.append(part.disadvantaged_indices(year, URNS))
        found.append(coverage.rate(year))
        found.append(coverage.by_phase(year))
        found.append(coverage.engaged_schools(year))
        found.append(coverage.unengaged_schools(year))
        found.append(cadence.schools_talked_to(year))
        found.append(cadence.challenged_share(year))
        found.append(cadence.unchallenged_schools(year))
        found.append(cadence.gaps_days(year))
        found.append(impact.evaluated_share(year))
        for phase in (None, *Phase):
            for la in (None, "901", "902"):
                found.append(part.open_schools(year, phase, la))
                found.append(part.totals(year, phase=phase, la=la))
                found.append(part.rate(year, phase=phase, la=la))
                found.append(part.disadvantaged_index(year, phase=phase, la=la))
                found.append(part.remission_share(year, phase=phase, la=la))
                found.append(part.continuation(year, phase=phase, la=la))
        for programme in (None, *ParticipationProgramme):
            for key_stage in (None, 1, 2, 3, 4):
                found.append(part.totals(year, programme, key_stage=key_stage))
            found.append(part.rate(year, programme))
            found.append(part.disadvantaged_index(year, programme))
            for urn in URNS:
                found.append(part.totals(year, programme, urn=urn))
                found.append(part.disadvantaged_index(year, programme, urn=urn))
        for urn in URNS:
            found.append(part.rate(year, urn=urn))
            found.append(part.continuation(year, urn=urn))
        found.append(training.totals(year))
        found.append(training.by_topic(year))
        found.append(training.by_format(year))
        found.append(training.reach(year))
    found.append(cadence.gaps_days())
    for as_of in AS_OF:
        found.append(actions.overdue_count(as_of))
        found.append(actions.open_actions(as_of))
        found.append(actions.overdue_actions(as_of))
    found.append(actions.actions())
    for area in (None, *Area):
        found.append(judged.distribution(area))
        found.append(judged.share_at_or_above_expected(area))
    found.extend(judged.latest(urn) for urn in URNS)
    return found


@given(histories(), st.floats(0, 1))
def test_cached_answers_follow_further_events(events: list[Event], at: float) -> None:
    cut = int(at * len(events))
    states = _fresh()
    _fold(states, events[:cut])
    _answers(states)  # fills the caches
    _answers(states)  # and answers from them
    _fold(states, events[cut:])
    fresh = _fresh()
    _fold(fresh, events)
    assert _answers(states) == _answers(fresh)
    assert states == fresh


@given(histories())
def test_caches_stay_out_of_the_saved_state(events: list[Event]) -> None:
    states = _fresh()
    _fold(states, events)
    before = {name: state.dump() for name, state in states.items()}
    answers = _answers(states)
    for projection in builtin_projections():
        state = states[projection.name]
        assert state.dump() == before[projection.name]
        loaded = projection.load(before[projection.name])
        assert loaded == state
        assert projection.merge([loaded]) == state
    assert _answers({p.name: p.load(before[p.name]) for p in builtin_projections()}) == answers


def _index_school_by_school(part: ParticipationBreadth, year: str, programme: str) -> float | None:
    """The disadvantaged index as first written: open schools ascending, rows in fold order."""
    pupils = pp = 0
    expected = 0.0
    for urn in part.open_schools(year):
        facts = part.school(urn)
        if facts is None or facts.disadvantaged_pct is None:
            continue
        for row in part._rows(urn, year, [programme]):
            pupils += row[1]
            pp += row[2]
            expected += row[1] * facts.disadvantaged_pct / 100
    if pupils == 0 or expected == 0:
        return None
    return (pp / pupils) / (expected / pupils)


@given(histories())
def test_programme_index_is_bit_for_bit_the_school_by_school_sum(events: list[Event]) -> None:
    states = _fresh()
    _fold(states, events)
    part: ParticipationBreadth = states["participation"]
    for year in YEARS:
        for programme in ParticipationProgramme:
            expected = _index_school_by_school(part, year, programme.value)
            assert part.disadvantaged_index(year, programme) == expected  # not approx
