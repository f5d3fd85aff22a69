from __future__ import annotations

import gc
from datetime import date

import attrs
import pytest

from hubcore.demo import generate_hub
from hubcore.demo._fast import trusted_constructor
from hubcore.events import EVENT_TYPES, ConversationHeld, ParticipationRecorded, StaffTimeLogged
from hubcore.vocabulary import ConversationKind, Participant, ParticipationProgramme, StaffRole

DAY = date(2025, 10, 1)


def test_defaults_and_factories_are_filled_like_attrs_does():
    make = trusted_constructor(ConversationHeld)
    fields = {
        "occurred_on": DAY,
        "urn": 123456,
        "conversation_id": "c-1",
        "kind": ConversationKind.REVIEW,
        "participants": frozenset({Participant.MUSIC_LEAD}),
    }
    fast = make(**fields)
    assert fast == ConversationHeld(**fields)
    assert fast.judgements == {}
    assert fast.judgements is not make(**fields).judgements  # a fresh dict each time
    assert fast.quality_judged_by == frozenset()


def test_plain_defaults():
    fields = {
        "occurred_on": DAY,
        "urn": 123456,
        "academic_year": "2025/26",
        "programme": ParticipationProgramme.CHOIR,
        "pupils": 12,
    }
    assert trusted_constructor(ParticipationRecorded)(**fields) == ParticipationRecorded(**fields)


def test_every_event_class_has_a_trusted_twin_taking_the_same_fields():
    for cls in EVENT_TYPES.values():
        make = trusted_constructor(cls)
        assert make is trusted_constructor(cls)  # cached
        required = {f.name for f in attrs.fields(cls) if f.default is attrs.NOTHING}
        with pytest.raises(TypeError):
            make(**dict.fromkeys(required - {"occurred_on"}))


def test_instances_are_frozen():
    event = trusted_constructor(StaffTimeLogged)(
        occurred_on=DAY,
        hub_id="demo-hub",
        period_start=DAY,
        period_end=DAY,
        staff_role=StaffRole.LEADER,
        strategic_hours=1.0,
        teaching_hours=2.0,
        other_hours=0.0,
    )
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        event.other_hours = 3.0  # type: ignore[misc]


@pytest.mark.parametrize("enabled", [True, False])
def test_the_garbage_collector_state_is_left_as_it_was(enabled):
    before = gc.isenabled()
    try:
        if enabled:
            gc.enable()
        else:
            gc.disable()
        for _ in generate_hub(schools=10, years=2, today=date(2026, 8, 31)):
            assert gc.isenabled() is enabled  # never paused while the caller runs
        assert gc.isenabled() is enabled
    finally:
        if before:
            gc.enable()
        else:
            gc.disable()
