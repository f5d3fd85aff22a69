"""The ``csv`` renderer: one long ("tidy") table with stable columns, for spreadsheets.

Decisions (documented in docs/plugins.md):

* **UTF-8 with a byte-order mark** and CRLF line ends (RFC 4180): Excel then reads school
  names such as "Ysgol Gymraeg Bro Ŵyr" correctly, and Python reads it with
  ``encoding="utf-8-sig"``.
* **Stable columns** (:data:`CSV_COLUMNS`), whatever the summary holds: one row per metric,
  one row per table cell (the row's first cell is its ``label``, the cell's column is
  ``column``), one row per series point, one per caveat, one per section (its title, status
  and rule) and one for the suppression note. A pivot table on ``label`` x ``column``
  rebuilds any table. ``part`` is the anchor of the section a row belongs to (empty for the
  report's top level); ``evidence_table`` names the table listing what a metric rests on.
  Columns are only ever added at the end.
* Numbers are written raw (no thousands separators, no rounding); a suppressed count is
  ``<5``; empty is empty.
* **Formula injection** (OWASP's CSV injection guidance): a text field whose first
  character (after any spaces) is ``=``, ``+``, ``-``, ``@``, tab, CR or NUL is prefixed
  with ``'`` so a spreadsheet shows it instead of running it. Control characters are shown
  as visible escapes (``\x1b``), so no field can carry a terminal escape sequence either.
* Fields are quoted exactly as ``csv.writer`` quotes them (only when they hold a comma, a
  quote or a line break). A table's records are written a column at a time, each distinct
  cell formatted once (:mod:`hubcore.reporting._columns`): a national hub's 100 MB file in
  well under a second, byte for byte what ``csv.writer`` wrote (the tests compare them).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from functools import partial
from itertools import chain, repeat
from typing import cast

from hubcore._printable import printable, printable_all
from hubcore.reporting._columns import encode_each, map_column, map_columns
from hubcore.reporting._protocols import FunctionRenderer
from hubcore.reporting._summary import Cell, Section, Summary, Table

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
    "part",
    "evidence_table",
)
_RISKY = ("=", "+", "-", "@", "\t", "\r", "\x00")
_NEEDS_QUOTES = re.compile(r'[,"\r\n]')
_EOL = "\r\n"
_BOM = "\ufeff".encode()


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


def _quoted(field: str) -> str:
    """One field as RFC 4180 writes it (what ``csv.writer``'s minimal quoting does)."""
    if _NEEDS_QUOTES.search(field):
        return '"' + field.replace('"', '""') + '"'
    return field


def _field(cell: Cell) -> str:
    return _quoted(_cell(cell))


def _line(fields: Iterable[str]) -> bytes:
    """One CSV record (its fields not yet quoted) with its line end, encoded."""
    return (",".join(map(_quoted, fields)) + _EOL).encode("utf-8")


_HEADER = _line(CSV_COLUMNS)


_TEXT_OR_EMPTY = frozenset({str, type(None)})


def _fields(cells: list[Cell]) -> list[str]:
    """:func:`_field` of each cell; a column of text in a few C-level passes."""
    if not set(map(type, cells)) <= _TEXT_OR_EMPTY:
        return list(map(_field, cells))
    texts = printable_all([cell or "" for cell in cast(list[str | None], cells)])
    risky = list(map(str.startswith, map(str.lstrip, texts, repeat(" ")), repeat(_RISKY)))
    if any(risky):
        texts = ["'" + text if r else text for text, r in zip(texts, risky, strict=True)]
    found = list(map(_NEEDS_QUOTES.search, texts))
    if any(found):
        texts = [
            '"' + text.replace('"', '""') + '"' if f else text
            for text, f in zip(texts, found, strict=True)
        ]
    return texts


def _table_records(prefix: str, table: Table, part: str) -> Iterator[bytes]:
    """The table's records, one per cell after the label column, row by row, in pieces.

    Built a column at a time: each distinct cell is formatted and encoded once per column
    (with its column name before it and the record's end after it), and each record is its
    row's head piece followed by that cell piece, interleaved in C.
    """
    rows = table.rows
    if not rows:
        return iter(())
    wide = len(table.columns) > 1
    labels = map_column(table, 0, _fields) if wide else repeat("", len(rows))
    numbered = map(",".join, zip(map(str, range(1, len(rows) + 1)), labels, strict=True))
    heads = encode_each(prefix, list(numbered), ",")
    pieces: list[list[bytes]] = []
    for index in range(1, len(table.columns)) if wide else range(1):
        name = _quoted(_text(table.columns[index]))
        unit = table.column_unit(index) or table.unit
        tail = f",{_quoted(_text(unit))},,,,,,{_quoted(part)},{_EOL}"
        pieces += [heads, map_column(table, index, partial(_pieces, f"{name},", tail))]
    return chain.from_iterable(zip(*pieces, strict=True))


def _pieces(prefix: str, suffix: str, cells: list[Cell]) -> list[bytes]:
    return encode_each(prefix, _fields(cells), suffix)


def _records(
    whole: Summary | Section, hub: str, year: str, threshold: int, part: str
) -> list[Iterable[bytes]]:
    """The records of the metrics, tables, series and caveats of a summary or a section."""
    out: list[Iterable[bytes]] = []
    for m in whole.metrics:
        value = f"<{threshold}" if m.suppressed else _cell(m.value)
        out.append((_line((
            hub, year, "metric", m.key, "", _text(m.label), "", value, _text(m.unit),
            _cell(m.target), m.status.value, _text(m.rule), str(m.evidence), _text(m.note),
            part, _text(m.evidence_table),
        )),))  # fmt: skip
    for t in whole.tables:
        prefix = f"{_quoted(hub)},{_quoted(year)},table,{_quoted(_text(t.name))},"
        out.append(_table_records(prefix, t, part))
    for s in whole.series:
        name, unit, target = _text(s.name), _text(s.unit), _cell(s.target)
        out.append([  # a list, not a generator: it must not see the next series' name
            _line((hub, year, "series", name, str(index), _text(point.label), "value",
                   _cell(point.value), unit, target, "", "", "", "", part, ""))
            for index, point in enumerate(s.points, start=1)
        ])  # fmt: skip
    out.append([
        _line((hub, year, "caveat", "", str(i), _text(c), "", "", "", "", "", "", "", "",
               part, ""))
        for i, c in enumerate(whole.caveats, start=1)
    ])  # fmt: skip
    return out


def render_csv(summary: Summary) -> bytes:
    """The summary as one long CSV table with the columns of :data:`CSV_COLUMNS`."""
    hub, year = _text(summary.scope.hub_id), summary.scope.academic_year
    threshold = summary.suppression_threshold
    out: list[Iterable[bytes]] = [(_BOM, _HEADER)]
    out += _records(summary, hub, year, threshold, "")
    for section in summary.sections:
        part = section.anchor
        out.append((_line((
            hub, year, "section", part, "", _text(section.title), "", "", "", "",
            section.status.value, _text(section.rule), "", _text(section.note), part, "",
        )),))  # fmt: skip
        out += _records(section, hub, year, threshold, part)
    note = summary.suppression_note
    if note:
        status = "applied" if summary.suppressed else "not-needed"
        out.append((_line((
            hub, year, "suppression", "small-numbers", "", note, "threshold",
            str(threshold), "", "", status, "", "", "", "", "",
        )),))  # fmt: skip
    # one join of encoded pieces: no 100 MB text to encode after the fact
    return b"".join(chain.from_iterable(out))


def _record(fields: Sequence[str]) -> str:
    # csv.writer quotes a record made of one empty field, so that it is not a blank line
    return '""' if len(fields) == 1 and not fields[0] else ",".join(fields)


def render_table_csv(table: Table) -> bytes:
    """One :class:`Table` as a plain rectangular CSV (same encoding rules), for reporters
    whose readers expect exactly that table (e.g. a funder's schools list)."""
    header = _record([_quoted(_text(c)) for c in table.columns])
    columns = map_columns(table, _fields)
    lines = [header, *map(_record, zip(*columns, strict=True))]
    return (_EOL.join(lines) + _EOL).encode("utf-8-sig")


CSV = FunctionRenderer("csv", "text/csv; charset=utf-8", ".csv", render_csv)
