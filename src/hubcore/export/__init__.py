"""Export for analysts: every event type and every read model as a flat, typed table.

>>> from hubcore.export import FORMATS
>>> FORMATS
('parquet', 'csv', 'jsonl')

:func:`export` writes ``events/<EventType>`` (one column per field, after the envelope:
position, stream, version, event id, recorded-at, schema version) and
``read_models/<name>`` tables into a folder, with a ``manifest.json``. Parquet needs the
optional ``export`` extra (pyarrow).
"""

from __future__ import annotations

from hubcore.export._columns import ENVELOPE, Column, event_columns
from hubcore.export._export import ExportedTable, ExportReport, export
from hubcore.export._read_models import READ_MODEL_COLUMNS
from hubcore.export._writers import FORMATS

__all__ = [
    "ENVELOPE",
    "FORMATS",
    "READ_MODEL_COLUMNS",
    "Column",
    "ExportReport",
    "ExportedTable",
    "event_columns",
    "export",
]
