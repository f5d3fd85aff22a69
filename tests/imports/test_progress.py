"""The progress an import reports (the CLI draws it as a bar on long files): every event
planned is counted as checked, whether it is new, already stored or refused, and every
event appended is counted as appended."""

from __future__ import annotations

from datetime import date

import pytest

from hubcore import ImportFailed
from hubcore.events import SchoolRegistered
from hubcore.imports import planned_events, record_planned
from hubcore.vocabulary import Phase

from ._files import TODAY

SCHOOLS = 1_201
"""More than two of the importer's progress steps (500 events), and a remainder."""


def _schools(count: int, *, roll: int = 200) -> list[SchoolRegistered]:
    return [
        SchoolRegistered(
            occurred_on=date(2025, 9, 1),
            urn=100_000 + n,
            name=f"School {n}",
            phase=Phase.PRIMARY,
            la_code="901",
            pupils_on_roll=roll,
        )
        for n in range(count)
    ]


def _record(store, events: list[SchoolRegistered], calls=None) -> list[tuple[str, int, int]]:
    """Import ``events`` as a JSON Lines file would be; the progress calls made (into
    ``calls`` when given, so a failed import's calls can be read)."""
    calls = [] if calls is None else calls
    planned = planned_events(events, range(2, len(events) + 2), "events")
    record_planned(
        store,
        "events",
        planned,
        source="schools.jsonl",
        today=TODAY,
        progress=lambda stage, done, of: calls.append((stage, done, of)),
    )
    return calls


def _stage(calls: list[tuple[str, int, int]], stage: str) -> list[tuple[int, int]]:
    return [(done, of) for s, done, of in calls if s == stage]


def test_a_first_import_counts_every_event_checked_then_appended(hub_store):
    calls = _record(hub_store, _schools(SCHOOLS))
    checking = _stage(calls, "checking")
    assert [done for done, _ in checking] == [500, 1000, SCHOOLS]
    assert {of for _, of in checking} == {SCHOOLS}
    assert _stage(calls, "appending")[-1] == (SCHOOLS, SCHOOLS)
    assert [stage for stage, _, _ in calls].index("appending") > len(checking) - 1
    assert hub_store.head() == SCHOOLS


def test_events_already_stored_are_counted_as_checked(hub_store):
    _record(hub_store, _schools(SCHOOLS))
    again = _record(hub_store, _schools(SCHOOLS))
    assert _stage(again, "checking") == [(500, SCHOOLS), (1000, SCHOOLS), (SCHOOLS, SCHOOLS)]
    assert _stage(again, "appending") == []
    assert hub_store.head() == SCHOOLS


def test_refused_events_are_counted_as_checked(hub_store):
    _record(hub_store, _schools(SCHOOLS))
    calls: list[tuple[str, int, int]] = []
    with pytest.raises(ImportFailed):  # each school registered again, on another roll
        _record(hub_store, _schools(SCHOOLS, roll=201), calls)
    assert _stage(calls, "checking")[-1] == (SCHOOLS, SCHOOLS)
    assert hub_store.head() == SCHOOLS
