"""Bad input fails with the right hubcore error, and never with a bare Python exception."""

from __future__ import annotations

import contextlib

import attrs
import orjson
import pytest
from hypothesis import given
from hypothesis import strategies as st

from hubcore import codec
from hubcore.errors import CorruptRecord, HubcoreError, InvalidEvent, UnknownEventType
from hubcore.events import EVENT_TYPES, Event
from hubcore.testing.strategies import (
    InvalidCase,
    events,
    invalid_event_kwargs,
    invalid_payloads,
)

EVENT_NAMES = sorted(EVENT_TYPES)

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(2**63), 2**64 - 1)
    | st.floats(allow_nan=False)
    | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=12,
)


def _decodes_or_fails_cleanly(payload: bytes) -> None:
    """``decode`` either returns an event or raises a HubcoreError; nothing else."""
    try:
        event = codec.decode(payload)
    except HubcoreError:
        return
    assert isinstance(event, Event)
    assert attrs.evolve(event) == event  # whatever the strict decoder accepts is valid


@pytest.mark.parametrize("event_type", EVENT_NAMES)
@given(data=st.data())
def test_each_broken_field_raises_invalid_event_naming_it(
    event_type: str, data: st.DataObject
) -> None:
    cls = EVENT_TYPES[event_type]
    case = data.draw(invalid_event_kwargs(cls))
    assert case.event_class is cls
    with pytest.raises(InvalidEvent) as caught:
        cls(**case.kwargs)
    assert caught.value.event_type == event_type
    assert caught.value.field == case.field
    assert f"{event_type}.{case.field}" in str(caught.value)


@given(invalid_event_kwargs())
def test_invalid_cases_break_only_their_field(case: InvalidCase) -> None:
    # The same kwargs with the broken field restored from a valid event must construct.
    cls, kwargs, field = case
    with pytest.raises(InvalidEvent):
        cls(**kwargs)
    assert field in {a.name for a in attrs.fields(cls)}


@given(invalid_payloads())
def test_invalid_payloads_are_refused_with_a_hubcore_error(payload: bytes) -> None:
    with pytest.raises((CorruptRecord, UnknownEventType, InvalidEvent)):
        codec.decode(payload)


@given(st.binary(max_size=200))
def test_arbitrary_bytes_never_escape_as_bare_exceptions(payload: bytes) -> None:
    _decodes_or_fails_cleanly(payload)
    for event_type in ("SchoolRegistered", "TrainingDelivered", "NoSuchEvent"):
        for version in (0, 1, 2, 99):
            with contextlib.suppress(HubcoreError):
                codec.decode_trusted(payload, event_type, version)


@given(json_values)
def test_arbitrary_json_never_escapes_as_bare_exceptions(value: object) -> None:
    _decodes_or_fails_cleanly(orjson.dumps(value))


@given(
    st.sampled_from(EVENT_NAMES).flatmap(
        lambda name: st.dictionaries(
            st.sampled_from([a.name for a in attrs.fields(EVENT_TYPES[name])] + ["extra"]),
            json_values,
        ).map(lambda body: {"type": name, **body})
    )
)
def test_tagged_objects_with_arbitrary_fields_fail_cleanly(obj: dict[str, object]) -> None:
    payload = orjson.dumps(obj)
    _decodes_or_fails_cleanly(payload)
    with contextlib.suppress(HubcoreError):
        codec.decode_trusted(payload, str(obj["type"]), 1)


@given(events(), st.data())
def test_mutated_valid_payloads_fail_cleanly(event: Event, data: st.DataObject) -> None:
    obj = orjson.loads(codec.encode(event))
    key = data.draw(st.sampled_from(sorted(obj)), label="key")
    action = data.draw(st.sampled_from(["replace", "delete", "nest"]), label="action")
    if action == "delete":
        del obj[key]
    elif action == "replace":
        obj[key] = data.draw(json_values, label="value")
    else:
        obj[key] = {"value": obj[key]}
    payload = orjson.dumps(obj)
    _decodes_or_fails_cleanly(payload)
    for version in (1, event.schema_version):
        with contextlib.suppress(HubcoreError):
            codec.decode_trusted(payload, event.event_type, version)


@given(events())
def test_truncated_payloads_are_corrupt(event: Event) -> None:
    payload = codec.encode(event)
    with pytest.raises(CorruptRecord):
        codec.decode(payload[:-1])
    with pytest.raises(CorruptRecord):
        codec.decode_trusted(payload[:-1], event.event_type, event.schema_version)


def test_unknown_event_types_are_named() -> None:
    payload = b'{"type": "SchoolTeleported", "occurred_on": "2025-09-03", "urn": 123456}'
    with pytest.raises(UnknownEventType, match="SchoolTeleported"):
        codec.decode(payload)
    with pytest.raises(UnknownEventType, match="SchoolTeleported"):
        codec.decode_trusted(payload, "SchoolTeleported", 1)
    with pytest.raises(UnknownEventType):
        codec.current_schema_version("SchoolTeleported")


@pytest.mark.parametrize(
    "payload",
    [
        b"",
        b"not json",
        b"{",
        b"[]",
        b"null",
        b'"SchoolClosed"',
        b'{"occurred_on": "2025-09-03", "urn": 123456, "reason": "merged"}',
        b'{"type": 7, "occurred_on": "2025-09-03", "urn": 123456, "reason": "merged"}',
        b'{"type": "SchoolClosed", "urn": 123456, "reason": "merged"}',
        b'{"type": "SchoolClosed", "occurred_on": "03/09/2025", "urn": 123456, "reason": "x"}',
        b'{"type": "SchoolClosed", "occurred_on": "2025-09-03", "urn": "123456", "reason": "x"}',
        b'{"type": "SchoolClosed", "occurred_on": "2025-09-03", "urn": 123456, "reason": "x",'
        b' "why": "extra"}',
    ],
)
def test_malformed_payloads_are_corrupt_records(payload: bytes) -> None:
    with pytest.raises(CorruptRecord):
        codec.decode(payload)


def test_a_rule_broken_inside_a_payload_names_the_event_and_field() -> None:
    payload = b'{"type": "SchoolClosed", "occurred_on": "2025-09-03", "urn": 12, "reason": "x"}'
    with pytest.raises(InvalidEvent) as caught:
        codec.decode(payload)
    assert (caught.value.event_type, caught.value.field) == ("SchoolClosed", "urn")


@pytest.mark.parametrize("event_type", EVENT_NAMES)
def test_a_newer_schema_version_than_known_is_a_corrupt_record(event_type: str) -> None:
    cls = EVENT_TYPES[event_type]
    event = events().filter(lambda e: type(e) is cls)
    del event  # the payload's content does not matter: the version is checked first
    payload = orjson.dumps({"type": event_type})
    newer = cls.schema_version + 1
    with pytest.raises(CorruptRecord, match="newer"):
        codec.decode(payload, schema_version=newer)
    with pytest.raises(CorruptRecord, match="newer"):
        codec.decode_trusted(payload, event_type, newer)


@pytest.mark.parametrize("version", [0, -1])
def test_impossible_schema_versions_are_corrupt_records(version: int) -> None:
    payload = b'{"type": "SchoolClosed", "occurred_on": "2025-09-03", "urn": 123456, "reason": "x"}'
    with pytest.raises(CorruptRecord):
        codec.decode(payload, schema_version=version)
    with pytest.raises(CorruptRecord):
        codec.decode_trusted(payload, "SchoolClosed", version)
