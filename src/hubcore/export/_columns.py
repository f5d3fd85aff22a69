"""The columns of an event type's table, read from the event class's typed fields.

Every table starts with the envelope (:data:`ENVELOPE`): where the store put the event
(``position``, ``stream``, ``version``), its ``event_id``, when it was ``recorded_at`` and
the ``schema_version`` it was stored in. Then one column per field of the event, typed from
the field's annotation: whole numbers, decimals, text, yes/no, dates; a vocabulary word is
text; a set or tuple is a list (a set's items sorted); a mapping is a map. An event type
added later (or changed) gets its columns the same way, with no change here.
"""

from __future__ import annotations

import types
import typing
from collections.abc import Mapping
from datetime import date, datetime
from enum import Enum
from typing import Any

import attrs

from hubcore.events import Event

__all__ = ["ENVELOPE", "Column", "event_columns", "plain_value"]


@attrs.frozen
class Column:
    """A column: its name and type (``int``, ``float``, ``str``, ``bool``, ``date``,
    ``timestamp``, ``list<T>`` or ``map<K,V>``, where T, K, V are scalar types)."""

    name: str
    type: str
    nullable: bool = False


ENVELOPE: tuple[Column, ...] = (
    Column("position", "int"),
    Column("stream", "str"),
    Column("version", "int"),
    Column("event_id", "str"),
    Column("recorded_at", "timestamp"),
    Column("schema_version", "int"),
)
"""The columns every event table starts with (the store's envelope)."""

_SCALARS: Mapping[type, str] = {bool: "bool", int: "int", float: "float", str: "str", date: "date"}


def _scalar(hint: Any) -> str:
    if isinstance(hint, type):
        if issubclass(hint, Enum):
            return "str"
        for cls, name in _SCALARS.items():
            if hint is cls:
                return name
    return "json"


def _column_type(hint: Any) -> tuple[str, bool]:
    """The column type of an annotation, and whether it may be empty (None)."""
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(hint) if a is not type(None)]
        kind, _ = _column_type(args[0]) if len(args) == 1 else ("json", True)
        return kind, True
    if origin in (frozenset, set, tuple, list):
        args = [a for a in typing.get_args(hint) if a is not Ellipsis]
        item = _scalar(args[0]) if args else "json"
        return ("json" if item == "json" else f"list<{item}>"), False
    if origin in (dict, Mapping):
        key, value = (_scalar(a) for a in typing.get_args(hint))
        return ("json" if "json" in (key, value) else f"map<{key},{value}>"), False
    return _scalar(hint), False


def event_columns(cls: type[Event]) -> tuple[Column, ...]:
    """The envelope and then one column per field of ``cls``, in the class's field order."""
    hints = typing.get_type_hints(cls)
    fields = [Column(field.name, *_column_type(hints[field.name])) for field in attrs.fields(cls)]
    return (*ENVELOPE, *fields)


def plain_value(value: Any) -> Any:
    """A field's value as plain data: words as text, sets as sorted lists, mappings with
    plain keys and values (None, numbers, text and dates stay as they are)."""
    if value is None or isinstance(value, (bool, int, float, str, date, datetime)):
        return value._value_ if isinstance(value, Enum) else value
    if isinstance(value, Enum):
        return value._value_
    if isinstance(value, (frozenset, set)):
        return sorted(plain_value(v) for v in value)
    if isinstance(value, (tuple, list)):
        return [plain_value(v) for v in value]
    if isinstance(value, Mapping):
        return {plain_value(k): plain_value(v) for k, v in value.items()}
    return value
