"""Stored version-1 school payloads (no ``send_pct``) are lifted to version 2 on read."""

from __future__ import annotations

from datetime import date

import attrs
import orjson
import pytest
from hypothesis import given

from hubcore import codec
from hubcore.errors import CorruptRecord, InvalidEvent
from hubcore.events import SchoolDetailsUpdated, SchoolRegistered
from hubcore.testing.strategies import school_details_updated, school_registered
from hubcore.vocabulary import Phase

# Written by hubcore before schema version 2: no "send_pct".
REGISTERED_V1 = (
    b'{"type":"SchoolRegistered","occurred_on":"2024-09-02","urn":123456,'
    b'"name":"Larkfield Primary",'
    b'"phase":"primary","la_code":"901","pupils_on_roll":315,"disadvantaged_pct":22.5}'
)
UPDATED_V1 = (
    b'{"type":"SchoolDetailsUpdated","occurred_on":"2025-01-16","urn":123456,'
    b'"name":null,"phase":null,'
    b'"pupils_on_roll":330,"disadvantaged_pct":null}'
)


def test_school_events_are_at_version_2() -> None:
    assert codec.current_schema_version("SchoolRegistered") == 2
    assert codec.current_schema_version("SchoolDetailsUpdated") == 2


def test_a_v1_registration_decodes_with_no_send_share() -> None:
    expected = SchoolRegistered(
        occurred_on=date(2024, 9, 2),
        urn=123456,
        name="Larkfield Primary",
        phase=Phase.PRIMARY,
        la_code="901",
        pupils_on_roll=315,
        disadvantaged_pct=22.5,
    )
    assert codec.decode(REGISTERED_V1, schema_version=1) == expected
    assert codec.decode_trusted(REGISTERED_V1, "SchoolRegistered", 1) == expected
    assert expected.send_pct is None


def test_a_v1_update_decodes_with_no_send_share() -> None:
    event = codec.decode(UPDATED_V1, schema_version=1)
    assert isinstance(event, SchoolDetailsUpdated)
    assert (event.pupils_on_roll, event.send_pct) == (330, None)
    assert codec.decode_trusted(UPDATED_V1, "SchoolDetailsUpdated", 1) == event


def test_a_v1_payload_carrying_send_pct_is_corrupt() -> None:
    forged = REGISTERED_V1.replace(b'"disadvantaged_pct"', b'"send_pct":10.0,"disadvantaged_pct"')
    with pytest.raises(CorruptRecord, match="send_pct"):
        codec.decode(forged, schema_version=1)
    with pytest.raises(CorruptRecord, match="send_pct"):
        codec.decode_trusted(forged, "SchoolRegistered", 1)


def test_an_update_giving_only_the_send_share_is_valid() -> None:
    event = SchoolDetailsUpdated(occurred_on=date(2025, 1, 16), urn=123456, send_pct=14.2)
    assert codec.decode(codec.encode(event)) == event


def _as_v1(event: SchoolRegistered | SchoolDetailsUpdated) -> bytes:
    obj = orjson.loads(codec.encode(event))
    del obj["send_pct"]
    return orjson.dumps(obj)


@given(school_registered())
def test_any_v1_registration_upcasts_to_the_event_without_a_send_share(
    event: SchoolRegistered,
) -> None:
    expected = attrs.evolve(event, send_pct=None)
    payload = _as_v1(event)
    assert codec.decode(payload, schema_version=1) == expected
    assert codec.decode_trusted(payload, "SchoolRegistered", 1) == expected


@given(school_details_updated())
def test_any_v1_update_upcasts_or_is_refused_for_having_no_detail(
    event: SchoolDetailsUpdated,
) -> None:
    payload = _as_v1(event)
    if (event.name, event.phase, event.pupils_on_roll, event.disadvantaged_pct) == (None,) * 4:
        # Only the SEND share was given: without it, v1 has no detail at all.
        with pytest.raises(InvalidEvent):
            codec.decode(payload, schema_version=1)
        return
    expected = attrs.evolve(event, send_pct=None)
    assert codec.decode(payload, schema_version=1) == expected
    assert codec.decode_trusted(payload, "SchoolDetailsUpdated", 1) == expected
