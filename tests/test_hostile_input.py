"""Hostile identifiers, codes, names and numbers are refused with a named field, never
stored: no trailing line feed, control or invisible character, no unbounded number."""

from __future__ import annotations

import unicodedata
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hubcore._characters import INVISIBLE_CATEGORIES, MULTILINE, first_invisible
from hubcore.calendar import is_academic_year
from hubcore.errors import InvalidEvent
from hubcore.events import PartnerJoined, SchoolDisengaged, SchoolRegistered
from hubcore.testing._fields import identifiers, texts
from hubcore.vocabulary import PartnerKind, Phase

ON = date(2025, 1, 6)

_INVISIBLE = st.characters(categories=sorted(INVISIBLE_CATEGORIES))  # type: ignore[arg-type]


def _partner(partner_id: object = "p1", name: object = "Oak Strings") -> PartnerJoined:
    return PartnerJoined(
        occurred_on=ON,
        hub_id="east-hub",
        partner_id=partner_id,  # type: ignore[arg-type]
        name=name,  # type: ignore[arg-type]
        kind=PartnerKind.PRACTITIONER,
    )


def _school(**fields: object) -> SchoolRegistered:
    given_fields: dict[str, object] = {
        "occurred_on": ON,
        "urn": 100001,
        "name": "Oak Lane Primary",
        "phase": Phase.PRIMARY,
        "la_code": "901",
        "pupils_on_roll": 210,
    }
    return SchoolRegistered(**{**given_fields, **fields})  # type: ignore[arg-type]


@pytest.mark.parametrize("tail", ["\n", "\r\n", "\x00", "\u200b", "\u2028", "\ufeff"])
def test_an_id_with_a_trailing_invisible_character_is_refused(tail: str) -> None:
    """``'p1\\n'`` used to be a valid partner id (``$`` matches before a final line feed)."""
    with pytest.raises(InvalidEvent, match=r"PartnerJoined\.partner_id: must be 1-64"):
        _partner(partner_id=f"p1{tail}")


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("hub_id", "east-hub\n"),
        ("la_code", "901\n"),
        ("la_code", "\u0669\u0660\u0661"),  # Arabic-Indic digits
    ],
)
def test_codes_are_matched_whole_and_in_ascii(field: str, value: str) -> None:
    def build() -> object:
        if field == "hub_id":
            return PartnerJoined(
                occurred_on=ON,
                hub_id=value,
                partner_id="p1",
                name="x",
                kind=PartnerKind.PRACTITIONER,
            )
        return _school(la_code=value)

    with pytest.raises(InvalidEvent, match=field):
        build()


def test_academic_years_are_matched_whole_and_in_ascii() -> None:
    assert is_academic_year("2025/26")
    assert not is_academic_year("2025/26\n")
    assert not is_academic_year("\u0662\u0660\u0662\u0665/\u0662\u0666")


@given(identifiers(), _INVISIBLE, st.integers(0, 64))
def test_an_invisible_character_anywhere_in_an_id_is_refused(
    ident: str, char: str, at: int
) -> None:
    """Property: an id accepted as it is is refused with any invisible character put in."""
    _partner(partner_id=ident)
    with pytest.raises(InvalidEvent, match="partner_id"):
        _partner(partner_id=ident[:at] + char + ident[at:])


@given(texts(199), _INVISIBLE, st.integers(0, 199))
def test_an_invisible_character_inside_a_name_is_refused_naming_it(
    name: str, char: str, at: int
) -> None:
    """Property: a name the kit accepts is refused once any control, format, private-use,
    unassigned or separator character is put inside it (its ends are stripped)."""
    _partner(name=name)
    hostile = name[:at] + char + name[at:]
    if not hostile.strip() or first_invisible(hostile.strip()) is None:
        return  # the character was white space at an end, stripped
    with pytest.raises(InvalidEvent, match=r"name: must not contain .* U\+") as caught:
        _partner(name=hostile)
    assert f"U+{ord(first_invisible(hostile.strip()) or ' '):04X}" in str(caught.value)


def test_the_message_names_the_character() -> None:
    with pytest.raises(InvalidEvent) as caught:
        _school(name="Oak \u202eenaL Primary")
    assert str(caught.value) == (
        "SchoolRegistered.name: must not contain the invisible or control character "
        "U+202E RIGHT-TO-LEFT OVERRIDE"
    )


def test_notes_may_hold_line_feeds_and_tabs_but_no_other_control() -> None:
    note = "Met the head.\n\tAgreed: a singing assembly."
    assert SchoolDisengaged(occurred_on=ON, urn=100001, reason=note).reason == note
    for bad in ("Met\x1b[2J the head", "Met\rthe head", "Met\u200bthe head"):
        with pytest.raises(InvalidEvent, match="reason: must not contain"):
            SchoolDisengaged(occurred_on=ON, urn=100001, reason=bad)
    assert first_invisible("a\nb", MULTILINE) is None
    assert first_invisible("a\nb") == "\n"


@pytest.mark.parametrize(
    "value", [10**5000, -(10**5000), 100_000_001], ids=["huge", "-huge", "over"]
)
def test_a_huge_count_is_a_clean_error(value: int) -> None:
    """A 5,000-digit pupil count names the field and its size, never a traceback (Python
    will not even print such a number)."""
    with pytest.raises(InvalidEvent, match="pupils_on_roll: must be") as caught:
        _school(pupils_on_roll=value)
    assert len(str(caught.value)) < 120
    if abs(value) > 10**100:
        assert "digits" in str(caught.value)


def test_every_refused_category_is_invisible_or_a_control() -> None:
    """The rule's categories, checked on one example of each."""
    for char in ("\x07", "\u200b", "\ud800", "\ue000", "\u0378", "\u2028", "\u2029"):
        assert unicodedata.category(char) in INVISIBLE_CATEGORIES
        assert first_invisible(f"a{char}b") == char
    assert first_invisible("Ysgol Gymraeg Caerdydd – Côr") is None  # noqa: RUF001
