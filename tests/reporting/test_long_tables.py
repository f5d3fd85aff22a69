"""Long tables (a national hub's 100,000 rows): text cuts them short and says so; markdown,
csv and json keep every row; html shows the first rows and folds the rest in the page."""

from __future__ import annotations

import csv
import io
import re

import orjson
import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from hubcore.errors import HubcoreError
from hubcore.reporting import (
    Metric,
    Point,
    Scope,
    Series,
    Summary,
    Table,
    render_csv,
    render_html,
    render_json,
    render_markdown,
    render_text,
)
from hubcore.reporting._render_html import HTML_ROW_LIMIT
from hubcore.reporting._render_text import TEXT_ROW_LIMIT, more_rows_text

SCOPE = Scope(hub_id="nat", hub_name="National Hub", academic_year="2025/26")


def _urn(i: int) -> str:
    return f"U{i:06d}X"  # unique, and never a substring of another row's URN


def _long(rows: int, points: int = 0) -> Summary:
    return Summary(
        title="Long",
        scope=SCOPE,
        tables=[
            Table(
                name="Schools",
                columns=["urn", "school", "pupils"],
                rows=[[_urn(i), f"School <{i}> & Co", i % 7] for i in range(rows)],
            )
        ],
        series=[Series(name="Monthly", points=[Point(f"P{i:04d}", i) for i in range(points)])],
    )


def _shown_urns(text: str) -> list[int]:
    return [int(m) for m in re.findall(r"U(\d{6})X", text)]


@given(rows=st.integers(0, 40), limit=st.integers(0, 15))
def test_text_shows_the_first_rows_and_counts_the_rest(rows, limit):
    text = render_text(_long(rows), max_rows=limit).decode("utf-8")
    shown = min(rows, limit)
    assert _shown_urns(text) == list(range(shown)), "the first rows, in order, once each"
    left_out = rows - shown
    lines = [line for line in text.splitlines() if "more row" in line]
    if left_out:
        assert lines == [more_rows_text(left_out, rows)]
        assert f"… {left_out:,} more row" in lines[0]
        assert f"of {rows:,}" in lines[0]
    else:
        assert lines == []


@given(points=st.integers(0, 30), limit=st.integers(1, 12))
def test_text_cuts_long_series_too(points, limit):
    text = render_text(_long(0, points), max_rows=limit).decode("utf-8")
    shown = re.findall(r"P(\d{4})", text)
    assert shown == [f"{i:04d}" for i in range(min(points, limit))]
    assert ("more row" in text) == (points > limit)


def test_text_default_limit_and_every_row_on_request():
    summary = _long(TEXT_ROW_LIMIT + 1)
    text = render_text(summary).decode("utf-8")
    assert _shown_urns(text) == list(range(TEXT_ROW_LIMIT))
    assert more_rows_text(1, TEXT_ROW_LIMIT + 1) in text
    assert "1 more row not shown" in text
    full = render_text(summary, max_rows=None).decode("utf-8")
    assert _shown_urns(full) == list(range(TEXT_ROW_LIMIT + 1))
    assert "more row" not in full
    exact = render_text(_long(TEXT_ROW_LIMIT)).decode("utf-8")
    assert "more row" not in exact


def test_text_refuses_a_negative_limit():
    with pytest.raises(HubcoreError, match="max_rows"):
        render_text(_long(3), max_rows=-1)


def test_markdown_csv_and_json_keep_every_row():
    rows = 3 * max(TEXT_ROW_LIMIT, HTML_ROW_LIMIT) + 7
    summary = _long(rows, points=5)
    markdown = render_markdown(summary).decode("utf-8")
    assert _shown_urns(markdown) == list(range(rows))
    assert "more row" not in markdown
    parsed = list(csv.DictReader(io.StringIO(render_csv(summary).decode("utf-8-sig"))))
    cells = [r for r in parsed if r["section"] == "table"]
    assert len(cells) == rows * 2  # one CSV row per cell after the label column
    assert _shown_urns("".join(r["label"] for r in cells[::2])) == list(range(rows))
    document = orjson.loads(render_json(summary))
    assert [r[0] for r in document["tables"][0]["rows"]] == [_urn(i) for i in range(rows)]


@given(extra=st.integers(-3, 250))
def test_html_shows_the_first_rows_and_folds_the_rest(extra):
    rows = max(0, HTML_ROW_LIMIT + extra)
    html = render_html(_long(rows)).decode("utf-8")
    assert _shown_urns(html) == list(range(rows)), "every row is in the page, once, in order"
    assert "School &lt;1&gt; &amp; Co" in html or rows < 2
    folded = re.search(r'<details class="more-rows" data-rows="(\d+)">(.*?)</details>', html, re.S)
    if rows <= HTML_ROW_LIMIT:
        assert folded is None
        return
    assert folded is not None
    rest = rows - HTML_ROW_LIMIT
    assert int(folded.group(1)) == rest
    assert f"Show the other {rest:,} row" in folded.group(2)
    assert f"({rows:,} in all)" in folded.group(2)
    assert _shown_urns(folded.group(2)) == list(range(HTML_ROW_LIMIT, rows))
    assert "<thead><tr>" in folded.group(2), "the folded rows keep their column headers"
    visible = html[: folded.start()]
    assert _shown_urns(visible) == list(range(HTML_ROW_LIMIT))


words = st.from_regex(r"[A-Za-z0-9][A-Za-z0-9'()/.,-]{0,18}", fullmatch=True)


@given(
    width=st.integers(24, 140),
    cells=st.lists(st.lists(words, min_size=1, max_size=6).map(" ".join), min_size=4, max_size=24),
    columns=st.integers(1, 4),
)
# rich shares a cut evenly between columns, which took the last below its longest word
@example(width=31, cells=["0", "0", "0", "00 0 0", "0", "0 0 00000000", "0"], columns=3)
def test_text_never_breaks_a_word_at_any_width(width, cells, columns):
    rows = [cells[i : i + columns] for i in range(0, len(cells) - columns + 1, columns)]
    summary = Summary(
        title="Words",
        scope=SCOPE,
        metrics=[Metric(key="m", label=cells[0], value=12.5, unit="%", target=50, rule=cells[-1])],
        tables=[Table(name="T", columns=[f"column {i}" for i in range(columns)], rows=rows)],
    )
    text = render_text(summary, width=width).decode("utf-8")
    assert max(map(len, text.splitlines())) <= width
    shown = set(text.split())
    for cell in [cells[0], cells[-1], *(c for row in rows for c in row)]:
        for word in cell.split():
            assert word in shown, (word, width)
