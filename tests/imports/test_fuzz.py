"""Every importer, fed anything: the outcome is a clean, named error or a valid import.

A clean error is an :class:`~hubcore.ImportFailed` (or another :class:`~hubcore.HubcoreError`)
whose every problem names a line and a column, and after it the store is unchanged. A
valid import appends only events that pass the rules, and importing the same input again
appends nothing.
"""

from __future__ import annotations

import codecs

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from hubcore import HubcoreError
from hubcore.domain import check_history
from hubcore.imports import (
    KINDS,
    import_file,
    plan_school_lines,
    planned_events,
    read_gias,
    read_jsonl_lines,
)
from hubcore.imports import record_planned as record
from hubcore.store import open_store

from ._files import TODAY, csv_bytes, register_schools, xlsx_bytes

_SETTINGS = settings(
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)

HOSTILE_CELLS = [
    "",
    " ",
    "=1+1",
    "=SUM(A1:A9)",
    "#DIV/0!",
    "9" * 5000,
    "-1",
    "1e308",
    "nan",
    "0",
    "3",
    "20",
    "1.5",
    "1:30",
    "2025/26",
    "2026/27",
    "1999/00",
    "03/10/2025",
    "31/02/2025",
    "2025-10-03",
    "autumn",
    "spring",
    "Choir",
    "WCET",
    "Individual lessons",
    "Singing",
    "Strong",
    "yes",
    "no",
    "KS2",
    "141021",
    "141201",
    "142518",
    "999999",
    "12345",
    "\u00c3\u2030cole",
    "a\u200bb",
    "x\x07y",
    "\u202e",
    "line\nbreak",
    '"quoted"',
    "a,b;c\td",
    "\ufeff",
]


def _outcome(store, run) -> None:
    head = store.head()
    refused: HubcoreError | None = None
    try:
        report = run()
    except HubcoreError as error:
        refused = error
    if refused is not None:
        event(f"refused: {type(refused).__name__}")
        assert store.head() == head
        assert str(refused)
        for line, column, reason in getattr(refused, "problems", []):
            assert isinstance(line, int)
            assert line >= 0
            assert column
            assert reason
        return
    event("imported" if store.head() > head else "imported: nothing new")
    events = [r.event for r in store.read_all()]
    check_history(events, today=TODAY)
    assert store.head() - head == report
    after = store.head()
    assert run() == 0, "a second import of the same input appends nothing"
    assert store.head() == after


def _store():
    store = open_store("memory://")
    register_schools(store)
    return store


def _kind_run(store, kind: str, data: bytes):
    return lambda: import_file(store, kind, data, name=f"{kind}.csv", today=TODAY).total


@pytest.mark.parametrize("kind", sorted(KINDS))
@_SETTINGS
@given(data=st.binary(max_size=600))
def test_any_bytes(kind, data):
    store = _store()
    _outcome(store, _kind_run(store, kind, data))


def _table(kind: str):
    names = [name for column in KINDS[kind].columns for name in column.names[:2]]
    header = st.lists(st.sampled_from([*names, "Notes", ""]), min_size=1, max_size=10)
    cell = st.one_of(st.sampled_from(HOSTILE_CELLS), st.text(max_size=12))
    return header.flatmap(
        lambda h: st.tuples(
            st.just(h),
            st.lists(st.lists(cell, min_size=len(h), max_size=len(h)), max_size=6),
        )
    )


_DIALECTS = st.sampled_from(
    [("utf-8", ","), ("utf-8-sig", ";"), ("utf-16", "\t"), ("cp1252", ","), ("utf-8", "\t")]
)


@pytest.mark.parametrize("kind", sorted(KINDS))
@_SETTINGS
@given(table=st.data(), dialect=_DIALECTS)
def test_any_table_of_hostile_cells(kind, table, dialect):
    header, rows = table.draw(_table(kind))
    encoding, delimiter = dialect
    try:
        data = csv_bytes([header, *rows], encoding=encoding, delimiter=delimiter)
    except UnicodeEncodeError:  # a cell Windows-1252 cannot hold: as UTF-8 then
        data = csv_bytes([header, *rows], delimiter=delimiter)
    store = _store()
    _outcome(store, _kind_run(store, kind, data))


@pytest.mark.parametrize("kind", sorted(KINDS))
@settings(max_examples=15, suppress_health_check=[HealthCheck.too_slow])
@given(table=st.data())
def test_any_workbook_of_hostile_cells(kind, table):
    header, rows = table.draw(_table(kind))
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    writable = [[ILLEGAL_CHARACTERS_RE.sub("", c) for c in row] for row in [header, *rows]]
    data = xlsx_bytes({"Sheet": writable})
    store = _store()
    _outcome(store, _kind_run(store, kind, data))


@_SETTINGS
@given(data=st.binary(max_size=600))
def test_any_bytes_as_a_gias_file(data):
    store = _store()

    def run():
        gias = read_gias(data, name="gias.csv", today=TODAY)
        pairs = plan_school_lines(gias, store, today=TODAY)
        planned = planned_events([e for _, e in pairs], [n for n, _ in pairs], "schools")
        return sum(record(store, "schools", planned, source="gias.csv", today=TODAY)[0].values())

    _outcome(store, run)


_JSON_LINES = st.lists(
    st.sampled_from(
        [
            b'{"type": "SchoolClosed", "occurred_on": "2026-01-01", "urn": 141021, "reason": "x"}',
            b'{"type": "SchoolClosed", "occurred_on": "2026-01-01", "urn": 141000, "reason": "x"}',
            b'{"type": "SchoolClosed", "occurred_on": "2030-01-01", "urn": 141305, "reason": "x"}',
            b'{"type": "Nope"}',
            b"[1]",
            b"{",
            b"",
            codecs.BOM_UTF8,
            b"\xff",
        ]
    ),
    max_size=8,
).map(b"\n".join)


@_SETTINGS
@given(data=st.one_of(st.binary(max_size=300), _JSON_LINES))
def test_any_bytes_as_json_lines(data):
    store = _store()

    def run():
        pairs = read_jsonl_lines(data, name="events.jsonl")
        planned = planned_events([e for _, e in pairs], [n for n, _ in pairs], "events")
        return sum(record(store, "events", planned, source="events.jsonl", today=TODAY)[0].values())

    _outcome(store, run)


_VALID = {
    "registers": {
        "URN": st.sampled_from(["141021", "141305", "142219", "142518"]),
        "Programme": st.sampled_from(["Choir", "Band", "Individual lessons", "Singing"]),
        "Academic year": st.sampled_from(["2025/26", "2024-25", "2025/2026"]),
        "Term": st.sampled_from(["Autumn", "spring", "Summer 2", ""]),
        "Key stage": st.sampled_from(["", "KS2", "3"]),
        "Pupils": st.integers(0, 130).map(str),
        "FSM": st.integers(0, 10).map(str),
        "SEND": st.integers(0, 10).map(str),
        "Fee remission": st.integers(0, 10).map(str),
    },
    "training": {
        "Date": st.dates(TODAY.replace(year=2024), TODAY).map(lambda d: d.strftime("%d/%m/%Y")),
        "URN": st.sampled_from(["141021", "141305", "142219", "142518"]),
        "Topic": st.sampled_from(["Singing", "SEND", "Assessment", "music tech"]),
        "Hours": st.sampled_from(["1", "1.5", "1:30", "90 mins", "6"]),
        "Staff attending": st.integers(1, 9).map(str),
        "Format": st.sampled_from(["", "Twilight", "Webinar", "coaching"]),
    },
    "survey": {
        "URN": st.sampled_from(["141021", "141305", "142219", "142518"]),
        "Academic year": st.sampled_from(["2025/26", "2024/25"]),
        "Classes": st.integers(1, 30).map(str),
        "Classes with weekly music": st.integers(0, 30).map(str),
        "KS2 minutes": st.sampled_from(["", "30", "1 hour", "45 mins"]),
        "Grade": st.sampled_from(["Strong", "Expected", "needs attention"]),
        "Music development plan": st.sampled_from(["Yes", "No", ""]),
        "Summary published": st.sampled_from(["Yes", "No"]),
        "Hub supported": st.sampled_from(["Yes", "No"]),
    },
    "send": {
        "URN": st.sampled_from(["141021", "141305", "142219", "142518", "143907"]),
        "time_period": st.sampled_from(["202526", "2024/25"]),
        "Total pupils": st.integers(0, 1200).map(str),
        "SEN support": st.integers(0, 200).map(str),
        "EHC plan": st.integers(0, 120).map(str),
    },
}


def _mostly_valid(kind: str):
    columns = _VALID[kind]
    row = st.fixed_dictionaries(columns).flatmap(
        lambda cells: st.lists(
            st.tuples(st.sampled_from(sorted(columns)), st.sampled_from(HOSTILE_CELLS)), max_size=1
        ).map(lambda spoil: [dict(cells, **dict(spoil)).get(c, "") for c in columns])
    )
    return st.lists(row, min_size=1, max_size=12).map(lambda rows: [list(columns), *rows])


@pytest.mark.parametrize("kind", sorted(_VALID))
@_SETTINGS
@given(table=st.data(), dialect=_DIALECTS)
def test_mostly_valid_files_import_whole_or_not_at_all(kind, table, dialect):
    rows = table.draw(_mostly_valid(kind))
    encoding, delimiter = dialect
    try:
        data = csv_bytes(rows, encoding=encoding, delimiter=delimiter)
    except UnicodeEncodeError:
        data = csv_bytes(rows, delimiter=delimiter)
    store = _store()
    _outcome(store, _kind_run(store, kind, data))
