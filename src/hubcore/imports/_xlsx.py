"""Reading one worksheet of an ``.xlsx`` workbook (openpyxl, the ``xlsx`` extra) as text cells.

Each cell becomes the text a CSV export of it would hold: whole numbers without ``.0``, dates
as ``YYYY-MM-DD``, ``TRUE``/``FALSE``. A formula cell gives the value Excel saved for it; a
formula with no saved value (a workbook written by a program that never calculated it) is
kept as its formula text, which the importers refuse as a formula.
"""

from __future__ import annotations

import io
import warnings
import zipfile
from collections.abc import Iterator
from datetime import date, datetime, time
from typing import Any

from hubcore.errors import ImportFailed
from hubcore.imports._problems import FILE, Problems
from hubcore.imports._table import Table, table_from_records

__all__ = ["MAX_UNPACKED_BYTES", "cell_text", "read_xlsx"]

MAX_UNPACKED_BYTES = 512 * 1024 * 1024
"""A workbook whose parts unpack to more than this is refused (a zip bomb, or not a sheet)."""

_EXTRA = "pip install 'hubcore[xlsx]'"


def _openpyxl(problems: Problems) -> Any:
    try:
        import openpyxl
    except ImportError:
        raise problems.fail(
            1,
            FILE,
            f"reading .xlsx workbooks needs openpyxl, the optional 'xlsx' extra ({_EXTRA});"
            " or save the sheet as CSV",
        ) from None
    return openpyxl


def cell_text(value: object) -> str:
    """A cell's value as the text a CSV export would hold."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return repr(value)
    if isinstance(value, datetime):
        if value.time() == time(0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, (date, time)):
        return value.isoformat()
    return str(value)


def _check_zip(data: bytes, problems: Problems) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = archive.namelist()
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, ValueError, OSError) as error:
        raise problems.fail(1, FILE, f"not a readable .xlsx workbook: {error}") from None
    if "xl/workbook.xml" not in names:
        raise problems.fail(
            1,
            FILE,
            "not an Excel .xlsx workbook (an OpenDocument or other zip file?):"
            " save it as .xlsx or CSV",
        )
    if unpacked > MAX_UNPACKED_BYTES:
        raise problems.fail(
            1, FILE, f"the workbook unpacks to {unpacked} bytes, more than hubcore reads"
        )


def _load(openpyxl: Any, data: bytes, *, data_only: bool, problems: Problems) -> Any:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return openpyxl.load_workbook(
                io.BytesIO(data), read_only=True, data_only=data_only, keep_links=False
            )
    except Exception as error:  # openpyxl raises many kinds for a damaged workbook
        raise problems.fail(
            1, FILE, f"not a readable .xlsx workbook: {type(error).__name__}: {error}"
        ) from None


def _rows(values: Any, formulas: Any) -> Iterator[tuple[int, list[str]]]:
    pairs = zip(
        values.iter_rows(values_only=True), formulas.iter_rows(values_only=True), strict=False
    )
    for number, (row, formula_row) in enumerate(pairs, start=1):
        cells: list[str] = []
        for index, value in enumerate(row):
            formula = formula_row[index] if index < len(formula_row) else None
            if value is None and isinstance(formula, str) and formula.startswith("="):
                cells.append(formula)  # a formula never calculated: no value to read
            else:
                cells.append(cell_text(value))
        if any(cell.strip() for cell in cells):
            yield number, cells


def read_xlsx(data: bytes, label: str, problems: Problems, *, sheet: str | None) -> Table:
    """The records of one worksheet (``sheet``, default the first) of a workbook's bytes."""
    openpyxl = _openpyxl(problems)
    _check_zip(data, problems)
    values_book = _load(openpyxl, data, data_only=True, problems=problems)
    formula_book = _load(openpyxl, data, data_only=False, problems=problems)
    try:
        names = list(values_book.sheetnames)
        if not names:
            raise problems.fail(1, FILE, "the workbook has no worksheets")
        if sheet is None:
            chosen = names[0]
        elif sheet in names:
            chosen = sheet
        else:
            raise problems.fail(
                0, "sheet", f"no worksheet {sheet!r}; the workbook has: {', '.join(names)}"
            )
        notes: list[str] = []
        if sheet is None and len(names) > 1:
            notes.append(
                f"read the first worksheet, {chosen!r}, of {len(names)} ({', '.join(names)});"
                " choose another with --sheet"
            )
        try:
            table = table_from_records(
                label,
                "xlsx",
                None,
                _rows(values_book[chosen], formula_book[chosen]),
                warnings=notes,
                sheet=chosen,
            )
        except ImportFailed:
            raise
        except Exception as error:  # a damaged sheet part surfaces while rows are read
            raise problems.fail(
                1, FILE, f"worksheet {chosen!r} cannot be read: {type(error).__name__}: {error}"
            ) from None
    finally:
        values_book.close()
        formula_book.close()
    return table
