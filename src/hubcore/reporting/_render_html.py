"""The ``html`` renderer: one self-contained page that works offline.

* CSS, charts (inline SVG drawn in Python, see :mod:`._svg`) and a small script are all
  inline (:mod:`._html_assets`); the page references no URL at all, so it can be e-mailed,
  archived or opened from a USB stick. The charts need no JavaScript; the script adds
  tap-to-read values and the sections' filter.
* A Content-Security-Policy ``<meta>`` allows nothing but this page's own style and scripts
  (by SHA-256 hash): no network, and no injected script could run even if escaping failed.
* Every string from data goes through :func:`html.escape` (``quote=True``), control
  characters shown as visible escapes (:func:`hubcore._printable.printable`).
* Responsive: ``viewport`` meta, a fluid single column on phones (375px), a grid on wider
  screens; wide tables scroll sideways inside their own box. Printed on A4, no table row is
  split across pages and tables wrap to fit the page's width.
* A summary with sections gets a count by status at the top, and before the sections a
  contents list with a search box and status buttons that filter it and the sections;
  each section has its status colour.
* A headline figure whose metric names an ``evidence_table`` links to that table.
* Long tables stay usable: the first :data:`HTML_ROW_LIMIT` rows show, the rest are in
  the page too, folded in a closed ``<details>`` with the table's header repeated.
* The script sets ``document.body.dataset.rendered = "ok"`` when it has run; an earlier
  error hook records any script error in ``<html data-js-errors>``, so a headless browser
  test can check both.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from functools import partial
from html import escape
from itertools import chain

from hubcore._printable import printable
from hubcore.reporting._columns import column_texts, encode_each, escape_joined, map_column
from hubcore.reporting._format import (
    cell_text,
    figure_text,
    is_judged,
    metric_value_text,
    status_text,
    target_text,
    unit_label,
)
from hubcore.reporting._html_assets import CSP, CSS, ERROR_HOOK, SCRIPT
from hubcore.reporting._json import SCHEMA_TAG
from hubcore.reporting._protocols import FunctionRenderer
from hubcore.reporting._summary import (
    Cell,
    Metric,
    Section,
    Series,
    Status,
    Summary,
    Table,
    table_column,
)
from hubcore.reporting._svg import bar_chart, line_chart

__all__ = [
    "HTML",
    "HTML_ROW_LIMIT",
    "TableBody",
    "breaks_long_words",
    "cell_html",
    "html_page",
    "column_class",
    "join_page",
    "render_html",
    "status_class",
    "table_ids",
    "td_close",
    "td_open",
]

HTML_ROW_LIMIT = 200
"""Rows of a table shown at once; the others are in the page, folded in a ``<details>``
(closed, so a browser lays out a 100,000-row table only when asked to)."""

_Fragment = str | Iterable[bytes]
"""Part of the page: text, or encoded pieces (a long table's rows, never joined apart)."""

TableBody = Callable[[Table, int], tuple[_Fragment, _Fragment]]
"""A table's first ``limit`` rows and the rest as ``<tr>`` elements (the fast one is
:func:`_rows_html`; the tests compare it with a cell-by-cell one)."""


def _e(text: str) -> str:
    return escape(printable(text), quote=True)


_SLUG = re.compile(r"[^a-z0-9]+")


def _slug(name: str) -> str:
    return _SLUG.sub("-", name.lower()).strip("-")[:60].strip("-") or "table"


def table_ids(tables: Sequence[Table], prefix: str) -> dict[str, str]:
    """Each table's page id: ``prefix`` and its name made a slug, unique in ``tables``.

    Sections' tables have their section's anchor as prefix (``school-1/evidence``); the
    report's own tables ``_t`` (a section anchor never starts with ``_``)."""
    ids: dict[str, str] = {}
    used: set[str] = set()
    for table in tables:
        base = f"{prefix}/{_slug(table.name)}"
        found, n = base, 1
        while found in used:
            n += 1
            found = f"{base}-{n}"
        used.add(found)
        ids[table.name] = found
    return ids


def _evidence_link(metric: Metric, links: dict[str, str]) -> str | None:
    target = links.get(metric.evidence_table) if metric.evidence_table else None
    return None if target is None else f"#{_e(target)}"


def _card(metric: Metric, threshold: int, links: dict[str, str]) -> str:
    status = metric.status.value
    target = target_text(metric)
    meta = []
    if target:
        meta.append(f"target {_e(target)}")
    if metric.status is not Status.NONE:
        meta.append(f'<span class="pill {status}">{_e(status_text(metric.status))}</span>')
    value = _e(metric_value_text(metric, threshold))
    href = _evidence_link(metric, links)
    if href:
        value = f'<a href="{href}" title="The list behind this figure">{value}</a>'
    parts = [
        f'<article class="card status-{status}" data-metric="{_e(metric.key)}">',
        f"<h3>{_e(metric.label)}</h3>",
        f'<p class="value">{value}</p>',
    ]
    if meta:
        parts.append(f'<p class="meta">{" · ".join(meta)}</p>')
    if metric.rule:
        parts.append(f'<p class="rule">{_e(metric.rule)}</p>')
    if metric.evidence:
        records = "record" if metric.evidence == 1 else "records"
        parts.append(f'<p class="meta">based on {metric.evidence:,} {records}</p>')
    if metric.note:
        parts.append(f'<p class="meta">{_e(metric.note)}</p>')
    if href:
        name = _e(metric.evidence_table)
        parts.append(f'<p class="meta">the list: <a href="{href}">{name}</a></p>')
    parts.append("</article>")
    return "".join(parts)


_ESCAPES = (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;"), ('"', "&quot;"), ("'", "&#x27;"))
"""What :func:`html.escape` replaces (``quote=True``), in its order."""

_STATUS_WORDS = {"red": "red", "amber": "amber", "green": "green", "no data": "no_data"}
"""A cell's text (any case) that is a status, and the class that colours it."""
_STATUS_CELLS = {
    **{form: name for word, name in _STATUS_WORDS.items()
       for form in (word, word.upper(), word.capitalize())},
    "no_data": "no_data",
}  # fmt: skip


def status_class(cell: Cell) -> str | None:
    """The status a cell names (``"red"``, ``"Amber"``, ``"no data"``...), else ``None``."""
    if type(cell) is not str:
        return None
    found = _STATUS_CELLS.get(cell)
    if found is not None or len(cell) > 8:
        return found
    return _STATUS_WORDS.get(" ".join(cell.replace("_", " ").lower().split()))


_SHORT = 12
"""A column whose every cell is at most this long (a date, a code) is never wrapped."""


def column_class(table: Table, index: int) -> str:
    """How the column's cells are shown: ``"num"`` (figures, right-aligned), ``"status"``
    (every non-empty cell a status word, coloured by it; the words stay: colour is never
    the only sign), ``"short"`` (every cell at most 12 characters, never wrapped) or ``""``.
    Worked out once per column and kept on the table."""
    memo = table._memo
    key = ("html-class", index)
    found = memo.get(key)
    if found is None:
        found = memo[key] = _column_class(table, index)
    return str(found)


def _column_class(table: Table, index: int) -> str:
    if index in table.numeric_columns():
        return "num"
    _, distinct = table_column(table, index)
    if distinct is None:
        return ""
    named = [cell for cell in distinct if cell is not None and cell != ""]
    if index and named and all(status_class(cell) for cell in named):
        return "status"
    return "short" if all(len(cell_text(c)) <= _SHORT for c in distinct) else ""


def td_open(table: Table, index: int) -> Callable[[Cell], str]:
    """The ``<td ...>`` that opens each cell of the column (by the cell, for a status
    column), ``<tr>`` first in the first column."""
    row = "<tr>" if index == 0 else ""
    kind = column_class(table, index)
    if kind == "status":
        return lambda cell: f'{row}<td class="status-{status_class(cell) or "none"}">'
    opens = f'{row}<td class="{kind}">' if kind else f"{row}<td>"
    return lambda cell: opens


def td_close(table: Table, index: int) -> str:
    return "</td></tr>" if index == len(table.columns) - 1 else "</td>"


_CHUNK = 16
_LONG_WORD = re.compile(r"(?<!\S)\S{33,}")


def _breakable(match: re.Match[str]) -> str:
    word = match.group()
    return "<wbr>".join(escape(word[i : i + _CHUNK]) for i in range(0, len(word), _CHUNK))


def cell_html(text: str) -> str:
    """A cell's text escaped, a word too long for any column (over 32 characters, a
    pasted link say) given a break opportunity (``<wbr>``) every 16 characters, so that a
    table can always fit its page without breaking ordinary words."""
    if len(text) < 33 or _LONG_WORD.search(text) is None:
        return escape(text, quote=True)
    parts = _LONG_WORD.split(text)
    words = [_breakable(m) for m in _LONG_WORD.finditer(text)]
    return "".join(
        escape(part, quote=True) + (words[i] if i < len(words) else "")
        for i, part in enumerate(parts)
    )


def _escaped(texts: list[str], *, breakable: bool) -> list[str]:
    """Each text escaped, in one escape of them all joined; with ``breakable``,
    :func:`cell_html` of each (the rare text with a very long word done again on its own)."""
    escaped = escape_joined(texts, _ESCAPES, squash_spaces=False)
    if breakable and _LONG_WORD.search(" ".join(texts)) is not None:
        for i, text in enumerate(texts):
            if _LONG_WORD.search(text) is not None:
                escaped[i] = cell_html(text)
    return escaped


def breaks_long_words(table: Table) -> bool:
    """Whether the table's cells get :func:`cell_html`'s break opportunities: tables shown
    whole (at most :data:`HTML_ROW_LIMIT` rows). A longer table's cells are only escaped:
    looking for long words in 100,000 rows of text would cost more than the rest of the
    page, and its box scrolls sideways if a word is too long."""
    return len(table.rows) <= HTML_ROW_LIMIT


def _cells(table: Table, index: int, cells: list[Cell]) -> list[bytes]:
    """Cells as encoded ``<td>`` pieces, their text escaped in one pass over all of them."""
    texts = column_texts(table, index)(cells)
    escaped = _escaped(texts, breakable=breaks_long_words(table))
    opens, closes = td_open(table, index), td_close(table, index)
    if column_class(table, index) == "status":
        return [f"{opens(c)}{t}{closes}".encode() for c, t in zip(cells, escaped, strict=True)]
    return encode_each(opens(None), escaped, closes)


def _rows_html(table: Table, limit: int) -> tuple[_Fragment, _Fragment]:
    """The table's first ``limit`` rows and the rest, as encoded ``<tr>`` pieces: each
    distinct cell of a column converted and escaped once, rows interleaved in C."""
    columns = [map_column(table, i, partial(_cells, table, i)) for i in range(len(table.columns))]

    def rows(start: int, stop: int | None) -> Iterator[bytes]:
        return chain.from_iterable(zip(*(c[start:stop] for c in columns), strict=True))

    return rows(0, limit), rows(limit, None)


def _head(table: Table) -> str:
    numeric = set(table.numeric_columns())
    num = ' class="num"'
    return "".join(
        f'<th scope="col"{num if i in numeric else ""}>'
        f"{_e(unit_label(c, table.column_unit(i)))}</th>"
        for i, c in enumerate(table.columns)
    )


def _table(
    table: Table, body: TableBody, *, table_id: str | None, caption: bool = True
) -> list[_Fragment]:
    """The table; past :data:`HTML_ROW_LIMIT` rows the rest fold into a ``<details>``."""
    head = _head(table)
    cap = f"<caption>{_e(table.caption)}</caption>" if caption and table.caption else ""
    rows = len(table.rows)
    ident = f' id="{_e(table_id)}"' if table_id else ""
    shown, folded = body(table, HTML_ROW_LIMIT)
    out: list[_Fragment] = [
        f'<div class="table-wrap"{ident}><table>{cap}<thead><tr>{head}</tr></thead><tbody>',
        shown,
        "</tbody></table></div>",
    ]
    if rows <= HTML_ROW_LIMIT:
        return out
    rest = rows - HTML_ROW_LIMIT
    return [
        *out,
        f'<details class="more-rows" data-rows="{rest}"><summary>Show the other '
        f"{rest:,} {'row' if rest == 1 else 'rows'} ({rows:,} in all)</summary>"
        f'<div class="table-wrap"><table><thead><tr>{head}</tr></thead><tbody>',
        folded,
        "</tbody></table></div></details>",
    ]


def _series_table(series: Series) -> str:
    rows = "".join(
        f'<tr><td>{_e(p.label)}</td><td class="num">'
        f"{'' if p.value is None else _e(figure_text(p.value, series.unit))}</td></tr>"
        for p in series.points
    )
    value = f"Value ({series.unit})" if series.unit else "Value"
    return (
        f'<div class="table-wrap"><table><thead><tr><th scope="col">Period</th>'
        f'<th scope="col" class="num">{_e(value)}</th></tr></thead><tbody>{rows}</tbody>'
        f"</table></div>"
    )


def _parts(
    whole: Summary | Section,
    body: TableBody,
    threshold: int,
    *,
    prefix: str,
    outer: dict[str, str],
) -> list[_Fragment | list[_Fragment]]:
    """The metrics, charts, tables and caveats of the summary or of one section (whose
    parts have no headings of their own: the section's title is theirs)."""
    ids = {**outer, **table_ids(whole.tables, prefix)}
    top = isinstance(whole, Summary)

    def opening(name: str, title: str, inner: str) -> str:
        heading = f"<h2>{title}</h2>" if title else ""
        return f'<section id="{prefix}-{name}">{heading}{inner}' if top else inner

    def closing(inner: str) -> str:
        return f"{inner}</section>" if top else inner

    out: list[_Fragment | list[_Fragment]] = []
    if whole.metrics:
        out.append(opening("metrics", "Metrics", '<div class="cards">'))
        out += [_card(m, threshold, ids) for m in whole.metrics]
        out.append(closing("</div>"))
    charted = [t for t in whole.tables if t.chart == "bar" and t.numeric_columns()]
    if whole.series or charted:
        out.append(opening("charts", "Charts", '<div class="charts">'))
        for index, series in enumerate(whole.series, start=1):
            out.append(
                f"<figure><figcaption>{_e(series.name)}</figcaption>"
                f"{line_chart(series, f'{prefix}-series-{index}')}"
                f"<details><summary>Show the numbers</summary>"
                f"{_series_table(series)}</details></figure>"
            )
        for index, table in enumerate(charted, start=1):
            caption = f"<small>{_e(table.caption)}</small>" if table.caption else ""
            out.append(
                [
                    f'<figure id="{_e(ids[table.name])}"><figcaption>{_e(table.name)}'
                    f"{caption}</figcaption>{bar_chart(table, f'{prefix}-bars-{index}')}"
                    f"<details><summary>Show the numbers</summary>",
                    *_table(table, body, table_id=None, caption=False),
                    "</details></figure>",
                ]
            )
        out.append(closing("</div>"))
    plain = [t for t in whole.tables if t not in charted]
    if plain:
        out.append(opening("tables", "", ""))
        h = "h2" if top else "h3"
        for table in plain:
            heading = f'<{h} class="table-name">{_e(table.name)}</{h}>'
            out.append([heading, *_table(table, body, table_id=ids[table.name])])
        out.append(closing(""))
    if whole.caveats:
        out.append(opening("caveats", "Caveats", '<ul class="caveats">'))
        out += [f"<li>{_e(c)}</li>" for c in whole.caveats]
        out.append(closing("</ul>"))
    return [part for part in out if part != ""]


_STATUS_ORDER = (Status.RED, Status.AMBER, Status.GREEN, Status.NO_DATA, Status.NONE)
_STATUS_NAMES = {
    Status.RED: "Red",
    Status.AMBER: "Amber",
    Status.GREEN: "Green",
    Status.NO_DATA: "No data",
    Status.NONE: "Not judged",
}


def _status_counts(sections: Sequence[Section]) -> dict[Status, int]:
    counts = dict.fromkeys(_STATUS_ORDER, 0)
    for section in sections:
        counts[section.status] += 1
    return {status: n for status, n in counts.items() if n}


def _summary_line(sections: Sequence[Section]) -> str:
    """The sections counted by status, at the top of the page."""
    total = len(sections)
    counts = " · ".join(
        f'{n:,} <span class="pill {s.value}">{_e(status_text(s))}</span>'
        if s is not Status.NONE
        else f"{n:,} not judged"
        for s, n in _status_counts(sections).items()
    )
    return (
        f'<p class="summary-line"><b>{total:,} {"part" if total == 1 else "parts"}</b>: '
        f'{counts} · <a href="#_contents">contents</a></p>'
    )


def _contents(sections: Sequence[Section]) -> list[str]:
    """The count by status (filter buttons), the search box and the contents list."""
    buttons = "".join(
        f'<li><button type="button" class="status-{s.value}" data-status="{s.value}" '
        f'aria-pressed="true" disabled><b>{n:,}</b> {_STATUS_NAMES[s]}</button></li>'
        for s, n in _status_counts(sections).items()
    )
    entries = "".join(
        f'<li class="status-{s.status.value}"><a href="#{_e(s.anchor)}">{_e(s.title)}</a>'
        + (f'<span class="pill {s.status.value}">{_e(status_text(s.status))}</span>'
           if s.status is not Status.NONE else "")
        + "</li>"
        for s in sections
    )  # fmt: skip
    total = len(sections)
    return [
        '<nav class="overview" id="_contents" aria-label="Contents">',
        f"<h2>Contents: {total:,} {'part' if total == 1 else 'parts'}</h2>",
        f'<ul class="counts" aria-label="Parts by status">{buttons}</ul>',
        '<div class="filter" id="_filter" hidden><input type="search" '
        'placeholder="Filter by name or URN" aria-label="Filter the parts by name">'
        '<output aria-live="polite"></output></div>',
        f'<ol class="contents">{entries}</ol>',
        "</nav>",
    ]


def _section(
    section: Section, body: TableBody, threshold: int, outer: dict[str, str]
) -> list[_Fragment | list[_Fragment]]:
    status = section.status
    name = _e(" ".join(printable(f"{section.title} {section.note}").lower().split()))
    pill = (
        f' <span class="pill {status.value}">{_e(status_text(status))}</span>'
        if status is not Status.NONE
        else ""
    )
    out: list[_Fragment | list[_Fragment]] = [
        f'<section class="part status-{status.value}" id="{_e(section.anchor)}" '
        f'data-status="{status.value}" data-name="{name}">',
        f"<h2>{_e(section.title)}{pill}</h2>",
    ]
    if section.note:
        out.append(f'<p class="meta">{_e(section.note)}</p>')
    if section.rule and (is_judged(status) or status is Status.NO_DATA):
        out.append(f'<p class="rule">{_e(section.rule)}</p>')
    out += _parts(section, body, threshold, prefix=section.anchor, outer=outer)
    out.append('<p class="back"><a href="#_contents">Back to the contents</a></p></section>')
    return out


def html_page(summary: Summary, body: TableBody) -> list[_Fragment | list[_Fragment]]:
    """The page's lines, the tables' rows made by ``body``."""
    scope = summary.scope
    out: list[_Fragment | list[_Fragment]] = [
        "<!doctype html>",
        '<html lang="en-GB">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">',
        '<meta name="generator" content="hubcore">',
        f"<title>{_e(summary.title)} · {_e(scope.hub_name)} · {_e(scope.academic_year)}</title>",
        f"<style>{CSS}</style>",
        f"<script>{ERROR_HOOK}</script>",
        "</head>",
        "<body>",
        '<main class="page">',
        "<header>",
        f"<h1>{_e(summary.title)}</h1>",
        '<p class="scope">'
        f"<span><b>Hub</b> {_e(scope.hub_name)} ({_e(scope.hub_id)})</span>"
        f"<span><b>Year</b> {_e(scope.academic_year)}</span>"
        f"<span><b>Schools</b> {_e(scope.schools_label)}</span></p>",
        "</header>",
    ]
    note = summary.suppression_note
    if note:
        out.append(
            f'<section class="notice" id="_suppression"><b>Small numbers.</b> {_e(note)}</section>'
        )
    threshold = summary.suppression_threshold
    top_ids = table_ids(summary.tables, "_t")
    if summary.sections:
        out.append(_summary_line(summary.sections))
    out += _parts(summary, body, threshold, prefix="_t", outer={})
    if summary.sections:
        out += _contents(summary.sections)
    for section in summary.sections:
        out += _section(section, body, threshold, top_ids)
    made_by = f"reporter {_e(summary.reporter)} · " if summary.reporter else ""
    out += [
        f"<footer>Made by hubcore · {made_by}data schema {SCHEMA_TAG}</footer>",
        "</main>",
        f"<script>{SCRIPT}</script>",
        "</body>",
        "</html>",
        "",
    ]
    return out


def render_html(summary: Summary) -> bytes:
    """The summary as one self-contained, offline, responsive HTML page (UTF-8)."""
    return join_page(html_page(summary, _rows_html))


def join_page(lines: list[_Fragment | list[_Fragment]]) -> bytes:
    """The lines joined by line ends and encoded, in one join of encoded pieces (a long
    table's rows are never copied into one text first)."""
    pieces: list[Iterable[bytes]] = []
    for line in lines:
        for part in line if isinstance(line, list) else [line]:
            pieces.append((part.encode(),) if isinstance(part, str) else part)
        pieces.append((b"\n",))
    pieces.pop()
    return b"".join(chain.from_iterable(pieces))


HTML = FunctionRenderer("html", "text/html; charset=utf-8", ".html", render_html)
