"""The per-school data return (``data-return-schools``, ``wide-csv``) against the
hand-worked history of ``_history.py``, and its columns against docs/data-return.md."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest

from hubcore import SummaryError
from hubcore.reporting import PluginHost
from hubcore_data_return import WIDE_COLUMNS

from ._helpers import table
from ._history import A, B, C, D

DOCS = Path(__file__).parents[2] / "docs" / "data-return.md"


def _documented_columns() -> list[str]:
    """The first cell of every row of the docs' column table, in order."""
    text = DOCS.read_text(encoding="utf-8")
    section = text.split("## The per-school columns", 1)[1]
    found = []
    for line in section.splitlines():
        match = re.match(r"\| `([a-z_]+)` \|", line)
        if match:
            found.append(match.group(1))
    return found


def test_the_columns_are_the_documented_ones_in_order(run):
    documented = _documented_columns()
    assert documented, "no column table found in docs/data-return.md"
    assert list(table(run("data-return-schools"), "Schools").columns) == documented
    assert list(WIDE_COLUMNS) == documented


# Open schools 2025/26: A, B, C, D (Elm closed in July 2025); worked out from _history.py.
EXPECTED = {
    # engaged; whole-class 60 pupils over 3 terms, 7 continuing (recorded on the small-group
    # row); small-group tuition 8 (pupil premium 2, SEND 0, remission 2); choir 25; all 93;
    # CPD 3 hours, 4 staff; plan, published, supported; 2 conversations
    A: [
        str(A), "Ashfield Primary", "primary", "901", 200, "y", "y", 60, 3, 7, 8, "<5", 0,
        "<5", 0, 25, 0, 93, "y", 3.0, 4, "y", "y", "y", 2,
    ],
    # engaged; no whole-class; individual tuition 12 (pupil premium 1, SEND 1, remission 3);
    # ensemble 20; all 32; no CPD; a plan, not published, not hub-supported; 1 conversation
    B: [
        str(B), "Brook Primary", "primary", "901", 300, "y", "n", 0, 0, 0, 12, "<5", "<5",
        "<5", 20, 0, 0, 32, "n", None, None, "y", "n", "n", 1,
    ],
    # disengaged in March; individual tuition 3; ensemble 30; all 33; CPD 1.5 hours, 2 staff;
    # no plan recorded; 1 conversation
    C: [
        str(C), "Castle Secondary", "secondary", "902", 1000, "n", "n", 0, 0, 0, "<5", 0, 0,
        0, 30, 0, 0, 33, "y", 1.5, 2, None, None, None, 1,
    ],
    # nothing recorded for the year: every count empty (no data), never 0
    D: [
        str(D), "Dale Special", "special", "902", 60, "n", "n", *[None] * 11, "n", None,
        None, None, None, None, None,
    ],
}  # fmt: skip


def test_one_wide_row_per_open_school(run):
    report = run("data-return-schools")
    got = [list(r) for r in table(report, "Schools").rows]
    assert got == [EXPECTED[A], EXPECTED[B], EXPECTED[C], EXPECTED[D]]
    assert report.leaves_hub
    assert report.suppressed


def test_wide_csv_is_one_line_per_school(run, host: PluginHost):
    data = host.renderer("wide-csv").renderer.render(run("data-return-schools"))
    assert data.startswith(b"\xef\xbb\xbf")
    lines = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert lines[0] == list(WIDE_COLUMNS)
    assert [line[0] for line in lines[1:]] == [str(A), str(B), str(C), str(D)]
    dale = dict(zip(lines[0], lines[4], strict=True))
    assert dale["participations"] == ""
    assert dale["cpd"] == "n"
    ashfield = dict(zip(lines[0], lines[1], strict=True))
    assert ashfield["tuition_pupil_premium"] == "<5"
    assert ashfield["cpd_hours"] == "3.0"


def test_wide_csv_refuses_a_report_of_several_tables(run, host: PluginHost):
    with pytest.raises(SummaryError, match=r"exactly one table.*'Schools', 'Totals'"):
        host.renderer("wide-csv").renderer.render(run("data-return"))
