from __future__ import annotations

from datetime import date

import pytest

from hubcore.events import ParticipationRecorded
from hubcore.imports import import_file, read_rows
from hubcore.imports.registers import REGISTERS
from hubcore.vocabulary import ParticipationProgramme, Source, Term

from ._files import (
    EXAMPLES,
    REGISTER_HEADER,
    TODAY,
    csv_bytes,
    events_of,
    refused,
    register_row,
    register_schools,
    xlsx_bytes,
)


def run(store, data: bytes, **options):
    options.setdefault("today", TODAY)
    return import_file(store, "registers", data, name="registers.csv", **options)


def problems_of(store, data: bytes, **options) -> list[tuple[int, str, str]]:
    return refused(store, lambda: run(store, data, **options))


def participation(store) -> list[ParticipationRecorded]:
    return events_of(store, ParticipationRecorded)


def test_the_sample_register_imports_once(store):
    report = import_file(store, "registers", EXAMPLES / "registers.csv", today=TODAY)
    assert report.rows == 15
    assert report.appended == {"ParticipationRecorded": 15}
    again = import_file(store, "registers", EXAMPLES / "registers.csv", today=TODAY)
    assert again.appended == {}
    assert again.already == 15
    events = participation(store)
    assert len(events) == 15
    first = events[0]
    assert first == ParticipationRecorded(
        occurred_on=date(2025, 12, 31),
        urn=141021,
        academic_year="2025/26",
        term=Term.AUTUMN,
        programme=ParticipationProgramme.WHOLE_CLASS_ENSEMBLE,
        key_stage=2,
        pupils=60,
        pupil_premium=11,
        send=6,
        fee_remission=0,
        wcet_terms=3,
        source=Source.HUB_REGISTER,
    )


def test_the_mapped_sample_uses_the_hubs_own_columns_and_words(store):
    report = import_file(
        store,
        "registers",
        EXAMPLES / "registers-own-columns.csv",
        column_map=EXAMPLES / "registers-map.toml",
        today=TODAY,
    )
    assert report.appended == {"ParticipationRecorded": 2}
    programmes = [e.programme for e in participation(store)]
    assert programmes == [
        ParticipationProgramme.ENSEMBLE,
        ParticipationProgramme.WHOLE_CLASS_ENSEMBLE,
    ]


def test_check_appends_nothing_but_reports_what_would_be(store):
    head = store.head()
    report = import_file(store, "registers", EXAMPLES / "registers.csv", check=True, today=TODAY)
    assert report.checked_only
    assert report.appended == {"ParticipationRecorded": 15}
    assert store.head() == head


@pytest.mark.parametrize(
    "encoding_options",
    [
        {"encoding": "utf-8"},
        {"encoding": "utf-8-sig"},
        {"encoding": "cp1252"},
        {"encoding": "utf-16", "delimiter": "\t"},
        {"encoding": "utf-8", "delimiter": ";"},
    ],
    ids=["utf-8", "bom", "windows-1252", "excel-unicode-text", "semicolons"],
)
def test_any_dialect_imports_the_same_events(hub_store, encoding_options):
    register_schools(hub_store)
    rows = [REGISTER_HEADER, register_row(), register_row(141305, "Band", term="Spring", pupils=40)]
    report = run(hub_store, csv_bytes(rows, **encoding_options))
    assert report.appended == {"ParticipationRecorded": 2}
    assert [(e.urn, e.pupils) for e in participation(hub_store)] == [(141021, 20), (141305, 40)]


def test_a_workbook_imports_like_its_csv(store):
    rows = [REGISTER_HEADER, register_row(), register_row(141305, "Band", term="Spring", pupils=40)]
    report = run(store, xlsx_bytes({"Registers": rows}))
    assert report.appended == {"ParticipationRecorded": 2}
    assert report.sheet == "Registers"


def test_the_hostile_register_lists_every_problem_and_appends_nothing(store):
    rows = [
        ["Northshire Music Hub: registers 2025/26"],
        [],
        ["", "", "", "", "Pupils", "", ""],
        ["URN", "Programme", "Academic year", "Term", "Total", "FSM", "SEND"],
        register_row(pupils="=1+1"),  # line 5: a formula
        [],  # a blank line
        register_row(141201),  # line 7: a URN typo of 141021
        register_row(141305, pupils="9" * 5000),  # line 8: a huge number
        register_row(142219, term="Spring"),  # line 9
        register_row(142219, term="Spring"),  # line 10: a duplicated row
        register_row(142350, pupils=30),  # line 11
        register_row(142350, pupils=31),  # line 12: the same fact, other figures
        register_row(142518, pupils=500),  # line 13: more than the school's roll
        register_row(141422, fsm=""),  # line 14: FSM not given
        register_row(141021, year="2025/27"),  # line 15
        register_row(999999),  # line 16: not a school in the store
    ]
    problems = problems_of(store, csv_bytes(rows, encoding="cp1252"))
    found = [(line, column) for line, column, _ in problems]
    assert found == [
        (5, "Pupils Total"),
        (7, "URN"),
        (8, "Pupils Total"),
        (10, "file"),
        (12, "file"),
        (13, "Pupils Total"),
        (14, "Pupils FSM"),
        (15, "Academic year"),
        (16, "URN"),
    ]
    reasons = {(line, column): reason for line, column, reason in problems}
    assert "formula" in reasons[(5, "Pupils Total")]
    assert "URN 141201 is not a registered school" in reasons[(7, "URN")]
    assert "141021" in reasons[(7, "URN")]
    assert "5000-digit" in reasons[(8, "Pupils Total")]
    assert "repeats line 9" in reasons[(10, "file")]
    assert "same school, programme, year, term and key stage as line 11" in reasons[(12, "file")]
    assert "participation-within-roll" in reasons[(13, "Pupils Total")]
    assert "never reads a blank as 0" in reasons[(14, "Pupils FSM")]
    assert "999999" in reasons[(16, "URN")]
    assert "typo" not in reasons[(16, "URN")]


def test_a_changed_figure_for_an_imported_fact_is_refused_not_overwritten(store):
    run(store, csv_bytes([REGISTER_HEADER, register_row(pupils=20)]))
    (problem,) = problems_of(store, csv_bytes([REGISTER_HEADER, register_row(pupils=22)]))
    assert "imported before with different values" in problem[2]
    assert "pupils 20" in problem[2]


def test_a_register_without_dates_is_dated_by_its_term_and_stays_idempotent(store):
    # imported while the spring term runs, then again once the year is over
    data = csv_bytes([REGISTER_HEADER, register_row(term="Spring")])
    run(store, data, today=date(2026, 2, 10))
    assert participation(store)[0].occurred_on == date(2026, 2, 10)
    assert run(store, data).already == 1
    assert len(participation(store)) == 1


def test_a_date_column_dates_each_row_and_must_fall_in_its_year(store):
    header = [*REGISTER_HEADER, "Date"]
    rows = [header, [*register_row(), "14/11/2025"], [*register_row(141305), "14/11/2026"]]
    problems = problems_of(store, csv_bytes(rows))
    assert problems == [(3, "Date", "2026-11-14 is not in the academic year 2025/26")]


def test_a_year_not_begun_and_a_future_date_are_refused(store):
    rows = [
        [*REGISTER_HEADER, "Date"],
        [*register_row(year="2027/28"), ""],
        [*register_row(141305, year=""), "01/10/2026"],
    ]
    problems = problems_of(store, csv_bytes(rows))
    assert [(line, column) for line, column, _ in problems] == [(2, "Academic year"), (3, "Date")]
    assert "has not begun" in problems[0][2]
    assert "no-future-dates" in problems[1][2]


def test_whole_class_ensemble_needs_its_terms(store):
    rows = [[*REGISTER_HEADER, "WCET terms"], [*register_row(programme="WCET"), ""]]
    (problem,) = problems_of(store, csv_bytes(rows))
    assert problem[1] == "WCET terms"
    assert "whole_class_ensemble" in problem[2]


def test_missing_count_columns_are_one_problem_each(store):
    rows = [["URN", "Programme", "Year", "Pupils"], [141021, "Individual lessons", "2025/26", 3]]
    problems = problems_of(store, csv_bytes(rows))
    assert [column for _, column, _ in problems] == ["pupil_premium", "send", "fee_remission"]


def test_no_pupils_need_no_breakdown_and_remission_only_for_paid_tuition(store):
    rows = [
        ["URN", "Programme", "Year", "Pupils", "FSM", "SEND", "Remitted"],
        [141021, "Choir", "2025/26", 12, 1, 1, ""],
        [141305, "Individual lessons", "2025/26", 0, "", "", ""],
    ]
    assert run(store, csv_bytes(rows)).appended == {"ParticipationRecorded": 2}
    choir, lessons = participation(store)
    assert choir.fee_remission == 0
    assert lessons.pupil_premium == 0


def test_only_a_header_and_an_empty_file_are_refused(store):
    (problem,) = problems_of(store, csv_bytes([REGISTER_HEADER]))
    assert "only a header" in problem[2]
    assert problems_of(store, b"")[0][2] == "the file is empty"


def test_read_rows_needs_no_store():
    read = read_rows(REGISTERS, csv_bytes([REGISTER_HEADER, register_row()]), today=TODAY)
    assert [p.event.urn for p in read.planned] == [141021]
    assert read.planned[0].key == "141021|2025/26|autumn|choir|-"
