"""The HTML report laid out by a real headless Chromium (over the DevTools pipe, see
``browser.py``): at 1280 px and on A4 paper nothing overflows sideways, no chart label
overlaps another or leaves its chart, printing splits no table row, and the sections'
filter works. Screenshots go to ``test-artifacts/`` for people to look at."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from browser import A4_CONTENT_PX, A4_PX, ARTIFACTS, Browser

from hubcore.reporting import (
    Metric,
    Point,
    Scope,
    Section,
    Series,
    Status,
    Summary,
    Table,
    render_html,
)

pytestmark = pytest.mark.slow

_QUESTIONS = {
    "Q1": "impact of the school's work with its hub",
    "Q2": "how often music is taught to all classes",
    "Q3": "how the school judges the quality of music lessons",
    "Q4": "awareness of Ofsted's subject guidance",
    "Q5": "do all pupils benefit, or just a few?",
}
_LONG_WORD = "https-www-example-org-" + "x" * 90
"""One unbroken word far wider than any table column (a pasted link, say)."""


_PATTERNS = [
    [Status.GREEN] * 5,
    [Status.GREEN, Status.AMBER, Status.GREEN, Status.GREEN, Status.AMBER],
    [Status.RED, Status.AMBER, Status.GREEN, Status.GREEN, Status.GREEN],
    [Status.GREEN, Status.GREEN, Status.NO_DATA, Status.GREEN, Status.GREEN],
    [Status.GREEN, Status.AMBER, Status.AMBER, Status.GREEN, Status.GREEN],
    [Status.NO_DATA] * 5,
    [Status.GREEN] * 4 + [Status.RED],
]


def _answers(i: int) -> list[tuple[str, str, str, str | None, str | None]]:
    rows = []
    for q, (question, text) in enumerate(_QUESTIONS.items()):
        status = _PATTERNS[i % len(_PATTERNS)][q]
        rows.append(
            (
                f"{question}: {text}",
                "no data" if status is Status.NO_DATA else status.value,
                f"Conversation with the headteacher and music lead (2025-{(i % 9) + 1:02d}-14); "
                f"provision reported for 2025/26; lesson observation notes, r{i}q{q}",
                None if status is Status.NO_DATA else f"2025-{(i % 9) + 1:02d}-14",
                _LONG_WORD if i % 50 == 7 and q == 1 else (None if status is Status.GREEN else
                "no record of how often each class is taught music this year"),
            )
        )  # fmt: skip
    return rows


def ofsted_like(schools: int = 300) -> Summary:
    """A synthetic summary of the ``ofsted`` report's shape: one section per school."""
    sections = []
    for i in range(schools):
        answers = _answers(i)
        seen = {row[1] for row in answers}
        status = next(
            (s for s in (Status.RED, Status.AMBER, Status.GREEN) if s.value in seen),
            Status.NO_DATA,
        )
        sections.append(
            Section(
                anchor=f"school-{100000 + i}",
                title=f"{['St Mary', 'Oakfield', 'Ysgol Bro Ŵyr', 'Riverside'][i % 4]} "
                f"{'Primary' if i % 3 else 'Community Academy'} School {i}",
                status=status,
                rule="red if any question is red, amber if any is amber, else green",
                note=f"URN {100000 + i} · {'primary' if i % 3 else 'secondary'}",
                metrics=[
                    Metric(
                        key="gaps",
                        label="Gaps to close",
                        value=sum(1 for row in answers if row[4]),
                        unit="gaps",
                        evidence_table="Answers",
                    )
                ],
                tables=[
                    Table(
                        name="Answers",
                        columns=["Question", "Status", "Evidence", "Latest", "Gap"],
                        rows=answers,
                    )
                ],
            )
        )
    not_green = [
        (s.note.split(" · ")[0][4:], s.title, s.status.value)
        for s in sections
        if s.status is not Status.GREEN
    ]
    months = [f"2025-{m:02d}" for m in range(9, 13)] + [f"2026-{m:02d}" for m in range(1, 9)]
    return Summary(
        title="Ofsted inspection readiness 2025/26",
        scope=Scope(hub_id="demo-hub", hub_name="Woodlands Music Hub", academic_year="2025/26"),
        metrics=[
            Metric(
                key=f"{q.lower()}-green",
                label=f"Schools green on {q} ({text})",
                value=round(100 * (schools - len(not_green)) / schools, 1),
                unit="%",
                target=100,
                status=Status.AMBER,
                rule="green if 100% of schools, amber if at least 75%, else red",
                evidence=schools,
                evidence_table="Schools not green",
            )
            for q, text in _QUESTIONS.items()
        ],
        tables=[
            Table(name="Schools not green", columns=["URN", "School", "Status"], rows=not_green),
            Table(
                name="Coverage by phase",
                columns=["Phase", "Coverage", "Engaged of open"],
                rows=[
                    ("Alternative provision", 75.0, "3 of 4"),
                    ("Nursery", 71.4, "5 of 7"),
                    ("Primary", 87.7, "199 of 227"),
                    ("Secondary", 83.7, "36 of 43"),
                    ("Special", 94.4, "17 of 18"),
                ],
                chart="bar",
                unit="%",
            ),
        ],
        series=[
            Series(
                name="Conversations per month",
                unit="conversations",
                points=[Point(m, 30 + (i * 37) % 50) for i, m in enumerate(months)],
            ),
            Series(
                name="Coverage through the year",
                unit="%",
                target=100,
                points=[
                    Point(f"2025-{m:02d}-{d}", 50 + 3 * i)
                    for i, (m, d) in enumerate([(9, 30), (10, 31), (11, 30), (12, 31)] * 3)
                ],
            ),
        ],
        sections=sections,
        caveats=["Grades are the hub's own judgements."],
        reporter="ofsted",
    )


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Browser]:
    found = Browser(tmp_path_factory.mktemp("chromium"))
    yield found
    found.close()


@pytest.fixture(scope="module")
def ofsted_page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    page = tmp_path_factory.mktemp("pages") / "ofsted-like.html"
    page.write_bytes(render_html(ofsted_like(300)))
    return page


# -- measurements made in the page ----------------------------------------------------

OVERFLOW = """
(() => {
  const doc = document.documentElement;
  const wide = [];
  for (const el of document.querySelectorAll("main *")) {
    if (el.closest(".table-wrap") && !el.classList.contains("table-wrap")) continue;
    const box = el.getBoundingClientRect();
    if (box.width && box.right > doc.clientWidth + 0.5) {
      wide.push(el.tagName + (el.id ? "#" + el.id : "") + " right " + Math.round(box.right));
    }
  }
  const clipped = [...document.querySelectorAll(".table-wrap")]
    .filter(w => w.offsetParent && w.scrollWidth > w.clientWidth + 1)
    .map(w => (w.id || w.querySelector("th").textContent) + " " + w.scrollWidth + ">" +
              w.clientWidth);
  return {page: doc.scrollWidth - doc.clientWidth, wide: wide.slice(0, 5), clipped};
})()
"""
"""How far the page is wider than the window, elements past its right edge, and tables
wider than their box (cut or scrolled)."""

LABEL_OVERLAPS = """
(() => {
  function corners(t) {
    const b = t.getBBox(), m = t.getScreenCTM();
    return [[b.x, b.y], [b.x + b.width, b.y], [b.x + b.width, b.y + b.height],
            [b.x, b.y + b.height]].map(([x, y]) => [m.a * x + m.c * y + m.e,
                                                     m.b * x + m.d * y + m.f]);
  }
  function apart(p, q) {  // separating-axis test for two convex quadrilaterals
    for (const poly of [p, q]) {
      for (let i = 0; i < 4; i++) {
        const [x1, y1] = poly[i], [x2, y2] = poly[(i + 1) % 4];
        const nx = y2 - y1, ny = x1 - x2;
        const pp = p.map(([x, y]) => nx * x + ny * y), qq = q.map(([x, y]) => nx * x + ny * y);
        const len = Math.hypot(nx, ny) || 1;
        if (Math.min(...pp) - Math.max(...qq) >= -0.5 * len ||
            Math.min(...qq) - Math.max(...pp) >= -0.5 * len) return true;
      }
    }
    return false;
  }
  const problems = [];
  let labels = 0;
  for (const svg of document.querySelectorAll("svg.chart")) {
    if (!svg.getBoundingClientRect().width) continue;
    const frame = svg.getBoundingClientRect();
    const texts = [...svg.querySelectorAll("text")].filter(t => t.getBBox().width > 0);
    const boxes = texts.map(corners);
    labels += texts.length;
    for (let i = 0; i < texts.length; i++) {
      for (const [x, y] of boxes[i]) {
        if (x < frame.left - 1 || x > frame.right + 1 || y < frame.top - 1 || y > frame.bottom + 1)
          { problems.push(svg.id + ": '" + texts[i].textContent + "' leaves the chart"); break; }
      }
      for (let j = i + 1; j < texts.length; j++) {
        if (!apart(boxes[i], boxes[j]))
          problems.push(svg.id + ": '" + texts[i].textContent + "' overlaps '" +
                        texts[j].textContent + "'");
      }
    }
  }
  return {labels, problems};
})()
"""
"""Every pair of labels in every chart drawn: their (possibly turned) boxes must not
overlap, nor leave the chart."""


def _look(browser: Browser, page: Path, name: str, width: int, height: int = 1400) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    browser.open(page, width, height)
    shot = browser.screenshot(ARTIFACTS / f"{name}-{width}.png")
    assert shot[:8] == b"\x89PNG\r\n\x1a\n"
    assert len(shot) > 20_000, "a blank page compresses to a few kB"


def test_1280_px_nothing_overflows_and_no_chart_label_overlaps(
    browser, ofsted_page, summary, tmp_path
):
    plain = tmp_path / "self-evaluation-like.html"
    plain.write_bytes(render_html(summary))
    for page, name in ((ofsted_page, "ofsted-like"), (plain, "report")):
        _look(browser, page, name, 1280)
        assert browser.js("document.body.dataset.rendered") == "ok"
        assert browser.js("document.documentElement.getAttribute('data-js-errors')") is None
        overflow = browser.js(OVERFLOW)
        assert overflow == {"page": 0, "wide": [], "clipped": []}, name
        labels = browser.js(LABEL_OVERLAPS)
        assert labels["labels"] > 20
        assert labels["problems"] == [], name
    assert browser.console_problems() == []


@pytest.mark.parametrize("width", [375, 760, 1024])
def test_other_widths_keep_chart_labels_apart(browser, ofsted_page, width):
    browser.open(ofsted_page, width)
    assert browser.js(LABEL_OVERLAPS)["problems"] == []
    assert browser.js(OVERFLOW)["page"] == 0


def test_the_label_check_sees_an_overlap(browser, tmp_path):
    """Control: two labels drawn on top of each other are caught."""
    page = tmp_path / "overlap.html"
    page.write_text(
        '<svg class="chart" id="c" viewBox="0 0 200 50" width="400">'
        '<text x="10" y="20">2026-06</text><text x="40" y="20">2026-08</text>'
        '<text x="195" y="40">leaving</text></svg>',
        encoding="utf-8",
    )
    browser.open(page, 800)
    problems = browser.js(LABEL_OVERLAPS)["problems"]
    assert "c: '2026-06' overlaps '2026-08'" in problems
    assert "c: 'leaving' leaves the chart" in problems


ROWS_ON_A4 = """
(() => {
  const page = %d;
  const rows = [...document.querySelectorAll("tr")].filter(r => r.offsetParent);
  const loose = rows.filter(r => getComputedStyle(r).breakInside !== "avoid").length;
  const tall = rows.filter(r => r.getBoundingClientRect().height > page).length;
  return {rows: rows.length, loose, tall};
})()
"""


def test_a4_print_fits_the_page_and_keeps_rows_whole(browser, ofsted_page):
    ARTIFACTS.mkdir(exist_ok=True)
    browser.open(ofsted_page, A4_CONTENT_PX, A4_PX[1])
    browser.media("print")
    try:
        overflow = browser.js(OVERFLOW)
        assert overflow == {"page": 0, "wide": [], "clipped": []}
        rows = browser.js(ROWS_ON_A4 % (A4_PX[1] - 200))
        assert rows["rows"] > 1_500
        assert rows["loose"] == 0, "every table row is kept whole across pages"
        assert rows["tall"] == 0, "and every row fits on a page"
        browser.viewport(*A4_PX)
        shot = browser.screenshot(ARTIFACTS / "ofsted-like-a4.png")
        assert len(shot) > 20_000
        pdf = browser.pdf(ARTIFACTS / "ofsted-like-a4.pdf")
    finally:
        browser.media("")
    assert pdf.startswith(b"%PDF-")
    pages = len(re.findall(rb"/Type\s*/Page[^s]", pdf))
    assert pages > 20, "300 schools take many pages"
    boxes = set(re.findall(rb"/MediaBox\s*\[0 0 ([\d.]+) ([\d.]+)\]", pdf))
    assert {(round(float(w)), round(float(h))) for w, h in boxes} == {(595, 842)}, "A4 in points"


FILTER = """
(async () => {
  const box = document.querySelector("#_filter input");
  const shown = () => [...document.querySelectorAll("section.part")].filter(s => !s.hidden).length;
  const listed = () => [...document.querySelectorAll(".contents li")].filter(s => !s.hidden).length;
  const before = [shown(), listed()];
  box.value = "oakfield academy"; box.dispatchEvent(new Event("input"));
  const named = [shown(), listed(), document.querySelector("#_filter output").textContent];
  box.value = ""; box.dispatchEvent(new Event("input"));
  document.querySelector('.counts button[data-status="green"]').click();
  const green = 'section.part[data-status="green"]:not([hidden])';
  const noGreen = [shown(), document.querySelectorAll(green).length];
  document.querySelector('.counts button[data-status="green"]').click();
  const hidden = document.getElementById("_filter").hidden;
  return {before, named, noGreen, after: shown(), hidden};
})()
"""


def test_the_filter_narrows_the_sections_by_name_and_status(browser, ofsted_page):
    browser.open(ofsted_page, 1280)
    result = browser.js(FILTER)
    assert result["before"] == [300, 300]
    oakfield_academies = len([i for i in range(300) if i % 4 == 1 and i % 3 == 0])
    assert result["named"][:2] == [oakfield_academies, oakfield_academies]
    assert result["named"][2] == f"showing {oakfield_academies} of 300"
    greens = len(re.findall(r'<section class="part status-green"', ofsted_page.read_text()))
    assert result["noGreen"] == [300 - greens, 0]
    assert result["after"] == 300
    assert result["hidden"] is False, "the filter shows itself once the script runs"


def test_every_headline_figure_links_to_its_list(browser, ofsted_page):
    browser.open(ofsted_page, 1280)
    links = browser.js(
        "[...document.querySelectorAll('.card .value a')].map(a => "
        "[a.getAttribute('href'), !!document.getElementById(a.getAttribute('href').slice(1))])"
    )
    assert len(links) == 5 + 300
    assert all(found for _, found in links)
    assert links[0][0] == "#_t/schools-not-green"
