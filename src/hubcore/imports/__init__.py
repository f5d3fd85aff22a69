"""Importers: GIAS school lists and JSON Lines event files, all or nothing.

* :func:`read_gias` parses a Get Information About Schools CSV export;
  :func:`plan_school_import` turns it into the school events the log is missing, against
  :func:`current_schools` (read from a store) or any mapping URN -> :class:`SchoolDetails`.
* :func:`read_jsonl` decodes one event per line.

Bad input raises :class:`~hubcore.ImportFailed` listing every problem (line, column,
reason) before anything is appended.
"""

from __future__ import annotations

from hubcore.imports._problems import MAX_PROBLEMS
from hubcore.imports.gias import REQUIRED_COLUMNS, GiasClosure, GiasFile, GiasSchool, read_gias
from hubcore.imports.jsonl import read_jsonl
from hubcore.imports.plan import CLOSED_REASON, SchoolDetails, current_schools, plan_school_import

__all__ = [
    "CLOSED_REASON",
    "MAX_PROBLEMS",
    "REQUIRED_COLUMNS",
    "GiasClosure",
    "GiasFile",
    "GiasSchool",
    "SchoolDetails",
    "current_schools",
    "plan_school_import",
    "read_gias",
    "read_jsonl",
]
