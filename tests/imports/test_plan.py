from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hubcore import ImportFailed
from hubcore.domain import Recorder
from hubcore.events import SchoolClosed, SchoolDetailsUpdated, SchoolRegistered
from hubcore.imports import (
    CLOSED_REASON,
    SchoolDetails,
    current_schools,
    plan_school_import,
    read_gias,
)
from hubcore.store import open_store
from hubcore.vocabulary import Phase

from ._gias import CP1252, UTF8BOM, csv_bytes, row

TODAY = date(2026, 1, 15)


def recorded_store(*files: bytes):
    store = open_store("memory://")
    recorder = Recorder(store, clock=lambda: TODAY)
    for data in files:
        events = plan_school_import(read_gias(data, today=TODAY), store, today=TODAY)
        if events:
            recorder.record_many(events)
    return store, recorder


def test_new_schools_are_registered_dated_by_their_open_date():
    data = csv_bytes(
        [
            row(URN="100001", OpenDate="01-09-2012"),
            row(URN="100002"),
            row(URN="100003", OpenDate="01-09-2027"),  # future: the import date
        ]
    )
    events = plan_school_import(read_gias(data, today=TODAY), {}, today=TODAY)
    assert [type(e) for e in events] == [SchoolRegistered] * 3
    assert [e.occurred_on for e in events] == [date(2012, 9, 1), TODAY, TODAY]
    first = events[0]
    assert isinstance(first, SchoolRegistered)
    assert first.name == "Larkfield Primary School"
    assert first.phase is Phase.PRIMARY
    assert first.la_code == "901"
    assert first.pupils_on_roll == 250
    assert first.disadvantaged_pct == 21.5


def test_closed_rows_for_unknown_schools_plan_nothing():
    result = read_gias(CP1252, today=TODAY)
    events = plan_school_import(result, {}, today=TODAY)
    assert len(events) == len(result.schools)
    assert {e.urn for e in events} == {s.urn for s in result.schools}


def test_reimporting_the_same_file_plans_nothing():
    store, _ = recorded_store(CP1252.read_bytes())
    head = store.head()
    assert head == 38
    assert plan_school_import(read_gias(CP1252, today=TODAY), store, today=TODAY) == []
    # the other encoding of the same list is the same list
    assert plan_school_import(read_gias(UTF8BOM, today=TODAY), store, today=TODAY) == []
    assert store.head() == head


def test_changed_details_give_only_the_changed_fields():
    first = csv_bytes([row(URN="100001"), row(URN="100002"), row(URN="100003")])
    store, _ = recorded_store(first)
    second = csv_bytes(
        [
            row(URN="100001", NumberOfPupils="260"),
            row(URN="100002", EstablishmentName="Larkfield Academy", PercentageFSM="30"),
            row(URN="100003", PercentageFSM=""),  # a blank never erases a recorded value
        ]
    )
    events = plan_school_import(read_gias(second, today=TODAY), store, today=TODAY)
    assert events == [
        SchoolDetailsUpdated(occurred_on=TODAY, urn=100001, pupils_on_roll=260),
        SchoolDetailsUpdated(
            occurred_on=TODAY, urn=100002, name="Larkfield Academy", disadvantaged_pct=30.0
        ),
    ]
    Recorder(store, clock=lambda: TODAY).record_many(events)
    assert plan_school_import(read_gias(second, today=TODAY), store, today=TODAY) == []
    details = current_schools(store)
    assert details[100001].pupils_on_roll == 260
    assert details[100002].name == "Larkfield Academy"
    assert details[100003].disadvantaged_pct == 21.5


def test_a_school_closed_in_gias_is_closed_once():
    opened = csv_bytes([row(URN="100001", OpenDate="01-09-2015"), row(URN="100002")])
    store, recorder = recorded_store(opened)
    closed = csv_bytes(
        [
            row(URN="100001", CloseDate="31-12-2025", **{"EstablishmentStatus (name)": "Closed"}),
            row(URN="100002"),
        ]
    )
    events = plan_school_import(read_gias(closed, today=TODAY), store, today=TODAY)
    assert events == [
        SchoolClosed(occurred_on=date(2025, 12, 31), urn=100001, reason=CLOSED_REASON)
    ]
    recorder.record_many(events)
    assert current_schools(store)[100001].closed_on == date(2025, 12, 31)
    assert plan_school_import(read_gias(closed, today=TODAY), store, today=TODAY) == []


def test_a_closure_is_never_dated_before_the_schools_latest_event():
    known = {
        100001: SchoolDetails(
            urn=100001,
            name="Larkfield Primary School",
            phase=Phase.PRIMARY,
            la_code="901",
            pupils_on_roll=250,
            disadvantaged_pct=21.5,
            registered_on=date(2020, 9, 1),
            last_event_on=date(2025, 11, 3),
        )
    }
    closed = csv_bytes(
        [row(URN="100001", CloseDate="31-08-2024", **{"EstablishmentStatus (name)": "Closed"})]
    )
    (event,) = plan_school_import(read_gias(closed, today=TODAY), known, today=TODAY)
    assert event.occurred_on == date(2025, 11, 3)


def test_current_schools_replays_the_store():
    store, _ = recorded_store(CP1252.read_bytes())
    details = current_schools(store)
    result = read_gias(CP1252, today=TODAY)
    assert set(details) == {s.urn for s in result.schools}
    for school in result.schools:
        known = details[school.urn]
        assert (known.name, known.phase, known.pupils_on_roll, known.disadvantaged_pct) == (
            school.name,
            school.phase,
            school.pupils_on_roll,
            school.disadvantaged_pct,
        )
        assert known.closed_on is None


def test_a_bad_file_appends_nothing():
    store, _ = recorded_store(CP1252.read_bytes())
    head = store.head()
    bad = csv_bytes([row(URN="100001"), row(URN="100002", NumberOfPupils="")])
    with pytest.raises(ImportFailed):
        recorded_store_into(store, bad)
    assert store.head() == head


def recorded_store_into(store, data: bytes) -> None:
    events = plan_school_import(read_gias(data, today=TODAY), store, today=TODAY)
    Recorder(store, clock=lambda: TODAY).record_many(events)


@given(
    pupils=st.lists(st.integers(0, 2000), min_size=1, max_size=8),
    changes=st.lists(st.one_of(st.none(), st.integers(0, 2000)), min_size=8, max_size=8),
)
def test_planning_is_idempotent_and_only_reports_changes(pupils, changes):
    first = [row(URN=str(100000 + i), NumberOfPupils=str(p)) for i, p in enumerate(pupils)]
    store, recorder = recorded_store(csv_bytes(first))
    second = [
        row(URN=str(100000 + i), NumberOfPupils=str(p if changes[i] is None else changes[i]))
        for i, p in enumerate(pupils)
    ]
    events = plan_school_import(read_gias(csv_bytes(second), today=TODAY), store, today=TODAY)
    expected = {
        100000 + i: changes[i]
        for i, p in enumerate(pupils)
        if changes[i] is not None and changes[i] != p
    }
    assert {e.urn: e.pupils_on_roll for e in events} == expected
    assert all(isinstance(e, SchoolDetailsUpdated) and e.name is None for e in events)
    if events:
        recorder.record_many(events)
    assert plan_school_import(read_gias(csv_bytes(second), today=TODAY), store, today=TODAY) == []


def test_registered_on_dates_schools_without_an_open_date():
    gias = read_gias(CP1252, today=date(2026, 1, 5))
    events = plan_school_import(gias, {}, today=date(2026, 1, 5), registered_on=date(2023, 9, 1))
    by_urn = {e.urn: e for e in events}
    without_open_date = [s for s in gias.schools if s.open_date is None]
    with_open_date = [s for s in gias.schools if s.open_date is not None]
    assert without_open_date
    assert with_open_date
    for school in without_open_date:
        assert by_urn[school.urn].occurred_on == date(2023, 9, 1)
    for school in with_open_date:
        assert by_urn[school.urn].occurred_on == school.open_date
