"""hubcore.testing.strategies: valid events, registered types, and causally valid histories."""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter, defaultdict
from collections.abc import Sequence
from datetime import date

import attrs
import pytest
from hypothesis import Phase, find, given, settings
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

from hubcore.calendar import academic_year_of, term_of
from hubcore.domain import Recorder
from hubcore.events import (
    EVENT_TYPES,
    ActionAgreed,
    ActionCompleted,
    ConversationHeld,
    CountedSchoolEvent,
    DataReturnSubmitted,
    Event,
    HubEstablished,
    HubEvent,
    ImpactEvaluated,
    MusicDevelopmentPlanRecorded,
    MusicEducationPlanPublished,
    ParticipationRecorded,
    PartnerJoined,
    ProvisionReported,
    SchoolClosed,
    SchoolDetailsUpdated,
    SchoolDisengaged,
    SchoolEngaged,
    SchoolEvent,
    SchoolRegistered,
    SchoolToSchoolSupportBrokered,
    StaffTimeLogged,
    TrainingDelivered,
)
from hubcore.store import open_store
from hubcore.testing import strategies
from hubcore.testing.strategies import (
    EVENT_STRATEGIES,
    conversation_held,
    events,
    histories,
    invalid_event_kwargs,
    participation_recorded,
    register_strategies,
)
from hubcore.vocabulary import ConversationKind

EVENT_NAMES = sorted(EVENT_TYPES)
DEFAULT_START = date(2023, 9, 1)


# -- an independent checker of the rules a history promises ----------------------------------


def check_history(log: Sequence[Event], *, first_day: date, last_day: date) -> None:
    """Assert every causal rule :func:`histories` documents; written apart from it."""
    assert log, "a history is never empty"
    hub = log[0]
    assert isinstance(hub, HubEstablished)
    roll: dict[int, int] = {}
    closed: set[int] = set()
    engaged: set[int] = set()
    conversations: dict[int, set[str]] = defaultdict(set)
    agreed: dict[int, set[str]] = defaultdict(set)
    completed: dict[int, set[str]] = defaultdict(set)
    evaluations: dict[int, set[str]] = defaultdict(set)
    partners: set[str] = set()
    plan_version = 0
    previous = hub.occurred_on
    for position, event in enumerate(log):
        where = f"event {position} ({type(event).__name__})"
        assert attrs.evolve(event) == event, where  # every event is valid on its own
        day = event.occurred_on
        assert previous <= day, f"{where}: dates go backwards"
        assert first_day <= day <= last_day, f"{where}: {day} outside the years"
        previous = day
        if isinstance(event, HubEvent):
            assert event.hub_id == hub.hub_id, where
            assert position == 0 or not isinstance(event, HubEstablished), where
        if isinstance(event, StaffTimeLogged):
            assert hub.occurred_on <= event.period_start <= event.period_end <= day, where
        elif isinstance(event, MusicEducationPlanPublished):
            assert event.plan_version > plan_version, where
            plan_version = event.plan_version
            assert academic_year_of(day) in event.covers, where
        elif isinstance(event, PartnerJoined):
            assert event.partner_id not in partners, where
            partners.add(event.partner_id)
        elif isinstance(event, DataReturnSubmitted):
            assert event.academic_year == academic_year_of(day), where
        if not isinstance(event, SchoolEvent):
            continue
        urn = event.urn
        assert urn not in closed, f"{where}: school {urn} already closed"
        if isinstance(event, SchoolRegistered):
            assert urn not in roll, f"{where}: school {urn} registered twice"
            assert event.la_code in hub.la_codes, where
            roll[urn] = event.pupils_on_roll
            continue
        assert urn in roll, f"{where}: school {urn} not registered"
        if isinstance(event, SchoolDetailsUpdated) and event.pupils_on_roll is not None:
            roll[urn] = event.pupils_on_roll
        elif isinstance(event, SchoolClosed):
            closed.add(urn)
        elif isinstance(event, SchoolEngaged):
            engaged.add(urn)
        elif isinstance(event, SchoolDisengaged):
            assert urn in engaged, f"{where}: disengaged without being engaged"
            engaged.discard(urn)
        elif isinstance(event, ConversationHeld):
            assert event.conversation_id not in conversations[urn], where
            conversations[urn].add(event.conversation_id)
        elif isinstance(event, ActionAgreed):
            assert event.action_id not in agreed[urn], where
            assert event.conversation_id in conversations[urn] | {None}, where
            agreed[urn].add(event.action_id)
        elif isinstance(event, ActionCompleted):
            assert event.action_id in agreed[urn], f"{where}: action never agreed"
            assert event.action_id not in completed[urn], f"{where}: completed twice"
            completed[urn].add(event.action_id)
        elif isinstance(event, ImpactEvaluated):
            assert event.evaluation_id not in evaluations[urn], where
            evaluations[urn].add(event.evaluation_id)
        elif isinstance(event, TrainingDelivered):
            assert event.partner_id in partners | {None}, where
        elif isinstance(event, ParticipationRecorded):
            assert event.pupils <= roll[urn], f"{where}: more pupils than on roll"
            assert event.academic_year == academic_year_of(day), where
            assert event.term is None or event.term == term_of(day), where
        elif isinstance(event, (ProvisionReported, MusicDevelopmentPlanRecorded)):
            assert event.academic_year == academic_year_of(day), where
        elif isinstance(event, SchoolToSchoolSupportBrokered):
            assert event.lead_urn != urn, where
            assert event.lead_urn in roll, f"{where}: lead school not registered"
            assert event.lead_urn not in closed, f"{where}: lead school closed"


def _years_end(start: date, years: int) -> date:
    return date(start.year + years, 8, 31)


# -- event strategies ------------------------------------------------------------------------


@pytest.mark.parametrize("event_type", EVENT_NAMES)
@settings(max_examples=10)  # registration is what is checked; the events are tested elsewhere
@given(data=st.data())
def test_from_type_gives_valid_events_of_each_class(event_type: str, data: st.DataObject) -> None:
    cls = EVENT_TYPES[event_type]
    event = data.draw(st.from_type(cls))
    assert type(event) is cls
    assert attrs.evolve(event) == event


@pytest.mark.parametrize(
    ("base", "kinds"),
    [
        (Event, EVENT_TYPES.values()),
        (SchoolEvent, None),
        (HubEvent, None),
        (CountedSchoolEvent, None),
    ],
)
def test_base_classes_are_registered_too(base: type[Event], kinds: object) -> None:
    seen: set[type[Event]] = set()

    @settings(max_examples=60, database=None)
    @given(st.from_type(base))
    def draw(event: Event) -> None:
        assert isinstance(event, base)
        seen.add(type(event))

    draw()
    assert len(seen) > 3  # more than one kind of event comes out


def test_register_strategies_is_idempotent() -> None:
    register_strategies()
    register_strategies()
    # generation only: whether the type resolves is the question, not the simplest event
    # (inside the whole suite, shrinking this find ran for minutes)
    once = settings(database=None, max_examples=5, phases=[Phase.generate])
    found = find(st.from_type(SchoolEngaged), lambda e: True, settings=once)
    assert isinstance(found, SchoolEngaged)


def test_the_public_api_is_listed() -> None:
    for name in strategies.__all__:
        assert getattr(strategies, name).__doc__ or name.isupper(), name
    assert set(EVENT_STRATEGIES) == set(EVENT_TYPES.values())


@given(events(min_date=date(2024, 9, 1), max_date=date(2024, 12, 31)))
def test_occurred_on_stays_within_the_given_dates(event: Event) -> None:
    assert date(2024, 9, 1) <= event.occurred_on <= date(2024, 12, 31)


@given(conversation_held(urn=123456, kind=st.just(ConversationKind.REVIEW)))
def test_fields_can_be_pinned_to_values_or_strategies(event: ConversationHeld) -> None:
    assert event.urn == 123456
    assert event.kind is ConversationKind.REVIEW


@given(participation_recorded(pupils=5))
def test_derived_fields_respect_pinned_ones(event: ParticipationRecorded) -> None:
    assert max(event.pupil_premium, event.send, event.fee_remission) <= 5


def test_pinning_an_unknown_field_is_refused() -> None:
    with pytest.raises(InvalidArgument, match="no field"):
        conversation_held(urm=123456)


def test_an_empty_date_range_is_refused() -> None:
    with pytest.raises(InvalidArgument):
        events(min_date=date(2025, 1, 2), max_date=date(2025, 1, 1))


@given(invalid_event_kwargs(SchoolEngaged))
def test_invalid_cases_can_be_limited_to_one_class(case: object) -> None:
    assert case[0] is SchoolEngaged  # type: ignore[index]


# -- histories -------------------------------------------------------------------------------


@given(histories())
def test_every_history_is_causally_valid(log: list[Event]) -> None:
    check_history(log, first_day=DEFAULT_START, last_day=_years_end(DEFAULT_START, 3))
    assert len(log) <= 50


@given(histories(schools=3, years=1, max_events=20, hub_id="north-hub", start_year="2025/26"))
def test_history_knobs(log: list[Event]) -> None:
    check_history(log, first_day=date(2025, 9, 1), last_day=date(2026, 8, 31))
    assert len(log) <= 20
    assert sum(isinstance(e, SchoolRegistered) for e in log) == 3
    assert log[0].stream == "hub-north-hub"


@given(histories(schools=(2, 4), years=2, max_events=25, today=date(2024, 12, 31)))
def test_histories_stop_at_today(log: list[Event]) -> None:
    check_history(log, first_day=DEFAULT_START, last_day=date(2024, 12, 31))
    assert 2 <= sum(isinstance(e, SchoolRegistered) for e in log) <= 4


@given(histories(event_mix={ActionAgreed: 1, ActionCompleted: 3}, schools=1, max_events=15))
def test_the_event_mix_limits_the_kinds(log: list[Event]) -> None:
    check_history(log, first_day=DEFAULT_START, last_day=_years_end(DEFAULT_START, 3))
    kinds = Counter(type(e) for e in log)
    assert set(kinds) <= {HubEstablished, SchoolRegistered, ActionAgreed, ActionCompleted}


def test_long_histories_with_every_kind_do_occur() -> None:
    seen: Counter[type[Event]] = Counter()
    longest = 0

    @settings(max_examples=40, database=None)
    @given(histories(max_events=60))
    def collect(log: list[Event]) -> None:
        nonlocal longest
        longest = max(longest, len(log))
        seen.update(type(e) for e in log)

    collect()
    assert longest >= 30
    assert len(seen) >= 18  # the rare kinds (closures, plans, returns) may miss a run


_SHRINK = """
import json
from hypothesis import find, settings
from hubcore.events import ActionCompleted
from hubcore.testing.strategies import histories
log = find(
    histories(schools=1, max_events=8),
    lambda log: any(isinstance(e, ActionCompleted) for e in log),
    settings=settings(database=None, max_examples=500, derandomize=True),
)
print(json.dumps([type(e).__name__ for e in log]))
"""


@pytest.mark.slow
def test_a_failing_history_shrinks_to_a_few_readable_events() -> None:
    # In a fresh interpreter: inside the whole suite, state left by earlier tests changed
    # the derandomized search's path (8 events there, 5-6 alone), which is not what this
    # measures: how far histories() shrinks from a clean start.
    done = subprocess.run(
        [sys.executable, "-c", _SHRINK], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    # the last line: hypothesis prints its warnings to stdout too (on a loaded machine, that
    # shrinking stopped after five minutes of wall-clock time), which is then shown on failure
    names = json.loads(done.stdout.splitlines()[-1])
    known = (HubEstablished, SchoolRegistered, ActionAgreed, ActionCompleted)
    kinds = [next((cls for cls in known if cls.__name__ == name), name) for name in names]
    log = names
    # The minimal example is [HubEstablished, SchoolRegistered, ActionAgreed, ActionCompleted];
    # this derandomized search ends a step from it (an engagement left in). It was flaky with
    # max_events=12: shrinking then took minutes, and hypothesis stops shrinking after 300 s
    # of wall-clock time, so on a loaded machine it stopped early, at a longer history. With
    # 8 events it takes seconds.
    assert kinds[:2] == [HubEstablished, SchoolRegistered]
    assert kinds.count(ActionCompleted) == 1
    assert ActionAgreed in kinds[: kinds.index(ActionCompleted)]
    assert len(log) <= 6, done.stdout


@pytest.mark.parametrize(
    ("kwargs", "knob"),
    [
        ({"schools": -1}, "schools"),
        ({"schools": (3, 2)}, "schools"),
        ({"schools": "3"}, "schools"),
        ({"schools": (1, 2, 3)}, "schools"),
        ({"schools": True}, "schools"),
        ({"years": 0}, "years"),
        ({"years": (1.5, 2)}, "years"),
        ({"start_year": "2023-24"}, "start_year"),
        ({"start_year": 2023}, "start_year"),
        ({"max_events": 3, "schools": 5}, "max_events"),
        ({"max_events": "50"}, "max_events"),
        ({"today": date(2020, 1, 1)}, "today"),
        ({"today": "2025-01-01"}, "today"),
        ({"hub_id": "North Hub"}, "hub_id"),
        ({"hub_id": 7}, "hub_id"),
        ({"event_mix": {SchoolRegistered: 1}}, "event_mix"),
        ({"event_mix": {HubEstablished: 1}}, "event_mix"),
        ({"event_mix": {ActionAgreed: 0}}, "event_mix"),
        ({"event_mix": {ActionAgreed: -1}}, "event_mix"),
        ({"event_mix": {"ActionAgreed": 1}}, "event_mix"),
        ({"event_mix": {Event: 1}}, "event_mix"),
        ({"event_mix": [ActionAgreed]}, "event_mix"),
    ],
)
def test_bad_history_arguments_are_refused_naming_the_knob(
    kwargs: dict[str, object], knob: str
) -> None:
    with pytest.raises(InvalidArgument, match=rf"\b{knob}\b"):
        histories(**kwargs)  # type: ignore[arg-type]


@given(histories())
def test_every_history_passes_the_domain_rules_command_by_command(log: list[Event]) -> None:
    with open_store("memory://") as store:
        recorder = Recorder(store, clock=lambda: date(2026, 8, 31))
        for event in log:
            recorder.record(event)  # raises DomainError if a rule refuses it
        assert store.head() == len(log)
        assert [r.event for r in store.read_all()] == log
