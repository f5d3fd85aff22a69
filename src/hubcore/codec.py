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

Encoding and trusted decoding are compiled once per event class from its fields (one
small template, :func:`_compile`); cattrs is the reference they match and the fallback.
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
from hubcore._characters import ascii_digits
from hubcore._slots import slot_setter
from hubcore.errors import CorruptRecord, HubcoreError, InvalidEvent, UnknownEventType
from hubcore.events import EVENT_TYPES, Event, FrozenDict
from hubcore.upcasting import upcast

__all__ = [
    "current_schema_version",
    "decode",
    "decode_trusted",
    "encode",
    "encoder_for",
    "from_dict",
    "strict_converter",
    "to_dict",
    "trusted_structure_for",
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
        number = int(key) if type(key) is str and ascii_digits(key) else key
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
    """The cattrs path the compiled encoders must match byte for byte (the tests check it),
    and the encoder of a class whose fields :func:`_field` does not know."""
    return orjson.dumps(to_dict(event))


def encoder_for(cls: type[Event]) -> Callable[[Event], bytes]:
    """The function :func:`encode` uses for events of ``cls`` (store backends bind it once
    per batch instead of looking it up per event)."""
    compiled = _COMPILED.get(cls)
    return _encode_reference if compiled is None else compiled[0]


def encode(event: Event) -> bytes:
    """The event's stored form: compact UTF-8 JSON bytes."""
    compiled = _COMPILED.get(type(event))
    if compiled is not None:
        return compiled[0](event)
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


# -- the compiled codec: one encoder and one trusted structuring function per class --------
#
# Each field is read through a ``reader`` (a C-level callable where possible: a dict's
# ``__getitem__``, ``frozenset``, ``tuple``) or taken as stored; it is written as it is,
# or sorted (sets, so one event always encodes to the same bytes). :func:`_compile` turns
# a class's fields into the source of its two functions, in one template.

_CACHE_LIMIT = 1 << 16


class _Dates(dict[Any, "date | None"]):
    """ISO text -> date, remembered (a log holds few distinct days; dates are immutable);
    with ``optional``, None stays None."""

    def __init__(self, *, optional: bool) -> None:
        super().__init__()
        self._optional = optional
        if optional:
            self[None] = None

    def __missing__(self, text: Any) -> date:
        value = date.fromisoformat(text)
        if len(self) >= _CACHE_LIMIT:
            self.clear()
            if self._optional:
                self[None] = None
        self[text] = value
        return value


_DATES = _Dates(optional=False)
_OPTIONAL_DATES = _Dates(optional=True)


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
    key: type[Enum], value: type[Enum]
) -> Callable[[dict[str, Any]], FrozenDict[Any, Any]]:
    """Structure a stored object of enum keys and values into a FrozenDict, sharing equal
    results (FrozenDicts are immutable; judgement maps and the like repeat across a log)."""
    key_of = key._value2member_map_.__getitem__
    value_of = value._value2member_map_.__getitem__
    cache: dict[tuple[tuple[str, str], ...], FrozenDict[Any, Any]] = {}

    def build(obj: dict[str, Any]) -> FrozenDict[Any, Any]:
        items = tuple(obj.items())
        found = cache.get(items)
        if found is None:
            found = FrozenDict(zip(map(key_of, obj), map(value_of, obj.values()), strict=True))
            if len(cache) < _CACHE_LIMIT:
                cache[items] = found
        return found

    return build


def _int_keys(obj: dict[str, int]) -> FrozenDict[int, int]:
    """JSON object keys are text: ``{"1": 60}`` back to ``{1: 60}``."""
    return FrozenDict(zip(map(int, obj), obj.values(), strict=True))


_PLAIN = (int, str, bool, float)


def _is_enum(hint: Any) -> bool:
    return isinstance(hint, type) and issubclass(hint, Enum)


class _Unsupported(Exception):
    """A field type the compiled codec does not know (the class uses cattrs throughout)."""


def _field(hint: Any) -> tuple[Callable[[Any], Any] | None, bool, bool]:
    """How a field of type ``hint`` is compiled: (its reader, or None for "as stored";
    whether it is written sorted; whether its keys need ``OPT_NON_STR_KEYS``)."""
    origin = typing.get_origin(hint)
    args = typing.get_args(hint)
    if hint in _PLAIN:
        return None, False, False
    if hint is date:
        return _DATES.__getitem__, False, False
    if _is_enum(hint):
        return hint._value2member_map_.__getitem__, False, False
    if origin in (types.UnionType, typing.Union) and len(args) == 2 and type(None) in args:
        inner = next(a for a in args if a is not type(None))
        if inner in _PLAIN:
            return None, False, False
        if inner is date:
            return _OPTIONAL_DATES.__getitem__, False, False
        if _is_enum(inner):
            return {**inner._value2member_map_, None: None}.__getitem__, False, False
    elif origin is frozenset and len(args) == 1:
        if args[0] in _PLAIN:
            return frozenset, True, False
        if _is_enum(args[0]):
            return _enum_set(args[0]), True, False
    elif origin is tuple and len(args) == 2 and args[1] is Ellipsis and args[0] in _PLAIN:
        return tuple, False, False
    elif origin is dict and len(args) == 2:
        key, value = args
        if key is str and value in _PLAIN:
            return FrozenDict, False, False
        if key is int and value is int:
            return _int_keys, False, True
        if _is_enum(key) and issubclass(key, str) and _is_enum(value):
            return _enum_map(key, value), False, True
    raise _Unsupported(hint)


def _compile(
    cls: type[Event],
) -> tuple[Callable[[Event], bytes], Callable[[dict[str, Any]], Event]] | None:
    """``cls``'s encoder and trusted structuring function, or None if a field's type is
    not one :func:`_field` knows.

    The encoder builds orjson's input straight from the slots: the same bytes as the
    cattrs path. The structuring function builds the instance without running converters,
    validators or ``__attrs_post_init__`` (the payload was checked on append), setting
    each slot through its descriptor; a payload missing a field (written before a
    defaulted field existed) is handed, on its ``KeyError``, to cattrs, which fills in the
    defaults.
    """
    hints = typing.get_type_hints(cls)
    names: dict[str, Any] = {
        "_dumps": orjson.dumps,
        "_sorted": sorted,
        "_new": object.__new__,
        "_cls": cls,
        "_fallback": _trusted_fallback(cls),
    }
    written = [f"{TAG!r}: {cls.event_type!r}"]
    structure = ["def structure(p):", "    try:", "        e = _new(_cls)"]
    option = 0
    for number, attribute in enumerate(attrs.fields(cls)):
        try:
            reader, sort, non_str_keys = _field(hints[attribute.name])
        except _Unsupported:
            return None
        name = attribute.name
        written.append(f"{name!r}: _sorted(e.{name})" if sort else f"{name!r}: e.{name}")
        option |= orjson.OPT_NON_STR_KEYS if non_str_keys else 0
        names[f"_set{number}"] = slot_setter(cls, name)
        value = f"p[{name!r}]"
        if reader is not None:
            names[f"_read{number}"] = reader
            value = f"_read{number}({value})"
        structure.append(f"        _set{number}(e, {value})")
    structure += ["        return e", "    except KeyError:", "        return _fallback(p)"]
    suffix = f", option={option}" if option else ""
    source = [
        "def encode(e):",
        f"    return _dumps({{{', '.join(written)}}}{suffix})",
        *structure,
    ]
    exec("\n".join(source), names)  # source built from the event classes only
    return names["encode"], names["structure"]


def _trusted_fallback(cls: type[Event]) -> Callable[[dict[str, Any]], Event]:
    """cattrs's structuring of a trusted payload of ``cls`` (defaults filled in)."""
    structure = _trusted_converter.get_structure_hook(cls)

    def fallback(payload: dict[str, Any]) -> Event:
        with attrs.validators.disabled():
            return structure(payload, cls)  # type: ignore[no-any-return]

    return fallback


_COMPILED: dict[
    type[Event], tuple[Callable[[Event], bytes], Callable[[dict[str, Any]], Event]]
] = {}
for _cls in EVENT_TYPES.values():
    _functions = _compile(_cls)
    if _functions is not None:
        _COMPILED[_cls] = _functions
_CURRENT = {
    cls.event_type: (functions[1], cls.schema_version) for cls, functions in _COMPILED.items()
}
_loads = orjson.loads


def trusted_structure_for(
    event_type: str, schema_version: int
) -> Callable[[dict[str, Any]], Event] | None:
    """The structuring function :func:`decode_trusted` applies to ``orjson.loads`` of a
    current-schema payload of ``event_type``; None when it would take the slow path (an
    unknown type, an older schema to upcast). For store backends' replay loops."""
    fast = _CURRENT.get(event_type)
    if fast is not None and fast[1] == schema_version:
        return fast[0]
    return None


def decode_trusted(data: bytes | memoryview, event_type: str, schema_version: int) -> Event:
    """Decode a payload from the store's own verified log, without re-validation.

    Still raises only hubcore errors (:class:`~hubcore.CorruptRecord`,
    :class:`~hubcore.UnknownEventType`) if the bytes are not what they should be.
    """
    fast = _CURRENT.get(event_type)
    if fast is not None and fast[1] == schema_version:
        try:
            return fast[0](_loads(data))
        except Exception as error:
            raise CorruptRecord(f"{event_type}: {_describe(error)}") from None
    cls = EVENT_TYPES.get(event_type)
    if cls is None:
        raise UnknownEventType(event_type)
    try:
        payload = _loads(data)
        del payload[TAG]
        if schema_version != cls.schema_version:
            payload = upcast(event_type, payload, schema_version, cls.schema_version)
        compiled = _COMPILED.get(cls)
        if compiled is not None:
            return compiled[1](payload)
        return _trusted_fallback(cls)(payload)
    except HubcoreError:
        raise
    except Exception as error:
        raise CorruptRecord(f"{event_type}: {_describe(error)}") from None
