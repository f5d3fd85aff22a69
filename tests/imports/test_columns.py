from __future__ import annotations

import pytest

from hubcore import ImportFailed
from hubcore.imports import load_column_map
from hubcore.imports._columns import find_header, normalise
from hubcore.imports._problems import Problems
from hubcore.imports._table import Record, Table
from hubcore.imports.registers import REGISTERS


def header_of(*rows: tuple[str, ...], column_map=None):
    records = tuple(Record(n, row) for n, row in enumerate(rows, start=1))
    problems = Problems("f")
    return find_header(Table("f", "utf-8", ",", records), REGISTERS.columns, column_map, problems)


def problems_of(*rows: tuple[str, ...], column_map=None) -> list[tuple[int, str, str]]:
    with pytest.raises(ImportFailed) as caught:
        header_of(*rows, column_map=column_map)
    return caught.value.problems


@pytest.mark.parametrize(
    ("name", "normal"),
    [("  Pupils (total) ", "pupils total"), ("FSM & SEND", "fsm and send"), ("K.S.", "k s")],
)
def test_names_are_compared_normalised(name, normal):
    assert normalise(name) == normal


def test_synonyms_case_and_a_bracketed_note_do_not_matter():
    header = header_of(
        ("school urn", "PROGRAMME", "Academic Year", "Pupils (headcount)", "fsm", "Send")
    )
    assert header.index == {
        "urn": 0,
        "programme": 1,
        "academic_year": 2,
        "pupils": 3,
        "pupil_premium": 4,
        "send": 5,
    }
    assert header.label("pupils") == "Pupils (headcount)"


def test_title_rows_above_the_header_are_skipped_with_a_warning():
    header = header_of(
        ("Northshire registers",),
        ("URN", "Programme", "Year", "Pupils"),
        ("141021", "Choir", "2025/26", "3"),
    )
    assert header.lines == (2,)
    assert [r.line for r in header.data] == [3]
    assert any("skipped 1 line(s) above the header" in w for w in header.warnings)


def test_a_merged_cell_above_the_header_joins_the_names_below_it():
    header = header_of(
        ("", "", "", "Pupils", "", ""),
        ("URN", "Programme", "Year", "Total", "FSM", "SEND"),
        ("141021", "Choir", "2025/26", "20", "3", "1"),
    )
    assert header.lines == (1, 2)
    assert header.index["pupils"] == 3
    assert header.label("pupils") == "Pupils Total"
    assert any("spans lines 1-2" in w for w in header.warnings)


def test_unknown_columns_are_named_in_a_warning_and_a_repeated_header_row_is_dropped():
    header = header_of(
        ("URN", "Programme", "Year", "Pupils", "Tutor"),
        ("141021", "Choir", "2025/26", "3", "x"),
        ("URN", "Programme", "Year", "Pupils", "Tutor"),
        ("141305", "Choir", "2025/26", "4", "y"),
    )
    assert [r.line for r in header.data] == [2, 4]
    assert any("'Tutor'" in w for w in header.warnings)
    assert any("line(s) 3 repeating the header" in w for w in header.warnings)


def test_missing_required_columns_and_a_twice_named_field_are_all_reported():
    problems = problems_of(("URN", "School URN", "Year"))
    assert [(line, column) for line, column, _ in problems] == [
        (1, "School URN"),
        (1, "programme"),
        (1, "pupils"),
    ]
    assert "second column for urn" in problems[0][2]


def test_a_file_with_no_recognisable_header_says_so():
    (problem,) = problems_of(("a", "b"), ("c", "d"))
    assert "no header row found" in problem[2]


def write(tmp_path, text: str):
    path = tmp_path / "map.toml"
    path.write_text(text, encoding="utf-8")
    return path


def load(path):
    value_fields = {f: [str(m.value) for m in spec.enum] for f, spec in REGISTERS.words.items()}
    return load_column_map(path, REGISTERS.fields, value_fields, kind="registers")


def test_a_mapping_file_names_columns_and_words(tmp_path):
    mapping = load(
        write(
            tmp_path,
            'kind = "registers"\n[columns]\nurn = "School number"\npupils = ["On roll", "Kids"]\n'
            '[values.programme]\n"Samba band" = "ensemble"\n',
        )
    )
    assert mapping.columns == {"urn": ("School number",), "pupils": ("On roll", "Kids")}
    assert mapping.values == {"programme": {"samba band": "ensemble"}}
    header = header_of(("School number", "Programme", "Year", "Kids"), column_map=mapping)
    assert header.index["urn"] == 0
    assert header.index["pupils"] == 3


def test_a_mapped_column_missing_from_the_file_is_a_problem(tmp_path):
    mapping = load(write(tmp_path, '[columns]\nurn = "School number"\nkey_stage = "Band"\n'))
    problems = problems_of(("URN", "Programme", "Year", "Pupils"), column_map=mapping)
    assert [column for _, column, _ in problems] == ["key_stage"]
    assert "'Band'" in problems[0][2]


def test_every_mistake_in_a_mapping_file_is_reported_at_once(tmp_path):
    path = write(
        tmp_path,
        'kind = "training"\nextra = 1\n[columns]\nnope = "x"\nurn = 3\n'
        '[values.programme]\n"Band" = "orchestra"\n[values.pupils]\n"a" = "b"\n',
    )
    with pytest.raises(ImportFailed) as caught:
        load(path)
    columns = [column for _, column, _ in caught.value.problems]
    assert columns == [
        "extra",
        "kind",
        "columns.nope",
        "columns.urn",
        "values.programme.Band",
        "values.pupils",
    ]


@pytest.mark.parametrize(
    ("text", "reason"), [("[columns\n", "not valid TOML"), (b"\xff\xfe", "not UTF-8")]
)
def test_an_unreadable_mapping_file_is_refused(tmp_path, text, reason):
    path = tmp_path / "map.toml"
    path.write_bytes(text.encode() if isinstance(text, str) else text)
    with pytest.raises(ImportFailed, match=reason):
        load(path)


def test_a_missing_mapping_file_is_refused(tmp_path):
    with pytest.raises(ImportFailed, match="cannot read"):
        load(tmp_path / "absent.toml")
