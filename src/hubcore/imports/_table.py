"""Reading a spreadsheet-like file into records: CSV in any dialect, or an ``.xlsx`` sheet.

A :class:`Table` is every non-blank record of the file with the line it starts on (for a
sheet, its row number), as text cells. CSV is decoded by :func:`~hubcore.imports._encoding.
decode_text`, its delimiter (comma, semicolon or tab) found from the first lines, and quoted
fields may hold delimiters and line breaks. Text decoded in the wrong encoding once before
(mojibake) is repaired in every cell, with a warning naming the lines.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path

import attrs

from hubcore.imports._encoding import decode_text, repair_mojibake
from hubcore.imports._problems import FILE, Problems, Source

__all__ = ["Record", "Table", "read_table", "table_from_records"]

_SNIFF_LINES = 10
_ZIP = b"PK\x03\x04"
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


@attrs.frozen
class Record:
    """One non-blank record: the line (or sheet row) it starts on and its cells."""

    line: int
    cells: tuple[str, ...]


@attrs.frozen
class Table:
    """The records of a file, how it was read, and any repairs made while reading it."""

    source: str
    encoding: str
    """The text encoding (see :class:`~hubcore.imports._encoding.Decoded`), or ``"xlsx"``."""
    delimiter: str | None
    """``","``, ``";"`` or ``"\\t"``; None for a sheet."""
    records: tuple[Record, ...]
    warnings: tuple[str, ...] = ()
    truncated: bool = False
    """The text does not end with a line break (the last record may be cut short)."""
    sheet: str | None = None


def _lines_of(lines: list[int], limit: int = 10) -> str:
    shown = ", ".join(str(n) for n in lines[:limit])
    return shown + (f" and {len(lines) - limit} more" if len(lines) > limit else "")


def _count_outside_quotes(line: str, delimiter: str) -> int:
    count, quoted = 0, False
    for char in line:
        if char == '"':
            quoted = not quoted
        elif char == delimiter and not quoted:
            count += 1
    return count


def sniff_delimiter(text: str, delimiters: str) -> str:
    """The candidate that splits one of the first non-blank lines the most (comma on a tie)."""
    if len(delimiters) == 1:
        return delimiters
    lines = [line for line in text.splitlines()[: _SNIFF_LINES * 3] if line.strip()]
    best, best_count = delimiters[0], 0
    for delimiter in delimiters:
        count = max(
            (_count_outside_quotes(line, delimiter) for line in lines[:_SNIFF_LINES]), default=0
        )
        if count > best_count:
            best, best_count = delimiter, count
    return best


def _csv_records(text: str, delimiter: str, problems: Problems) -> Iterator[tuple[int, list[str]]]:
    """Every non-blank record with the line it starts on (a bad quote ends the file)."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    line: int = reader.line_num
    while True:
        start = line + 1
        try:
            record = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            reason = str(error)
            if "end of data" in reason or "EOF" in reason:
                reason = "the file ends inside a quoted field: it looks truncated"
            problems.add(start, FILE, f"not valid CSV: {reason}")
            return
        line = reader.line_num
        if any(cell.strip() for cell in record):
            yield start, record


def table_from_records(
    source: str,
    encoding: str,
    delimiter: str | None,
    rows: Iterator[tuple[int, list[str]]],
    *,
    warnings: list[str],
    truncated: bool = False,
    sheet: str | None = None,
) -> Table:
    """A :class:`Table` of ``rows``, each cell's mojibake repaired (with a warning)."""
    records: list[Record] = []
    repaired: list[int] = []
    example = ""
    for line, cells in rows:
        fixed_cells = cells
        for index, cell in enumerate(cells):
            fixed = repair_mojibake(cell)
            if fixed is not None:
                if fixed_cells is cells:
                    fixed_cells = list(cells)
                    repaired.append(line)
                    example = example or f"{cell.strip()!r} -> {fixed.strip()!r}"
                fixed_cells[index] = fixed
        records.append(Record(line, tuple(fixed_cells)))
    if repaired:
        warnings.append(
            f"repaired text decoded in the wrong encoding before it was saved (mojibake) on"
            f" line(s) {_lines_of(repaired)}, e.g. {example}: check those lines"
        )
    return Table(
        source=source,
        encoding=encoding,
        delimiter=delimiter,
        records=tuple(records),
        warnings=tuple(warnings),
        truncated=truncated,
        sheet=sheet,
    )


def _is_xlsx(source: Source | None, data: bytes) -> bool:
    if data.startswith(_ZIP):
        return True
    if source is None or isinstance(source, bytes):
        return False
    return Path(source).suffix.lower() in {".xlsx", ".xlsm"}


def read_table(
    data: bytes,
    label: str,
    problems: Problems,
    *,
    source: Source | None = None,
    delimiters: str = ",;\t",
    allow_utf16: bool = True,
    sheet: str | None = None,
) -> Table:
    """The records of ``data`` (a CSV file's or an ``.xlsx`` workbook's bytes).

    ``source`` (the path, when there is one) lets the file's extension say it is a
    workbook; ``sheet`` picks a worksheet by name (default: the first). Raises
    :class:`~hubcore.ImportFailed` for a file that cannot be read as either.
    """
    if data.startswith(_OLE):
        raise problems.fail(
            1, FILE, "this is an old Excel .xls workbook: save it as .xlsx or CSV and try again"
        )
    if _is_xlsx(source, data):
        from hubcore.imports._xlsx import read_xlsx

        return read_xlsx(data, label, problems, sheet=sheet)
    if sheet is not None:
        raise problems.fail(0, "sheet", f"--sheet {sheet!r} is only for .xlsx workbooks")
    decoded = decode_text(data, problems, allow_cp1252=True, allow_utf16=allow_utf16)
    text = decoded.text
    delimiter = sniff_delimiter(text, delimiters)
    return table_from_records(
        label,
        decoded.encoding,
        delimiter,
        _csv_records(text, delimiter, problems),
        warnings=list(decoded.warnings),
        truncated=not text.endswith(("\n", "\r")),
    )
