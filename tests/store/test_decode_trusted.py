"""The fast trusted decoder builds exactly the events the strict decoder does."""

from __future__ import annotations

import orjson
import pytest
from hypothesis import given
from hypothesis import strategies as st

from hubcore import codec
from hubcore.errors import CorruptRecord, UnknownEventType
from hubcore.events import EVENT_TYPES, Event
from hubcore.testing.conformance import school_events


def _same(a: Event, b: Event) -> None:
    assert a == b
    assert type(a) is type(b)
    for name in a.__slots__:  # type: ignore[attr-defined]
        if hasattr(a, name) and not name.startswith("__"):
            assert type(getattr(a, name)) is type(getattr(b, name)), name


def test_every_event_type_has_a_fast_structure() -> None:
    assert set(codec._CURRENT) == set(EVENT_TYPES)


@given(st.integers(100000, 999999), st.integers(1, 30))
def test_fast_decode_equals_strict_decode(urn: int, count: int) -> None:
    for event in school_events(urn, count, "d"):
        payload = codec.encode(event)
        fast = codec.decode_trusted(payload, event.event_type, event.schema_version)
        _same(fast, event)
        _same(fast, codec.decode(payload))


def test_defaults_fill_missing_optional_fields() -> None:
    event = school_events(100001, 3)[2]  # ConversationHeld: several defaulted fields
    obj = codec.to_dict(event)
    for name in ("judgements", "quality_judged_by", "next_due_on"):
        obj.pop(name)
    fast = codec.decode_trusted(orjson.dumps(obj), event.event_type, event.schema_version)
    assert fast.judgements == {}  # type: ignore[attr-defined]
    assert fast.quality_judged_by == frozenset()  # type: ignore[attr-defined]
    assert fast.next_due_on is None  # type: ignore[attr-defined]


def test_old_schema_is_upcast() -> None:
    event = school_events(100001, 4)[3]  # TrainingDelivered, schema 2
    obj = codec.to_dict(event)
    obj["minutes"] = round(obj.pop("hours") * 60)
    obj.pop("delivered_by")
    old = codec.decode_trusted(orjson.dumps(obj), "TrainingDelivered", 1)
    assert old == event


@pytest.mark.parametrize(
    "payload",
    [b"not json", b"[]", b"{}", b'{"type": "SchoolEngaged", "urn": 100001}', b"null"],
)
def test_bad_payloads_raise_hubcore_errors(payload: bytes) -> None:
    with pytest.raises(CorruptRecord):
        codec.decode_trusted(payload, "SchoolEngaged", 1)


def test_unknown_type() -> None:
    with pytest.raises(UnknownEventType):
        codec.decode_trusted(b"{}", "NoSuchEvent", 1)
