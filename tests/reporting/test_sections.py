"""Sections (one part of a report per school, say) and metrics that link to the table of
the schools and events behind them: validated, and shown by every renderer."""

from __future__ import annotations

import csv
import io
import re

import orjson
import pytest

from hubcore.reporting import (
    Metric,
    Scope,
    Section,
    Status,
    Summary,
    SummaryError,
    Table,
    render_csv,
    render_html,
    render_json,
    render_markdown,
    render_text,
    summary_from_dict,
)
from hubcore.reporting._render_text import TEXT_SECTION_LIMIT, more_parts_text

SCOPE = Scope(hub_id="h", hub_name="Hub", academic_year="2025/26")
BEHIND = Table(
    name="Schools not engaged",
    columns=["urn", "school", "last contact"],
    rows=[("100001", "Oak Primary", "2025-10-01"), ("100002", "Elm High", None)],
)


def _school(i: int, status: Status = Status.GREEN) -> Section:
    return Section(
        anchor=f"school-{100000 + i}",
        title=f"School {i}",
        status=status,
        rule="green if every question is green",
        note=f"URN {100000 + i} · primary",
        metrics=[
            Metric(key="gaps", label="Gaps", value=i % 3, unit="gaps", evidence_table="Gaps"),
            Metric(
                key="coverage", label="Coverage", value=50.0, unit="%", evidence_table=BEHIND.name
            ),
        ],
        tables=[Table(name="Gaps", columns=["question", "gap"], rows=[("Q1", f"gap {i}")])],
    )


def _summary(sections: int = 3) -> Summary:
    statuses = [Status.RED, Status.AMBER, Status.GREEN, Status.NO_DATA]
    return Summary(
        title="Readiness",
        scope=SCOPE,
        metrics=[
            Metric(
                key="engaged",
                label="Schools engaged",
                value=98.0,
                unit="%",
                evidence=120,
                evidence_table=BEHIND.name,
            )
        ],
        tables=[BEHIND],
        sections=[_school(i, statuses[i % 4]) for i in range(sections)],
    )


def test_a_metric_links_only_to_a_table_that_exists():
    with pytest.raises(SummaryError, match="evidence_table: names no table of this summary"):
        Summary(
            title="t",
            scope=SCOPE,
            metrics=[Metric(key="m", label="M", value=1, evidence_table="Nowhere")],
        )
    # a section's metric sees its own tables and the summary's; the summary's do not see in
    with pytest.raises(SummaryError, match=r"metric 'm'\.evidence_table"):
        Summary(
            title="t",
            scope=SCOPE,
            metrics=[Metric(key="m", label="M", value=1, evidence_table="Gaps")],
            tables=[BEHIND],
            sections=[_school(1)],
        )
    assert _summary().sections[0].metrics[0].evidence_table == "Gaps"


def test_sections_need_unique_well_formed_anchors_and_titles():
    with pytest.raises(SummaryError, match="sections: 'school-100001' appears twice"):
        Summary(title="t", scope=SCOPE, tables=[BEHIND], sections=[_school(1), _school(1)])
    with pytest.raises(SummaryError, match=r"Section 'School 1'\.anchor"):
        Section(anchor="School 1", title="x")
    with pytest.raises(SummaryError, match="title: must not be empty"):
        Section(anchor="s", title=" ")
    with pytest.raises(SummaryError, match=r"section 's'\.tables: 'x' appears twice"):
        Summary(
            title="t",
            scope=SCOPE,
            sections=[
                Section(
                    anchor="s",
                    title="S",
                    tables=[BEHIND.__class__(name="x", columns=["a"], rows=[])] * 2,
                )
            ],
        )
    with pytest.raises(SummaryError, match="sections: must hold Section values, got str"):
        Summary(title="t", scope=SCOPE, sections=["s"])  # type: ignore[list-item]


def test_no_data_is_never_judged():
    with pytest.raises(SummaryError, match="must be 'no_data' without a value, got red"):
        Metric(key="m", label="M", value=None, status=Status.RED)
    assert Metric(key="m", label="M", value=None, status=Status.NO_DATA).status is Status.NO_DATA
    # no value, not judged: no data, whatever was given
    assert Metric(key="m", label="M", value=None).status is Status.NO_DATA
    assert Metric(key="m", label="M", value=None, status=Status.NONE).status is Status.NO_DATA
    assert Metric(key="m", label="M", value=0).status is Status.NONE
    assert Metric(key="m", label="M", value=None, suppressed=True, status="red").suppressed


def test_json_keeps_sections_and_links_and_reads_older_documents():
    summary = _summary()
    document = orjson.loads(render_json(summary))
    assert [s["anchor"] for s in document["sections"]] == [s.anchor for s in summary.sections]
    assert document["metrics"][0]["evidence_table"] == BEHIND.name
    assert summary_from_dict(document) == summary
    for older in (document, *document["sections"]):
        for metric in older["metrics"]:
            del metric["evidence_table"]
        for table in older["tables"]:
            del table["units"]
    del document["sections"]
    back = summary_from_dict(document)
    assert back.sections == ()
    assert back.metrics[0].evidence_table == ""


def test_html_links_each_figure_to_its_list_and_lists_the_sections():
    html = render_html(_summary(4)).decode("utf-8")
    ids = set(re.findall(r' id="([^"]+)"', html))
    links = re.findall(r'href="#([^"]+)"', html)
    assert links, "figures and contents link into the page"
    assert set(links) <= ids, "every link lands on something"
    assert '<a href="#_t/schools-not-engaged" title="The list behind this figure">98.0%</a>' in html
    assert 'href="#school-100001/gaps"' in html, "a section's figure links to its own table"
    for i in range(4):
        assert '<section class="part status-' in html
        assert f'id="school-{100000 + i}"' in html
        assert f'<a href="#school-{100000 + i}">School {i}</a>' in html
    assert re.search(r'data-status="red"[^>]*><b>1</b> Red', html)
    assert re.search(r'data-status="no_data"[^>]*><b>1</b> No data', html)
    assert 'class="pill no_data">NO DATA</span>' in html


def test_text_markdown_and_csv_say_where_the_list_is():
    summary = _summary(2)
    text = render_text(summary, width=100).decode("utf-8")
    assert 'the list: table "Schools not engaged"' in text
    assert "Contents: 2 parts (1 red, 1 amber)" in text
    assert "School 1" in text
    assert "AMBER" in text
    markdown = render_markdown(summary).decode("utf-8")
    assert "list: table “Schools not engaged”" in markdown
    assert "## School 0 · RED" in markdown
    assert "### Gaps" in markdown
    rows = list(csv.DictReader(io.StringIO(render_csv(summary).decode("utf-8-sig"), newline="")))
    section = [r for r in rows if r["section"] == "section"]
    assert [r["name"] for r in section] == ["school-100000", "school-100001"]
    assert [r["status"] for r in section] == ["red", "amber"]
    top = next(r for r in rows if r["name"] == "engaged")
    assert (top["part"], top["evidence_table"]) == ("", BEHIND.name)
    inner = [r for r in rows if r["part"] == "school-100001" and r["section"] == "metric"]
    assert [r["evidence_table"] for r in inner] == ["Gaps", BEHIND.name]


def test_text_shows_the_first_sections_whole_and_counts_the_rest():
    summary = _summary(TEXT_SECTION_LIMIT + 3)
    text = render_text(summary).decode("utf-8")
    assert more_parts_text(3, TEXT_SECTION_LIMIT + 3) in text
    shown = re.findall(r"^School (\d+)", text, flags=re.M)
    assert shown[-1] == str(TEXT_SECTION_LIMIT - 1)
    everything = render_text(summary, max_rows=None).decode("utf-8")
    assert "more parts" not in everything
    assert f"School {TEXT_SECTION_LIMIT + 2}" in everything
