"""Properties of the SEND representation index over generated hubs."""

from __future__ import annotations

from fractions import Fraction

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hubcore.projections import ParticipationBreadth

from ._support import D, part, project, reg

Y = "2024/25"

# a school: (special?, send_pct or None, [(pupils, send)] in choir records)
_school = st.tuples(
    st.booleans(),
    st.one_of(st.none(), st.integers(1, 1000).map(lambda t: t / 10)),
    st.lists(
        st.integers(0, 200).flatmap(lambda p: st.tuples(st.just(p), st.integers(0, p))), max_size=3
    ),
)


def _history(schools: list[tuple[bool, float | None, list[tuple[int, int]]]]) -> list:
    events: list = []
    for i, (special, share, records) in enumerate(schools):
        urn = 100001 + i
        school = reg(urn, D(2020, 1, 1), "special" if special else "primary", roll=1000)
        events.append(attrs.evolve(school, send_pct=share))
        events += [part(urn, Y, "choir", pupils, send=send) for pupils, send in records]
    return events


def _expected(schools, fallback: float | None) -> tuple[Fraction | None, list[int]]:
    """The index by the written rule, in exact fractions, and the schools per basis."""
    pupils = send = 0
    expected = Fraction(0)
    bases = [0, 0, 0, 0]
    for special, share, records in schools:
        taking = sum(p for p, _ in records)
        if taking == 0:
            continue
        if share is not None:
            used, basis = Fraction(str(share)) / 100, 0
        elif special:
            used, basis = Fraction(1), 1
        elif fallback is not None:
            used, basis = Fraction(str(fallback)), 2
        else:
            bases[3] += 1
            continue
        bases[basis] += 1
        pupils += taking
        send += sum(s for _, s in records)
        expected += taking * used
    index = None if pupils == 0 or expected == 0 else Fraction(send, pupils) / (expected / pupils)
    return index, bases


@settings(max_examples=60, deadline=None)
@given(st.lists(_school, max_size=6), st.sampled_from([None, 0.184, 0.5, 1.0]))
def test_the_index_follows_the_written_rule(schools, fallback) -> None:
    model = project(_history(schools)).get("participation", ParticipationBreadth)
    found = model.send_representation(Y, fallback)
    index, bases = _expected(schools, fallback)
    assert [found.own_share, found.special, found.fallback, found.unknown] == bases
    if index is None:
        assert found.index is None
    else:
        assert found.index == pytest.approx(float(index), rel=1e-9)


@settings(max_examples=40, deadline=None)
@given(st.lists(_school, min_size=1, max_size=6))
def test_schools_all_at_the_fallback_give_the_plain_ratio(schools) -> None:
    plain = [(False, None, records) for _, _, records in schools]
    model = project(_history(plain)).get("participation", ParticipationBreadth)
    taking = sum(p for _, _, records in plain for p, _ in records)
    send = sum(s for _, _, records in plain for _, s in records)
    found = model.send_index(Y, 0.25)
    if taking == 0:
        assert found is None
    else:
        assert found == pytest.approx((send / taking) / 0.25, rel=1e-9)
