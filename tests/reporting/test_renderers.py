from __future__ import annotations

import csv
import io
import itertools
import re
from html import escape, unescape
from html.parser import HTMLParser

import jsonschema
import orjson
import pytest
from hypothesis import given
from hypothesis import strategies as st
from reporting_strategies import summaries

from hubcore.reporting import (
    CSV_COLUMNS,
    SCHEMA_TAG,
    Metric,
    Scope,
    Series,
    Summary,
    Table,
    render_csv,
    render_html,
    render_json,
    render_markdown,
    render_table_csv,
    render_text,
    summary_from_dict,
    summary_json_schema,
)
from hubcore.reporting._svg import line_chart, text_width

EVIL = "<script>alert(1)</script> & \"double\" 'single'"
VALIDATOR = jsonschema.Draft202012Validator(summary_json_schema())


# -- json ---------------------------------------------------------------------------------


def test_json_has_schema_tag_and_validates(summary):
    document = orjson.loads(render_json(summary))
    assert document["schema"] == SCHEMA_TAG == "hubcore.summary/1"
    VALIDATOR.validate(document)
    coverage = document["metrics"][0]
    assert coverage["key"] == "coverage"
    assert coverage["value"] == 86.4
    assert coverage["status"] == "red"
    assert document["suppression"]["applied"] is True
    assert document["tables"][1]["rows"][0][2] == "<5"


def test_schema_is_itself_valid_and_rejects_a_broken_document(summary):
    jsonschema.Draft202012Validator.check_schema(summary_json_schema())
    document = orjson.loads(render_json(summary))
    document["metrics"][0]["status"] = "purple"
    assert not VALIDATOR.is_valid(document)
    document = orjson.loads(render_json(summary))
    document["schema"] = "hubcore.summary/2"
    assert not VALIDATOR.is_valid(document)


@given(summaries())
def test_json_validates_and_round_trips_for_any_summary(value):
    raw = render_json(value)
    document = orjson.loads(raw)
    VALIDATOR.validate(document)
    assert summary_from_dict(document) == value


# -- csv ----------------------------------------------------------------------------------


def _read_csv(data: bytes) -> list[dict[str, str]]:
    assert data.startswith(b"\xef\xbb\xbf"), "CSV starts with a UTF-8 byte-order mark"
    reader = csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline=""))
    assert tuple(reader.fieldnames or ()) == CSV_COLUMNS
    return list(reader)


def test_csv_rows_and_values(summary):
    rows = _read_csv(render_csv(summary))
    metrics = [r for r in rows if r["section"] == "metric"]
    assert [r["name"] for r in metrics] == [m.key for m in summary.metrics]
    assert metrics[0]["value"] == "86.4"
    assert metrics[0]["status"] == "red"
    assert metrics[0]["evidence"] == "512"
    assert next(r for r in metrics if r["name"] == "send-tuition")["value"] == "<5"
    phase = [r for r in rows if r["name"] == "Coverage by phase"]
    assert [(r["label"], r["value"]) for r in phase][:2] == [
        ("primary", "91.2"),
        ("secondary", "78.5"),
    ]
    assert {r["hub_id"] for r in rows} == {"north-shire"}
    notes = [r for r in rows if r["section"] == "suppression"]
    assert len(notes) == 1
    assert notes[0]["status"] == "applied"
    assert b"\r\n" in render_csv(summary)


def test_csv_neutralises_formulas_and_keeps_unicode(summary):
    rows = _read_csv(render_csv(summary))
    cells = [r["value"] for r in rows if r["name"] == "Schools" and r["column"] == "school"]
    assert '\'=HYPERLINK("x")' in cells
    assert any(r["label"] == "Ysgol Gymraeg Bro Ŵyr" for r in rows)


@given(summaries())
def test_csv_has_one_row_per_metric_cell_point_and_caveat(value):
    rows = _read_csv(render_csv(value))
    wholes = [value, *value.sections]
    metrics = sum(len(w.metrics) for w in wholes)
    cells = sum(len(t.rows) * max(1, len(t.columns) - 1) for w in wholes for t in w.tables)
    points = sum(len(s.points) for w in wholes for s in w.series)
    caveats = sum(len(w.caveats) for w in wholes)
    expected = (
        metrics
        + cells
        + points
        + caveats
        + len(value.sections)
        + (1 if value.suppression_note else 0)
    )
    assert len(rows) == expected
    for section in value.sections:
        own = [r for r in rows if r["part"] == section.anchor]
        assert own[0]["section"] == "section"
        assert own[0]["status"] == section.status.value
        assert len(own) == 1 + len(section.metrics) + len(section.caveats) + sum(
            len(t.rows) * max(1, len(t.columns) - 1) for t in section.tables
        ) + sum(len(s.points) for s in section.series)
    assert all(None not in r for r in rows)  # no row wider than the header


def test_table_csv_is_rectangular(summary):
    table = summary.tables[1]
    data = render_table_csv(table)
    parsed = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert parsed[0] == list(table.columns)
    assert len(parsed) == len(table.rows) + 1
    assert parsed[1][2] == "<5"


# -- text and markdown --------------------------------------------------------------------


def test_text_shows_every_part(summary):
    text = render_text(summary).decode("utf-8")
    assert "\x1b[" not in text, "no ANSI escapes in the captured text"
    for needle in (
        "Self-evaluation 2025/26",
        "North Shire Music Hub (north-shire)",
        "86.4%",
        "RED",
        "GREEN",
        "AMBER",
        "Coverage by phase",
        "alternative_provision",
        "Conversations per month",
        "Ysgol Gymraeg Bro Ŵyr",
        "<5",
        "Caveats",
    ):
        assert needle in text, needle


def test_text_treats_rich_markup_in_data_as_text():
    scope = Scope(hub_id="h", hub_name="[bold]Hub[/]", academic_year="2025/26")
    value = Summary(
        title="[/] broken [red]markup",
        scope=scope,
        metrics=[Metric(key="k", label="[link=x]label[/link]", value=1)],
        caveats=["[/]"],
    )
    text = render_text(value).decode("utf-8")
    assert "[/] broken [red]markup" in text
    assert "[bold]Hub[/]" in text
    assert "[link=x]label[/link]" in text


@given(summaries())
def test_text_and_markdown_render_any_summary(value):
    text = render_text(value).decode("utf-8")
    assert value.scope.academic_year in text
    markdown = render_markdown(value).decode("utf-8")
    assert markdown.startswith("# ")
    # escaped pipes never split a cell: every row of a table has as many cells as its header
    width = None
    for line in markdown.splitlines():
        if not line.startswith("|"):
            width = None
            continue
        cells = len(re.split(r"(?<!\\)\|", line))
        width = cells if width is None else width
        assert cells == width, line


def test_markdown_tables_and_escaping(evil_summary):
    markdown = render_markdown(evil_summary).decode("utf-8")
    assert "<script>" not in markdown
    assert r"\<script\>alert(1)\</script\> \& " in markdown
    assert "| phase | coverage |" in markdown
    assert "|---|---:|" in markdown
    assert "| primary | 91.2% |" in markdown
    assert "> **Small numbers.**" in markdown
    assert (
        "| \\<script\\>alert(1)\\</script\\> \\& \"double\" 'single' | 212 | \\<5 | 540 |"
        in markdown
    )


# -- html ---------------------------------------------------------------------------------


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.text: list[str] = []
        self.attrs: list[tuple[str, str | None]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attrs += attrs

    def handle_data(self, data):
        self.text.append(data)


def _parse(html: str) -> _Collector:
    parser = _Collector()
    parser.feed(html)
    return parser


def test_html_is_self_contained_and_offline(summary):
    html = render_html(summary).decode("utf-8")
    assert html.startswith("<!doctype html>")
    assert not re.search(r"https?://", html), "no URL of any kind"
    assert "//" not in re.sub(r"<script>.*?</script>", "", html, flags=re.S)
    parsed = _parse(html)
    assert not {"link", "img", "iframe", "object", "embed"} & set(parsed.tags)
    assert not [a for a in parsed.attrs if a[0] == "src"]
    assert all(v and v.startswith("#") for a, v in parsed.attrs if a == "href"), "in-page only"
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in html
    assert "Content-Security-Policy" in html
    assert "default-src 'none'" in html


def test_html_draws_each_series_and_each_bar_table(summary):
    html = render_html(summary).decode("utf-8")
    assert html.count('class="chart line-chart"') == len(summary.series) == 2
    bar_tables = [t for t in summary.tables if t.chart == "bar"]
    assert html.count('class="chart bar-chart"') == len(bar_tables) == 2
    # coverage by phase: one bar per phase; participation: 3 series x 4 schools minus "<5"
    expected_bars = 5 + (3 * 4 - 1)
    assert html.count('<rect class="bar"') == expected_bars
    assert "target 100.0%" in html
    assert html.count('class="dot"') == 11 + 3  # one April gap in 12 months
    assert "Schools engaged (D3)" in html
    assert 'class="card status-red"' in html
    assert ">RED</span>" in html


def test_html_escapes_every_data_string(evil_summary):
    html = render_html(evil_summary).decode("utf-8")
    assert "<script>alert(1)</script>" not in html
    assert html.count("<script>") == 2  # the page's own two scripts, nothing from data
    escaped = "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;double&quot; &#x27;single&#x27;"
    assert escaped in html
    parsed = _parse(html)
    assert parsed.tags.count("script") == 2
    assert any(EVIL in t for t in parsed.text)


@given(summaries())
def test_html_never_lets_data_open_a_tag(value):
    html = render_html(value).decode("utf-8")
    assert html.count("<script") == 2
    assert html.count("<style") == 1
    assert not re.search(r"https?://", html) or any("http" in s for s in _strings(value))


def _strings(value: Summary) -> list[str]:
    out = [value.title, value.scope.hub_id, value.scope.hub_name, *value.caveats]
    out += [m.label for m in value.metrics] + [t.name for t in value.tables]
    out += [str(c) for t in value.tables for row in t.rows for c in row]
    out += [c for t in value.tables for c in t.columns]
    return out


def test_html_handles_empty_and_awkward_charts():
    scope = Scope(hub_id="h", hub_name="H", academic_year="2025/26")
    value = Summary(
        title="t",
        scope=scope,
        tables=[
            Table(name="empty", columns=["a", "b"], rows=[], chart="bar"),
            Table(name="words", columns=["a", "b"], rows=[["x", "y"]], chart="bar"),
            Table(name="zeros", columns=["a", "b"], rows=[["x", 0], ["y", -3]], chart="bar"),
        ],
    )
    html = render_html(value).decode("utf-8")
    # tables with no figures are shown as tables, not as empty charts
    assert html.count('class="chart bar-chart"') == 1
    assert '<h2 class="table-name">empty</h2>' in html
    assert '<h2 class="table-name">words</h2>' in html


@pytest.mark.parametrize(
    "render", [render_text, render_markdown, render_json, render_csv, render_html]
)
def test_renderers_are_deterministic(summary, render):
    assert render(summary) == render(summary)


@given(
    labels=st.lists(
        st.from_regex(r"[0-9A-Za-z][0-9A-Za-z -]{0,13}", fullmatch=True), min_size=1, max_size=40
    )
)
def test_chart_axis_labels_keep_apart_by_their_estimated_widths(labels):
    series = Series(name="s", points=[(label, i) for i, label in enumerate(labels)])
    svg = line_chart(series, "c")
    drawn = re.findall(r'<text class="tick xlabel" x="([\d.]+)"[^>]*text-anchor="(\w+)"', svg)
    xs = [float(x) for x, _ in drawn]
    assert xs == sorted(xs)
    assert drawn, "the first label at least"
    assert svg.count('class="tick xlabel"') <= len(labels)
    turned = "rotate(-40" in svg
    texts = re.findall(r'class="tick xlabel"[^>]*>([^<]*)</text>', svg)
    assert texts[0] == escape(labels[0]) or texts[0].endswith("…")
    if len(labels) > 1:
        assert texts[-1] == escape(labels[-1]) or texts[-1].endswith("…"), "the last label too"
    if not turned:
        spans = []
        for (x, anchor), text in zip(drawn, texts, strict=True):
            width = text_width(unescape(text), 11)
            left = float(x) - {"start": 0, "middle": width / 2, "end": width}[anchor]
            spans.append((left, left + width))
        assert all(b[0] - a[1] >= 8 - 1e-6 for a, b in itertools.pairwise(spans))
