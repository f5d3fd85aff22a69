"""Writing one table as Parquet (pyarrow, the ``export`` extra), CSV or JSON Lines.

Each writer takes rows in batches and writes them to ``<file>.partial``; :meth:`finish`
renames it into place, :meth:`abort` removes it, so a failed export never leaves half a
table where a whole one is expected.

* **Parquet** keeps every type: whole numbers as int64, decimals as float64, dates as
  date32, ``recorded_at`` as a UTC timestamp in microseconds, lists and maps as Parquet
  lists and maps.
* **CSV** (UTF-8, a header row): dates and times in ISO form, ``true``/``false``, empty for
  none, lists and maps as JSON text. Text starting with ``=``, ``+``, ``-``, ``@``, a tab or a
  carriage return gets a leading ``'``, so a spreadsheet opening the file never runs it as a
  formula.
* **JSON Lines**: one object a line; dates and times in ISO form, lists and maps as JSON.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Protocol

import orjson

from hubcore._output import check_replaceable
from hubcore.errors import HubcoreError
from hubcore.export._columns import Column

__all__ = ["EXTENSIONS", "FORMATS", "TableWriter", "open_writer", "pyarrow_type"]

FORMATS = ("parquet", "csv", "jsonl")
EXTENSIONS = {"parquet": ".parquet", "csv": ".csv", "jsonl": ".jsonl"}
_EXTRA = "pip install 'hubcore[export]'"
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


class TableWriter(Protocol):
    """Writes one table: rows in batches, then :meth:`finish` (or :meth:`abort`)."""

    rows: int

    def write(self, rows: Sequence[dict[str, Any]]) -> None: ...

    def finish(self) -> None: ...

    def abort(self) -> None: ...


class _File:
    def __init__(self, path: Path) -> None:
        check_replaceable(path)  # a folder, FIFO or device there is refused, not replaced
        self.path = path
        self.partial = path.with_name(path.name + ".partial")
        self.rows = 0
        self._closed = False

    def finish(self) -> None:
        self._close_once()
        check_replaceable(self.path)
        self.partial.replace(self.path)

    def abort(self) -> None:
        self._close_once()
        self.partial.unlink(missing_ok=True)

    def _close_once(self) -> None:
        if not self._closed:
            self._closed = True
            self.close()

    def write(self, rows: Sequence[dict[str, Any]]) -> None:
        raise NotImplementedError

    def close(self) -> None:
        raise NotImplementedError


def _json(value: Any) -> str:
    return orjson.dumps(value, option=orjson.OPT_NON_STR_KEYS).decode()


def _csv_cell(value: Any, column: Column) -> str:
    if value is None:
        return ""
    if column.type.startswith(("list<", "map<")) or column.type == "json":
        return _json(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if column.type in ("date", "timestamp"):
        return str(value.isoformat())
    text = str(value)
    if isinstance(value, str) and text.startswith(_FORMULA_START):
        return "'" + text
    return text


class _CsvWriter(_File):
    def __init__(self, path: Path, columns: Sequence[Column]) -> None:
        super().__init__(path)
        self.columns = list(columns)
        self.handle = self.partial.open("w", encoding="utf-8", newline="")
        self.writer = csv.writer(self.handle, lineterminator="\r\n")
        self.writer.writerow([c.name for c in self.columns])

    def write(self, rows: Sequence[dict[str, Any]]) -> None:
        columns = self.columns
        self.writer.writerows([[_csv_cell(row[c.name], c) for c in columns] for row in rows])
        self.rows += len(rows)

    def close(self) -> None:
        self.handle.close()


class _JsonlWriter(_File):
    def __init__(self, path: Path, columns: Sequence[Column]) -> None:
        super().__init__(path)
        self.names = [c.name for c in columns]
        self.handle = self.partial.open("wb")

    def write(self, rows: Sequence[dict[str, Any]]) -> None:
        option = orjson.OPT_NON_STR_KEYS | orjson.OPT_APPEND_NEWLINE
        out = io.BytesIO()
        for row in rows:
            out.write(orjson.dumps({n: row[n] for n in self.names}, option=option))
        self.handle.write(out.getvalue())
        self.rows += len(rows)

    def close(self) -> None:
        self.handle.close()


def _pyarrow() -> Any:
    try:
        import pyarrow
        import pyarrow.parquet
    except ImportError:
        raise HubcoreError(
            f"Parquet export needs pyarrow, the optional 'export' extra ({_EXTRA}); or use"
            " --format csv or jsonl"
        ) from None
    return pyarrow


def pyarrow_type(pa: Any, kind: str) -> Any:
    """The pyarrow type of a column type."""
    scalars = {
        "int": pa.int64(),
        "float": pa.float64(),
        "str": pa.string(),
        "bool": pa.bool_(),
        "date": pa.date32(),
        "timestamp": pa.timestamp("us", tz="UTC"),
        "json": pa.string(),
    }
    if kind.startswith("list<"):
        return pa.list_(scalars[kind[5:-1]])
    if kind.startswith("map<"):
        key, value = kind[4:-1].split(",")
        return pa.map_(scalars[key], scalars[value])
    return scalars[kind]


class _ParquetWriter(_File):
    def __init__(self, path: Path, columns: Sequence[Column]) -> None:
        super().__init__(path)
        pa = self.pa = _pyarrow()
        self.columns = list(columns)
        self.schema = pa.schema(
            [pa.field(c.name, pyarrow_type(pa, c.type), nullable=c.nullable) for c in columns]
        )
        self.writer = pa.parquet.ParquetWriter(str(self.partial), self.schema)

    def write(self, rows: Sequence[dict[str, Any]]) -> None:
        if not rows:
            return
        pa = self.pa
        arrays = []
        for column, field in zip(self.columns, self.schema, strict=True):
            values = [row[column.name] for row in rows]
            if column.type == "json":
                values = [None if v is None else _json(v) for v in values]
            elif column.type.startswith("map<"):
                values = [None if v is None else list(v.items()) for v in values]
            arrays.append(pa.array(values, type=field.type))
        self.writer.write_table(pa.Table.from_arrays(arrays, schema=self.schema))
        self.rows += len(rows)

    def close(self) -> None:
        self.writer.close()


def open_writer(fmt: str, path: Path, columns: Sequence[Column]) -> TableWriter:
    """A writer of ``fmt`` (one of :data:`FORMATS`) for a table of ``columns`` at ``path``."""
    writers = {"parquet": _ParquetWriter, "csv": _CsvWriter, "jsonl": _JsonlWriter}
    cls = writers.get(fmt)
    if cls is None:
        raise HubcoreError(f"unknown export format {fmt!r}; choose {', '.join(FORMATS)}")
    writer: TableWriter = cls(path, columns)
    return writer
