"""Reading one cell: numbers, dates, years, terms, yes/no and words, each within bounds.

Every parser takes the cell's text and returns its value, or raises :class:`CellError` with
a reason fit for a person ("must be a whole number from 0 to 100000, got '3.5'"). Cells are
never guessed at: a blank is "not given" (the caller decides whether that is allowed), and
a formula, a spreadsheet error or a control character is refused.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from datetime import date
from enum import Enum
from typing import TypeVar

from hubcore._characters import ascii_digits, first_invisible
from hubcore.calendar import is_academic_year
from hubcore.imports._columns import normalise

__all__ = [
    "MAX_DIGITS",
    "CellError",
    "academic_year",
    "clean",
    "day",
    "decimal",
    "flag",
    "hours",
    "key_stage",
    "minutes",
    "shown",
    "urn",
    "whole",
    "word",
    "words",
]

E = TypeVar("E", bound=Enum)

MAX_DIGITS = 9
"""A number written with more digits than this is refused before it is converted."""

_SHOWN = 40
_ERRORS = {"#N/A", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#NULL!", "#SPILL!", "#CALC!"}


class CellError(ValueError):
    """A cell's text is not a value of the kind its column holds."""


def shown(text: str) -> str:
    """``text`` quoted for a message, cut short when long (a 5,000-digit number is named so)."""
    if len(text) <= _SHOWN:
        return repr(text)
    if ascii_digits(text):
        return f"a {len(text)}-digit number"
    return repr(text[:_SHOWN]) + f"... ({len(text)} characters)"


def clean(text: str) -> str:
    """The cell's text without surrounding space; refuses formulas, errors and control
    characters (a tab or line break inside a cell is read as a space)."""
    text = text.replace("\u00a0", " ").replace("\t", " ").replace("\r\n", " ").replace("\n", " ")
    text = text.strip()
    if not text:
        return text
    if text.startswith("=") and len(text) > 1:
        raise CellError(
            f"is a formula ({shown(text)}), not a value: save the sheet with values"
            " (copy, then Paste Special > Values) and export again"
        )
    if text.upper() in _ERRORS:
        raise CellError(f"is a spreadsheet error ({text}): fix the formula that made it")
    char = first_invisible(text)
    if char is not None:
        raise CellError(
            f"contains the invisible or control character U+{ord(char):04X}:"
            f" retype the cell ({shown(text)})"
        )
    return text


_THOUSANDS = re.compile(r"^[0-9]{1,3}(,[0-9]{3})+$")
_WHOLE_FLOAT = re.compile(r"^([0-9]+)\.0+$")


def whole(text: str, minimum: int, maximum: int) -> int:
    """A whole number from ``minimum`` to ``maximum`` (``1,234`` and ``30.0`` are accepted)."""
    value = text.replace(" ", "")
    if _THOUSANDS.match(value):
        value = value.replace(",", "")
    match = _WHOLE_FLOAT.match(value)
    if match:
        value = match.group(1)
    bounds = f"a whole number from {minimum} to {maximum}"
    if value.startswith("-") and ascii_digits(value[1:]):
        raise CellError(f"must be {bounds}, got {shown(text)}")
    if not ascii_digits(value):
        raise CellError(f"must be {bounds}, got {shown(text)}")
    if len(value.lstrip("0")) > MAX_DIGITS:
        raise CellError(f"must be {bounds}, got {shown(value)}")
    number = int(value)
    if not minimum <= number <= maximum:
        raise CellError(f"must be {bounds}, got {number}")
    return number


_DECIMAL = re.compile(r"^[0-9]{1,9}(\.[0-9]{1,6})?$|^\.[0-9]{1,6}$")
_DECIMAL_COMMA = re.compile(r"^[0-9]{1,9},[0-9]{1,6}$")


def decimal(
    text: str,
    minimum: float,
    maximum: float,
    *,
    exclusive_minimum: bool = False,
    percent: bool = False,
    decimal_comma: bool = False,
) -> float:
    """A decimal number within bounds (``1,5`` too when ``decimal_comma``; ``12%`` when
    ``percent``)."""
    value = text.replace(" ", "")
    if percent:
        value = value.removesuffix("%")
    if decimal_comma and _DECIMAL_COMMA.match(value):
        value = value.replace(",", ".")
    low = f"more than {minimum:g}" if exclusive_minimum else f"from {minimum:g}"
    bounds = f"a number {low} to {maximum:g}"
    if not _DECIMAL.match(value):
        raise CellError(f"must be {bounds}, got {shown(text)}")
    number = float(value)
    too_low = number <= minimum if exclusive_minimum else number < minimum
    if not math.isfinite(number) or too_low or number > maximum:
        raise CellError(f"must be {bounds}, got {shown(text)}")
    return number


_MINUTES = re.compile(r"^([0-9]{1,4})\s*(?:m|min|mins|minutes?)$")
_HOURS = re.compile(r"^([0-9]{1,3}(?:[.,][0-9]{1,4})?)\s*(?:h|hr|hrs|hours?)$")
_CLOCK = re.compile(r"^([0-9]{1,2}):([0-5][0-9])(?::00)?$")


def hours(text: str, maximum: float, *, decimal_comma: bool = False) -> float:
    """A duration in hours, more than 0: ``1.5``, ``1:30``, ``90 mins`` or ``1.5 hours``."""
    value = text.strip().lower()
    found: float | None = None
    minutes = _MINUTES.match(value)
    clock = _CLOCK.match(value)
    spelled = _HOURS.match(value)
    if minutes:
        found = int(minutes.group(1)) / 60
    elif clock:
        found = int(clock.group(1)) + int(clock.group(2)) / 60
    elif spelled:
        found = float(spelled.group(1).replace(",", "."))
    if found is None:
        return decimal(text, 0, maximum, exclusive_minimum=True, decimal_comma=decimal_comma)
    if not 0 < found <= maximum:
        raise CellError(
            f"must be a duration more than 0 and at most {maximum:g} hours, got {text!r}"
        )
    return round(found, 4)


_URN = re.compile(r"^[0-9]{6}$")


def urn(text: str) -> int:
    """A school's 6-digit URN (``123456.0`` as a spreadsheet may write it is accepted)."""
    value = text.replace(" ", "")
    match = _WHOLE_FLOAT.match(value)
    if match:
        value = match.group(1)
    if not _URN.match(value) or int(value) < 100000:
        raise CellError(f"must be a 6-digit URN, got {shown(text)}")
    return int(value)


_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ],
        start=1,
    )
    for name in names
}
_ISO = re.compile(
    r"^([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})"
    r"(?:[ T][0-9]{1,2}:[0-9]{2}(?::[0-9]{2}(?:\.[0-9]+)?)?)?$"
)
_DMY = re.compile(
    r"^([0-9]{1,2})[/.-]([0-9]{1,2})[/.-]([0-9]{4}|[0-9]{2})"
    r"(?: [0-9]{1,2}:[0-9]{2}(?::[0-9]{2})?)?$"
)
_SPELLED = re.compile(r"^(?:[a-z]+,? )?([0-9]{1,2})(?:st|nd|rd|th)? ([a-z]+),? ([0-9]{4})$")


def day(text: str) -> date:
    """A date, day first as UK spreadsheets write it: ``03/10/2025``, ``3-10-25``,
    ``2025-10-03``, ``3 Oct 2025``, ``Friday 3rd October 2025`` (a time after it is ignored)."""
    value = " ".join(text.strip().lower().split())
    parts: tuple[int, int, int] | None = None
    iso = _ISO.match(value)
    dmy = _DMY.match(value)
    spelled = _SPELLED.match(value)
    if iso:
        parts = (int(iso.group(1)), int(iso.group(2)), int(iso.group(3)))
    elif dmy:
        year = int(dmy.group(3))
        parts = (year + 2000 if year < 100 else year, int(dmy.group(2)), int(dmy.group(1)))
    elif spelled and spelled.group(2) in _MONTHS:
        parts = (int(spelled.group(3)), _MONTHS[spelled.group(2)], int(spelled.group(1)))
    if parts is None:
        raise CellError(f"must be a date such as 03/10/2025 or 2025-10-03, got {shown(text)}")
    try:
        found = date(*parts)
    except ValueError:
        raise CellError(f"is not a real date: {shown(text)}") from None
    if not 1990 <= found.year <= 2200:
        raise CellError(f"is not a plausible date: {shown(text)}")
    return found


_YEAR = re.compile(r"^([0-9]{4})\s*(?:/|-|to|\u2013)\s*([0-9]{2}|[0-9]{4})$")
_SHORT_YEAR = re.compile(r"^([0-9]{2})\s*/\s*([0-9]{2})$")
_TIME_PERIOD = re.compile(r"^([0-9]{4})([0-9]{2})$")


def academic_year(text: str) -> str:
    """An academic year as hubcore writes it (``2025/26``), from ``2025/26``, ``2025-26``,
    ``2025/2026``, ``2025 to 2026``, ``25/26`` or the DfE's ``202526``."""
    value = text.strip()
    first: int | None = None
    second = ""
    for pattern in (_YEAR, _TIME_PERIOD):
        match = pattern.match(value)
        if match:
            first, second = int(match.group(1)), match.group(2)
            break
    else:
        short = _SHORT_YEAR.match(value)
        if short:
            first, second = 2000 + int(short.group(1)), short.group(2)
    if first is not None:
        year = f"{first}/{int(second) % 100:02d}"
        if is_academic_year(year):
            return year
    raise CellError(f"must be an academic year such as 2025/26, got {shown(text)}")


_YES = {"yes", "y", "true", "1", "x", "ticked", "checked"}
_NO = {"no", "n", "false", "0", "not yet", "none"}


def flag(text: str) -> bool:
    """Yes or no: ``yes``/``no``, ``y``/``n``, ``true``/``false``, ``1``/``0``, ``x`` (ticked)."""
    value = normalise(text)
    if value in _YES:
        return True
    if value in _NO:
        return False
    raise CellError(f"must be yes or no, got {shown(text)}")


_KEY_STAGE = re.compile(r"^(?:ks|key stage|keystage)?\s*([1-5])$")


def key_stage(text: str) -> int:
    """A key stage 1-5: ``2``, ``KS2`` or ``Key stage 2``."""
    match = _KEY_STAGE.match(normalise(text))
    if not match:
        raise CellError(f"must be a key stage 1 to 5 (e.g. KS2), got {shown(text)}")
    return int(match.group(1))


def word(text: str, enum: type[E], synonyms: Mapping[str, E]) -> E:
    """The member of ``enum`` a word names: its stored value (``tuition_individual``, any
    case, spaces or hyphens for underscores) or one of ``synonyms`` (normalised keys)."""
    value = normalise(text)
    found = synonyms.get(value)
    if found is not None:
        return found
    for member in enum:
        if normalise(str(member.value).replace("_", " ")) == value:
            return member
    allowed = ", ".join(str(m.value) for m in enum)
    raise CellError(
        f"{shown(text)} is not one of: {allowed} (add your word under [values] in a --map file)"
    )


_SEPARATORS = re.compile(r"\s*[;,|/]\s*|\s+and\s+")


def words(text: str, enum: type[E], synonyms: Mapping[str, E]) -> frozenset[E]:
    """Several words, separated by ``;``, ``,``, ``|``, ``/`` or ``and``."""
    return frozenset(word(part, enum, synonyms) for part in _SEPARATORS.split(text) if part.strip())


_MINUTE_UNITS = re.compile(
    r"^([0-9]{1,3}(?:[.,][0-9]{1,2})?)\s*(m|min|mins|minutes?|h|hr|hrs|hours?)$"
)


def minutes(text: str, maximum: int) -> int:
    """Whole minutes from 0 to ``maximum``: ``60``, ``45 mins``, ``1 hour``, ``1.5 h``,
    ``1:00`` (hours and minutes)."""
    value = text.strip().lower()
    found: float | None = None
    units = _MINUTE_UNITS.match(value)
    clock = _CLOCK.match(value)
    if units:
        amount = float(units.group(1).replace(",", "."))
        found = amount * 60 if units.group(2).startswith("h") else amount
    elif clock:
        found = float(int(clock.group(1)) * 60 + int(clock.group(2)))
    if found is None:
        return whole(text, 0, maximum)
    if not found.is_integer() or not 0 <= found <= maximum:
        raise CellError(f"must be whole minutes from 0 to {maximum}, got {shown(text)}")
    return int(found)
