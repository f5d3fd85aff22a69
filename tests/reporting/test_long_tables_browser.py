"""A 5,000-row table in a real headless Chromium: the page script runs, the folded rows are
in the page but closed."""

from __future__ import annotations

import re

import pytest
from test_html_browser import _console_problems, _dump

from hubcore.reporting import Scope, Summary, Table, render_html
from hubcore.reporting._render_html import HTML_ROW_LIMIT

pytestmark = pytest.mark.slow


def test_long_table_folds_and_renders_in_chromium(tmp_path):
    rows = 5_000
    summary = Summary(
        title="Long",
        scope=Scope(hub_id="nat", hub_name="National Hub", academic_year="2025/26"),
        tables=[
            Table(
                name="Schools",
                columns=["urn", "school", "pupils"],
                rows=[[f"U{i:06d}X", f"School {i}", i] for i in range(rows)],
            )
        ],
    )
    page = tmp_path / "long.html"
    page.write_bytes(render_html(summary))
    dom, stderr = _dump(tmp_path, page)
    assert _console_problems(stderr) == []
    body = re.search(r"<body[^>]*>", dom)
    assert body is not None
    assert 'data-rendered="ok"' in body.group(0)
    assert len(re.findall(r"<tr><td class=\"short\">U\d{6}X</td>", dom)) == rows
    details = re.search(r'<details class="more-rows"[^>]*>', dom)
    assert details is not None
    assert " open" not in details.group(0), "the folded rows start closed"
    assert f"Show the other {rows - HTML_ROW_LIMIT:,} rows" in dom
