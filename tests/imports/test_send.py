"""``send``: the DfE's school-level SEN statistics give each school its SEND share."""

from __future__ import annotations

from datetime import date
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hubcore.domain import Recorder
from hubcore.events import SchoolDetailsUpdated, SchoolRegistered
from hubcore.imports import import_file
from hubcore.imports.send import census_day, send_share
from hubcore.vocabulary import Phase

from ._files import EXAMPLES, TODAY, csv_bytes, events_of, refused

HEADER = ["URN", "Academic year", "Total pupils", "SEN support", "EHC plan"]

# By hand from docs/examples/import/send.csv: (SEN support + EHC plan) / total pupils.
EXPECTED = {
    141021: 16.3,  # (58 + 9) / 412 = 16.26%
    141187: 16.8,  # (31 + 4) / 208 = 16.83%
    141305: 13.4,  # (121 + 27) / 1104 = 13.41%
    141422: 10.6,  # (22 + 3) / 236 = 10.59%
    142063: 12.1,  # (19 + 2) / 174 = 12.07%
    142219: 16.7,  # (54 + 11) / 389 = 16.71%
    142350: 14.1,  # (98 + 31) / 912 = 14.14%
    142518: 100.0,  # (0 + 118) / 118: a special school
}


def run(store, data, **options):
    options.setdefault("today", TODAY)
    if isinstance(data, bytes):
        options.setdefault("name", "send.csv")
    return import_file(store, "send", data, **options)


def shares(store) -> dict[int, tuple[date, float | None]]:
    return {e.urn: (e.occurred_on, e.send_pct) for e in events_of(store, SchoolDetailsUpdated)}


def test_the_census_day_is_the_third_thursday_of_january() -> None:
    assert census_day("2025/26") == date(2026, 1, 15)
    assert census_day("2024/25") == date(2025, 1, 16)
    assert census_day("2022/23") == date(2023, 1, 19)  # 1 January 2023 was a Sunday


@given(st.integers(1900, 2199))
def test_any_census_day_is_a_thursday_from_the_15th_to_the_21st(first: int) -> None:
    year = f"{first}/{(first + 1) % 100:02d}"
    day = census_day(year)
    assert (day.year, day.month, day.weekday()) == (first + 1, 1, 3)
    assert 15 <= day.day <= 21


@given(st.integers(1, 10_000).flatmap(lambda t: st.tuples(st.just(t), st.integers(0, t))))
def test_a_share_is_a_percentage_of_the_roll_to_the_nearest_tenth(counts: tuple[int, int]) -> None:
    total, with_sen = counts
    support = with_sen // 2
    share = send_share(total, support, with_sen - support)
    assert 0.0 <= share <= 100.0
    tenths = Fraction(round(share * 10))
    exact = Fraction(1000 * with_sen, total)  # the share in tenths of a percent
    assert tenths / 10 == Fraction(str(share))  # exactly one decimal place
    assert -Fraction(1, 2) < tenths - exact <= Fraction(1, 2)  # nearest, halves up


def test_halves_round_up() -> None:
    assert send_share(240, 39, 0) == 16.3  # 16.25%
    assert send_share(40, 1, 0) == 2.5
    assert send_share(400, 1, 0) == 0.3  # 0.25%


def test_the_sample_gives_every_registered_school_its_share_once(store) -> None:
    report = run(store, EXAMPLES / "send.csv")
    assert report.rows == 9
    assert report.appended == {"SchoolDetailsUpdated": 8}
    assert report.skipped == {"school not registered in this store": 1}  # 143907, elsewhere
    assert shares(store) == {urn: (date(2026, 1, 15), pct) for urn, pct in EXPECTED.items()}
    again = run(store, EXAMPLES / "send.csv")
    assert (again.appended, again.already) == ({}, 8)


def test_a_school_registered_after_the_census_gets_the_share_from_its_registration(
    hub_store,
) -> None:
    joined = date(2026, 3, 2)
    Recorder(hub_store, clock=lambda: TODAY).record(
        SchoolRegistered(
            occurred_on=joined,
            urn=142518,
            name="Oak Lane School",
            phase=Phase.SPECIAL,
            la_code="902",
            pupils_on_roll=118,
        )
    )
    data = csv_bytes([HEADER, [142518, "202526", 118, 1, 116]])
    assert run(hub_store, data).appended == {"SchoolDetailsUpdated": 1}
    assert shares(hub_store) == {142518: (joined, 99.2)}
    assert run(hub_store, data).already == 1  # the moved date is the same fact


def test_bad_rows_are_listed_and_nothing_is_appended(store) -> None:
    data = csv_bytes(
        [
            HEADER,
            [141021, "2025/26", 412, 58, 9],
            [141187, "2025/26", 0, 0, 0],
            [141305, "2025/26", 100, 80, 30],
            [141422, "2025/26", "", 3, 1],
            [142063, "next year", 174, 19, 2],
            [142219, "2025/26", 389, "z", 11],
            [142350, "2026/27", 912, 98, 31],
        ]
    )
    problems = refused(store, lambda: run(store, data))
    assert [(line, column) for line, column, _ in problems] == [
        (3, "Total pupils"),
        (4, "SEN support"),
        (5, "Total pupils"),
        (6, "Academic year"),
        (7, "SEN support"),
        (8, "Academic year"),
    ]
    reasons = [reason for *_, reason in problems]
    assert "is 0" in reasons[0]
    assert "add up to more than the total pupils (100)" in reasons[1]
    assert reasons[2] == "is blank"
    assert "no-future-dates" in reasons[5]  # its census is in January 2027


def test_a_file_missing_a_count_column_names_it(store) -> None:
    data = csv_bytes([HEADER[:4], [141021, "2025/26", 412, 58]])
    [(line, column, reason)] = refused(store, lambda: run(store, data))
    assert (line, column) == (1, "ehc_plan")
    assert reason.startswith("required column is missing")


@pytest.mark.parametrize("year", ["2025/26", "202526", "2025-26"])
def test_the_year_is_read_as_the_dfe_and_people_write_it(store, year: str) -> None:
    run(store, csv_bytes([HEADER, [141021, year, 412, 58, 9]]))
    assert shares(store) == {141021: (date(2026, 1, 15), 16.3)}
