"""One test per domain rule: the DomainError names the rule, stream and event; nothing lands."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from hubcore import DomainError
from hubcore.domain import RULES, Recorder
from hubcore.events import Event

from ._events import (
    D0,
    TODAY,
    agreed,
    closed,
    completed,
    consultation,
    conversation,
    engaged,
    established,
    evaluated,
    participation,
    partner,
    plan,
    registered,
    support,
    updated,
    withdrawn,
)

URN = 100001
LEAD = 100002
D1 = date(2025, 10, 1)
D2 = date(2025, 11, 1)


@pytest.fixture
def recorder(store):
    return Recorder(store, clock=lambda: TODAY)


def refused(recorder: Recorder, event: Event, rule: str, *words: str) -> str:
    """Record ``event``; assert it is refused by ``rule`` and nothing was appended."""
    store = recorder.store
    head = store.head()
    version = store.stream_version(event.stream)
    with pytest.raises(DomainError) as caught:
        recorder.record(event)
    message = str(caught.value)
    assert f"rule {rule!r}" in message
    assert RULES[rule] in message
    assert event.event_type in message
    assert event.stream in message
    assert str(event.occurred_on) in message
    for word in words:
        assert word in message
    assert store.head() == head
    assert store.stream_version(event.stream) == version
    # the refused event left the cached state alone: a fresh load agrees
    assert Recorder(store).state(event.stream) == recorder.state(event.stream)
    return message


def test_every_rule_is_documented_in_the_package_docstring() -> None:
    import hubcore.domain

    for code in RULES:
        assert f"``{code}``" in (hubcore.domain.__doc__ or "")


def test_a_valid_history_is_recorded(recorder: Recorder) -> None:
    results = recorder.record_many(
        [
            registered(URN),
            conversation(URN, D1, "C1"),
            agreed(URN, D1, "A1", "C1"),
            completed(URN, D2, "A1"),
            evaluated(URN, D2, "E1"),
            participation(URN, D2, 300),
            established(),
            plan("north-hub", D1, 1),
        ]
    )
    assert [(r.last_version, r.last_position) for r in results] == [(6, 6), (2, 8)]
    assert recorder.store.head() == 8


def test_future_dates_are_refused(recorder: Recorder) -> None:
    recorder.record(registered(URN))
    tomorrow = TODAY + timedelta(days=1)
    refused(recorder, engaged(URN, tomorrow), "no-future-dates", f"after today ({TODAY})")
    refused(recorder, established("north-hub", tomorrow), "no-future-dates")
    recorder.record(engaged(URN, TODAY))  # today itself is fine


def test_the_clock_is_injected_and_read_per_call(store) -> None:
    days = [date(2025, 9, 1), date(2025, 12, 1)]
    recorder = Recorder(store, clock=lambda: days[0])
    recorder.record(registered(URN, D0))
    with pytest.raises(DomainError, match="no-future-dates"):
        recorder.record(engaged(URN, D2))
    days[0] = days[1]
    assert recorder.record(engaged(URN, D2)).last_version == 2


def test_default_clock_is_the_real_today(store) -> None:
    recorder = Recorder(store)
    recorder.record(registered(URN, date.today()))
    with pytest.raises(DomainError, match="no-future-dates"):
        recorder.record(engaged(URN, date.today() + timedelta(days=1)))


def test_registering_twice_is_refused(recorder: Recorder) -> None:
    recorder.record(registered(URN))
    message = refused(recorder, registered(URN, D1), "register-once", f"URN {URN}")
    assert "SchoolDetailsUpdated" in message


def test_school_events_need_the_school_registered(recorder: Recorder) -> None:
    refused(recorder, engaged(URN, D1), "school-registered-first", f"URN {URN}")


def test_school_events_cannot_predate_registration(recorder: Recorder) -> None:
    recorder.record(registered(URN, D1))
    refused(recorder, engaged(URN, D0), "not-before-registration", str(D1))


def test_nothing_is_dated_after_closure(recorder: Recorder) -> None:
    recorder.record_many([registered(URN), closed(URN, D1)])
    refused(recorder, engaged(URN, D2), "not-after-closure", str(D1))
    recorder.record(engaged(URN, D1))  # the closure day itself is allowed


def test_closing_twice_is_refused(recorder: Recorder) -> None:
    recorder.record_many([registered(URN), closed(URN, D2)])
    refused(recorder, closed(URN, D1), "close-once", str(D2))


def test_closure_cannot_predate_recorded_events(recorder: Recorder) -> None:
    recorder.record_many([registered(URN), engaged(URN, D2)])
    refused(recorder, closed(URN, D1), "closure-after-recorded-events", str(D2))


@pytest.mark.parametrize(
    ("first", "again", "field"),
    [
        (conversation(URN, D1, "C1"), conversation(URN, D2, "C1"), "conversation_id 'C1'"),
        (agreed(URN, D1, "A1"), agreed(URN, D2, "A1"), "action_id 'A1'"),
        (evaluated(URN, D1, "E1"), evaluated(URN, D2, "E1"), "evaluation_id 'E1'"),
    ],
)
def test_ids_are_unique_within_a_school(recorder, first, again, field) -> None:
    recorder.record_many([registered(URN), first])
    refused(recorder, again, "unique-ids", field)


def test_ids_may_repeat_in_another_school(recorder: Recorder) -> None:
    recorder.record_many([registered(URN), registered(LEAD), conversation(URN, D1, "C1")])
    recorder.record(conversation(LEAD, D1, "C1"))
    assert recorder.store.head() == 4


def test_completing_needs_an_agreed_action(recorder: Recorder) -> None:
    recorder.record_many([registered(URN), agreed(URN, D1, "A1")])
    refused(recorder, completed(URN, D2, "A2"), "action-agreed-first", "action_id 'A2'")


def test_completing_twice_is_refused(recorder: Recorder) -> None:
    recorder.record_many([registered(URN), agreed(URN, D1, "A1"), completed(URN, D1, "A1")])
    refused(recorder, completed(URN, D2, "A1"), "action-completed-once", "'A1'")


def test_withdrawing_needs_an_agreed_action(recorder: Recorder) -> None:
    recorder.record_many([registered(URN), agreed(URN, D1, "A1")])
    refused(recorder, withdrawn(URN, D2, "A2"), "action-agreed-first", "action_id 'A2'")


def test_only_an_open_action_can_be_withdrawn(recorder: Recorder) -> None:
    recorder.record_many([registered(URN), agreed(URN, D1, "A1"), agreed(URN, D1, "A2")])
    recorder.record_many([completed(URN, D1, "A1"), withdrawn(URN, D1, "A2")])
    refused(recorder, withdrawn(URN, D2, "A1"), "action-withdrawn-while-open", "'A1'")
    refused(recorder, withdrawn(URN, D2, "A2"), "action-withdrawn-while-open", "'A2'")


def test_a_withdrawn_action_cannot_be_completed(recorder: Recorder) -> None:
    recorder.record_many([registered(URN), agreed(URN, D1, "A1"), withdrawn(URN, D1, "A1")])
    refused(recorder, completed(URN, D2, "A1"), "action-completed-once", "withdrawn")


def test_a_superseding_action_must_be_agreed_first(recorder: Recorder) -> None:
    recorder.record_many([registered(URN), agreed(URN, D1, "A1")])
    refused(recorder, withdrawn(URN, D2, "A1", by="A2"), "superseding-action-agreed-first", "'A2'")
    recorder.record_many([agreed(URN, D2, "A2"), withdrawn(URN, D2, "A1", by="A2")])
    state = recorder.state(f"school-{URN}")
    assert state.open_actions == frozenset({"A2"})
    assert state.actions == frozenset({"A1", "A2"})


def test_an_action_from_a_conversation_needs_that_conversation(recorder: Recorder) -> None:
    recorder.record_many([registered(URN), conversation(URN, D1, "C1")])
    refused(recorder, agreed(URN, D1, "A1", "C2"), "conversation-held-first", "'C2'")
    recorder.record(agreed(URN, D1, "A1", "C1"))


def test_participation_within_latest_roll(recorder: Recorder) -> None:
    recorder.record_many([registered(URN, pupils=300), participation(URN, D1, 300)])
    recorder.record(updated(URN, D1, 200))
    message = refused(recorder, participation(URN, D2, 201), "participation-within-roll")
    assert "201" in message
    assert "200" in message
    recorder.record(updated(URN, D2, 400))
    recorder.record(participation(URN, D2, 400))


def test_support_needs_the_lead_school_registered(recorder: Recorder) -> None:
    recorder.record(registered(URN))
    refused(
        recorder,
        support(URN, D1, LEAD),
        "support-between-registered-schools",
        f"lead school URN {LEAD} is not registered",
    )


def test_support_needs_the_supported_school_registered(recorder: Recorder) -> None:
    recorder.record(registered(LEAD))
    refused(recorder, support(URN, D1, LEAD), "school-registered-first")


def test_support_needs_the_lead_school_open(recorder: Recorder) -> None:
    recorder.record_many([registered(URN), registered(LEAD), closed(LEAD, D1)])
    refused(
        recorder,
        support(URN, D2, LEAD),
        "support-between-registered-schools",
        f"closed on {D1}",
    )
    recorder.record(support(URN, D1, LEAD))


def test_support_needs_the_lead_school_registered_by_then(recorder: Recorder) -> None:
    recorder.record_many([registered(URN), registered(LEAD, D2)])
    refused(recorder, support(URN, D1, LEAD), "support-between-registered-schools", "later")


def test_support_within_one_batch_sees_the_lead_registered_earlier(recorder) -> None:
    recorder.record_many([registered(URN), registered(LEAD), support(URN, D1, LEAD)])
    assert recorder.store.head() == 3


def test_support_between_one_school_and_itself_is_refused_by_decide() -> None:
    from hubcore.domain import SchoolState, decide

    event = support(URN, D1, LEAD)
    state = SchoolState(URN, version=1, registered_on=D0, latest_on=D0)
    lead = SchoolState(LEAD, version=1, registered_on=D0, latest_on=D0)
    decide(state, event, TODAY, lambda urn: lead)  # accepted
    # the event class already refuses lead_urn == urn; decide guards on its own too
    import attrs

    same = attrs.evolve(event, lead_urn=LEAD)
    object.__setattr__(same, "lead_urn", URN)
    with pytest.raises(DomainError, match="itself"):
        decide(state, same, TODAY, lambda urn: state)


def test_establishing_twice_is_refused(recorder: Recorder) -> None:
    recorder.record(established())
    refused(recorder, established("north-hub", D1), "establish-once", "hub 'north-hub'")


def test_hub_events_need_the_hub_established(recorder: Recorder) -> None:
    refused(recorder, partner("north-hub", D1, "P1"), "hub-established-first", "'north-hub'")


def test_hub_events_cannot_predate_establishment(recorder: Recorder) -> None:
    recorder.record(established("north-hub", D1))
    refused(recorder, plan("north-hub", D0, 1), "not-before-establishment", str(D1))


def test_plan_versions_strictly_increase(recorder: Recorder) -> None:
    recorder.record_many([established(), plan("north-hub", D1, 2)])
    refused(recorder, plan("north-hub", D2, 2), "plan-versions-increase", "2")
    refused(recorder, plan("north-hub", D2, 1), "plan-versions-increase")
    recorder.record(plan("north-hub", D2, 5))


def test_a_youth_consultation_is_recorded_once(recorder: Recorder) -> None:
    refused(recorder, consultation("north-hub", D1, "yc-1"), "hub-established-first")
    recorder.record_many([established(), consultation("north-hub", D1, "yc-1")])
    refused(recorder, consultation("north-hub", D2, "yc-1"), "consultation-recorded-once", "yc-1")
    recorder.record(consultation("north-hub", D2, "yc-2"))
    assert recorder.hub("north-hub").consultations == {"yc-1", "yc-2"}


def test_decide_refuses_an_event_of_another_stream() -> None:
    from hubcore import InvalidEvent
    from hubcore.domain import HubState, SchoolState, decide

    with pytest.raises(InvalidEvent, match="school-100002"):
        decide(SchoolState(URN), registered(LEAD), TODAY, SchoolState)
    with pytest.raises(InvalidEvent, match="hub-north-hub"):
        decide(HubState("other"), established(), TODAY, SchoolState)
    with pytest.raises(InvalidEvent):
        decide(HubState("north-hub"), registered(URN), TODAY, SchoolState)
