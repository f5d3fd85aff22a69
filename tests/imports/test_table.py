from __future__ import annotations

import io
import sys
import zipfile
from datetime import date, datetime

import pytest

from hubcore import ImportFailed
from hubcore.imports._problems import Problems
from hubcore.imports._table import read_table, sniff_delimiter
from hubcore.imports._xlsx import cell_text

from ._files import csv_bytes, xlsx_bytes


def table(data: bytes, **options):
    problems = Problems("f")
    found = read_table(data, "f", problems, **options)
    problems.raise_if_any()
    return found


def problems_of(data: bytes, **options) -> list[tuple[int, str, str]]:
    with pytest.raises(ImportFailed) as caught:
        table(data, **options)
    return caught.value.problems


@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_the_delimiter_is_found_from_the_first_lines(delimiter):
    rows = [["Title only"], [], ["URN", "Pupils", "Note"], ["141021", "20", "a, b; c"]]
    found = table(csv_bytes(rows, delimiter=delimiter))
    assert found.delimiter == delimiter
    assert [r.cells for r in found.records][1:] == [
        ("URN", "Pupils", "Note"),
        ("141021", "20", "a, b; c"),
    ]


def test_sniffing_prefers_a_comma_when_nothing_splits():
    assert sniff_delimiter("one\ntwo\n", ",;\t") == ","


def test_blank_lines_are_skipped_and_quoted_line_breaks_keep_line_numbers():
    data = b'URN,Note\r\n\r\n141021,"two\r\nlines"\r\n , \r\n141305,x\r\n'
    found = table(data)
    assert [(r.line, r.cells) for r in found.records] == [
        (1, ("URN", "Note")),
        (3, ("141021", "two\r\nlines")),
        (6, ("141305", "x")),
    ]


def test_a_file_ending_inside_quotes_is_called_truncated():
    (problem,) = problems_of(b'URN,Note\r\n141021,"never closed\r\n')
    assert problem[0] == 2
    assert "truncated" in problem[2]


def test_mojibake_in_cells_is_repaired_with_a_warning_naming_the_lines():
    data = csv_bytes([["URN", "School"], ["1", "ok"], ["2", "\u00c3\u2030cole"]])
    found = table(data)
    assert found.records[2].cells == ("2", "\u00c9cole")
    (warning,) = found.warnings
    assert "line(s) 3" in warning
    assert "\u00c9cole" in warning


def test_an_xlsx_sheet_reads_as_the_text_a_csv_export_holds():
    data = xlsx_bytes(
        {
            "Register": [
                ["URN", "Pupils", "Hours", "Date", "Ok"],
                [141021, 20, 1.5, datetime(2025, 10, 3), True],
                [None, None, None, None, None],
                [141305, 20.0, 2, date(2025, 10, 4), "=1+1"],
            ]
        }
    )
    found = table(data)
    assert found.encoding == "xlsx"
    assert found.sheet == "Register"
    assert [(r.line, r.cells) for r in found.records] == [
        (1, ("URN", "Pupils", "Hours", "Date", "Ok")),
        (2, ("141021", "20", "1.5", "2025-10-03", "TRUE")),
        (4, ("141305", "20", "2", "2025-10-04", "=1+1")),  # a formula never calculated
    ]


def test_a_workbook_names_its_sheets_and_one_can_be_chosen():
    data = xlsx_bytes({"Autumn": [["URN"], [141021]], "Spring": [["URN"], [141305]]})
    first = table(data)
    assert first.sheet == "Autumn"
    assert "choose another with --sheet" in first.warnings[0]
    assert table(data, sheet="Spring").records[1].cells == ("141305",)
    (problem,) = problems_of(data, sheet="Summer")
    assert problem[1] == "sheet"
    assert "Autumn, Spring" in problem[2]


def test_sheet_is_refused_for_csv():
    assert problems_of(b"URN\n1\n", sheet="x")[0][1] == "sheet"


def test_an_old_xls_and_other_zip_files_are_refused_clearly():
    assert ".xls" in problems_of(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100)[0][2]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
    assert "not an Excel .xlsx" in problems_of(out.getvalue())[0][2]
    assert "not a readable .xlsx" in problems_of(b"PK\x03\x04 broken")[0][2]


def test_a_damaged_workbook_is_a_clean_error():
    data = bytearray(xlsx_bytes({"S": [["URN"], [1]]}))
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as source, zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            body = source.read(item)
            if item.filename.startswith("xl/worksheets/"):
                body = body[: len(body) // 2]
            target.writestr(item, body)
    (problem,) = problems_of(out.getvalue())
    assert problem[1] == "file"


def test_without_openpyxl_a_workbook_names_the_extra(monkeypatch):
    data = xlsx_bytes({"S": [["URN"]]})
    monkeypatch.setitem(sys.modules, "openpyxl", None)
    (problem,) = problems_of(data)
    assert "hubcore[xlsx]" in problem[2]


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (None, ""),
        (3, "3"),
        (3.0, "3"),
        (2.5, "2.5"),
        (1e300, "1e+300"),
        (True, "TRUE"),
        (datetime(2025, 1, 2, 13, 5), "2025-01-02 13:05:00"),
        ("x", "x"),
    ],
)
def test_cell_values_become_csv_text(value, text):
    assert cell_text(value) == text
