from __future__ import annotations

import codecs
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hubcore import ImportFailed, codec
from hubcore.demo import generate_hub
from hubcore.events import SchoolClosed, SchoolRegistered
from hubcore.imports import read_jsonl
from hubcore.vocabulary import Phase

REGISTERED = SchoolRegistered(
    occurred_on=date(2025, 9, 1),
    urn=123456,
    name="St Aidan\u2019s Primary",
    phase=Phase.PRIMARY,
    la_code="901",
    pupils_on_roll=250,
)
CLOSED = SchoolClosed(occurred_on=date(2025, 12, 1), urn=123456, reason="merged")


def lines(*items: bytes | str) -> bytes:
    return b"\n".join(i.encode() if isinstance(i, str) else i for i in items) + b"\n"


def problems_of(data: bytes) -> list[tuple[int, str, str]]:
    with pytest.raises(ImportFailed) as caught:
        read_jsonl(data, name="events.jsonl")
    assert caught.value.source == "events.jsonl"
    return caught.value.problems


def test_reads_one_event_per_line_skipping_blank_lines():
    data = lines(codec.encode(REGISTERED), "", "   ", codec.encode(CLOSED))
    assert read_jsonl(data) == [REGISTERED, CLOSED]


def test_a_bom_is_tolerated():
    assert read_jsonl(codecs.BOM_UTF8 + lines(codec.encode(REGISTERED))) == [REGISTERED]


def test_every_bad_line_is_listed():
    data = lines(
        codec.encode(REGISTERED),  # 1
        "[1, 2]",  # 2
        "{not json",  # 3
        '{"type": "NoSuchEvent"}',  # 4
        '{"type": "SchoolClosed", "occurred_on": "2025-12-01", "urn": 12, "reason": "x"}',  # 5
        '{"type": "SchoolClosed", "occurred_on": "2025-12-01", "urn": 123456}',  # 6
        "42",  # 7
    )
    problems = problems_of(data)
    assert [(line, column) for line, column, _ in problems] == [
        (2, "file"),
        (3, "file"),
        (4, "type"),
        (5, "urn"),
        (6, "SchoolClosed"),
        (7, "file"),
    ]
    assert problems[0][2] == "expected a JSON object, got list"
    assert problems[5][2] == "expected a JSON object, got int"
    assert "not valid JSON" in problems[1][2]
    assert "NoSuchEvent" in problems[2][2]
    assert "6-digit URN" in problems[3][2]
    assert "reason" in problems[4][2]


@pytest.mark.parametrize("data", [b"", b"\n\n  \n"])
def test_an_empty_file_is_refused(data):
    assert problems_of(data) == [(1, "file", "the file is empty")]


def test_binary_and_non_utf8_input_is_refused():
    assert "binary" in problems_of(lines(codec.encode(REGISTERED), b"\x00\x00"))[0][2]
    problem = problems_of(lines(codec.encode(REGISTERED), b'{"type": "\xe9"}'))[0]
    assert problem[0] == 2
    assert "UTF-8" in problem[2]


def test_demo_events_round_trip_through_jsonl():
    events = list(generate_hub(schools=20, years=1, today=date(2025, 8, 31)))
    assert any(e.event_type == "ProvisionReported" for e in events)
    data = b"\n".join(codec.encode(e) for e in events)
    assert read_jsonl(data) == events


@given(bad=st.sets(st.integers(1, 30), min_size=1, max_size=30))
def test_problems_name_exactly_the_bad_lines(bad):
    good = codec.encode(CLOSED).decode()
    data = lines(*("[]" if n in bad else good for n in range(1, 31)))
    assert [line for line, _, _ in problems_of(data)] == sorted(bad)
