"""A read model's state as a table, whatever its shape: one row per fact it keeps.

A projection saves its state as bytes (:meth:`~hubcore.projections.Projection.dump`). The
built-in read models write JSON: an object of fields, each a mapping from a stream's key
(a URN, a hub id) to what the model keeps about it, often itself a mapping (by year, by
programme). The table has one row per stream key and field, or per inner entry when the value
is a mapping:

======== ================================================================
``field`` the state field (``roster``, ``counts``, ...), its leading ``_`` dropped
``key``   the stream key: a school's URN or a hub's id, as text
``item``  the inner key (``2025/26|choir|2``), empty when the value is not a mapping
``value`` what is kept, as JSON
======== ================================================================

A state of another JSON shape is one row holding it all in ``value``. The layout of the
values is each read model's own and may change between versions of hubcore: the event tables
are the stable record; these tables show what the reports were built from.
"""

from __future__ import annotations

from typing import Any

import orjson

from hubcore.export._columns import Column

__all__ = ["READ_MODEL_COLUMNS", "read_model_rows"]

READ_MODEL_COLUMNS: tuple[Column, ...] = (
    Column("field", "str", nullable=True),
    Column("key", "str", nullable=True),
    Column("item", "str", nullable=True),
    Column("value", "json", nullable=True),
)


def _row(field: str | None, key: Any, item: Any, value: Any) -> dict[str, Any]:
    return {
        "field": field,
        "key": None if key is None else str(key),
        "item": None if item is None else str(item),
        "value": value,
    }


def read_model_rows(state: bytes) -> list[dict[str, Any]]:
    """The rows of a dumped state; :class:`ValueError` if it is not JSON."""
    try:
        data = orjson.loads(state)
    except orjson.JSONDecodeError as error:
        raise ValueError(f"its saved state is not JSON ({error})") from None
    if not isinstance(data, dict) or not all(isinstance(v, dict) for v in data.values()):
        return [_row(None, None, None, data)]
    rows: list[dict[str, Any]] = []
    for field, by_key in data.items():
        name = str(field).lstrip("_")
        for key, value in by_key.items():
            if isinstance(value, dict):
                rows.extend(_row(name, key, item, inner) for item, inner in value.items())
            else:
                rows.append(_row(name, key, None, value))
    return rows
