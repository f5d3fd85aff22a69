"""Importers: a hub's own files in, all or nothing.

* :func:`import_file` reads a hub's spreadsheet of one :data:`KINDS` (``registers``,
  ``training``, ``survey``; ``send``, the DfE's school-level SEN statistics), CSV in any
  encoding and dialect spreadsheets write or an ``.xlsx`` sheet, checks every row and every
  event against the store, and appends what is new; :func:`read_rows` only reads a file,
  :func:`load_column_map` reads a ``--map`` file.
* :func:`read_gias` parses a Get Information About Schools CSV export;
  :func:`plan_school_import` turns it into the school events the log is missing, against
  :func:`current_schools` (read from a store) or any mapping URN -> :class:`SchoolDetails`.
* :func:`read_jsonl` decodes one event per line.
* :func:`record_planned` checks and appends planned events (what every importer shares).

Bad input raises :class:`~hubcore.ImportFailed` listing every problem (line, column,
reason) before anything is appended.
"""

from __future__ import annotations

from hubcore.imports._columns import Column, ColumnMap, load_column_map
from hubcore.imports._problems import MAX_PROBLEMS
from hubcore.imports._rows import Kind, Planned, RowsRead, read_rows
from hubcore.imports._settle import planned_events
from hubcore.imports.gias import REQUIRED_COLUMNS, GiasClosure, GiasFile, GiasSchool, read_gias
from hubcore.imports.importing import KINDS, ImportReport, Progress, import_file, record_planned
from hubcore.imports.jsonl import read_jsonl, read_jsonl_lines
from hubcore.imports.plan import (
    CLOSED_REASON,
    SchoolDetails,
    current_schools,
    plan_school_import,
    plan_school_lines,
)

__all__ = [
    "CLOSED_REASON",
    "KINDS",
    "MAX_PROBLEMS",
    "REQUIRED_COLUMNS",
    "Column",
    "ColumnMap",
    "GiasClosure",
    "GiasFile",
    "GiasSchool",
    "ImportReport",
    "Kind",
    "Planned",
    "Progress",
    "RowsRead",
    "SchoolDetails",
    "current_schools",
    "import_file",
    "load_column_map",
    "plan_school_import",
    "plan_school_lines",
    "planned_events",
    "read_gias",
    "read_jsonl",
    "read_jsonl_lines",
    "read_rows",
    "record_planned",
]
