from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hubcore.imports import _cells as cells
from hubcore.imports._words import PROGRAMME
from hubcore.vocabulary import ParticipationProgramme


def reason(parse, text: str) -> str:
    with pytest.raises(cells.CellError) as caught:
        parse(text)
    return str(caught.value)


@pytest.mark.parametrize(("text", "value"), [("20", 20), (" 1,234 ", 1234), ("30.0", 30), ("0", 0)])
def test_whole_numbers(text, value):
    assert cells.whole(text, 0, 100_000) == value


@pytest.mark.parametrize("text", ["-1", "3.5", "1e3", "twenty", "\u0661\u0662", "1,23", "100001"])
def test_not_whole_numbers_in_bounds(text):
    assert "whole number from 0 to 100000" in reason(lambda t: cells.whole(t, 0, 100_000), text)


def test_a_5000_digit_number_is_named_not_printed():
    message = reason(lambda t: cells.whole(t, 0, 100_000), "9" * 5000)
    assert "a 5000-digit number" in message
    assert len(message) < 120


@given(st.integers(0, 10**12))
def test_any_whole_number_reads_back_or_is_out_of_bounds(number):
    if number <= 100_000:
        assert cells.whole(str(number), 0, 100_000) == number
    else:
        with pytest.raises(cells.CellError):
            cells.whole(str(number), 0, 100_000)


@given(st.text(max_size=60))
def test_every_parser_gives_a_value_or_a_cell_error(text):
    parsers = [
        lambda t: cells.whole(t, 0, 100),
        lambda t: cells.decimal(t, 0, 100, percent=True, decimal_comma=True),
        lambda t: cells.hours(t, 40),
        lambda t: cells.minutes(t, 600),
        cells.urn,
        cells.day,
        cells.academic_year,
        cells.flag,
        cells.key_stage,
        cells.clean,
        lambda t: cells.words(t, ParticipationProgramme, PROGRAMME),
    ]
    for parse in parsers:
        reason = ""
        try:
            parse(text)
        except cells.CellError as error:
            reason = str(error)
        else:
            continue
        assert reason


@pytest.mark.parametrize(
    ("text", "value"),
    [("1.5", 1.5), ("1,5", 1.5), ("12%", 12.0), (".5", 0.5)],
)
def test_decimals(text, value):
    assert cells.decimal(text, 0, 100, percent=True, decimal_comma=True) == value


@pytest.mark.parametrize("text", ["nan", "inf", "1e2", "101", "-0.5", "1,5,5"])
def test_bad_decimals(text):
    assert "must be a number" in reason(
        lambda t: cells.decimal(t, 0, 100, decimal_comma=True), text
    )


@pytest.mark.parametrize(
    ("text", "hours"),
    [("1.5", 1.5), ("1:30", 1.5), ("90 mins", 1.5), ("2 hours", 2.0), ("1,5h", 1.5), ("45m", 0.75)],
)
def test_durations(text, hours):
    assert cells.hours(text, 40) == hours


@pytest.mark.parametrize("text", ["0", "0 mins", "41", "0:00", "soon"])
def test_bad_durations(text):
    with pytest.raises(cells.CellError):
        cells.hours(text, 40)


@pytest.mark.parametrize(
    ("text", "minutes"), [("60", 60), ("45 mins", 45), ("1 hour", 60), ("1.5 h", 90), ("1:15", 75)]
)
def test_minutes(text, minutes):
    assert cells.minutes(text, 600) == minutes


@pytest.mark.parametrize(
    "text",
    [
        "03/10/2025",
        "3/10/25",
        "03-10-2025",
        "03.10.2025",
        "2025-10-03",
        "2025-10-03 14:22:10",
        "03/10/2025 14:22:10",
        "3 Oct 2025",
        "Friday 3rd October 2025",
        "3 October, 2025",
    ],
)
def test_dates_are_read_day_first(text):
    assert cells.day(text) == date(2025, 10, 3)


@pytest.mark.parametrize("text", ["31/02/2025", "2025-13-01", "10/03", "yesterday", "01/01/1890"])
def test_bad_dates(text):
    with pytest.raises(cells.CellError):
        cells.day(text)


@given(st.dates(date(1990, 1, 1), date(2200, 12, 31)))
def test_every_date_format_reads_back(day):
    for text in (day.isoformat(), day.strftime("%d/%m/%Y"), f"{day.day} {day.strftime('%B %Y')}"):
        assert cells.day(text) == day


@pytest.mark.parametrize(
    "text", ["2025/26", "2025-26", "2025/2026", "2025 to 2026", "25/26", "202526"]
)
def test_academic_years(text):
    assert cells.academic_year(text) == "2025/26"


@pytest.mark.parametrize("text", ["2025/27", "2025", "26/25", "202527"])
def test_bad_academic_years(text):
    assert "academic year" in reason(cells.academic_year, text)


@pytest.mark.parametrize(
    ("text", "value"), [("Yes", True), ("n", False), ("TRUE", True), ("0", False), ("x", True)]
)
def test_flags(text, value):
    assert cells.flag(text) is value


@pytest.mark.parametrize(("text", "value"), [("KS2", 2), ("Key stage 3", 3), ("5", 5)])
def test_key_stages(text, value):
    assert cells.key_stage(text) == value


@pytest.mark.parametrize("text", ["=1+1", "=SUM(B2:B9)"])
def test_formulas_are_refused(text):
    assert "formula" in reason(cells.clean, text)


@pytest.mark.parametrize("text", ["#DIV/0!", "#N/A", "#REF!"])
def test_spreadsheet_errors_are_refused(text):
    assert "spreadsheet error" in reason(cells.clean, text)


@pytest.mark.parametrize("text", ["a\u200bb", "ab\x07", "\u202eabc"])
def test_invisible_and_control_characters_are_refused(text):
    assert "U+" in reason(cells.clean, text)


def test_line_breaks_and_tabs_in_a_cell_read_as_spaces():
    assert cells.clean(" a\tb\r\nc\u00a0") == "a b c"


@pytest.mark.parametrize(
    ("text", "member"),
    [
        ("WCET", ParticipationProgramme.WHOLE_CLASS_ENSEMBLE),
        ("tuition_small_group", ParticipationProgramme.TUITION_SMALL_GROUP),
        ("Tuition small group", ParticipationProgramme.TUITION_SMALL_GROUP),
        ("1:1", ParticipationProgramme.TUITION_INDIVIDUAL),
    ],
)
def test_words_and_stored_values_name_members(text, member):
    assert cells.word(text, ParticipationProgramme, PROGRAMME) is member


def test_an_unknown_word_lists_the_words_and_the_way_to_add_one():
    message = reason(lambda t: cells.word(t, ParticipationProgramme, PROGRAMME), "Kazoo club")
    assert "choir" in message
    assert "[values]" in message
