"""The domain rules: ``decide(state, event, today, lookup)`` accepts an event or refuses it."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from types import MappingProxyType
from typing import Any

from hubcore.domain._state import HubState, SchoolState, StreamState
from hubcore.errors import DomainError, InvalidEvent
from hubcore.events import (
    ActionAgreed,
    ActionCompleted,
    ActionWithdrawn,
    ConversationHeld,
    Event,
    HubEstablished,
    HubEvent,
    ImpactEvaluated,
    MusicEducationPlanPublished,
    ParticipationRecorded,
    SchoolClosed,
    SchoolEvent,
    SchoolRegistered,
    SchoolToSchoolSupportBrokered,
    YouthConsultationHeld,
)

__all__ = ["RULES", "SchoolLookup", "decide"]

SchoolLookup = Callable[[int], SchoolState]
"""Gives the current state of another school by URN (an empty state if unknown)."""

RULES: Mapping[str, str] = MappingProxyType(
    {
        "no-future-dates": "no event may be dated after today",
        "register-once": "a school is registered once (use SchoolDetailsUpdated to change it)",
        "school-registered-first": "a school event needs the school registered first",
        "not-before-registration": "no school event may be dated before its registration",
        "not-after-closure": "no school event may be dated after the school's closure",
        "close-once": "a closed school cannot be closed again",
        "closure-after-recorded-events": (
            "a closure cannot be dated before events already recorded for the school"
        ),
        "unique-ids": "conversation, action and evaluation ids are unique within a school",
        "action-agreed-first": (
            "ActionCompleted and ActionWithdrawn need an ActionAgreed with that action_id"
        ),
        "action-completed-once": "an action is completed once, and not once withdrawn",
        "action-withdrawn-while-open": (
            "only an open action (neither completed nor withdrawn) can be withdrawn"
        ),
        "superseding-action-agreed-first": (
            "ActionWithdrawn's superseded_by needs an ActionAgreed with that action_id"
        ),
        "conversation-held-first": (
            "ActionAgreed with a conversation_id needs that conversation in the stream"
        ),
        "participation-within-roll": (
            "participation counts cannot exceed the school's latest pupils_on_roll"
        ),
        "support-between-registered-schools": (
            "school-to-school support needs two different registered schools, the lead"
            " school open on that date"
        ),
        "establish-once": "a hub is established once",
        "hub-established-first": "a hub event needs HubEstablished first",
        "not-before-establishment": "no hub event may be dated before the hub was established",
        "plan-versions-increase": "music education plan versions strictly increase",
        "consultation-recorded-once": "a youth consultation id is used once per hub",
    }
)
"""Every rule code, with the rule in words. Error messages name the code."""


def _where(state: StreamState) -> str:
    if isinstance(state, SchoolState):
        return f"school URN {state.urn} (stream {state.stream})"
    return f"hub {state.hub_id!r} (stream {state.stream})"


def _refuse(state: StreamState, event: Event, rule: str, detail: str) -> DomainError:
    return DomainError(
        f"{event.event_type} dated {event.occurred_on} for {_where(state)} refused by rule"
        f" {rule!r} ({RULES[rule]}): {detail}; nothing was appended",
        rule=rule,
        stream=state.stream,
        event_type=event.event_type,
    )


def decide(state: StreamState, event: Event, today: date, lookup: SchoolLookup) -> None:
    """Accept ``event`` on a stream in ``state``, or raise :class:`hubcore.DomainError`.

    Pure: reads ``state``, ``today`` and (for school-to-school support) ``lookup``, the state
    of another school by URN. ``state`` must be the state of ``event.stream``.
    """
    if event.occurred_on > today:
        raise _refuse(
            state, event, "no-future-dates", f"{event.occurred_on} is after today ({today})"
        )
    if isinstance(state, SchoolState):
        if not isinstance(event, SchoolEvent) or event.urn != state.urn:
            raise _elsewhere(state, event)
        _decide_school(state, event, lookup)
    else:
        if not isinstance(event, HubEvent) or event.hub_id != state.hub_id:
            raise _elsewhere(state, event)
        _decide_hub(state, event)


def _elsewhere(state: StreamState, event: Event) -> InvalidEvent:
    return InvalidEvent(
        event.event_type, "stream", f"belongs in {event.stream}, not in {state.stream}"
    )


def _decide_school(state: SchoolState, event: SchoolEvent, lookup: SchoolLookup) -> None:
    registered_on = state.registered_on
    if type(event) is SchoolRegistered:
        if registered_on is not None:
            raise _refuse(state, event, "register-once", f"already registered on {registered_on}")
        return
    if registered_on is None:
        raise _refuse(state, event, "school-registered-first", "the school is not registered")
    day = event.occurred_on
    if day < registered_on:
        raise _refuse(state, event, "not-before-registration", f"registered on {registered_on}")
    if state.closed_on is not None and day > state.closed_on:
        raise _refuse(state, event, "not-after-closure", f"closed on {state.closed_on}")
    check = _SCHOOL_CHECKS.get(type(event))
    if check is not None:
        check(state, event, lookup)


def _closed(state: SchoolState, event: SchoolClosed, lookup: SchoolLookup) -> None:
    if state.closed_on is not None:
        raise _refuse(state, event, "close-once", f"already closed on {state.closed_on}")
    if state.latest_on is not None and event.occurred_on < state.latest_on:
        raise _refuse(
            state,
            event,
            "closure-after-recorded-events",
            f"events up to {state.latest_on} are already recorded",
        )


def _duplicate(state: SchoolState, event: Event, field: str, value: str) -> DomainError:
    return _refuse(
        state, event, "unique-ids", f"{field} {value!r} is already recorded for this school"
    )


def _conversation(state: SchoolState, event: ConversationHeld, lookup: SchoolLookup) -> None:
    if event.conversation_id in state.conversations:
        raise _duplicate(state, event, "conversation_id", event.conversation_id)


def _agreed(state: SchoolState, event: ActionAgreed, lookup: SchoolLookup) -> None:
    if event.action_id in state.actions:
        raise _duplicate(state, event, "action_id", event.action_id)
    conversation = event.conversation_id
    if conversation is not None and conversation not in state.conversations:
        raise _refuse(
            state,
            event,
            "conversation-held-first",
            f"no ConversationHeld with conversation_id {conversation!r} in this stream",
        )


def _completed(state: SchoolState, event: ActionCompleted, lookup: SchoolLookup) -> None:
    action = event.action_id
    if action not in state.actions:
        raise _refuse(
            state,
            event,
            "action-agreed-first",
            f"no ActionAgreed with action_id {action!r} in this stream",
        )
    if action not in state.open_actions:
        raise _refuse(
            state,
            event,
            "action-completed-once",
            f"action {action!r} is already completed or withdrawn",
        )


def _withdrawn(state: SchoolState, event: ActionWithdrawn, lookup: SchoolLookup) -> None:
    action = event.action_id
    if action not in state.actions:
        raise _refuse(
            state,
            event,
            "action-agreed-first",
            f"no ActionAgreed with action_id {action!r} in this stream",
        )
    if action not in state.open_actions:
        raise _refuse(
            state,
            event,
            "action-withdrawn-while-open",
            f"action {action!r} is already completed or withdrawn",
        )
    successor = event.superseded_by
    if successor is not None and successor not in state.actions:
        raise _refuse(
            state,
            event,
            "superseding-action-agreed-first",
            f"no ActionAgreed with action_id {successor!r} in this stream",
        )


def _evaluated(state: SchoolState, event: ImpactEvaluated, lookup: SchoolLookup) -> None:
    if event.evaluation_id in state.evaluations:
        raise _duplicate(state, event, "evaluation_id", event.evaluation_id)


def _participation(state: SchoolState, event: ParticipationRecorded, lookup: SchoolLookup) -> None:
    if event.pupils > state.pupils_on_roll:
        raise _refuse(
            state,
            event,
            "participation-within-roll",
            f"pupils {event.pupils} exceeds pupils_on_roll {state.pupils_on_roll}",
        )


def _support(
    state: SchoolState, event: SchoolToSchoolSupportBrokered, lookup: SchoolLookup
) -> None:
    rule = "support-between-registered-schools"
    lead_urn = event.lead_urn
    if lead_urn == state.urn:
        raise _refuse(state, event, rule, "lead_urn is the supported school itself")
    lead = lookup(lead_urn)
    if lead.registered_on is None:
        raise _refuse(state, event, rule, f"lead school URN {lead_urn} is not registered")
    if event.occurred_on < lead.registered_on:
        raise _refuse(
            state,
            event,
            rule,
            f"lead school URN {lead_urn} was registered later, on {lead.registered_on}",
        )
    if lead.closed_on is not None and event.occurred_on > lead.closed_on:
        raise _refuse(state, event, rule, f"lead school URN {lead_urn} closed on {lead.closed_on}")


_SCHOOL_CHECKS: dict[type[Event], Callable[[SchoolState, Any, SchoolLookup], None]] = {
    SchoolClosed: _closed,
    ConversationHeld: _conversation,
    ActionAgreed: _agreed,
    ActionCompleted: _completed,
    ActionWithdrawn: _withdrawn,
    ImpactEvaluated: _evaluated,
    ParticipationRecorded: _participation,
    SchoolToSchoolSupportBrokered: _support,
}


def _decide_hub(state: HubState, event: HubEvent) -> None:
    established_on = state.established_on
    if type(event) is HubEstablished:
        if established_on is not None:
            raise _refuse(
                state, event, "establish-once", f"already established on {established_on}"
            )
        return
    if established_on is None:
        raise _refuse(state, event, "hub-established-first", "the hub is not established")
    if event.occurred_on < established_on:
        raise _refuse(state, event, "not-before-establishment", f"established on {established_on}")
    if type(event) is MusicEducationPlanPublished and event.plan_version <= state.plan_version:
        raise _refuse(
            state,
            event,
            "plan-versions-increase",
            f"plan_version {event.plan_version} is not after the latest, {state.plan_version}",
        )
    if type(event) is YouthConsultationHeld and event.consultation_id in state.consultations:
        raise _refuse(
            state,
            event,
            "consultation-recorded-once",
            f"consultation_id {event.consultation_id!r} is already recorded for this hub",
        )
