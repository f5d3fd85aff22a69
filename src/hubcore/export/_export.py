"""Writing a store's events and read models as flat tables, for analysts' own tools."""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import attrs
import orjson

import hubcore
from hubcore._output import write_file_atomically
from hubcore.errors import HubcoreError
from hubcore.events import EVENT_TYPES
from hubcore.export._columns import Column, event_columns, plain_value
from hubcore.export._read_models import READ_MODEL_COLUMNS, read_model_rows
from hubcore.export._writers import EXTENSIONS, FORMATS, TableWriter, _pyarrow, open_writer

__all__ = ["BATCH", "ExportReport", "ExportedTable", "export"]

BATCH = 20_000
"""Rows held per table before they are written."""
_SAFE_NAME = re.compile(r"[^A-Za-z0-9_.-]")


@attrs.frozen
class ExportedTable:
    """One table written: its name (``events/ParticipationRecorded``), file, rows, columns."""

    name: str
    file: str
    rows: int
    columns: tuple[Column, ...]


@attrs.frozen
class ExportReport:
    """What :func:`export` wrote."""

    directory: Path
    format: str
    head: int
    """The last position exported: events appended during the export are left out."""
    tables: tuple[ExportedTable, ...]
    warnings: tuple[str, ...] = ()

    def rows(self, name: str) -> int:
        """The rows of table ``name`` (``events/SchoolRegistered``, ``read_models/coverage``)."""
        for table in self.tables:
            if table.name == name:
                return table.rows
        raise HubcoreError(f"the export has no table {name!r}")


def _envelope_row(recorded: Any) -> dict[str, Any]:
    event = recorded.event
    row = {
        "position": recorded.position,
        "stream": recorded.stream,
        "version": recorded.version,
        "event_id": str(recorded.event_id),
        "recorded_at": recorded.recorded_at,
        "schema_version": recorded.schema_version,
    }
    for field in attrs.fields(type(event)):
        row[field.name] = plain_value(getattr(event, field.name))
    return row


class _Tables:
    """The open writers of one export; every file is put in place only if all succeed."""

    def __init__(self, directory: Path, fmt: str) -> None:
        self.directory = directory
        self.fmt = fmt
        self.open: list[tuple[str, TableWriter, tuple[Column, ...], Path]] = []

    def add(self, name: str, columns: tuple[Column, ...]) -> TableWriter:
        path = self.directory / f"{name}{EXTENSIONS[self.fmt]}"
        path.parent.mkdir(parents=True, exist_ok=True)
        writer = open_writer(self.fmt, path, columns)
        self.open.append((name, writer, columns, path))
        return writer

    def finish(self) -> list[ExportedTable]:
        done = []
        for name, writer, columns, path in self.open:
            writer.finish()
            relative = path.relative_to(self.directory).as_posix()
            done.append(ExportedTable(name, relative, writer.rows, columns))
        self.open.clear()
        return done

    def abort(self) -> None:
        for _, writer, _, _ in self.open:
            writer.abort()
        self.open.clear()


def _events(store: Any, tables: _Tables, head: int, progress: Callable[[int, int], None]) -> None:
    writers: dict[str, TableWriter] = {}
    pending: dict[str, list[dict[str, Any]]] = {}
    for event_type in sorted(EVENT_TYPES):
        writers[event_type] = tables.add(
            f"events/{event_type}", event_columns(EVENT_TYPES[event_type])
        )
        pending[event_type] = []
    if head == 0:
        return
    for recorded in store.read_all():
        if recorded.position > head:
            break
        rows = pending[recorded.event_type]
        rows.append(_envelope_row(recorded))
        if len(rows) >= BATCH:
            writers[recorded.event_type].write(rows)
            rows.clear()
        if recorded.position % BATCH == 0:
            progress(recorded.position, head)
    for event_type, rows in pending.items():
        writers[event_type].write(rows)
    progress(head, head)


def _read_models(store: Any, tables: _Tables, projections: Sequence[Any]) -> list[str]:
    from hubcore.projections import Projector

    warnings: list[str] = []
    projector = Projector(store, list(projections))
    projector.catch_up()
    for projection in projections:
        try:
            rows = read_model_rows(projection.dump(projector.get(projection.name)))
        except ValueError as error:
            warnings.append(f"read model {projection.name!r} left out: {error}")
            continue
        name = _SAFE_NAME.sub("_", projection.name)
        writer = tables.add(f"read_models/{name}", READ_MODEL_COLUMNS)
        for start in range(0, len(rows), BATCH):
            writer.write(rows[start : start + BATCH])
    return warnings


def _manifest(report: ExportReport) -> bytes:
    return orjson.dumps(
        {
            "hubcore": hubcore.__version__,
            "exported_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "format": report.format,
            "head": report.head,
            "tables": [
                {
                    "name": t.name,
                    "file": t.file,
                    "rows": t.rows,
                    "columns": [
                        {"name": c.name, "type": c.type, "nullable": c.nullable} for c in t.columns
                    ],
                }
                for t in report.tables
            ],
            "warnings": list(report.warnings),
        },
        option=orjson.OPT_INDENT_2,
    )


def export(
    store: Any,
    directory: str | os.PathLike[str],
    *,
    format: str = "parquet",
    read_models: bool = True,
    projections: Sequence[Any] | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> ExportReport:
    """Write every event type's table and every read model's table into ``directory``.

    ``format`` is ``"parquet"`` (needs the ``export`` extra), ``"csv"`` or ``"jsonl"``.
    Tables go in ``events/<EventType>`` and ``read_models/<name>``, with a
    ``manifest.json`` listing each table's rows and typed columns. ``projections`` are the
    read models to export (default: the built-in ones); ``progress(done, head)`` follows the
    events read. Each file is written aside and put in place once every table is written:
    an export that fails leaves the files of the last one as they were.
    """
    if format not in FORMATS:
        raise HubcoreError(f"unknown export format {format!r}; choose {', '.join(FORMATS)}")
    if format == "parquet":
        _pyarrow()
    target = Path(directory)
    if target.exists() and not target.is_dir():
        raise HubcoreError(f"{target}: exists and is not a folder")
    target.mkdir(parents=True, exist_ok=True)
    if projections is None:
        from hubcore.projections import builtin_projections

        projections = builtin_projections()
    head = store.head()
    tables = _Tables(target, format)
    warnings: list[str] = []
    try:
        _events(store, tables, head, progress or (lambda done, total: None))
        if read_models:
            warnings = _read_models(store, tables, projections)
        written = tables.finish()
    except BaseException:
        tables.abort()
        raise
    report = ExportReport(target, format, head, tuple(written), tuple(warnings))
    write_file_atomically(target / "manifest.json", _manifest(report))
    return report
