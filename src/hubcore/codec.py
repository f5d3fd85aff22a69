"""The codec: events to JSON bytes and back, through cattrs and orjson.

The stored form of an event is a JSON object tagged with its stable ``"type"`` name::

    {"type": "SchoolEngaged", "occurred_on": "2025-09-03", "urn": 123456, ...}

Two decoders share one converter factory:

* :func:`decode` / :func:`from_dict` are **strict**: for bytes from outside (files, the
  CLI, other systems). Every field is type-checked, unknown keys are refused, every attrs
  validator runs. Problems raise :class:`~hubcore.UnknownEventType`,
  :class:`~hubcore.InvalidEvent` or :class:`~hubcore.CorruptRecord`; nothing else.
* :func:`decode_trusted` is for replaying the store's own log, whose payloads were
  validated on append and are protected by the hash chain: it skips re-validation, which
  is the hot path of every projection rebuild.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from datetime import date
from enum import Enum
from typing import Any, TypeVar

import attrs
import cattrs
import orjson
from cattrs.preconf.orjson import make_converter

from hubcore import vocabulary
from hubcore.errors import CorruptRecord, HubcoreError, InvalidEvent, UnknownEventType
from hubcore.events import EVENT_TYPES, Event
from hubcore.upcasting import upcast

__all__ = [
    "current_schema_version",
    "decode",
    "decode_trusted",
    "encode",
    "from_dict",
    "strict_converter",
    "to_dict",
]

T = TypeVar("T")
TAG = "type"


def _strict_int(value: Any, _: type) -> int:
    if type(value) is not int:
        raise TypeError(f"expected a whole number, got {type(value).__name__}")
    return value


def _strict_float(value: Any, _: type) -> float:
    if type(value) not in (int, float) or not math.isfinite(value):
        raise TypeError(f"expected a number, got {value!r}")
    return float(value)


def _strict_str(value: Any, _: type) -> str:
    if type(value) is not str:
        raise TypeError(f"expected text, got {type(value).__name__}")
    return value


def _strict_bool(value: Any, _: type) -> bool:
    if type(value) is not bool:
        raise TypeError(f"expected true or false, got {value!r}")
    return value


def _strict_date(value: Any, _: type) -> date:
    if type(value) is not str:
        raise TypeError(f"expected an ISO date 'YYYY-MM-DD', got {type(value).__name__}")
    return date.fromisoformat(value)


def _enum_hook(enum: type[Enum]) -> Callable[[Any, type], Enum]:
    members = enum._value2member_map_
    allowed = ", ".join(str(m.value) for m in enum)

    def structure(value: Any, _: type) -> Enum:
        try:
            return members[value]
        except (KeyError, TypeError):
            raise ValueError(f"expected one of: {allowed}; got {value!r}") from None

    return structure


def _sorted_list(value: frozenset[Any]) -> list[Any]:
    return sorted(value)


_VOCABULARIES: tuple[type[Enum], ...] = tuple(
    obj
    for obj in vars(vocabulary).values()
    if isinstance(obj, type) and issubclass(obj, Enum) and obj.__module__ == vocabulary.__name__
)


def _make_converter(*, strict: bool) -> cattrs.Converter:
    converter = make_converter(detailed_validation=strict, forbid_extra_keys=strict)
    converter.register_unstructure_hook(frozenset, _sorted_list)
    if strict:
        converter.register_structure_hook(int, _strict_int)
        converter.register_structure_hook(float, _strict_float)
        converter.register_structure_hook(str, _strict_str)
        converter.register_structure_hook(bool, _strict_bool)
        converter.register_structure_hook(date, _strict_date)
    for enum in _VOCABULARIES:
        converter.register_structure_hook(enum, _enum_hook(enum))
    return converter


strict_converter: cattrs.Converter = _make_converter(strict=True)
"""The strict cattrs converter (orjson preconf): for code that structures events itself."""

_trusted_converter = _make_converter(strict=False)
_unstructure = {cls: strict_converter.get_unstructure_hook(cls) for cls in EVENT_TYPES.values()}
_strict_structure = {
    cls.event_type: strict_converter.get_structure_hook(cls) for cls in EVENT_TYPES.values()
}
_trusted_structure = {
    cls.event_type: _trusted_converter.get_structure_hook(cls) for cls in EVENT_TYPES.values()
}


def current_schema_version(event_type: str) -> int:
    """The schema version this hubcore writes for ``event_type``."""
    cls = EVENT_TYPES.get(event_type)
    if cls is None:
        raise UnknownEventType(event_type)
    return cls.schema_version


def to_dict(event: Event) -> dict[str, Any]:
    """The event as a JSON-ready dict, tagged with ``"type"``."""
    cls = type(event)
    unstructure = _unstructure.get(cls)
    if unstructure is None:
        raise UnknownEventType(getattr(cls, "event_type", cls.__name__))
    payload: dict[str, Any] = {TAG: cls.event_type}
    payload.update(unstructure(event))
    return payload


def encode(event: Event) -> bytes:
    """The event's stored form: compact UTF-8 JSON bytes."""
    return orjson.dumps(to_dict(event))


def _describe(error: Exception) -> str:
    if isinstance(error, cattrs.BaseValidationError):
        return "; ".join(cattrs.transform_error(error))
    return f"{type(error).__name__}: {error}"


def _invalid_inside(error: BaseException) -> InvalidEvent | None:
    if isinstance(error, InvalidEvent):
        return error
    if isinstance(error, BaseExceptionGroup):
        for inner in error.exceptions:
            found = _invalid_inside(inner)
            if found is not None:
                return found
    return None


def from_dict(obj: Mapping[str, Any], *, schema_version: int | None = None) -> Event:
    """Strictly structure a tagged JSON object into its event class.

    ``schema_version`` is the version the object was written with (default: current);
    older payloads are upcast first.
    """
    if not isinstance(obj, Mapping):
        raise CorruptRecord(f"expected a JSON object, got {type(obj).__name__}")
    event_type = obj.get(TAG)
    if not isinstance(event_type, str):
        raise CorruptRecord(f"missing or non-text {TAG!r} tag")
    structure = _strict_structure.get(event_type)
    if structure is None:
        raise UnknownEventType(event_type)
    payload = {k: v for k, v in obj.items() if k != TAG}
    current = EVENT_TYPES[event_type].schema_version
    if schema_version is not None and schema_version != current:
        if type(schema_version) is not int or schema_version < 1:
            raise CorruptRecord(f"bad schema version {schema_version!r} for {event_type}")
        payload = upcast(event_type, payload, schema_version, current)
    try:
        return structure(payload, EVENT_TYPES[event_type])  # type: ignore[no-any-return]
    except HubcoreError:
        raise
    except Exception as error:
        invalid = _invalid_inside(error)
        if invalid is not None:
            raise invalid from None
        raise CorruptRecord(f"{event_type}: {_describe(error)}") from None


def decode(
    data: bytes | bytearray | memoryview | str, *, schema_version: int | None = None
) -> Event:
    """Strictly decode JSON bytes (or text) into an event; for data from outside."""
    try:
        obj = orjson.loads(data)
    except (orjson.JSONDecodeError, TypeError) as error:
        raise CorruptRecord(f"not valid JSON: {error}") from None
    return from_dict(obj, schema_version=schema_version)


def decode_trusted(data: bytes | memoryview, event_type: str, schema_version: int) -> Event:
    """Decode a payload from the store's own verified log, without re-validation.

    Still raises only hubcore errors (:class:`~hubcore.CorruptRecord`,
    :class:`~hubcore.UnknownEventType`) if the bytes are not what they should be.
    """
    structure = _trusted_structure.get(event_type)
    if structure is None:
        raise UnknownEventType(event_type)
    cls = EVENT_TYPES[event_type]
    try:
        payload = orjson.loads(data)
        del payload[TAG]
        if schema_version != cls.schema_version:
            payload = upcast(event_type, payload, schema_version, cls.schema_version)
        with attrs.validators.disabled():
            return structure(payload, cls)  # type: ignore[no-any-return]
    except HubcoreError:
        raise
    except Exception as error:
        raise CorruptRecord(f"{event_type}: {_describe(error)}") from None
