"""Properties of the projections over generated valid histories."""

from __future__ import annotations

import contextlib
from datetime import date
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hubcore.projections import (
    ActionFollowThrough,
    ConversationCadence,
    Coverage,
    CurriculumProvision,
    DevelopmentPlans,
    ImpactEvaluations,
    JudgementProfile,
    ParticipationBreadth,
    Projector,
    PupilVoice,
    Ratio,
    SchoolToSchool,
    StaffTime,
    TrainingLedger,
    builtin_projections,
    fold,
)
from hubcore.store import Recorded, open_store

from . import _reference as ref
from ._histories import histories
from ._support import Dies, Killed, append_all, append_batched

YEARS = ("2023/24", "2024/25", "2025/26")


def _states(projector: Projector) -> dict[str, Any]:
    return {name: projector.get(name) for name in projector.names}


def _rebuilt(events: list[Any]) -> dict[str, Any]:
    store = open_store("memory://")
    append_all(store, events)
    return fold(builtin_projections(), store.read_all())


@given(histories(), st.lists(st.integers(1, 8), min_size=1, max_size=10))
def test_incremental_catch_up_equals_rebuild(events: list[Any], chunks: list[int]) -> None:
    store = open_store("memory://")
    projector = Projector(store)
    i = 0
    for size in chunks * (len(events) // max(sum(chunks), 1) + 1):
        if i >= len(events):
            break
        append_all(store, events[i : i + size])
        i += size
        projector.catch_up()
    append_all(store, events[i:])
    projector.catch_up()
    assert _states(projector) == _rebuilt(events)


@given(histories(), st.lists(st.integers(0, 60), max_size=8))
def test_result_independent_of_append_batching(events: list[Any], cuts: list[int]) -> None:
    store = open_store("memory://")
    append_batched(store, events, cuts)
    projector = Projector(store)
    projector.catch_up()
    assert _states(projector) == _rebuilt(events)


@given(histories(), st.integers(0, 80), st.integers(1, 7), st.integers(0, 80))
def test_stopped_and_resumed_equals_never_stopped(
    events: list[Any], kill_at: int, save_every: int, split: int
) -> None:
    store = open_store("memory://")
    append_all(store, events[:split])
    with contextlib.suppress(Killed):
        Projector(Dies(store, kill_at), save_every=save_every).catch_up()  # type: ignore[arg-type]
    append_all(store, events[split:])
    resumed = Projector(store, save_every=save_every)
    resumed.catch_up()
    assert _states(resumed) == _rebuilt(events)


def _ratio(pair: tuple[float, float]) -> Ratio:
    return Ratio(pair[0], pair[1])


@given(histories())
def test_every_metric_matches_the_reference_model(events: list[Any]) -> None:
    store = open_store("memory://")
    append_all(store, events)
    p = Projector(store)
    p.catch_up()
    coverage = p.get("coverage", Coverage)
    cadence = p.get("cadence", ConversationCadence)
    actions = p.get("actions", ActionFollowThrough)
    training = p.get("training", TrainingLedger)
    staff = p.get("staff_time", StaffTime)
    provision = p.get("provision", CurriculumProvision)
    breadth = p.get("participation", ParticipationBreadth)
    plans = p.get("development_plans", DevelopmentPlans)
    voice = p.get("pupil_voice", PupilVoice)
    impact = p.get("impact", ImpactEvaluations)
    s2s = p.get("school_to_school", SchoolToSchool)
    for year in YEARS:
        assert coverage.open_schools(year) == ref.open_schools(events, year)
        assert coverage.rate(year) == _ratio(ref.coverage(events, year))
        assert cadence.challenged_share(year) == _ratio(ref.challenged(events, year))
        assert cadence.median_days_between(year) == ref.median_gap(events, year)
        assert actions.follow_through_in_year(year) == _ratio(ref.follow_through(events, year))
        assert training.reach(year) == _ratio(ref.training_reach(events, year))
        assert training.totals(year).hours == pytest.approx(ref.training_hours(events, year))
        share, expected = staff.strategic_share(year), ref.strategic(events, year)
        assert (share.numerator, share.denominator) == pytest.approx(expected)
        assert provision.weekly_music_for_all(year) == _ratio(ref.weekly_for_all(events, year))
        assert breadth.rate(year) == _ratio(ref.participation_rate(events, year))
        assert breadth.remission_share(year) == _ratio(ref.remission(events, year))
        assert breadth.continuation(year) == _ratio(ref.continuation(events, year))
        assert plans.has_plan_share(year) == _ratio(ref.has_plan(events, year))
        assert voice.evaluations_using_pupil_voice(year) == _ratio(
            ref.pupil_voice_evaluations(events, year)
        )
        assert impact.improved_share(year) == _ratio(ref.improved(events, year))
        pairs, leads, supported = ref.s2s(events, year)
        assert (len(s2s.pairs(year)), len(s2s.lead_schools(year))) == (pairs, leads)
        assert len(s2s.schools_supported(year)) == supported
    for day in (date(2024, 1, 1), date(2024, 9, 1), date(2025, 3, 1), date(2025, 9, 1)):
        assert cadence.overdue(day) == ref.overdue(events, day)
        expected_open = ref.open_actions(events, day)
        found = actions.open_actions(day)
        assert sorted((a.urn, a.action_id, a.due_on < day) for a in found) == expected_open
        assert actions.overdue_count(day) == sum(late for _, _, late in expected_open)
    judged = p.get("judgements", JudgementProfile)
    assert judged.share_at_or_above_expected() == _ratio(ref.at_or_above_expected(events))
    assert sum(s2s.partners_by_kind().values()) == ref.partners(events)


@given(histories(), st.sampled_from(YEARS))
def test_as_of_year_equals_fold_of_events_up_to_its_end(events: list[Any], year: str) -> None:
    store = open_store("memory://")
    append_all(store, events)
    view = Projector(store).as_of(year)
    end = date(int(year[:4]) + 1, 8, 31)
    earlier = [e for e in events if e.occurred_on <= end]
    assert {n: view.get(n) for n in view.names} == _rebuilt(earlier)


@given(histories(), st.data())
def test_partitioned_fold_merges_to_the_same_state(events: list[Any], data: Any) -> None:
    store = open_store("memory://")
    append_all(store, events)
    records: list[Recorded] = list(store.read_all())
    streams = sorted({r.stream for r in records})
    left = set(data.draw(st.lists(st.sampled_from(streams), unique=True)))
    projections = builtin_projections()
    parts = [
        fold(projections, [r for r in records if r.stream in left]),
        fold(projections, [r for r in records if r.stream not in left]),
    ]
    whole = fold(projections, records)
    for projection in projections:
        merged = projection.merge([part[projection.name] for part in parts])
        assert merged == whole[projection.name], projection.name


@given(histories())
def test_dump_load_round_trip(events: list[Any]) -> None:
    for projection in builtin_projections():
        state = _rebuilt(events)[projection.name]
        assert projection.load(projection.dump(state)) == state
