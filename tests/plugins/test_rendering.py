"""Every report renders in every built-in format, and suppressed counts show as ``<5``."""

from __future__ import annotations

import json

import pytest

from hubcore.reporting import summary_from_dict, summary_to_dict

REPORTS = (
    "ofsted",
    "self-evaluation",
    "participation",
    "data-return",
    "data-return-schools",
    "pupil-voice",
    "trends",
    "comparison",
)
FORMATS = ("text", "markdown", "json", "csv", "html")


@pytest.mark.parametrize("report", REPORTS)
@pytest.mark.parametrize("fmt", FORMATS)
def test_renders_in_every_format(host, run, report, fmt):
    summary = run(report)
    out = host.render(summary, fmt)
    assert isinstance(out, bytes)
    text = out.decode("utf-8-sig")
    assert summary.scope.hub_id in text
    if fmt == "json":
        assert summary_from_dict(json.loads(text)) == summary


@pytest.mark.parametrize("report", REPORTS)
def test_json_round_trip(run, report):
    summary = run(report)
    assert summary_from_dict(summary_to_dict(summary)) == summary


@pytest.mark.parametrize("report", ["participation", "data-return"])
@pytest.mark.parametrize("fmt", FORMATS)
def test_suppressed_counts_show_as_under_five(host, run, report, fmt):
    text = host.render(run(report), fmt).decode("utf-8-sig")
    assert ("&lt;5" if fmt == "html" else "<5") in text


@pytest.mark.parametrize("report", ["self-evaluation", "participation"])
def test_html_has_charts(host, run, report):
    html = host.render(run(report), "html").decode()
    assert "<svg" in html
