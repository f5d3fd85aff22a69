"""The renderers and table checks as they were before the column-at-a-time rewrite:
one cell at a time, obviously right and slow. The tests compare the fast ones against
them (``test_fast_paths.py``); nothing else uses this module."""

from __future__ import annotations

import csv
import math
from collections.abc import Iterator, Sequence
from html import escape
from io import StringIO
from typing import Any

import orjson

from hubcore.reporting import SummaryError, is_suppressed_marker
from hubcore.reporting._format import (
    cell_text,
    metric_value_text,
    number_text,
    status_text,
    target_text,
)
from hubcore.reporting._json import SCHEMA_TAG
from hubcore.reporting._render_html import (
    _CSP,
    _CSS,
    _ERROR_HOOK,
    _SCRIPT,
    HTML_ROW_LIMIT,
    _card,
    _series_table,
)
from hubcore.reporting._summary import Cell, Summary, Table
from hubcore.reporting._svg import bar_chart, line_chart

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


# -- markdown (HEAD: _render_markdown.py) -----------------------------------------------

_SPECIAL = "\\`*_[]<>&|#~!"
_ESCAPES = str.maketrans({c: "\\" + c for c in _SPECIAL})


def md_escape(text: str) -> str:
    """Backslash-escape Markdown and HTML punctuation; newlines become spaces.

    CommonMark treats ``\\<`` as a literal ``<``, so data can never open an HTML tag, a
    link, emphasis or a table cell.
    """
    return " ".join(text.split()).translate(_ESCAPES)


class _Escaper(dict[str, str]):
    """:func:`md_escape` remembered per distinct string (long tables repeat many cells)."""

    def __missing__(self, text: str) -> str:
        value = self[text] = md_escape(text)
        return value


def _md_table(header: list[str], rows: list[list[str]], right: set[int]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |"]
    lines.append("|" + "|".join("---:" if i in right else "---" for i in range(len(header))) + "|")
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return lines


def render_markdown(summary: Summary) -> bytes:
    """The summary as a Markdown document."""
    scope = summary.scope
    out = [f"# {md_escape(summary.title)}", ""]
    out.append(
        f"**Hub:** {md_escape(scope.hub_name)} ({md_escape(scope.hub_id)}) · "
        f"**Year:** {md_escape(scope.academic_year)} · "
        f"**Schools:** {md_escape(scope.schools_label)}"
    )
    out.append("")
    note = summary.suppression_note
    if note:
        out += [f"> **Small numbers.** {md_escape(note)}", ""]
    if summary.metrics:
        out += ["## Metrics", ""]
        rows = [
            [
                md_escape(m.label + (f" ({m.note})" if m.note else "")),
                md_escape(metric_value_text(m, summary.suppression_threshold)),
                md_escape(target_text(m)),
                status_text(m.status),
                md_escape(m.rule),
                f"{m.evidence:,}",
            ]
            for m in summary.metrics
        ]
        out += _md_table(
            ["Metric", "Value", "Target", "Status", "Rule", "Evidence"], rows, {1, 2, 5}
        )
        out.append("")
    for t in summary.tables:
        out += [f"## {md_escape(t.name)}", ""]
        if t.caption:
            out += [md_escape(t.caption), ""]
        escaped = _Escaper()
        rows = [
            [escaped[cell if type(cell) is str else cell_text(cell)] for cell in row]
            for row in t.rows
        ]
        out += _md_table([md_escape(c) for c in t.columns], rows, set(t.numeric_columns()))
        out.append("")
    for s in summary.series:
        out += [f"## {md_escape(s.name)}", ""]
        header = ["Period", md_escape(f"Value ({s.unit})" if s.unit else "Value")]
        rows = [
            [md_escape(p.label), "" if p.value is None else md_escape(number_text(p.value, s.unit))]
            for p in s.points
        ]
        out += _md_table(header, rows, {1})
        out.append("")
    if summary.caveats:
        out += ["## Caveats", ""]
        out += [f"- {md_escape(caveat)}" for caveat in summary.caveats]
        out.append("")
    return ("\n".join(out).rstrip("\n") + "\n").encode("utf-8")


# -- html (HEAD: _render_html.py) -------------------------------------------------------


def _e(text: str) -> str:
    return escape(text, quote=True)


class _Escaped(dict[Cell, str]):
    """Escaped cell text remembered per distinct string (long tables repeat many cells)."""

    def __missing__(self, cell: Cell) -> str:
        value = self[cell] = _e(cell_text(cell))
        return value


def _rows_html(rows: Sequence[Sequence[Cell]], opens: Sequence[str]) -> str:
    escaped = _Escaped()
    body = []
    for row in rows:
        cells = [
            f"{opens[i]}{escaped[c] if type(c) is str else _e(cell_text(c))}</td>"
            for i, c in enumerate(row)
        ]
        body.append("<tr>" + "".join(cells) + "</tr>")
    return "".join(body)


def _table(table: Table, *, caption: bool = True) -> str:
    """The table; past :data:`HTML_ROW_LIMIT` rows the rest fold into a ``<details>``."""
    numeric = set(table.numeric_columns())
    num = ' class="num"'
    head = "".join(
        f'<th scope="col"{num if i in numeric else ""}>{_e(c)}</th>'
        for i, c in enumerate(table.columns)
    )
    opens = [f"<td{num if i in numeric else ''}>" for i in range(len(table.columns))]
    cap = f"<caption>{_e(table.caption)}</caption>" if caption and table.caption else ""
    rows = table.rows
    shown = _rows_html(rows[:HTML_ROW_LIMIT], opens)
    out = (
        f'<div class="table-wrap"><table>{cap}<thead><tr>{head}</tr></thead>'
        f"<tbody>{shown}</tbody></table></div>"
    )
    if len(rows) <= HTML_ROW_LIMIT:
        return out
    rest = len(rows) - HTML_ROW_LIMIT
    return (
        f'{out}<details class="more-rows" data-rows="{rest}"><summary>Show the other '
        f"{rest:,} {'row' if rest == 1 else 'rows'} ({len(rows):,} in all)</summary>"
        f'<div class="table-wrap"><table><thead><tr>{head}</tr></thead>'
        f"<tbody>{_rows_html(rows[HTML_ROW_LIMIT:], opens)}</tbody></table></div></details>"
    )


def render_html(summary: Summary) -> bytes:
    """The summary as one self-contained, offline, responsive HTML page (UTF-8)."""
    scope = summary.scope
    out = [
        "<!doctype html>",
        '<html lang="en-GB">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f'<meta http-equiv="Content-Security-Policy" content="{_CSP}">',
        '<meta name="generator" content="hubcore">',
        f"<title>{_e(summary.title)} · {_e(scope.hub_name)} · {_e(scope.academic_year)}</title>",
        f"<style>{_CSS}</style>",
        f"<script>{_ERROR_HOOK}</script>",
        "</head>",
        "<body>",
        '<main class="page">',
        "<header>",
        f"<h1>{_e(summary.title)}</h1>",
        '<p class="scope">'
        f"<span><b>Hub</b> {_e(scope.hub_name)} ({_e(scope.hub_id)})</span>"
        f"<span><b>Year</b> {_e(scope.academic_year)}</span>"
        f"<span><b>Schools</b> {_e(scope.schools_label)}</span></p>",
        "</header>",
    ]
    note = summary.suppression_note
    if note:
        out.append(
            f'<section class="notice" id="suppression"><b>Small numbers.</b> {_e(note)}</section>'
        )
    if summary.metrics:
        out.append('<section id="metrics"><h2>Metrics</h2><div class="cards">')
        out += [_card(m, summary.suppression_threshold) for m in summary.metrics]
        out.append("</div></section>")
    charted = [t for t in summary.tables if t.chart == "bar" and t.numeric_columns()]
    if summary.series or charted:
        out.append('<section id="charts"><h2>Charts</h2><div class="charts">')
        for index, series in enumerate(summary.series, start=1):
            points = [
                (p.label, "" if p.value is None else number_text(p.value, series.unit))
                for p in series.points
            ]
            out.append(
                f"<figure><figcaption>{_e(series.name)}</figcaption>"
                f"{line_chart(series, f'series-{index}')}"
                f"<details><summary>Show the numbers</summary>"
                f"{_series_table(series.name, series.unit, points)}</details></figure>"
            )
        for index, table in enumerate(charted, start=1):
            caption = f"<small>{_e(table.caption)}</small>" if table.caption else ""
            out.append(
                f"<figure><figcaption>{_e(table.name)}{caption}</figcaption>"
                f"{bar_chart(table, f'bars-{index}')}"
                f"<details><summary>Show the numbers</summary>"
                f"{_table(table, caption=False)}</details></figure>"
            )
        out.append("</div></section>")
    plain = [t for t in summary.tables if t not in charted]
    if plain:
        out.append('<section id="tables">')
        for table in plain:
            out.append(f"<h2>{_e(table.name)}</h2>{_table(table)}")
        out.append("</section>")
    if summary.caveats:
        out.append('<section class="caveats" id="caveats"><h2>Caveats</h2><ul>')
        out += [f"<li>{_e(c)}</li>" for c in summary.caveats]
        out.append("</ul></section>")
    made_by = f"reporter {_e(summary.reporter)} · " if summary.reporter else ""
    out += [
        f"<footer>Made by hubcore · {made_by}data schema {SCHEMA_TAG}</footer>",
        "</main>",
        f"<script>{_SCRIPT}</script>",
        "</body>",
        "</html>",
        "",
    ]
    return "\n".join(out).encode("utf-8")


# -- json (HEAD: _json.py and _render_json.py) ------------------------------------------


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
            }
            for m in summary.metrics
        ],
        "tables": [
            {
                "name": t.name,
                "columns": list(t.columns),
                "rows": [list(row) for row in t.rows],
                "chart": t.chart,
                "unit": t.unit,
                "caption": t.caption,
            }
            for t in summary.tables
        ],
        "series": [
            {
                "name": s.name,
                "unit": s.unit,
                "target": s.target,
                "points": [{"label": p.label, "value": p.value} for p in s.points],
            }
            for s in summary.series
        ],
        "caveats": list(summary.caveats),
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
