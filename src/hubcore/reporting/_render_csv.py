"""The ``csv`` renderer: one long ("tidy") table with stable columns, for spreadsheets.

Decisions (documented in docs/plugins.md):

* **UTF-8 with a byte-order mark** and CRLF line ends (RFC 4180): Excel then reads school
  names such as "Ysgol Gymraeg Bro Ŵyr" correctly, and Python reads it with
  ``encoding="utf-8-sig"``.
* **Stable columns** (:data:`CSV_COLUMNS`), whatever the summary holds: one row per metric,
  one row per table cell (the row's first cell is its ``label``, the cell's column is
  ``column``), one row per series point, one per caveat and one for the suppression note.
  A pivot table on ``label`` x ``column`` rebuilds any table.
* Numbers are written raw (no thousands separators, no rounding); a suppressed count is
  ``<5``; empty is empty.
* **Formula injection:** a text cell starting with ``=``, ``+``, ``-``, ``@``, tab or CR is
  prefixed with ``'`` so a spreadsheet shows it instead of running it.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from io import StringIO

from hubcore.reporting._protocols import FunctionRenderer
from hubcore.reporting._summary import Cell, Summary, Table

__all__ = ["CSV", "CSV_COLUMNS", "render_csv", "render_table_csv"]

CSV_COLUMNS = (
    "hub_id",
    "academic_year",
    "section",
    "name",
    "row",
    "label",
    "column",
    "value",
    "unit",
    "target",
    "status",
    "rule",
    "evidence",
    "note",
)
_RISKY = ("=", "+", "-", "@", "\t", "\r")


def _text(value: str) -> str:
    return "'" + value if value.startswith(_RISKY) else value


def _cell(cell: Cell) -> str:
    if cell is None:
        return ""
    if isinstance(cell, bool):
        return "true" if cell else "false"
    if isinstance(cell, int | float):
        return repr(cell)
    return _text(cell)


_Row = tuple[str, ...]


def _rows(summary: Summary) -> Iterator[_Row]:
    """The summary's CSV rows, each a tuple in :data:`CSV_COLUMNS` order."""
    hub, year = _text(summary.scope.hub_id), summary.scope.academic_year
    for m in summary.metrics:
        value = f"<{summary.suppression_threshold}" if m.suppressed else _cell(m.value)
        yield (
            hub, year, "metric", m.key, "", _text(m.label), "", value, _text(m.unit),
            _cell(m.target), m.status.value, _text(m.rule), str(m.evidence), _text(m.note),
        )  # fmt: skip
    for t in summary.tables:
        name, unit = _text(t.name), _text(t.unit)
        wide = len(t.columns) > 1
        columns = [
            (col, _text(t.columns[col])) for col in (range(1, len(t.columns)) if wide else range(1))
        ]
        for index, row in enumerate(t.rows, start=1):
            label = _cell(row[0]) if wide else ""
            number = str(index)
            for col, column in columns:
                yield (
                    hub, year, "table", name, number, label, column, _cell(row[col]), unit,
                    "", "", "", "", "",
                )  # fmt: skip
    for s in summary.series:
        name, unit, target = _text(s.name), _text(s.unit), _cell(s.target)
        for index, point in enumerate(s.points, start=1):
            yield (
                hub, year, "series", name, str(index), _text(point.label), "value",
                _cell(point.value), unit, target, "", "", "", "",
            )  # fmt: skip
    for index, caveat in enumerate(summary.caveats, start=1):
        yield (hub, year, "caveat", "", str(index), _text(caveat), "", "", "", "", "", "", "", "")
    note = summary.suppression_note
    if note:
        status = "applied" if summary.suppressed else "not-needed"
        yield (
            hub, year, "suppression", "small-numbers", "", note, "threshold",
            str(summary.suppression_threshold), "", "", status, "", "", "",
        )  # fmt: skip


def render_csv(summary: Summary) -> bytes:
    """The summary as one long CSV table with the columns of :data:`CSV_COLUMNS`."""
    buffer = StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    writer.writerows(_rows(summary))
    return buffer.getvalue().encode("utf-8-sig")


def render_table_csv(table: Table) -> bytes:
    """One :class:`Table` as a plain rectangular CSV (same encoding rules), for reporters
    whose readers expect exactly that table (e.g. a funder's schools list)."""
    buffer = StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([_text(c) for c in table.columns])
    writer.writerows([_cell(cell) for cell in row] for row in table.rows)
    return buffer.getvalue().encode("utf-8-sig")


CSV = FunctionRenderer("csv", "text/csv; charset=utf-8", ".csv", render_csv)
