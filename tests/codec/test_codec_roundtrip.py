"""Every valid event survives the codec, strict and trusted, with deterministic bytes."""

from __future__ import annotations

import attrs
import orjson
import pytest
from hypothesis import given
from hypothesis import strategies as st

from hubcore import codec
from hubcore.events import EVENT_TYPES, Event
from hubcore.testing.strategies import EVENT_STRATEGIES, events

EVENT_NAMES = sorted(EVENT_TYPES)


def test_the_strategies_cover_every_event_type() -> None:
    assert set(EVENT_STRATEGIES) == set(EVENT_TYPES.values())


@pytest.mark.parametrize("event_type", EVENT_NAMES)
@given(data=st.data())
def test_every_event_is_valid_and_round_trips(event_type: str, data: st.DataObject) -> None:
    cls = EVENT_TYPES[event_type]
    event = data.draw(EVENT_STRATEGIES[cls](), label="event")
    assert type(event) is cls
    assert attrs.evolve(event) == event  # validators and cross-field rules pass again
    payload = codec.encode(event)
    assert orjson.loads(payload)["type"] == event_type
    assert codec.decode(payload) == event
    assert codec.decode(payload, schema_version=cls.schema_version) == event
    assert codec.decode_trusted(payload, event_type, cls.schema_version) == event
    assert codec.from_dict(orjson.loads(orjson.dumps(codec.to_dict(event)))) == event


@given(events())
def test_encoding_is_stable_across_a_round_trip(event: Event) -> None:
    payload = codec.encode(event)
    assert codec.encode(event) == payload
    assert codec.encode(codec.decode(payload)) == payload
    assert codec.encode(attrs.evolve(event)) == payload


def _rebuilt_in_reverse(event: Event) -> Event:
    """An equal event whose sets and mappings were built in the reverse order."""
    changes = {}
    for field in attrs.fields(type(event)):
        value = getattr(event, field.name)
        if isinstance(value, frozenset):
            changes[field.name] = list(reversed(list(value)))
        elif isinstance(value, dict):
            changes[field.name] = dict(reversed(list(value.items())))
    return attrs.evolve(event, **changes)


@given(events())
def test_equal_events_encode_to_the_same_bytes(event: Event) -> None:
    twin = _rebuilt_in_reverse(event)
    assert twin == event
    assert codec.encode(twin) == codec.encode(event)


@given(events())
def test_sets_are_stored_sorted(event: Event) -> None:
    obj = orjson.loads(codec.encode(event))
    for field in attrs.fields(type(event)):
        if isinstance(getattr(event, field.name), frozenset):
            stored = obj[field.name]
            assert stored == sorted(stored)


@given(events())
def test_from_dict_reads_what_to_dict_gives(event: Event) -> None:
    assert codec.from_dict(codec.to_dict(event)) == event
