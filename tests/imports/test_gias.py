from __future__ import annotations

import codecs
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hubcore import ImportFailed
from hubcore.imports import MAX_PROBLEMS, REQUIRED_COLUMNS, read_gias
from hubcore.vocabulary import Phase

from ._gias import COLUMNS, CP1252, UTF8BOM, csv_bytes, row

TODAY = date(2026, 1, 15)


def problems_of(data: bytes, **options) -> list[tuple[int, str, str]]:
    with pytest.raises(ImportFailed) as caught:
        read_gias(data, name="test.csv", today=TODAY, **options)
    assert caught.value.source == "test.csv"
    return caught.value.problems


def test_both_sample_encodings_give_the_same_schools():
    cp = read_gias(CP1252, today=TODAY)
    bom = read_gias(UTF8BOM, today=TODAY)
    assert cp.encoding == "cp1252"
    assert bom.encoding == "utf-8-sig"
    assert cp.schools == bom.schools
    assert cp.closed == bom.closed
    names = {s.name for s in cp.schools}
    assert "St Aidan\u2019s Church of England Primary School" in names
    assert "Foundation Boys\u2019 School of Nordley" in names
    assert "\u00c9cole Bilingue Nordley \u2013 Primary" in names
    assert not any("\u00e2\u20ac" in n or "\ufffd" in n for n in names)  # no mojibake


def test_sample_contents():
    result = read_gias(CP1252, today=TODAY)
    assert result.rows == 42
    assert len(result.schools) == 38  # 42 rows - 2 closed - 2 independent
    assert len(result.closed) == 2
    assert result.skipped == {"independent school": 2}
    assert all(c.close_date == date(2024, 8, 31) for c in result.closed)
    assert result.warnings == ()
    proposed = [s for s in result.schools if s.name == "Quayside Primary School"]
    assert len(proposed) == 1  # "Open, but proposed to close" is open


def test_plain_utf8_is_detected():
    data = csv_bytes([row(EstablishmentName="St Bede\u2019s School")], encoding="utf-8")
    result = read_gias(data, today=TODAY)
    assert result.encoding == "utf-8"
    assert result.schools[0].name == "St Bede\u2019s School"


def test_independent_schools_only_when_asked():
    without = read_gias(CP1252, today=TODAY)
    with_independent = read_gias(CP1252, today=TODAY, include_independent=True)
    extra = {s.urn for s in with_independent.schools} - {s.urn for s in without.schools}
    added = [s for s in with_independent.schools if s.urn in extra]
    assert len(added) == 2
    assert all(s.independent for s in added)
    assert not any(s.independent for s in without.schools)
    assert all(s.disadvantaged_pct is None for s in added)  # blank PercentageFSM


def test_la_codes_filter():
    only = read_gias(CP1252, today=TODAY, la_codes=["901"])
    everything = read_gias(CP1252, today=TODAY)
    assert {s.la_code for s in only.schools} == {"901"}
    assert len(only.schools) == sum(s.la_code == "901" for s in everything.schools)
    assert only.skipped["another local authority"] > 0
    with pytest.raises(ImportFailed, match="la_codes"):
        read_gias(CP1252, today=TODAY, la_codes=["9O1"])


@pytest.mark.parametrize(
    ("phase", "type_name", "expected"),
    [
        ("Nursery", "LA nursery school", Phase.NURSERY),
        ("Primary", "Community school", Phase.PRIMARY),
        ("Middle deemed primary", "Community school", Phase.MIDDLE),
        ("Middle deemed secondary", "Academy converter", Phase.MIDDLE),
        ("Secondary", "Academy sponsor led", Phase.SECONDARY),
        ("All-through", "Free schools", Phase.ALL_THROUGH),
        ("16 plus", "Academy 16-19 converter", Phase.POST_16),
        ("Not applicable", "Community special school", Phase.SPECIAL),
        ("Not applicable", "Foundation special school", Phase.SPECIAL),
        ("Not applicable", "Academy special converter", Phase.SPECIAL),
        ("Not applicable", "Non-maintained special school", Phase.SPECIAL),
        ("Primary", "Free schools special", Phase.SPECIAL),
        ("Not applicable", "Pupil referral unit", Phase.ALTERNATIVE_PROVISION),
        ("Not applicable", "Academy alternative provision converter", Phase.ALTERNATIVE_PROVISION),
        ("Secondary", "Free schools alternative provision", Phase.ALTERNATIVE_PROVISION),
    ],
)
def test_phase_mapping(phase, type_name, expected):
    data = csv_bytes(
        [row(**{"PhaseOfEducation (name)": phase, "TypeOfEstablishment (name)": type_name})]
    )
    assert read_gias(data, today=TODAY).schools[0].phase is expected


def test_independent_special_school_is_special():
    data = csv_bytes(
        [
            row(
                **{
                    "PhaseOfEducation (name)": "Not applicable",
                    "TypeOfEstablishment (name)": "Other independent special school",
                    "EstablishmentTypeGroup (name)": "Independent schools",
                }
            )
        ]
    )
    assert read_gias(data, today=TODAY).schools == ()
    school = read_gias(data, today=TODAY, include_independent=True).schools[0]
    assert school.phase is Phase.SPECIAL


@pytest.mark.parametrize(
    ("low", "high", "expected"),
    [("4", "11", Phase.PRIMARY), ("11", "16", Phase.SECONDARY), ("3", "19", Phase.ALL_THROUGH)],
)
def test_not_applicable_phase_uses_the_statutory_ages(low, high, expected):
    data = csv_bytes(
        [
            row(
                **{
                    "PhaseOfEducation (name)": "Not applicable",
                    "TypeOfEstablishment (name)": "Other independent school",
                    "EstablishmentTypeGroup (name)": "Independent schools",
                    "StatutoryLowAge": low,
                    "StatutoryHighAge": high,
                }
            )
        ]
    )
    assert read_gias(data, today=TODAY, include_independent=True).schools[0].phase is expected


def test_out_of_scope_rows_are_skipped_not_checked():
    data = csv_bytes(
        [
            row(URN="100001", **{"EstablishmentStatus (name)": "Proposed to open"}),
            row(
                URN="100002",
                NumberOfPupils="",
                **{
                    "EstablishmentTypeGroup (name)": "Colleges",
                    "TypeOfEstablishment (name)": "Further education",
                },
            ),
            row(URN="100003"),
        ]
    )
    result = read_gias(data, today=TODAY)
    assert [s.urn for s in result.schools] == [100003]
    assert result.skipped == {"proposed to open": 1, "not a school type hubcore covers": 1}


def test_without_the_group_column_the_type_decides():
    columns = [c for c in COLUMNS if c != "EstablishmentTypeGroup (name)"]
    data = csv_bytes(
        [
            row(URN="100001"),
            row(URN="100002", **{"TypeOfEstablishment (name)": "Other independent school"}),
        ],
        columns=columns,
    )
    result = read_gias(data, today=TODAY)
    assert [s.urn for s in result.schools] == [100001]
    assert result.skipped == {"independent school": 1}


def test_blank_fsm_is_none_and_values_are_kept():
    data = csv_bytes([row(URN="100001", PercentageFSM=""), row(URN="100002", PercentageFSM="7")])
    first, second = read_gias(data, today=TODAY).schools
    assert first.disadvantaged_pct is None
    assert second.disadvantaged_pct == 7.0


def test_dates_are_read_in_gias_form():
    data = csv_bytes([row(OpenDate="01-09-2012")])
    assert read_gias(data, today=TODAY).schools[0].open_date == date(2012, 9, 1)


def test_closed_schools_need_no_pupil_numbers():
    data = csv_bytes(
        [
            row(
                NumberOfPupils="",
                CloseDate="31-08-2024",
                **{"EstablishmentStatus (name)": "Closed"},
            )
        ]
    )
    result = read_gias(data, today=TODAY)
    assert result.schools == ()
    assert result.closed[0].close_date == date(2024, 8, 31)


def test_a_closed_school_without_a_close_date_is_warned_about():
    data = csv_bytes([row(**{"EstablishmentStatus (name)": "Closed"})])
    result = read_gias(data, today=TODAY)
    assert result.closed[0].close_date is None
    assert any("no CloseDate" in w and "line 2" in w for w in result.warnings)


def test_unknown_columns_are_ignored_with_a_warning():
    columns = [*COLUMNS, "Favourite Colour"]
    result = read_gias(csv_bytes([row()], columns=columns), today=TODAY)
    assert len(result.schools) == 1
    assert len(result.warnings) == 1
    assert "Favourite Colour" in result.warnings[0]


def test_missing_required_columns_are_each_named():
    columns = [c for c in COLUMNS if c not in ("URN", "NumberOfPupils")]
    problems = problems_of(csv_bytes([row()], columns=columns))
    assert sorted(problems) == [
        (1, "NumberOfPupils", "required column is missing"),
        (1, "URN", "required column is missing"),
    ]
    assert set(REQUIRED_COLUMNS) >= {"URN", "NumberOfPupils"}


def test_every_bad_row_is_listed_with_its_line_and_column():
    data = csv_bytes(
        [
            row(URN="100001"),
            row(URN="12345"),  # line 3
            row(URN="100003", NumberOfPupils=""),  # line 4
            row(URN="100004", PercentageFSM="lots"),  # line 5
            row(URN="100005", **{"EstablishmentStatus (name)": "Sleeping"}),  # line 6
            row(URN="100006", **{"PhaseOfEducation (name)": "Kindergarten"}),  # line 7
            row(URN="100007", OpenDate="31-02-2020"),  # line 8
            row(URN="100001"),  # line 9, duplicate
            row(URN="100009", EstablishmentName="  "),  # line 10
            row(URN="100010", NumberOfPupils="many"),  # line 11
            row(URN="100011", **{"LA (code)": "9"}),  # line 12
        ]
    )
    problems = problems_of(data)
    assert [(line, column) for line, column, _ in problems] == [
        (3, "URN"),
        (4, "NumberOfPupils"),
        (5, "PercentageFSM"),
        (6, "EstablishmentStatus (name)"),
        (7, "PhaseOfEducation (name)"),
        (8, "OpenDate"),
        (9, "URN"),
        (10, "EstablishmentName"),
        (11, "NumberOfPupils"),
        (12, "LA (code)"),
    ]
    assert "line 2" in problems[6][2]  # the duplicate names the first line
    assert "blank for an open school" in problems[1][2]


def test_quoted_line_breaks_do_not_shift_line_numbers():
    data = csv_bytes([row(URN="100001", EstablishmentName="Two\nLines School"), row(URN="1")])
    problems = problems_of(data)
    assert problems == [(4, "URN", "must be a 6-digit URN, got '1'")]


def test_problems_are_capped_with_a_total():
    data = csv_bytes([row(URN=str(200000 + i), NumberOfPupils="") for i in range(60)])
    with pytest.raises(ImportFailed) as caught:
        read_gias(data, today=TODAY)
    assert len(caught.value.problems) == MAX_PROBLEMS
    assert caught.value.total == 60
    assert "and 10 more" in str(caught.value)
    assert caught.value.problems[0][0] == 2
    assert caught.value.problems[-1][0] == 51


def test_a_truncated_last_line_is_reported():
    data = csv_bytes([row(URN="100001"), row(URN="100002")])
    cut = data[: data.rindex(b"Community school")]
    problems = problems_of(cut)
    assert len(problems) == 1
    line, column, reason = problems[0]
    assert line == 3
    assert column == "file"
    assert "truncated" in reason


def test_a_file_cut_inside_a_quoted_field_is_reported():
    data = csv_bytes(
        [row(URN="100001"), row(URN="100002", EstablishmentName="Holy Cross, St Bede")]
    )
    cut = data[: data.rindex(b"St Bede")]
    line, column, reason = problems_of(cut)[-1]
    assert (line, column) == (3, "file")
    assert "truncated" in reason


def test_a_row_with_the_wrong_number_of_fields_is_reported():
    data = csv_bytes([row(URN="100001"), row(URN="100002"), row(URN="100003")])
    lines = data.split(b"\r\n")
    lines[2] = lines[2] + b",extra"
    problems = problems_of(b"\r\n".join(lines))
    assert problems == [(3, "file", f"has {len(COLUMNS) + 1} fields, expected {len(COLUMNS)}")]


def test_a_binary_file_is_refused_with_the_line():
    data = csv_bytes([row(URN="100001"), row(URN="100002")])
    lines = data.split(b"\r\n")
    lines[2] = b"\x00\x01\x02" + lines[2]
    problems = problems_of(b"\r\n".join(lines))
    assert problems[0][0] == 3
    assert "binary" in problems[0][2]


def test_utf16_is_refused_clearly():
    data = codecs.BOM_UTF16_LE + csv_bytes([row()], encoding="utf-8").decode().encode("utf-16-le")
    assert "UTF-16" in problems_of(data)[0][2]


def test_bytes_neither_utf8_nor_windows_1252_are_refused_with_the_line():
    data = csv_bytes([row(URN="100001"), row(URN="100002"), row(URN="100003")])
    lines = data.split(b"\r\n")
    lines[3] = lines[3].replace(b"Larkfield", b"Lark\x81field")
    problems = problems_of(b"\r\n".join(lines))
    assert problems[0][0] == 4
    assert "0x81" in problems[0][2]


def test_bad_utf8_after_a_bom_is_refused_with_the_line():
    data = csv_bytes([row(URN="100001"), row(URN="100002")], encoding="utf-8-sig")
    lines = data.split(b"\r\n")
    lines[2] = lines[2].replace(b"Larkfield", b"Lark\x92field")
    problems = problems_of(b"\r\n".join(lines))
    assert problems[0][0] == 3
    assert "UTF-8" in problems[0][2]


def test_only_a_header_is_refused():
    problems = problems_of(csv_bytes([]))
    assert problems == [(2, "file", "no school rows: the file has only a header")]


@pytest.mark.parametrize("data", [b"", b"\r\n\r\n", b"   "])
def test_an_empty_file_is_refused(data):
    assert problems_of(data) == [(1, "file", "the file is empty")]


def test_an_unreadable_path_is_refused(tmp_path):
    with pytest.raises(ImportFailed, match="cannot read"):
        read_gias(tmp_path / "missing.csv")


def test_reading_a_path_uses_its_name(tmp_path):
    path = tmp_path / "gias.csv"
    path.write_bytes(csv_bytes([row(URN="12")]))
    with pytest.raises(ImportFailed) as caught:
        read_gias(path)
    assert caught.value.source == str(path)
    assert str(path) in str(caught.value)


_NAME_TEXT = st.text(
    alphabet=st.sampled_from("abcdefgh ABC\u2019&-()\u00e9,'\""), min_size=1, max_size=40
).filter(lambda s: s.strip())


@given(
    schools=st.lists(
        st.tuples(
            st.integers(100000, 999999),
            _NAME_TEXT,
            st.integers(0, 3000),
            st.one_of(st.none(), st.integers(0, 1000).map(lambda x: x / 10)),
        ),
        min_size=1,
        max_size=15,
        unique_by=lambda t: t[0],
    ),
    encoding=st.sampled_from(["cp1252", "utf-8-sig", "utf-8"]),
)
def test_any_valid_file_reads_back_in_any_encoding(schools, encoding):
    rows = [
        row(
            URN=str(urn),
            EstablishmentName=name,
            NumberOfPupils=str(pupils),
            PercentageFSM="" if fsm is None else f"{fsm:.1f}",
        )
        for urn, name, pupils, fsm in schools
    ]
    data = csv_bytes(rows, encoding=encoding)
    result = read_gias(data, today=TODAY)
    ascii_only = data.isascii()
    assert result.encoding == ("utf-8" if ascii_only and encoding == "cp1252" else encoding)
    assert [(s.urn, s.name, s.pupils_on_roll, s.disadvantaged_pct) for s in result.schools] == [
        (urn, " ".join(name.split()), pupils, fsm) for urn, name, pupils, fsm in schools
    ]
    assert [s.line for s in result.schools] == list(range(2, len(schools) + 2))


@given(
    size=st.integers(2, 12),
    bad=st.sets(st.integers(0, 11), min_size=1),
)
def test_bad_pupil_numbers_are_reported_on_exactly_their_lines(size, bad):
    bad = {b for b in bad if b < size} or {0}
    rows = [row(URN=str(100000 + i), NumberOfPupils="x" if i in bad else "10") for i in range(size)]
    problems = problems_of(csv_bytes(rows))
    assert [line for line, _, _ in problems] == [i + 2 for i in sorted(bad)]
    assert {column for _, column, _ in problems} == {"NumberOfPupils"}
