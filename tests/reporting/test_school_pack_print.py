"""The school pack prints on at most two A4 pages: the demo's busiest school (the most
events in its stream), in a real headless Chromium (``browser.py``)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from browser import A4_CONTENT_PX, A4_PX, ARTIFACTS, Browser
from click.testing import CliRunner

import hubcore
from hubcore.cli import cli
from hubcore.store import open_store

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def busiest(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, int]:
    folder = tmp_path_factory.mktemp("demo")
    url = f"sqlite:///{folder / 'demo.sqlite'}"
    args = ["--store", url, "demo", "--schools", "60", "--years", "3", "--out", str(folder)]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    with open_store(url) as store:
        counts = {s: sum(1 for _ in store.read_stream(s)) for s in store.streams("school-")}
    stream = max(counts, key=lambda s: (counts[s], s))
    assert counts[stream] > 50, "a busy school: years of conversations, actions, returns"
    return url, int(stream.removeprefix("school-"))


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Browser]:
    found = Browser(tmp_path_factory.mktemp("chromium"))
    yield found
    found.close()


def _pages(browser: Browser, page: Path, pdf: Path) -> int:
    browser.open(page, A4_CONTENT_PX, A4_PX[1])
    browser.media("print")
    try:
        browser.viewport(*A4_PX)
        data = browser.pdf(pdf)
    finally:
        browser.media("")
    assert data.startswith(b"%PDF-")
    boxes = set(re.findall(rb"/MediaBox\s*\[0 0 ([\d.]+) ([\d.]+)\]", data))
    assert {(round(float(w)), round(float(h))) for w, h in boxes} == {(595, 842)}, "A4"
    return len(re.findall(rb"/Type\s*/Page[^s]", data))


def test_the_busiest_schools_pack_prints_on_two_a4_pages(busiest, browser, tmp_path):
    url, urn = busiest
    html = hubcore.render_report(url, "school", format="html", urn=urn)
    page = tmp_path / f"{urn}.html"
    page.write_text(html, encoding="utf-8")
    ARTIFACTS.mkdir(exist_ok=True)
    pages = _pages(browser, page, ARTIFACTS / "school-pack-a4.pdf")
    assert 1 <= pages <= 2, f"the school pack of URN {urn} takes {pages} A4 pages"
    for table in ("Engagement by year", "Evidence for Ofsted", "What is due next"):
        assert table in html


def test_the_page_count_is_measured(browser, tmp_path):
    """Control: a page of 300 rows takes more than two pages, so the count can fail."""
    rows = "".join(f"<tr><td>row {i}</td></tr>" for i in range(300))
    page = tmp_path / "long.html"
    style = "<style>@page{size:A4;margin:12mm}</style>"
    page.write_text(f"<html>{style}<body><table>{rows}</table></body></html>", encoding="utf-8")
    assert _pages(browser, page, tmp_path / "long.pdf") > 2
