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


def _rows(summary: Summary) -> Iterator[dict[str, str]]:
    base = {"hub_id": _text(summary.scope.hub_id), "academic_year": summary.scope.academic_year}
    for m in summary.metrics:
        value = f"<{summary.suppression_threshold}" if m.suppressed else _cell(m.value)
        yield base | {
            "section": "metric",
            "name": m.key,
            "label": _text(m.label),
            "value": value,
            "unit": _text(m.unit),
            "target": _cell(m.target),
            "status": m.status.value,
            "rule": _text(m.rule),
            "evidence": str(m.evidence),
            "note": _text(m.note),
        }
    for t in summary.tables:
        for index, row in enumerate(t.rows, start=1):
            label = _cell(row[0]) if len(t.columns) > 1 else ""
            cells = range(1, len(t.columns)) if len(t.columns) > 1 else range(1)
            for col in cells:
                yield base | {
                    "section": "table",
                    "name": _text(t.name),
                    "row": str(index),
                    "label": label,
                    "column": _text(t.columns[col]),
                    "value": _cell(row[col]),
                    "unit": _text(t.unit),
                }
    for s in summary.series:
        for index, point in enumerate(s.points, start=1):
            yield base | {
                "section": "series",
                "name": _text(s.name),
                "row": str(index),
                "label": _text(point.label),
                "column": "value",
                "value": _cell(point.value),
                "unit": _text(s.unit),
                "target": _cell(s.target),
            }
    for index, caveat in enumerate(summary.caveats, start=1):
        yield base | {"section": "caveat", "row": str(index), "label": _text(caveat)}
    note = summary.suppression_note
    if note:
        yield base | {
            "section": "suppression",
            "name": "small-numbers",
            "label": note,
            "column": "threshold",
            "value": str(summary.suppression_threshold),
            "status": "applied" if summary.suppressed else "not-needed",
        }


def render_csv(summary: Summary) -> bytes:
    """The summary as one long CSV table with the columns of :data:`CSV_COLUMNS`."""
    buffer = StringIO()
    writer = csv.DictWriter(buffer, fieldnames=CSV_COLUMNS, restval="", lineterminator="\r\n")
    writer.writeheader()
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
