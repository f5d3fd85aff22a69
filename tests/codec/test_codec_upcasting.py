"""Stored version-1 TrainingDelivered payloads are lifted to version 2 on read."""

from __future__ import annotations

import contextlib
from datetime import date

import orjson
import pytest
from hypothesis import given
from hypothesis import strategies as st

from hubcore import codec
from hubcore.errors import CorruptRecord, HubcoreError, InvalidEvent
from hubcore.events import TrainingDelivered
from hubcore.testing.strategies import training_delivered
from hubcore.vocabulary import DeliveredBy, Source, TrainingFormat, TrainingTopic

# Written by hubcore before schema version 2: "minutes", and no "delivered_by".
STORED_V1 = (
    b'{"type":"TrainingDelivered","occurred_on":"2024-03-05","urn":123456,'
    b'"source":"school_return","estimated":false,"topic":"singing","format":"cpd_session",'
    b'"minutes":90,"staff_trained":4,"partner_id":null}'
)

EXPECTED = TrainingDelivered(
    occurred_on=date(2024, 3, 5),
    urn=123456,
    source=Source.SCHOOL_RETURN,
    estimated=False,
    topic=TrainingTopic.SINGING,
    format=TrainingFormat.CPD_SESSION,
    hours=1.5,
    staff_trained=4,
    delivered_by=DeliveredBy.HUB_STAFF,
    partner_id=None,
)


def test_the_current_version_is_2() -> None:
    assert TrainingDelivered.schema_version == 2
    assert codec.current_schema_version("TrainingDelivered") == 2


def test_a_stored_v1_payload_decodes_strictly_to_v2() -> None:
    assert codec.decode(STORED_V1, schema_version=1) == EXPECTED


def test_a_stored_v1_payload_decodes_trusted_to_v2() -> None:
    assert codec.decode_trusted(STORED_V1, "TrainingDelivered", 1) == EXPECTED


def test_a_v1_payload_read_as_v2_is_refused() -> None:
    # Without the version, "minutes" is an unknown key and "hours" is missing.
    with pytest.raises(CorruptRecord):
        codec.decode(STORED_V1)


def test_upcasting_leaves_the_stored_bytes_alone() -> None:
    before = bytes(STORED_V1)
    codec.decode(STORED_V1, schema_version=1)
    assert before == STORED_V1
    assert b'"hours"' in codec.encode(codec.decode(STORED_V1, schema_version=1))


def _v1_payload(event: TrainingDelivered, minutes: object) -> bytes:
    obj = orjson.loads(codec.encode(event))
    del obj["hours"], obj["delivered_by"]
    obj["minutes"] = minutes
    return orjson.dumps(obj)


@given(training_delivered(delivered_by=DeliveredBy.HUB_STAFF), st.integers(1, 40 * 60))
def test_any_v1_payload_upcasts_minutes_to_hours(event: TrainingDelivered, minutes: int) -> None:
    payload = _v1_payload(event, minutes)
    expected = TrainingDelivered(**{**_fields(event), "hours": round(minutes / 60, 4)})
    assert codec.decode(payload, schema_version=1) == expected
    assert codec.decode_trusted(payload, "TrainingDelivered", 1) == expected


@given(
    training_delivered(),
    st.one_of(st.integers(-(10**6), 0), st.integers(40 * 60 + 1, 10**6)),
)
def test_v1_minutes_out_of_range_name_the_hours_field(
    event: TrainingDelivered, minutes: int
) -> None:
    with pytest.raises(InvalidEvent) as caught:
        codec.decode(_v1_payload(event, minutes), schema_version=1)
    assert (caught.value.event_type, caught.value.field) == ("TrainingDelivered", "hours")


@pytest.mark.parametrize("minutes", ["90", None, [90], True])
def test_v1_minutes_of_the_wrong_type_are_corrupt(minutes: object) -> None:
    payload = STORED_V1.replace(b'"minutes":90', b'"minutes":' + orjson.dumps(minutes))
    with pytest.raises(CorruptRecord):
        codec.decode(payload, schema_version=1)
    # The trusted decoder does not validate, but still fails only with hubcore errors.
    with contextlib.suppress(HubcoreError):
        codec.decode_trusted(payload, "TrainingDelivered", 1)


def _fields(event: TrainingDelivered) -> dict[str, object]:
    import attrs

    return {a.name: getattr(event, a.name) for a in attrs.fields(TrainingDelivered)}
