"""The renderers and table checks as they were before the column-at-a-time rewrite:
one cell at a time, obviously right and slow. The tests compare the fast ones against
them (``test_fast_paths.py``); nothing else uses this module.

The csv and json renderers are whole; the markdown and html ones share the page layout
with the real renderers (:func:`markdown_document`, :func:`html_page`) and differ in
what the fast paths replace: the tables' rows, made here one cell at a time."""

from __future__ import annotations

import csv
import math
from collections.abc import Iterator, Sequence
from functools import partial
from html import escape
from io import StringIO
from typing import Any

import orjson

from hubcore._printable import printable
from hubcore.reporting import SummaryError, is_suppressed_marker
from hubcore.reporting._columns import column_texts
from hubcore.reporting._json import SCHEMA_TAG
from hubcore.reporting._render_html import (
    breaks_long_words,
    cell_html,
    html_page,
    join_page,
    td_close,
    td_open,
)
from hubcore.reporting._render_markdown import markdown_document
from hubcore.reporting._summary import Cell, Section, Summary, Table

# -- csv (HEAD: src/hubcore/reporting/_render_csv.py) ------------------------------------
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
    "part",
    "evidence_table",
)
_RISKY = ("=", "+", "-", "@", "\t", "\r", "\x00")


def _text(value: str) -> str:
    value = printable(value)
    return "'" + value if value.lstrip(" ").startswith(_RISKY) else value


def _cell(cell: Cell) -> str:
    if cell is None:
        return ""
    if isinstance(cell, bool):
        return "true" if cell else "false"
    if isinstance(cell, int | float):
        return repr(cell)
    return _text(cell)


_Row = tuple[str, ...]


def _part_rows(
    whole: Summary | Section, hub: str, year: str, threshold: int, part: str
) -> Iterator[_Row]:
    for m in whole.metrics:
        value = f"<{threshold}" if m.suppressed else _cell(m.value)
        yield (
            hub, year, "metric", m.key, "", _text(m.label), "", value, _text(m.unit),
            _cell(m.target), m.status.value, _text(m.rule), str(m.evidence), _text(m.note),
            part, _text(m.evidence_table),
        )  # fmt: skip
    for t in whole.tables:
        name = _text(t.name)
        wide = len(t.columns) > 1
        columns = [
            (col, _text(t.columns[col]), _text(t.column_unit(col) or t.unit))
            for col in (range(1, len(t.columns)) if wide else range(1))
        ]
        for index, row in enumerate(t.rows, start=1):
            label = _cell(row[0]) if wide else ""
            number = str(index)
            for col, column, unit in columns:
                yield (
                    hub, year, "table", name, number, label, column, _cell(row[col]), unit,
                    "", "", "", "", "", part, "",
                )  # fmt: skip
    for s in whole.series:
        name, unit, target = _text(s.name), _text(s.unit), _cell(s.target)
        for index, point in enumerate(s.points, start=1):
            yield (
                hub, year, "series", name, str(index), _text(point.label), "value",
                _cell(point.value), unit, target, "", "", "", "", part, "",
            )  # fmt: skip
    for index, caveat in enumerate(whole.caveats, start=1):
        yield (
            hub, year, "caveat", "", str(index), _text(caveat), "", "", "", "", "", "", "", "",
            part, "",
        )  # fmt: skip


def _rows(summary: Summary) -> Iterator[_Row]:
    """The summary's CSV rows, each a tuple in :data:`CSV_COLUMNS` order."""
    hub, year = _text(summary.scope.hub_id), summary.scope.academic_year
    threshold = summary.suppression_threshold
    yield from _part_rows(summary, hub, year, threshold, "")
    for section in summary.sections:
        part = section.anchor
        yield (
            hub, year, "section", part, "", _text(section.title), "", "", "", "",
            section.status.value, _text(section.rule), "", _text(section.note), part, "",
        )  # fmt: skip
        yield from _part_rows(section, hub, year, threshold, part)
    note = summary.suppression_note
    if note:
        status = "applied" if summary.suppressed else "not-needed"
        yield (
            hub, year, "suppression", "small-numbers", "", note, "threshold",
            str(threshold), "", "", status, "", "", "", "", "",
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


# -- markdown (HEAD: _render_markdown.py) -----------------------------------------------

_SPECIAL = "\\`*_[]<>&|#~!"
_ESCAPES = str.maketrans({c: "\\" + c for c in _SPECIAL})


def md_escape(text: str) -> str:
    """Backslash-escape Markdown and HTML punctuation; newlines become spaces."""
    return " ".join(printable(text).split()).translate(_ESCAPES)


def _md_rows(table: Table) -> Iterator[bytes]:
    texts = [column_texts(table, i) for i in range(len(table.columns))]
    for row in table.rows:
        cells = [md_escape(texts[i]([cell])[0]) for i, cell in enumerate(row)]
        yield ("| " + " | ".join(cells) + " |\n").encode()


def render_markdown(summary: Summary) -> bytes:
    """The summary as a Markdown document."""
    return markdown_document(summary, _md_rows)


# -- html (HEAD: _render_html.py) -------------------------------------------------------


def _html_rows(table: Table, limit: int) -> tuple[str, str]:
    texts = [column_texts(table, i) for i in range(len(table.columns))]
    opens = [td_open(table, i) for i in range(len(table.columns))]
    closes = [td_close(table, i) for i in range(len(table.columns))]
    html = cell_html if breaks_long_words(table) else partial(escape, quote=True)
    body = []
    for row in table.rows:
        body.append(
            "".join(
                f"{opens[i](cell)}{html(texts[i]([cell])[0])}{closes[i]}"
                for i, cell in enumerate(row)
            )
        )
    return "".join(body[:limit]), "".join(body[limit:])


def render_html(summary: Summary) -> bytes:
    """The summary as one self-contained, offline, responsive HTML page (UTF-8)."""
    return join_page(html_page(summary, _html_rows))


# -- json (HEAD: _json.py and _render_json.py) ------------------------------------------


def _parts(whole: Summary | Section) -> dict[str, Any]:
    return {
        "metrics": [
            {
                "key": m.key,
                "label": m.label,
                "value": m.value,
                "unit": m.unit,
                "target": m.target,
                "status": m.status.value,
                "rule": m.rule,
                "evidence": m.evidence,
                "suppressed": m.suppressed,
                "note": m.note,
                "evidence_table": m.evidence_table,
            }
            for m in whole.metrics
        ],
        "tables": [
            {
                "name": t.name,
                "columns": list(t.columns),
                "rows": [list(row) for row in t.rows],
                "chart": t.chart,
                "unit": t.unit,
                "caption": t.caption,
                "units": dict(t.units),
            }
            for t in whole.tables
        ],
        "series": [
            {
                "name": s.name,
                "unit": s.unit,
                "target": s.target,
                "points": [{"label": p.label, "value": p.value} for p in s.points],
            }
            for s in whole.series
        ],
        "caveats": list(whole.caveats),
    }


def summary_to_dict(summary: Summary) -> dict[str, Any]:
    """The summary as plain JSON-ready data, ``"schema"`` first."""
    scope = summary.scope
    return {
        "schema": SCHEMA_TAG,
        "title": summary.title,
        "reporter": summary.reporter,
        "scope": {
            "hub_id": scope.hub_id,
            "hub_name": scope.hub_name,
            "academic_year": scope.academic_year,
            "schools": "all" if scope.schools == "all" else list(scope.schools),
        },
        **_parts(summary),
        "sections": [
            {
                "anchor": s.anchor,
                "title": s.title,
                "status": s.status.value,
                "rule": s.rule,
                "note": s.note,
                **_parts(s),
            }
            for s in summary.sections
        ],
        "suppression": {
            "leaves_hub": summary.leaves_hub,
            "applied": summary.suppressed,
            "threshold": summary.suppression_threshold,
            "note": summary.suppression_note,
        },
    }


def render_json(summary: Summary) -> bytes:
    return orjson.dumps(summary_to_dict(summary), option=orjson.OPT_INDENT_2) + b"\n"


# -- table checks (HEAD: _summary.py, Table.__attrs_post_init__ and numeric_columns) ------


def _is_number(cell: object) -> bool:
    return isinstance(cell, int | float) and not isinstance(cell, bool)


def _check_number(part: str, field: str, value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise SummaryError(part, field, f"must be a number, got {type(value).__name__}")
    if isinstance(value, float) and not math.isfinite(value):
        raise SummaryError(part, field, f"must be finite, got {value!r}")


def check_rows(part: str, width: int, rows: Sequence[Sequence[Cell]]) -> None:
    """Raise what the cell-by-cell check raised for these rows (nothing if they are fine)."""
    for index, row in enumerate(rows, start=1):
        if len(row) != width:
            raise SummaryError(part, "rows", f"row {index} has {len(row)} cells, expected {width}")
        for cell in row:
            if cell is None or isinstance(cell, str | bool):
                continue
            _check_number(part, f"rows[{index}]", cell)


def numeric_columns(table: Table) -> tuple[int, ...]:
    found = []
    for index in range(1, len(table.columns)):
        cells = [row[index] for row in table.rows if row[index] is not None]
        numbers = [c for c in cells if _is_number(c)]
        if numbers and all(_is_number(c) or is_suppressed_marker(c) for c in cells):
            found.append(index)
    return tuple(found)
