"""Field validators shared by the event classes: each raises InvalidEvent naming the rule."""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from datetime import date, datetime
from enum import Enum
from typing import Any, TypeVar, cast

import attrs

from hubcore._characters import MULTILINE, first_invisible
from hubcore.calendar import is_academic_year
from hubcore.errors import InvalidEvent
from hubcore.events._frozendict import FrozenDict

Validator = Callable[[Any, "attrs.Attribute[Any]", Any], None]
E = TypeVar("E", bound=Enum)
K = TypeVar("K", bound=Enum)

NAME_MAX = 200
NOTE_MAX = 2000
THEME_MAX = 80
COUNT_MAX = 100_000_000
"""The largest count any field takes unless it says otherwise (no hub counts more pupils,
minutes or schools): a larger one is a typing slip, refused before it reaches a total."""
# matched whole (fullmatch): ``$`` would also match before a trailing line feed
_SLUG = re.compile(r"[a-z0-9-]{2,40}", re.ASCII)
_LA = re.compile(r"[0-9]{3}", re.ASCII)
_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{0,63}", re.ASCII)


def fail(instance: object, attribute: attrs.Attribute[Any], rule: str) -> InvalidEvent:
    event_type = getattr(type(instance), "event_type", type(instance).__name__)
    return InvalidEvent(event_type, attribute.name, rule)


def strip(value: object) -> object:
    """Converter: strip surrounding white space from text, leave anything else to validation."""
    return value.strip() if isinstance(value, str) else value


def to_float(value: float) -> float:
    """Converter: whole numbers in float fields become floats, so encoding is stable."""
    return float(value) if type(value) is int else value


def to_optional_float(value: float | None) -> float | None:
    """Converter: as :func:`to_float`, leaving ``None`` as it is."""
    return float(value) if type(value) is int else value


def to_float_values(value: Mapping[str, float]) -> dict[str, float]:
    """Converter: copy a mapping, turning whole-number values into floats."""
    if not isinstance(value, Mapping):
        return value
    return to_dict({k: float(v) if type(v) is int else v for k, v in value.items()})


def to_frozenset(value: Iterable[Any]) -> frozenset[Any]:
    """Converter: any iterable (not text) becomes a frozenset; other values go to validation."""
    if isinstance(value, frozenset):
        return value
    if isinstance(value, (set, list, tuple)):
        return frozenset(value)
    return value  # type: ignore[return-value]


def word(enum: type[E], value: E | str) -> E:
    """Converter core: a vocabulary word given as plain text (``"primary"``) becomes the
    enum member (``Phase.PRIMARY``). Anything else, an unknown word included, is returned
    as it is (despite the annotation) for the validator, which names the allowed words."""
    if type(value) is str:
        return cast(E, enum._value2member_map_.get(value, value))
    return cast(E, value)


def words(enum: type[E], value: Iterable[E | str]) -> frozenset[E]:
    """Converter core: a set, list or tuple of words becomes a frozenset of members (as
    :func:`word`); anything else is left to the validator."""
    if isinstance(value, (set, frozenset, list, tuple)):
        return frozenset(word(enum, item) for item in value)
    return cast("frozenset[E]", value)


def word_map(keys: type[K], values: type[E], value: Mapping[K | str, E | str]) -> dict[K, E]:
    """Converter core: a mapping of words to words becomes a sorted FrozenDict of members
    (as :func:`word`); anything else is left to the validator."""
    if not isinstance(value, Mapping):
        return value
    return to_dict({word(keys, k): word(values, v) for k, v in value.items()})


def to_dict(value: Mapping[Any, Any]) -> dict[Any, Any]:
    """Converter: copy a mapping, keys sorted, so equal events encode to equal bytes."""
    if not isinstance(value, Mapping):
        return value
    try:
        return FrozenDict(sorted(value.items()))
    except TypeError:  # keys of mixed types: validation will name the bad one
        return FrozenDict(value)


def to_tuple(value: Iterable[Any]) -> tuple[Any, ...]:
    """Converter: lists become tuples; text is left for validation."""
    if isinstance(value, tuple):
        return value
    if isinstance(value, (list, set, frozenset)):
        return tuple(value)
    return value  # type: ignore[return-value]


def _char(char: str) -> str:
    name = unicodedata.name(char, "")
    return f"U+{ord(char):04X}" + (f" {name}" if name else "")


def text(max_len: int = NAME_MAX, *, lines: bool | None = None) -> Validator:
    """Non-empty text of at most ``max_len`` characters with no invisible or control
    characters (:mod:`hubcore._characters`); ``lines`` (default: ``max_len`` above
    :data:`NAME_MAX`, i.e. notes) also allows line feeds and tabs."""
    allowed = MULTILINE if (max_len > NAME_MAX if lines is None else lines) else frozenset()

    def check(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
        if not isinstance(value, str):
            raise fail(instance, attribute, f"must be text, got {type(value).__name__}")
        if not value:
            raise fail(instance, attribute, "must not be empty")
        if len(value) > max_len:
            raise fail(
                instance, attribute, f"must be at most {max_len} characters, got {len(value)}"
            )
        bad = first_invisible(value, allowed)
        if bad is not None:
            raise fail(
                instance,
                attribute,
                f"must not contain the invisible or control character {_char(bad)}",
            )

    return check


def optional(validator: Validator) -> Validator:
    def check(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
        if value is not None:
            validator(instance, attribute, value)

    return check


def urn(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if type(value) is not int or not 100000 <= value <= 999999:
        raise fail(instance, attribute, f"must be a 6-digit URN (100000-999999), got {value!r}")


def hub_id(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if not isinstance(value, str) or not _SLUG.fullmatch(value):
        raise fail(instance, attribute, f"must match [a-z0-9-]{{2,40}}, got {value!r}")


def la_code(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if not isinstance(value, str) or not _LA.fullmatch(value):
        raise fail(instance, attribute, f"must be a 3-digit local authority code, got {value!r}")


def identifier(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if not isinstance(value, str) or not _ID.fullmatch(value):
        raise fail(
            instance,
            attribute,
            f"must be 1-64 characters of letters, digits and . _ : -, got {value!r}",
        )


def day(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if type(value) is not date:
        kind = "a datetime" if isinstance(value, datetime) else type(value).__name__
        raise fail(instance, attribute, f"must be a date, got {kind}")


def academic_year(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if not is_academic_year(value):
        raise fail(
            instance, attribute, f"must be an academic year such as '2025/26', got {value!r}"
        )


def _number_shown(value: int) -> str:
    """``value``, or "a 5000-digit number" (about) when long: converting a huge int to text
    is slow, and refused by Python beyond 4,300 digits."""
    if value.bit_length() <= 64:
        return str(value)
    return f"a number of about {int(value.bit_length() * 0.30103) + 1} digits"


def count(minimum: int = 0, maximum: int = COUNT_MAX) -> Validator:
    """A whole number from ``minimum`` to ``maximum`` (default :data:`COUNT_MAX`)."""

    def check(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
        if type(value) is not int:
            raise fail(instance, attribute, f"must be a whole number, got {type(value).__name__}")
        if value < minimum:
            raise fail(instance, attribute, f"must be >= {minimum}, got {_number_shown(value)}")
        if value > maximum:
            raise fail(instance, attribute, f"must be <= {maximum}, got {_number_shown(value)}")

    return check


def number(minimum: float, maximum: float, *, exclusive_minimum: bool = False) -> Validator:
    def check(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
        if type(value) not in (int, float) or not math.isfinite(value):
            raise fail(instance, attribute, f"must be a finite number, got {value!r}")
        low_ok = value > minimum if exclusive_minimum else value >= minimum
        if not low_ok or value > maximum:
            low = f"> {minimum}" if exclusive_minimum else f">= {minimum}"
            raise fail(instance, attribute, f"must be {low} and <= {maximum}, got {value}")

    return check


def boolean(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if type(value) is not bool:
        raise fail(instance, attribute, f"must be true or false, got {value!r}")


def member(enum: type[E]) -> Validator:
    allowed = ", ".join(str(m.value) for m in enum)

    def check(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
        if not isinstance(value, enum):
            raise fail(instance, attribute, f"must be one of: {allowed}; got {value!r}")

    return check


def members(enum: type[E], *, non_empty: bool = False) -> Validator:
    allowed = ", ".join(str(m.value) for m in enum)

    def check(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
        if not isinstance(value, frozenset):
            raise fail(instance, attribute, f"must be a set, got {type(value).__name__}")
        if non_empty and not value:
            raise fail(instance, attribute, "must not be empty")
        for item in value:
            if not isinstance(item, enum):
                raise fail(instance, attribute, f"items must be one of: {allowed}; got {item!r}")

    return check


def mapping(key: Validator, val: Validator, *, max_items: int = 64) -> Validator:
    def check(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
        if not isinstance(value, dict):
            raise fail(instance, attribute, f"must be a mapping, got {type(value).__name__}")
        if len(value) > max_items:
            raise fail(instance, attribute, f"must have at most {max_items} entries")
        for k, v in value.items():
            key(instance, attribute, k)
            val(instance, attribute, v)

    return check


def texts(max_len: int, max_items: int) -> Validator:
    item = text(max_len)

    def check(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
        if not isinstance(value, tuple):
            raise fail(instance, attribute, f"must be a list of text, got {type(value).__name__}")
        if len(value) > max_items:
            raise fail(instance, attribute, f"must have at most {max_items} items")
        for entry in value:
            item(instance, attribute, entry)

    return check


def ensure(instance: Any, field: str, ok: bool, rule: str) -> None:
    """Cross-field rule: raise InvalidEvent on ``field`` unless ``ok``."""
    if not ok:
        raise InvalidEvent(type(instance).event_type, field, rule)
