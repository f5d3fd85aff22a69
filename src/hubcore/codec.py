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
import types
import typing
from collections.abc import Callable, Mapping
from datetime import date
from enum import Enum
from typing import Any, TypeVar

import attrs
import cattrs
import orjson
from cattrs.preconf.orjson import make_converter

from hubcore import vocabulary
from hubcore._slots import slot_setter
from hubcore.errors import CorruptRecord, HubcoreError, InvalidEvent, UnknownEventType
from hubcore.events import EVENT_TYPES, Event, FrozenDict
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
    if type(value) is date:  # to_dict() leaves dates for orjson to write
        return value
    if type(value) is not str:
        raise TypeError(f"expected an ISO date 'YYYY-MM-DD', got {type(value).__name__}")
    return date.fromisoformat(value)


def _strict_key_stage_minutes(value: Any, _: Any) -> dict[int, int]:
    """``dict[int, int]`` from JSON, whose object keys are always text (``{"1": 60}``)."""
    if not isinstance(value, dict):
        raise TypeError(f"expected an object, got {type(value).__name__}")
    result: dict[int, int] = {}
    for key, item in value.items():
        number = int(key) if type(key) is str and key.isdigit() else key
        result[_strict_int(number, int)] = _strict_int(item, int)
    return result


def _enum_hook(enum: type[Enum]) -> Callable[[Any, type], Enum]:
    members = enum._value2member_map_
    allowed = ", ".join(str(m.value) for m in enum)

    def structure(value: Any, _: type) -> Enum:
        try:
            return members[value]
        except (KeyError, TypeError):
            raise ValueError(f"expected one of: {allowed}; got {value!r}") from None

    return structure


def _is_frozenset(t: Any) -> bool:
    return t is frozenset or typing.get_origin(t) is frozenset


def _sorted_list(value: frozenset[Any]) -> list[Any]:
    """Sets are written sorted, so one event always encodes to the same bytes."""
    return sorted(value)


_VOCABULARIES: tuple[type[Enum], ...] = tuple(
    obj
    for obj in vars(vocabulary).values()
    if isinstance(obj, type) and issubclass(obj, Enum) and obj.__module__ == vocabulary.__name__
)


def _make_converter(*, strict: bool) -> cattrs.Converter:
    converter = make_converter(detailed_validation=strict, forbid_extra_keys=strict)
    converter.register_unstructure_hook_func(_is_frozenset, _sorted_list)
    if strict:
        converter.register_structure_hook(int, _strict_int)
        converter.register_structure_hook(float, _strict_float)
        converter.register_structure_hook(str, _strict_str)
        converter.register_structure_hook(bool, _strict_bool)
        converter.register_structure_hook(date, _strict_date)
        converter.register_structure_hook_func(
            lambda t: t == dict[int, int], _strict_key_stage_minutes
        )
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


def _encode_reference(event: Event) -> bytes:
    """The cattrs path :func:`encode` must match byte for byte (kept for the tests)."""
    return orjson.dumps(to_dict(event))


def _value_code(hint: Any, value: str) -> tuple[str, bool] | None:
    """An expression giving what orjson must see for ``value`` of type ``hint``, and
    whether it needs ``OPT_NON_STR_KEYS``; None if this compiler does not know the type."""
    origin = typing.get_origin(hint)
    args = typing.get_args(hint)
    if hint in (int, str, bool, float, date) or (isinstance(hint, type) and issubclass(hint, Enum)):
        return value, False  # orjson writes dates as ISO text and enums by value
    if origin in (types.UnionType, typing.Union) and len(args) == 2 and type(None) in args:
        inner = _value_code(next(a for a in args if a is not type(None)), value)
        if inner is None or inner[0] != value:
            return None
        return inner
    if origin is frozenset and len(args) == 1 and _value_code(args[0], "x") == ("x", False):
        return f"_sorted({value})", False  # sets are written sorted, as cattrs does
    if origin is tuple and len(args) == 2 and args[1] is Ellipsis:
        return (value, False) if _value_code(args[0], "x") == ("x", False) else None
    if origin is dict and len(args) == 2 and _value_code(args[1], "x") == ("x", False):
        key = args[0]
        if key is str:
            return value, False
        if key is int or (isinstance(key, type) and issubclass(key, str) and issubclass(key, Enum)):
            return value, True  # orjson writes int keys as text, str enum keys by value
    return None


def _compile_encoder(cls: type[Event]) -> Callable[[Event], bytes] | None:
    """An encoder for ``cls`` building orjson's input straight from the slots; the same
    bytes as the cattrs path (tests check it). None if a field type is not known here."""
    hints = typing.get_type_hints(cls)
    items = [f"{TAG!r}: {cls.event_type!r}"]
    option = 0
    for field in attrs.fields(cls):
        code = _value_code(hints[field.name], f"e.{field.name}")
        if code is None:
            return None
        items.append(f"{field.name!r}: {code[0]}")
        option |= orjson.OPT_NON_STR_KEYS if code[1] else 0
    names: dict[str, Any] = {"_dumps": orjson.dumps, "_sorted": sorted}
    body = ", ".join(items)
    suffix = f", option={option}" if option else ""
    exec(f"def encode(e):\n    return _dumps({{{body}}}{suffix})\n", names)  # from classes only
    return names["encode"]  # type: ignore[no-any-return]


_fast_encode: dict[type, Callable[[Event], bytes]] = {}
for _cls in EVENT_TYPES.values():
    _encoder = _compile_encoder(_cls)
    if _encoder is not None:
        _fast_encode[_cls] = _encoder


def encoder_for(cls: type[Event]) -> Callable[[Event], bytes]:
    """The function :func:`encode` uses for events of ``cls`` (store backends bind it once
    per batch instead of looking it up per event)."""
    return _fast_encode.get(cls, _encode_reference)


def encode(event: Event) -> bytes:
    """The event's stored form: compact UTF-8 JSON bytes."""
    fast = _fast_encode.get(type(event))
    if fast is not None:
        return fast(event)
    return _encode_reference(event)


def _format_leaf(error: BaseException, _type: Any) -> str:
    if isinstance(error, KeyError):
        return "required field missing"
    if isinstance(error, cattrs.ForbiddenExtraKeysError):
        return f"unknown field(s): {', '.join(sorted(error.extra_fields))}"
    if isinstance(error, (ValueError, TypeError)) and str(error):
        return str(error)
    return f"invalid value ({type(error).__name__})"


def _describe(error: Exception) -> str:
    if isinstance(error, cattrs.BaseValidationError):
        return "; ".join(cattrs.transform_error(error, format_exception=_format_leaf))
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


_MISSING = object()
_DATES: dict[str, date] = {}
_CACHE_LIMIT = 1 << 16


def _parse_date(text: str) -> date:
    """``date.fromisoformat``, remembered: a log holds few distinct days (dates are immutable)."""
    value = date.fromisoformat(text)
    if len(_DATES) >= _CACHE_LIMIT:
        _DATES.clear()
    _DATES[text] = value
    return value


def _enum_set(enum: type[Enum]) -> Callable[[list[Any]], frozenset[Any]]:
    """Structure a stored list of ``enum`` values into a frozenset, sharing equal results
    (frozensets are immutable, and an enum has few distinct subsets in practice)."""
    member = enum._value2member_map_.__getitem__
    cache: dict[tuple[Any, ...], frozenset[Any]] = {}

    def build(items: list[Any]) -> frozenset[Any]:
        key = tuple(items)
        found = cache.get(key)
        if found is None:
            found = frozenset(map(member, items))
            if len(cache) < _CACHE_LIMIT:
                cache[key] = found
        return found

    return build


def _enum_map(
    key: Callable[[Any], Any] | None, value: Callable[[Any], Any]
) -> Callable[[dict[str, Any]], FrozenDict[Any, Any]]:
    """Structure a stored object with enum values into a FrozenDict, sharing equal results
    (FrozenDicts are immutable; judgement maps and the like repeat across a log)."""
    cache: dict[tuple[tuple[str, str], ...], FrozenDict[Any, Any]] = {}

    def build(obj: dict[str, Any]) -> FrozenDict[Any, Any]:
        items = tuple(obj.items())
        found = cache.get(items)
        if found is None:
            keys = obj if key is None else map(key, obj)
            found = FrozenDict(zip(keys, map(value, obj.values()), strict=True))
            if len(cache) < _CACHE_LIMIT:
                cache[items] = found
        return found

    return build


def _field_code(hint: Any, value: str, names: dict[str, Any]) -> str | None:
    """A Python expression structuring ``value`` (trusted JSON) into ``hint``; None if unknown."""
    origin = typing.get_origin(hint)
    args = typing.get_args(hint)
    if hint in (int, str, bool, float):  # a float field may hold a stored int: keep it
        return value
    if hint is date:
        names["_dates"] = _DATES.get
        names["_parse_date"] = _parse_date
        return f"(_dates({value}) or _parse_date({value}))"
    if (
        origin is frozenset
        and len(args) == 1
        and isinstance(args[0], type)
        and issubclass(args[0], Enum)
    ):
        key = f"_s{len(names)}"
        names[key] = _enum_set(args[0])
        return f"{key}({value})"
    if isinstance(hint, type) and issubclass(hint, Enum):
        key = f"_m{len(names)}"
        names[key] = hint._value2member_map_
        return f"{key}[{value}]"
    if origin in (types.UnionType, typing.Union) and len(args) == 2 and type(None) in args:
        inner = _field_code(next(a for a in args if a is not type(None)), value, names)
        return None if inner is None else f"(None if {value} is None else {inner})"
    if (origin is frozenset and len(args) == 1) or (
        origin is tuple and len(args) == 2 and args[1] is Ellipsis
    ):
        item = _item_function(args[0], names)
        if item is None:
            return None
        kind = "frozenset" if origin is frozenset else "tuple"
        return f"{kind}({value})" if item == "" else f"{kind}(map({item}, {value}))"
    if origin is dict and len(args) == 2:
        key_fn: str | None = "int" if args[0] is int else _item_function(args[0], names)
        item = _item_function(args[1], names)
        if key_fn is None or item is None:
            return None
        if isinstance(args[1], type) and issubclass(args[1], Enum):  # few distinct maps
            key = f"_f{len(names)}"
            key_of = int if key_fn == "int" else names[key_fn] if key_fn else None
            names[key] = _enum_map(key_of, names[item])
            return f"{key}({value})"
        keys = f"map({key_fn}, {value})" if key_fn else f"{value}"
        values = f"map({item}, {value}.values())" if item else f"{value}.values()"
        names["_frozendict"] = FrozenDict  # what the events' mapping converter makes
        return f"_frozendict(zip({keys}, {values}))"
    return None


def _item_function(hint: Any, names: dict[str, Any]) -> str | None:
    """The name of a one-argument function structuring items of ``hint`` ("" = as is)."""
    if hint in (int, str, bool, float):
        return ""
    if hint is date:
        names["_date"] = date.fromisoformat
        return "_date"
    if isinstance(hint, type) and issubclass(hint, Enum):
        key = f"_g{len(names)}"
        names[key] = hint._value2member_map_.__getitem__
        return key
    return None


def _compile_trusted(cls: type[Event]) -> Callable[[dict[str, Any]], Event] | None:
    """A structuring function for ``cls`` that builds the instance without running
    converters, validators or ``__attrs_post_init__`` (the payload was checked on append);
    None if a field has a type this compiler does not know (cattrs is used then).

    Payloads this hubcore wrote hold every field, so the function first reads each one
    straight (``p[name]``); a payload missing a defaulted field (written before the field
    existed) falls back, on its ``KeyError``, to a version that fills in the defaults.
    """
    hints = typing.get_type_hints(cls)
    names: dict[str, Any] = {"_cls": cls, "_new": object.__new__, "_MISSING": _MISSING}
    complete = ["    try:", "        e = _new(_cls)"]
    general = ["def _general(p):", "    e = _new(_cls)"]
    for number, field in enumerate(attrs.fields(cls)):
        code = _field_code(hints[field.name], "v", names)
        if code is None:
            return None
        setter = f"_set{number}"
        names[setter] = slot_setter(cls, field.name)
        complete.append(f"        v = p[{field.name!r}]")
        complete.append(f"        {setter}(e, {code})")
        if field.default is attrs.NOTHING:
            general.append(f"    v = p[{field.name!r}]")
            general.append(f"    {setter}(e, {code})")
            continue
        default = f"_d{number}"
        if isinstance(field.default, attrs.Factory):  # type: ignore[arg-type]
            names[default] = field.default.factory
            fallback = f"{default}()"
        else:
            names[default] = field.default
            fallback = default
        general.append(f"    v = p.get({field.name!r}, _MISSING)")
        general.append(f"    {setter}(e, {fallback} if v is _MISSING else {code})")
    general.append("    return e")
    complete = [
        "def structure(p):",
        *complete,
        "        return e",
        "    except KeyError:",
        "        return _general(p)",
    ]
    exec("\n".join(general) + "\n" + "\n".join(complete), names)  # from the classes only
    return names["structure"]  # type: ignore[no-any-return]


_fast_structure: dict[str, Callable[[dict[str, Any]], Event]] = {}
for _cls in EVENT_TYPES.values():
    _compiled = _compile_trusted(_cls)
    if _compiled is not None:
        _fast_structure[_cls.event_type] = _compiled
_fast_current = {
    event_type: (structure, EVENT_TYPES[event_type].schema_version)
    for event_type, structure in _fast_structure.items()
}
_loads = orjson.loads


def trusted_structure_for(
    event_type: str, schema_version: int
) -> Callable[[dict[str, Any]], Event] | None:
    """The structuring function :func:`decode_trusted` applies to ``orjson.loads`` of a
    current-schema payload of ``event_type``; None when it would take the slow path (an
    unknown type, an older schema to upcast). For store backends' replay loops."""
    fast = _fast_current.get(event_type)
    if fast is not None and fast[1] == schema_version:
        return fast[0]
    return None


def decode_trusted(data: bytes | memoryview, event_type: str, schema_version: int) -> Event:
    """Decode a payload from the store's own verified log, without re-validation.

    Still raises only hubcore errors (:class:`~hubcore.CorruptRecord`,
    :class:`~hubcore.UnknownEventType`) if the bytes are not what they should be.
    """
    fast = _fast_current.get(event_type)
    if fast is not None and fast[1] == schema_version:
        try:
            return fast[0](_loads(data))
        except Exception as error:
            raise CorruptRecord(f"{event_type}: {type(error).__name__}: {error}") from None
    return _decode_trusted_slow(data, event_type, schema_version)


def _decode_trusted_slow(data: bytes | memoryview, event_type: str, schema_version: int) -> Event:
    structure = _trusted_structure.get(event_type)
    if structure is None:
        raise UnknownEventType(event_type)
    cls = EVENT_TYPES[event_type]
    try:
        payload = orjson.loads(data)
        del payload[TAG]
        if schema_version != cls.schema_version:
            payload = upcast(event_type, payload, schema_version, cls.schema_version)
        fast = _fast_structure.get(event_type)
        if fast is not None:
            return fast(payload)
        with attrs.validators.disabled():
            return structure(payload, cls)  # type: ignore[no-any-return]
    except HubcoreError:
        raise
    except Exception as error:
        raise CorruptRecord(f"{event_type}: {_describe(error)}") from None
