"""The column-at-a-time renderers and table checks give exactly what the cell-by-cell
originals gave (``reference_renderers.py``), byte for byte, on any summary: long tables
whose columns repeat awkward cells (1, 1.0 and True; 0.0 and -0.0; separators, quotes,
formulas, odd whitespace) included."""

from __future__ import annotations

import enum
import math
import sys
from decimal import Decimal

import attrs
import pytest
import reference_renderers as ref
from hypothesis import given
from hypothesis import strategies as st
from reporting_strategies import summaries, text

from hubcore._printable import printable_all
from hubcore.reporting import (
    Summary,
    SummaryError,
    Table,
    render_csv,
    render_html,
    render_json,
    render_markdown,
    render_table_csv,
)
from hubcore.reporting._columns import _WHITESPACE, encode_each, escape_joined
from hubcore.reporting._render_html import HTML_ROW_LIMIT
from hubcore.reporting._render_markdown import _ESCAPES as MD_ESCAPES
from hubcore.reporting._render_markdown import md_escape

AWKWARD = [
    None, True, False, 0, 1, -7, 2**60, 0.0, -0.0, 1.0, 2.5, -1e-9, 123456.789,
    "", " ", "a", "<5", "<10", "x\x00y", "\x00", " lead", "trail ", "two  spaces",
    "tab\tin", "new\nline", "cr\rin", "ideographic\u3000space", "nbsp\xa0", "=SUM(A1)",
    "+1", "-3", "@x", "\tlead", 'say "hi"', "a,b", "|pipe|", "_under_", "*star*",
    "<b>&amp;</b>", "'single'", "back\\slash", "Ysgol Gymraeg Bro Ŵyr", "emoji 🎵",
]  # fmt: skip
awkward = st.sampled_from(AWKWARD) | st.text(max_size=12)


@st.composite
def long_tables(draw: st.DrawFn) -> Table:
    """A table whose columns draw from a few awkward cells, so that they repeat; sometimes
    just past the HTML renderer's fold."""
    width = draw(st.integers(1, 4))
    pool = draw(st.lists(awkward, min_size=1, max_size=6))
    count = draw(st.integers(0, 12) | st.integers(HTML_ROW_LIMIT - 1, HTML_ROW_LIMIT + 3))
    picks = draw(st.lists(st.integers(0, len(pool) - 1), min_size=width, max_size=width))
    steps = draw(st.lists(st.integers(0, 5), min_size=width, max_size=width))
    rows = [
        [pool[(pick + step * r) % len(pool)] for pick, step in zip(picks, steps, strict=True)]
        for r in range(count)
    ]
    return Table(
        name=draw(text),
        columns=draw(st.lists(text, min_size=width, max_size=width, unique=True)),
        rows=rows,
        chart=draw(st.sampled_from([None, "bar"])),
        unit=draw(st.sampled_from(["", "%", "a,b", "=x"])),
        caption=draw(st.sampled_from(["", "caption", "two  spaces & <tags>"])),
    )


@st.composite
def long_summaries(draw: st.DrawFn) -> Summary:
    base = draw(summaries())
    extra = draw(st.lists(long_tables(), max_size=2, unique_by=lambda t: t.name))
    names = {t.name for t in base.tables}
    return attrs.evolve(base, tables=[*base.tables, *(t for t in extra if t.name not in names)])


RENDERERS = [
    (render_csv, ref.render_csv),
    (render_markdown, ref.render_markdown),
    (render_html, ref.render_html),
    (render_json, ref.render_json),
]


@pytest.mark.parametrize(("fast", "slow"), RENDERERS, ids=lambda f: f.__module__)
@given(value=long_summaries())
def test_renderers_match_the_cell_by_cell_originals(fast, slow, value):
    assert fast(value) == slow(value)


@given(long_tables())
def test_table_csv_matches_the_csv_module(table):
    assert render_table_csv(table) == ref.render_table_csv(table)


def test_renderers_match_on_a_long_real_table(summary):
    rows = [
        (f"{100000 + i}", f"School <{i % 37}>", ["green", "amber", "red"][i % 3], i % 11)
        for i in range(3 * HTML_ROW_LIMIT + 7)
    ]
    table = Table(name="Long", columns=["urn", "school", "status", "pupils"], rows=rows)
    value = attrs.evolve(summary, tables=[*summary.tables, table])
    for fast, slow in RENDERERS:
        assert fast(value) == slow(value), fast.__module__


def test_equal_cells_of_different_types_are_not_confused(summary):
    # 1 == 1.0 == True and 0.0 == -0.0, yet each is written its own way
    same = [1, 1.0, True, 0, 0.0, -0.0, False, None, "1"]
    rows = [(f"r{i}", same[i % len(same)], same[(i * 5) % len(same)]) for i in range(40)]
    table = Table(name="Equal", columns=["label", "a", "b"], rows=rows)
    value = attrs.evolve(summary, tables=[table])
    for fast, slow in RENDERERS:
        assert fast(value) == slow(value), fast.__module__
    assert render_table_csv(table) == ref.render_table_csv(table)


# -- table checks -------------------------------------------------------------------------


class Grade(enum.IntEnum):
    GOOD = 2


class Word(str):
    pass


odd_cells = st.sampled_from(
    [math.nan, math.inf, -math.inf, Decimal(1), Grade.GOOD, Word("w"), Word("<5"), b"x", []]
)


@given(
    width=st.integers(1, 4),
    rows=st.lists(st.lists(awkward | odd_cells, min_size=0, max_size=5), max_size=6),
)
def test_table_checks_match_the_cell_by_cell_checks(width, rows):
    columns = [f"c{i}" for i in range(width)]
    try:
        ref.check_rows("Table 't'", width, rows)
    except SummaryError as error:
        expected = str(error)
    else:
        expected = ""
    if expected:
        with pytest.raises(SummaryError) as raised:
            Table(name="t", columns=columns, rows=rows)
        assert str(raised.value) == expected
        return
    table = Table(name="t", columns=columns, rows=rows)
    assert table.numeric_columns() == ref.numeric_columns(table)
    assert table.rows == tuple(tuple(row) for row in rows)


def test_rows_that_are_tuples_are_not_copied():
    rows = [("a", 1), ("b", 2)]
    kept = Table(name="t", columns=["x", "y"], rows=rows).rows
    assert all(a is b for a, b in zip(kept, rows, strict=True))


# -- the helpers' fallbacks ----------------------------------------------------------------


def test_the_whitespace_list_is_what_str_split_splits_on():
    every = {chr(c) for c in range(sys.maxunicode + 1) if chr(c).isspace()}
    assert set(_WHITESPACE) == every - {" "}


@given(st.lists(st.sampled_from(AWKWARD[14:]) | st.text(), max_size=8))
def test_escape_joined_is_one_escape_per_text(texts):
    shown = printable_all(texts)
    assert escape_joined(shown, MD_ESCAPES, squash_spaces=True) == [md_escape(t) for t in texts]
    html = (("&", "&amp;"), ("<", "&lt;"), ('"', "&quot;"))
    expected = [t.replace("&", "&amp;").replace("<", "&lt;").replace('"', "&quot;") for t in texts]
    assert escape_joined(texts, html, squash_spaces=False) == expected


@given(st.text(max_size=3), st.lists(st.text(), max_size=6), st.text(max_size=3))
def test_encode_each_is_one_encode_per_text(prefix, texts, suffix):
    expected = [f"{prefix}{t}{suffix}".encode() for t in texts]
    assert encode_each(prefix, texts, suffix) == expected
