from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hubcore.errors import HubcoreError
from hubcore.reporting import (
    Metric,
    Point,
    Scope,
    Series,
    Status,
    Summary,
    SummaryError,
    Suppressor,
    Table,
    rag,
    suppress_small,
)

SCOPE = Scope(hub_id="north-shire", hub_name="North Shire", academic_year="2025/26")
ORDER = {Status.RED: 0, Status.AMBER: 1, Status.GREEN: 2}


def test_summary_error_is_a_hubcore_error_naming_the_field():
    with pytest.raises(SummaryError) as info:
        Metric(key="Bad Key", label="x", value=1)
    assert isinstance(info.value, HubcoreError)
    assert "Metric 'Bad Key'.key" in str(info.value)


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"value": math.nan}, "value"),
        ({"value": math.inf}, "value"),
        ({"value": True}, "value"),
        ({"value": "12"}, "value"),
        ({"value": 3, "suppressed": True}, "value"),
        ({"value": 1, "evidence": -1}, "evidence"),
        ({"value": 1, "label": "  "}, "label"),
        ({"value": 1, "target": math.nan}, "target"),
    ],
)
def test_metric_refuses_bad_fields(kwargs, field):
    with pytest.raises(SummaryError) as info:
        Metric(**({"key": "k", "label": "label"} | kwargs))
    assert info.value.field == field


def test_table_rows_must_match_columns():
    with pytest.raises(SummaryError, match="row 2 has 1 cells, expected 2"):
        Table(name="t", columns=["a", "b"], rows=[["x", 1], ["y"]])
    with pytest.raises(SummaryError, match="unique"):
        Table(name="t", columns=["a", "a"], rows=[])
    with pytest.raises(SummaryError, match="finite"):
        Table(name="t", columns=["a", "b"], rows=[["x", math.nan]])
    with pytest.raises(SummaryError, match="chart"):
        Table(name="t", columns=["a"], rows=[], chart="pie")  # type: ignore[arg-type]


def test_numeric_columns_accept_suppressed_markers_but_not_words():
    table = Table(
        name="t",
        columns=["school", "pupils", "pp", "note", "empty"],
        rows=[["A", 10, "<5", "ok", None], ["B", 12.5, 7, 3, None]],
    )
    assert table.numeric_columns() == (1, 2)


def test_summary_refuses_duplicates_and_bad_scope():
    metric = Metric(key="a", label="A", value=1)
    with pytest.raises(SummaryError, match="'a' appears twice"):
        Summary(title="t", scope=SCOPE, metrics=[metric, metric])
    with pytest.raises(SummaryError, match="academic_year"):
        Scope(hub_id="h", hub_name="H", academic_year="2025-26")
    with pytest.raises(SummaryError, match="Metric values"):
        Summary(title="t", scope=SCOPE, metrics=["not a metric"])  # type: ignore[list-item]


def test_points_accept_dates_and_tuples():
    from datetime import date

    series = Series(name="s", points=[(date(2025, 9, 1), 3), Point("Oct", None)])
    assert series.points == (Point("2025-09-01", 3), Point("Oct", None))


def test_suppression_note_only_when_leaving_hub_or_suppressed():
    summary = Summary(title="t", scope=SCOPE)
    assert summary.suppression_note is None
    leaving = summary.leaving_hub(suppressed=False)
    assert leaving.leaves_hub
    assert leaving.suppression_note is not None
    assert "No figure" in leaving.suppression_note
    applied = summary.leaving_hub(suppressed=True, threshold=10)
    assert '"<10"' in (applied.suppression_note or "")
    assert "was applied" in (applied.suppression_note or "")


def test_rag_examples():
    assert rag(100, 100) == (Status.GREEN, "green if >= 100, amber if >= 90, else red (value 100)")
    assert rag(92.0, 100, amber_within=10)[0] is Status.AMBER
    assert rag(89.9, 100, amber_within=10)[0] is Status.RED
    assert rag(3, 0, amber_within=5, higher_is_better=False)[0] is Status.AMBER
    assert rag(None, 100) == (Status.NO_DATA, "no data")
    assert rag(None, None) == (Status.NO_DATA, "no data")
    assert rag(50, None) == (Status.NONE, "no target set")
    with pytest.raises(SummaryError):
        rag(1, 2, amber_within=-1)


finite = st.floats(min_value=-1e9, max_value=1e9, allow_nan=False)


@given(finite, finite, finite, st.floats(min_value=0, max_value=1e6), st.booleans())
def test_rag_is_monotonic_and_green_at_target(a, b, target, margin, higher):
    low, high = sorted((a, b))
    worse, better = (low, high) if higher else (high, low)
    s_worse, _ = rag(worse, target, amber_within=margin, higher_is_better=higher)
    s_better, rule = rag(better, target, amber_within=margin, higher_is_better=higher)
    assert ORDER[s_worse] <= ORDER[s_better]
    assert rag(target, target, amber_within=margin, higher_is_better=higher)[0] is Status.GREEN
    assert s_better.value in rule


@given(st.integers(min_value=0, max_value=10**6), st.integers(min_value=1, max_value=50))
def test_suppress_small_hides_exactly_the_small_positive_counts(count, threshold):
    shown = suppress_small(count, threshold)
    if 0 < count < threshold:
        assert shown == f"<{threshold}"
    else:
        assert shown == count


@given(st.lists(st.integers(min_value=0, max_value=100)))
def test_suppressor_remembers_whether_it_hid_anything(counts):
    suppress = Suppressor()
    shown = [suppress(c) for c in counts]
    assert suppress.applied == any(0 < c < 5 for c in counts)
    assert [isinstance(s, str) for s in shown] == [0 < c < 5 for c in counts]


def test_suppress_small_refuses_negative_and_non_int():
    with pytest.raises(SummaryError):
        suppress_small(-1)
    with pytest.raises(SummaryError):
        suppress_small(True)
    with pytest.raises(SummaryError):
        suppress_small(3, threshold=0)
