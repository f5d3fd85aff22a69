"""The ``html`` renderer: one self-contained page that works offline.

* CSS, charts (inline SVG drawn in Python, see :mod:`._svg`) and a small script are all
  inline; the page references no URL at all, so it can be e-mailed, archived or opened from
  a USB stick. The charts need no JavaScript; the script only adds tap-to-read values.
* A Content-Security-Policy ``<meta>`` allows nothing but this page's own style and scripts
  (by SHA-256 hash): no network, and no injected script could run even if escaping failed.
* Every string from data goes through :func:`html.escape` (``quote=True``).
* Responsive: ``viewport`` meta, a fluid single column on phones (375px), a grid on wider
  screens; wide tables scroll sideways inside their own box.
* Long tables stay usable: the first :data:`HTML_ROW_LIMIT` rows show, the rest are in
  the page too, folded in a closed ``<details>`` with the table's header repeated.
* The script sets ``document.body.dataset.rendered = "ok"`` when it has run; an earlier
  error hook records any script error in ``<html data-js-errors>``, so a headless browser
  test can check both.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Iterable, Iterator, Sequence
from functools import partial
from html import escape
from itertools import chain

from hubcore.reporting._columns import cell_texts, encode_each, escape_joined, map_column
from hubcore.reporting._format import (
    metric_value_text,
    number_text,
    status_text,
    target_text,
)
from hubcore.reporting._json import SCHEMA_TAG
from hubcore.reporting._protocols import FunctionRenderer
from hubcore.reporting._summary import Cell, Metric, Summary, Table
from hubcore.reporting._svg import bar_chart, line_chart

__all__ = ["HTML", "HTML_ROW_LIMIT", "render_html"]

HTML_ROW_LIMIT = 200
"""Rows of a table shown at once; the others are in the page, folded in a ``<details>``
(closed, so a browser lays out a 100,000-row table only when asked to)."""

_CSS = """
:root{--bg:#f6f7f9;--card:#fff;--ink:#1c2330;--muted:#5b6472;--line:#dde1e7;
--red:#c0392b;--amber:#b7791f;--green:#2e7d32;--none:#8a94a3;--accent:#2f6fdb}
@media (prefers-color-scheme:dark){:root{--bg:#12161c;--card:#1b212a;--ink:#e7ebf0;
--muted:#a3adbb;--line:#2c3440;--red:#ff6b5b;--amber:#f0b43c;--green:#5cc46a;--none:#8a94a3}}
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%;text-size-adjust:100%}
body{margin:0;background:var(--bg);color:var(--ink);
font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif}
.page{max-width:1100px;margin:0 auto;padding:16px 14px 40px}
header h1{font-size:1.45rem;line-height:1.25;margin:.2rem 0 .4rem;overflow-wrap:anywhere}
.scope{color:var(--muted);margin:0;display:flex;flex-wrap:wrap;gap:.2rem .9rem;font-size:.92rem}
.scope b{color:var(--ink);font-weight:600}
h2{font-size:1.1rem;margin:1.6rem 0 .6rem}
.notice{border-left:4px solid var(--amber);background:var(--card);padding:.7rem .9rem;
border-radius:6px;margin:1rem 0;font-size:.95rem}
.cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(230px,1fr));gap:10px}
.card{background:var(--card);border:1px solid var(--line);border-left:5px solid var(--none);
border-radius:8px;padding:.7rem .85rem;min-width:0}
.card.status-red{border-left-color:var(--red)}.card.status-amber{border-left-color:var(--amber)}
.card.status-green{border-left-color:var(--green)}
.card h3{font-size:.92rem;font-weight:600;margin:0;color:var(--muted);overflow-wrap:anywhere}
.card .value{font-size:1.7rem;font-weight:700;margin:.15rem 0;line-height:1.2}
.card p{margin:.2rem 0}.card .meta{font-size:.85rem;color:var(--muted)}
.card .rule{font-size:.78rem;color:var(--muted);overflow-wrap:anywhere}
.pill{display:inline-block;font-size:.72rem;font-weight:700;letter-spacing:.04em;
padding:.05rem .45rem;border-radius:999px;color:#fff;background:var(--none);vertical-align:1px}
.pill.red{background:var(--red)}.pill.amber{background:var(--amber)}
.pill.green{background:var(--green)}
.charts{display:grid;grid-template-columns:1fr;gap:12px;align-items:start}
@media (min-width:760px){.charts{grid-template-columns:1fr 1fr}}
figure{margin:0;background:var(--card);border:1px solid var(--line);border-radius:8px;
padding:.7rem .8rem;min-width:0}
figcaption{font-weight:600;margin-bottom:.4rem;overflow-wrap:anywhere}
figcaption small{display:block;font-weight:400;color:var(--muted)}
svg.chart{display:block;width:100%;height:auto;max-height:70vh;overflow:visible}
svg text{fill:var(--ink);font-size:12px;font-family:inherit}
svg .tick{fill:var(--muted);font-size:11px}svg .legend{font-size:12px}
svg .val{font-size:11px;fill:var(--muted)}svg .cat{font-weight:600}
svg .grid{stroke:var(--line);stroke-width:1}
svg .target{stroke:var(--green);stroke-width:1.5;stroke-dasharray:5 4}
svg .target-label{fill:var(--green)}
svg .line{fill:none;stroke-width:2.5;stroke-linejoin:round;stroke-linecap:round}
svg .hit{fill:transparent;cursor:pointer}svg .bar{cursor:pointer}
svg .hit:hover,svg .hit.on{fill:rgba(47,111,219,.18)}svg .bar.on{opacity:.75}
details{margin-top:.5rem;font-size:.9rem}summary{cursor:pointer;color:var(--accent)}
.table-wrap{overflow-x:auto;-webkit-overflow-scrolling:touch;background:var(--card);
border:1px solid var(--line);border-radius:8px;margin-bottom:1rem}
table{border-collapse:collapse;width:100%;font-size:.9rem}
caption{text-align:left;padding:.5rem .7rem;color:var(--muted);caption-side:top}
th,td{padding:.4rem .7rem;border-bottom:1px solid var(--line);text-align:left;vertical-align:top}
th{font-weight:600;white-space:nowrap;background:rgba(127,127,127,.06)}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
tr:last-child td{border-bottom:0}
.caveats li{margin:.25rem 0}
footer{margin-top:2rem;font-size:.8rem;color:var(--muted)}
.tip{position:fixed;left:50%;bottom:14px;transform:translateX(-50%);max-width:92vw;
background:var(--ink);color:var(--bg);padding:.45rem .8rem;border-radius:6px;font-size:.9rem;
opacity:0;pointer-events:none;transition:opacity .15s}
.tip.on{opacity:.95}
@media print{.tip{display:none}body{background:#fff}.page{max-width:none}}
""".strip()

_ERROR_HOOK = """
(function(){var d=document.documentElement;function note(m){var p=d.getAttribute("data-js-errors");
d.setAttribute("data-js-errors",(p?p+" | ":"")+String(m));}
window.onerror=function(message,source,line){note(message+" (line "+line+")");return false;};
window.addEventListener("unhandledrejection",function(e){note("unhandled rejection: "+e.reason);});
})();
""".strip()

_SCRIPT = """
(function(){"use strict";
var tip=document.createElement("div");tip.className="tip";tip.setAttribute("role","status");
tip.setAttribute("aria-live","polite");document.body.appendChild(tip);var current=null;
function show(el){if(current){current.classList.remove("on");}current=el;el.classList.add("on");
tip.textContent=el.getAttribute("data-tip");tip.classList.add("on");}
function hide(){if(current){current.classList.remove("on");}current=null;
tip.classList.remove("on");}
var marks=document.querySelectorAll("[data-tip]");
for(var i=0;i<marks.length;i++){(function(el){
el.addEventListener("mouseenter",function(){show(el);});el.addEventListener("mouseleave",hide);
el.addEventListener("click",function(ev){ev.stopPropagation();if(current===el){hide();}else{show(el);}});
})(marks[i]);}
document.addEventListener("click",hide);
var charts=document.querySelectorAll("svg.chart");
document.body.setAttribute("data-charts",String(charts.length));
document.body.dataset.rendered="ok";
})();
""".strip()


def _sha256(text: str) -> str:
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


_CSP = (
    "default-src 'none'; "
    f"style-src {_sha256(_CSS)}; "
    f"script-src {_sha256(_ERROR_HOOK)} {_sha256(_SCRIPT)}; "
    "img-src data:; base-uri 'none'; form-action 'none'"
)


def _e(text: str) -> str:
    return escape(text, quote=True)


def _card(metric: Metric, threshold: int) -> str:
    status = metric.status.value
    target = target_text(metric)
    meta = []
    if target:
        meta.append(f"target {_e(target)}")
    pill = f'<span class="pill {status}">{_e(status_text(metric.status))}</span>'
    if metric.status.value != "none":
        meta.append(pill)
    parts = [
        f'<article class="card status-{status}" data-metric="{_e(metric.key)}">',
        f"<h3>{_e(metric.label)}</h3>",
        f'<p class="value">{_e(metric_value_text(metric, threshold))}</p>',
    ]
    if meta:
        parts.append(f'<p class="meta">{" · ".join(meta)}</p>')
    if metric.rule:
        parts.append(f'<p class="rule">{_e(metric.rule)}</p>')
    evidence = "record" if metric.evidence == 1 else "records"
    parts.append(f'<p class="meta">based on {metric.evidence:,} {evidence}</p>')
    if metric.note:
        parts.append(f'<p class="meta">{_e(metric.note)}</p>')
    parts.append("</article>")
    return "".join(parts)


_ESCAPES = (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;"), ('"', "&quot;"), ("'", "&#x27;"))
"""What :func:`html.escape` replaces (``quote=True``), in its order."""

_Fragment = str | Iterable[bytes]
"""Part of the page: text, or encoded pieces (a long table's rows, never joined apart)."""


def _cells(opens: str, closes: str, cells: list[Cell]) -> list[bytes]:
    """Cells as encoded ``<td>`` pieces, their text escaped in one pass over all of them."""
    escaped = escape_joined(cell_texts(cells), _ESCAPES, squash_spaces=False)
    return encode_each(opens, escaped, closes)


def _rows_html(columns: Sequence[Sequence[bytes]], start: int, stop: int | None) -> Iterator[bytes]:
    """Rows ``start`` to ``stop`` as encoded pieces, from the table's ``<td>`` columns (the
    first opens the row, the last closes it)."""
    return chain.from_iterable(zip(*(column[start:stop] for column in columns), strict=True))


def _table(table: Table, *, caption: bool = True) -> list[_Fragment]:
    """The table; past :data:`HTML_ROW_LIMIT` rows the rest fold into a ``<details>``."""
    numeric = set(table.numeric_columns())
    num = ' class="num"'
    head = "".join(
        f'<th scope="col"{num if i in numeric else ""}>{_e(c)}</th>'
        for i, c in enumerate(table.columns)
    )
    cap = f"<caption>{_e(table.caption)}</caption>" if caption and table.caption else ""
    rows = table.rows
    last = len(table.columns) - 1
    columns = [
        map_column(
            table,
            i,
            partial(
                _cells,
                f"{'<tr>' if i == 0 else ''}<td{num if i in numeric else ''}>",
                "</td></tr>" if i == last else "</td>",
            ),
        )
        for i in range(last + 1)
    ]
    out: list[_Fragment] = [
        f'<div class="table-wrap"><table>{cap}<thead><tr>{head}</tr></thead><tbody>',
        _rows_html(columns, 0, HTML_ROW_LIMIT),
        "</tbody></table></div>",
    ]
    if len(rows) <= HTML_ROW_LIMIT:
        return out
    rest = len(rows) - HTML_ROW_LIMIT
    return [
        *out,
        f'<details class="more-rows" data-rows="{rest}"><summary>Show the other '
        f"{rest:,} {'row' if rest == 1 else 'rows'} ({len(rows):,} in all)</summary>"
        f'<div class="table-wrap"><table><thead><tr>{head}</tr></thead><tbody>',
        _rows_html(columns, HTML_ROW_LIMIT, None),
        "</tbody></table></div></details>",
    ]


def _series_table(name: str, unit: str, points: list[tuple[str, str]]) -> str:
    rows = "".join(f'<tr><td>{_e(a)}</td><td class="num">{_e(b)}</td></tr>' for a, b in points)
    value = f"Value ({unit})" if unit else "Value"
    return (
        f'<div class="table-wrap"><table><thead><tr><th scope="col">Period</th>'
        f'<th scope="col" class="num">{_e(value)}</th></tr></thead><tbody>{rows}</tbody>'
        f"</table></div>"
    )


def render_html(summary: Summary) -> bytes:
    """The summary as one self-contained, offline, responsive HTML page (UTF-8)."""
    scope = summary.scope
    out: list[_Fragment | list[_Fragment]] = [
        "<!doctype html>",
        '<html lang="en-GB">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f'<meta http-equiv="Content-Security-Policy" content="{_CSP}">',
        '<meta name="generator" content="hubcore">',
        f"<title>{_e(summary.title)} · {_e(scope.hub_name)} · {_e(scope.academic_year)}</title>",
        f"<style>{_CSS}</style>",
        f"<script>{_ERROR_HOOK}</script>",
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
            f'<section class="notice" id="suppression"><b>Small numbers.</b> {_e(note)}</section>'
        )
    if summary.metrics:
        out.append('<section id="metrics"><h2>Metrics</h2><div class="cards">')
        out += [_card(m, summary.suppression_threshold) for m in summary.metrics]
        out.append("</div></section>")
    charted = [t for t in summary.tables if t.chart == "bar" and t.numeric_columns()]
    if summary.series or charted:
        out.append('<section id="charts"><h2>Charts</h2><div class="charts">')
        for index, series in enumerate(summary.series, start=1):
            points = [
                (p.label, "" if p.value is None else number_text(p.value, series.unit))
                for p in series.points
            ]
            out.append(
                f"<figure><figcaption>{_e(series.name)}</figcaption>"
                f"{line_chart(series, f'series-{index}')}"
                f"<details><summary>Show the numbers</summary>"
                f"{_series_table(series.name, series.unit, points)}</details></figure>"
            )
        for index, table in enumerate(charted, start=1):
            caption = f"<small>{_e(table.caption)}</small>" if table.caption else ""
            out.append(
                [
                    f"<figure><figcaption>{_e(table.name)}{caption}</figcaption>"
                    f"{bar_chart(table, f'bars-{index}')}"
                    f"<details><summary>Show the numbers</summary>",
                    *_table(table, caption=False),
                    "</details></figure>",
                ]
            )
        out.append("</div></section>")
    plain = [t for t in summary.tables if t not in charted]
    if plain:
        out.append('<section id="tables">')
        for table in plain:
            out.append([f"<h2>{_e(table.name)}</h2>", *_table(table)])
        out.append("</section>")
    if summary.caveats:
        out.append('<section class="caveats" id="caveats"><h2>Caveats</h2><ul>')
        out += [f"<li>{_e(c)}</li>" for c in summary.caveats]
        out.append("</ul></section>")
    made_by = f"reporter {_e(summary.reporter)} · " if summary.reporter else ""
    out += [
        f"<footer>Made by hubcore · {made_by}data schema {SCHEMA_TAG}</footer>",
        "</main>",
        f"<script>{_SCRIPT}</script>",
        "</body>",
        "</html>",
        "",
    ]
    return _page(out)


def _page(lines: list[_Fragment | list[_Fragment]]) -> bytes:
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
