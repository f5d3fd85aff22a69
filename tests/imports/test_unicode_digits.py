"""Identifiers and numbers are written with the ASCII digits 0-9 only.

``str.isdigit``, ``int`` and a regular expression's ``\\d`` take every script's digits
('١٤١٠٢١' is 141021 to them) and ``isdigit`` takes superscripts ('²', which ``int`` then
refuses with a traceback). Every importer refuses such a cell as a row problem naming its
column, and an event cannot be built from such text.
"""

from __future__ import annotations

import ast
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hubcore import ImportFailed
from hubcore._characters import ascii_digits
from hubcore.domain import initial_state
from hubcore.errors import DomainError, InvalidEvent
from hubcore.events import SchoolRegistered
from hubcore.imports import import_file, read_gias
from hubcore.vocabulary import Phase

from . import _gias
from ._files import TODAY, csv_bytes, refused

ROOT = Path(__file__).parents[2]

ARABIC_INDIC = str.maketrans("0123456789", "".join(map(chr, range(0x0660, 0x066A))))
FULL_WIDTH = str.maketrans("0123456789", "".join(map(chr, range(0xFF10, 0xFF1A))))
DEVANAGARI = str.maketrans("0123456789", "".join(map(chr, range(0x0966, 0x0970))))
SCRIPTS = {"arabic-indic": ARABIC_INDIC, "full-width": FULL_WIDTH, "devanagari": DEVANAGARI}

# One valid row per importer, and the URN and count columns to spoil.
ROWS = {
    "registers": (
        {"URN": "141021", "Programme": "Choir", "Academic year": "2025/26",
         "Term": "Autumn", "Pupils": "20", "FSM": "3", "SEND": "2"},
        ["URN", "Pupils"],
    ),
    "training": (
        {"Date": "03/10/2025", "URN": "141021", "Topic": "Singing", "Hours": "2",
         "Staff attending": "4", "Format": ""},
        ["URN", "Staff attending", "Hours"],
    ),
    "survey": (
        {"URN": "141021", "Academic year": "2025/26", "Classes": "14",
         "Classes with weekly music": "12", "KS2 minutes": "30", "Grade": "Strong",
         "Music development plan": "Yes", "Summary published": "Yes",
         "Hub supported": "Yes"},
        ["URN", "Classes", "KS2 minutes"],
    ),
    "send": (
        {"URN": "141021", "time_period": "202526", "Total pupils": "412",
         "SEN support": "40", "EHC plan": "8"},
        ["URN", "Total pupils", "time_period"],
    ),
}  # fmt: skip


def _file(cells: dict[str, str]) -> bytes:
    return csv_bytes([list(cells), list(cells.values())])


@pytest.mark.parametrize("kind", sorted(ROWS))
def test_the_valid_row_imports(store, kind):
    """The control: the unspoilt row is accepted, so a refusal below is the digits'."""
    cells, _ = ROWS[kind]
    report = import_file(store, kind, _file(cells), name=f"{kind}.csv", today=TODAY)
    assert report.total >= 1


@pytest.mark.parametrize("script", sorted(SCRIPTS))
@pytest.mark.parametrize(
    ("kind", "column"),
    [(kind, column) for kind, (_, columns) in sorted(ROWS.items()) for column in columns],
)
def test_an_importer_refuses_other_scripts_digits(store, kind, column, script):
    cells, _ = ROWS[kind]
    spoilt = dict(cells, **{column: cells[column].translate(SCRIPTS[script])})
    problems = refused(
        store, lambda: import_file(store, kind, _file(spoilt), name=f"{kind}.csv", today=TODAY)
    )
    assert [(line, col) for line, col, _ in problems] == [(2, column)]


@pytest.mark.parametrize("kind", sorted(ROWS))
def test_a_superscript_count_is_a_row_problem_not_a_traceback(store, kind):
    cells, columns = ROWS[kind]
    spoilt = dict(cells, **{columns[1]: "2\u00b2"})
    problems = refused(
        store, lambda: import_file(store, kind, _file(spoilt), name=f"{kind}.csv", today=TODAY)
    )
    assert [col for _, col, _ in problems] == [columns[1]]


GIAS_TODAY = date(2026, 1, 15)


@pytest.mark.parametrize("script", sorted(SCRIPTS))
@pytest.mark.parametrize(
    "column", ["URN", "LA (code)", "NumberOfPupils", "PercentageFSM", "OpenDate"]
)
def test_gias_refuses_other_scripts_digits(column, script):
    base = _gias.row(URN="141021", OpenDate="01-09-2010")
    spoilt = dict(base, **{column: base[column].translate(SCRIPTS[script])})
    data = _gias.csv_bytes([spoilt], encoding="utf-8")
    read_gias(_gias.csv_bytes([base], encoding="utf-8"), name="g.csv", today=GIAS_TODAY)
    with pytest.raises(ImportFailed) as caught:
        read_gias(data, name="g.csv", today=GIAS_TODAY)
    assert [(line, col) for line, col, _ in caught.value.problems] == [(2, column)]


def test_gias_refuses_a_superscript_pupil_count():
    data = _gias.csv_bytes([_gias.row(NumberOfPupils="25\u00b2")], encoding="utf-8")
    with pytest.raises(ImportFailed) as caught:
        read_gias(data, name="g.csv", today=GIAS_TODAY)
    assert [col for _, col, _ in caught.value.problems] == ["NumberOfPupils"]


@pytest.mark.parametrize("script", sorted(SCRIPTS))
def test_an_event_refuses_other_scripts_digits(script):
    with pytest.raises(InvalidEvent, match="la_code"):
        SchoolRegistered(
            occurred_on=date(2025, 9, 1),
            urn=141021,
            name="Brookside",
            phase=Phase.PRIMARY,
            la_code="901".translate(SCRIPTS[script]),
            pupils_on_roll=10,
        )
    with pytest.raises(InvalidEvent, match=r"SchoolRegistered\.urn"):
        SchoolRegistered(
            occurred_on=date(2025, 9, 1),
            urn="141021".translate(SCRIPTS[script]),  # type: ignore[arg-type]
            name="Brookside",
            phase=Phase.PRIMARY,
            la_code="901",
            pupils_on_roll=10,
        )


def test_a_stream_named_with_other_scripts_digits_is_not_a_school():
    with pytest.raises(DomainError):
        initial_state("school-" + "141021".translate(ARABIC_INDIC))


@given(st.text(alphabet=st.characters(categories=["Nd", "No"]), min_size=1, max_size=8))
def test_ascii_digits_is_exactly_0_to_9(text):
    assert ascii_digits(text) == all(c in "0123456789" for c in text)


def _sources() -> list[Path]:
    return sorted([*(ROOT / "src").rglob("*.py"), *(ROOT / "plugins").rglob("*.py")])


def test_no_pattern_in_the_code_uses_unicode_digits():
    """The class, not the examples: no ``\\d`` in any pattern of src/ or plugins/ (it
    matches every script's digits unless compiled with re.ASCII); write ``[0-9]``."""
    found = []
    for path in _sources():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Constant)
                and isinstance(node.value, str)
                and "\\d" in node.value
            ):
                found.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert found == []


def test_isdigit_is_always_checked_with_isascii():
    """``str.isdigit`` alone takes other scripts' digits and superscripts: every call in
    src/ and plugins/ is ``ascii_digits`` or paired with ``isascii`` in the same test."""
    found = []
    for path in _sources():
        text = path.read_text(encoding="utf-8")
        for node in ast.walk(ast.parse(text)):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr in {"isdigit", "isdecimal", "isnumeric"}
            ):
                line = text.splitlines()[node.lineno - 1]
                if "isascii()" not in line:
                    found.append(f"{path.relative_to(ROOT)}:{node.lineno}: {line.strip()}")
    assert found == []


@pytest.mark.parametrize(
    ("hint", "text"), [(int, "\u0661\u0662"), (float, "\u0661.5"), (int, "2\u00b2")]
)
def test_hubcore_record_refuses_other_scripts_digits(hint, text):
    from hubcore.cli._record import _coerce
    from hubcore.errors import CorruptRecord

    assert _coerce("pupils", "12", hint) == 12
    with pytest.raises(CorruptRecord, match="--pupils"):
        _coerce("pupils", text, hint)
