"""The HTML page's own style and scripts, and the Content-Security-Policy allowing only them.

Everything is inline and static (no data in it), so the policy can name each piece by its
SHA-256 hash: no network, and no injected script could run even if escaping failed.
"""

from __future__ import annotations

import base64
import hashlib

__all__ = ["CSP", "CSS", "ERROR_HOOK", "SCRIPT"]

CSS = """
:root{--bg:#f6f7f9;--card:#fff;--ink:#1c2330;--muted:#5b6472;--line:#dde1e7;
--red:#c0392b;--amber:#b7791f;--green:#2e7d32;--none:#6b7480;--accent:#2f6fdb;
--red-bg:#fbeae8;--amber-bg:#fdf3e1;--green-bg:#e8f3e9;--none-bg:#eef0f3}
@media (prefers-color-scheme:dark){:root{--bg:#12161c;--card:#1b212a;--ink:#e7ebf0;
--muted:#a3adbb;--line:#2c3440;--red:#ff6b5b;--amber:#f0b43c;--green:#5cc46a;--none:#8a94a3;
--red-bg:#3a1f1d;--amber-bg:#3a2f17;--green-bg:#1d3220;--none-bg:#262c35}}
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%;text-size-adjust:100%}
body{margin:0;background:var(--bg);color:var(--ink);
font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif}
.page{max-width:1100px;margin:0 auto;padding:16px 14px 40px}
header h1{font-size:1.45rem;line-height:1.25;margin:.2rem 0 .4rem;overflow-wrap:break-word}
.scope{color:var(--muted);margin:0;display:flex;flex-wrap:wrap;gap:.2rem .9rem;font-size:.92rem}
.scope b{color:var(--ink);font-weight:600}
h2{font-size:1.1rem;margin:1.6rem 0 .6rem;overflow-wrap:break-word}
h3{overflow-wrap:break-word}
a{color:var(--accent)}
.notice{border-left:4px solid var(--amber);background:var(--card);padding:.7rem .9rem;
border-radius:6px;margin:1rem 0;font-size:.95rem}
.cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(230px,1fr));gap:10px}
.card{background:var(--card);border:1px solid var(--line);border-left:5px solid var(--none);
border-radius:8px;padding:.7rem .85rem;min-width:0}
.card h3{font-size:.92rem;font-weight:600;margin:0;color:var(--muted)}
.card .value{font-size:1.7rem;font-weight:700;margin:.15rem 0;line-height:1.2;
overflow-wrap:break-word}
.card .value a{color:inherit;text-decoration:underline;text-decoration-style:dotted;
text-underline-offset:.2em;text-decoration-thickness:2px}
.card p{margin:.2rem 0}.meta,.rule{font-size:.85rem;color:var(--muted)}
.rule{overflow-wrap:break-word}.card .rule{font-size:.8rem}
.pill{display:inline-block;font-size:.72rem;font-weight:700;letter-spacing:.04em;
padding:.05rem .45rem;border-radius:999px;color:#fff;background:var(--none);vertical-align:1px;
white-space:nowrap;-webkit-print-color-adjust:exact;print-color-adjust:exact}
.pill.red{background:var(--red)}.pill.amber{background:var(--amber)}
.pill.green{background:var(--green)}
.charts{display:grid;grid-template-columns:1fr;gap:12px;align-items:start}
@media (min-width:760px){.charts{grid-template-columns:1fr 1fr}}
figure{margin:0;background:var(--card);border:1px solid var(--line);border-radius:8px;
padding:.7rem .8rem;min-width:0}
figcaption{font-weight:600;margin-bottom:.4rem;overflow-wrap:break-word}
figcaption small{display:block;font-weight:400;color:var(--muted)}
svg.chart{display:block;width:100%;height:auto;max-height:70vh;overflow:hidden}
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
th,td{padding:.4rem .7rem;border-bottom:1px solid var(--line);text-align:left;vertical-align:top;
overflow-wrap:break-word}
th{font-weight:600;background:rgba(127,127,127,.06);min-width:4.5em}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
td.num,td.short{white-space:nowrap}
td.status-red{background:var(--red-bg)}td.status-amber{background:var(--amber-bg)}
td.status-green{background:var(--green-bg)}td.status-no_data{background:var(--none-bg)}
tr:last-child td{border-bottom:0}
.caveats li{margin:.25rem 0}
.overview{background:var(--card);border:1px solid var(--line);border-radius:8px;
padding:.7rem .9rem;margin:1rem 0}
.overview h2{margin:.1rem 0 .5rem}
.counts{display:flex;flex-wrap:wrap;gap:.4rem;margin:.2rem 0 .6rem;padding:0;list-style:none}
.counts button,.counts span{font:inherit;font-size:.9rem;border:1px solid var(--line);
border-left:5px solid var(--none);border-radius:6px;background:var(--card);color:var(--ink);
padding:.25rem .6rem;cursor:pointer}
.counts span{cursor:default}
.counts [aria-pressed=false]{opacity:.45;text-decoration:line-through}
.filter{display:flex;flex-wrap:wrap;gap:.5rem;align-items:center;margin:.4rem 0}
.filter input{font:inherit;padding:.35rem .55rem;border:1px solid var(--line);border-radius:6px;
background:var(--bg);color:var(--ink);min-width:0;flex:1 1 16rem;max-width:28rem}
.filter output{color:var(--muted);font-size:.9rem}
.contents{columns:3 16rem;column-gap:1.2rem;margin:.4rem 0 0;padding:0;list-style:none;
font-size:.88rem;line-height:1.35}
.contents li{break-inside:avoid;padding:.1rem 0 .1rem .45rem;border-left:4px solid var(--none);
margin-bottom:.2rem;overflow-wrap:break-word}
.contents a{margin-right:.3rem}
.summary-line{margin:.6rem 0 0;font-size:.95rem}
.summary-line b{font-size:1.05rem}
.summary-line .pill{margin-left:.15rem}
.part{background:var(--card);border:1px solid var(--line);border-left:6px solid var(--none);
border-radius:8px;padding:.2rem 1rem .6rem;margin:1rem 0;min-width:0}
.part>h2{display:flex;flex-wrap:wrap;gap:.3rem .6rem;align-items:baseline}
.part .cards .card{border-color:var(--line)}
.part .table-wrap,.part figure{border-color:var(--line)}
.part h3.table-name{font-size:1rem;margin:1rem 0 .4rem}
.back{font-size:.85rem}
:is(.card,.part,.contents li,.counts button).status-red{border-left-color:var(--red)}
:is(.card,.part,.contents li,.counts button).status-amber{border-left-color:var(--amber)}
:is(.card,.part,.contents li,.counts button).status-green{border-left-color:var(--green)}
[hidden]{display:none !important}
footer{margin-top:2rem;font-size:.8rem;color:var(--muted)}
.tip{position:fixed;left:50%;bottom:14px;transform:translateX(-50%);max-width:92vw;
background:var(--ink);color:var(--bg);padding:.45rem .8rem;border-radius:6px;font-size:.9rem;
opacity:0;pointer-events:none;transition:opacity .15s}
.tip.on{opacity:.95}
@page{size:A4;margin:12mm}
@media print{
.tip,.filter,.back{display:none !important}
body{background:#fff;color:#000;font-size:11pt}
.page{max-width:none;padding:0}
.cards{grid-template-columns:repeat(3,minmax(0,1fr))}
.charts{grid-template-columns:1fr 1fr}
.card,figure,.overview li,.contents li,tr,.notice{break-inside:avoid}
h2,h3,caption{break-after:avoid}
.table-wrap{overflow:visible;border-radius:0}
table{table-layout:auto;width:100%;font-size:9pt}
thead{display:table-header-group}
th,td{padding:.25rem .4rem;min-width:0}
.part{break-inside:auto;border-radius:0;padding:0 .5rem .3rem}
.part>h2{break-after:avoid}
a{color:inherit;text-decoration:none}
svg.chart{max-height:none}
td.status-red,td.status-amber,td.status-green,td.status-no_data,.card,.part,.contents li,
.counts span{-webkit-print-color-adjust:exact;print-color-adjust:exact}
}
""".strip()
"""The page's style: responsive, dark-mode aware, and laid out for A4 when printed (no
table row split across pages, tables fit the page width, long words wrap)."""

ERROR_HOOK = """
(function(){var d=document.documentElement;function note(m){var p=d.getAttribute("data-js-errors");
d.setAttribute("data-js-errors",(p?p+" | ":"")+String(m));}
window.onerror=function(message,source,line){note(message+" (line "+line+")");return false;};
window.addEventListener("unhandledrejection",function(e){note("unhandled rejection: "+e.reason);});
})();
""".strip()
"""Runs first: records any script error in ``<html data-js-errors>`` for the browser tests."""

SCRIPT = """
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
var filter=document.getElementById("_filter");
if(filter){
var box=filter.querySelector("input");var out=filter.querySelector("output");
var parts=document.querySelectorAll("section.part");
var items=document.querySelectorAll(".contents li");
var buttons=document.querySelectorAll(".counts button");var off={};
var apply=function(){var words=box.value.toLowerCase().split(/\\s+/).filter(Boolean);var shown=0;
for(var j=0;j<parts.length;j++){var p=parts[j];var name=p.getAttribute("data-name");
var ok=!off[p.getAttribute("data-status")];
for(var k=0;ok&&k<words.length;k++){ok=name.indexOf(words[k])>=0;}
p.hidden=!ok;if(items[j]){items[j].hidden=!ok;}if(ok){shown++;}}
out.textContent=shown===parts.length?"":"showing "+shown+" of "+parts.length;
document.body.setAttribute("data-shown",String(shown));};
box.addEventListener("input",apply);
for(var b=0;b<buttons.length;b++){(function(button){button.addEventListener("click",function(){
var status=button.getAttribute("data-status");off[status]=!off[status];
button.setAttribute("aria-pressed",off[status]?"false":"true");apply();});})(buttons[b]);}
filter.hidden=false;for(var c=0;c<buttons.length;c++){buttons[c].disabled=false;}
apply();}
var charts=document.querySelectorAll("svg.chart");
document.body.setAttribute("data-charts",String(charts.length));
document.body.dataset.rendered="ok";
})();
""".strip()
"""Tap-to-read chart values and the sections' filter; ends by setting
``document.body.dataset.rendered = "ok"``."""


def _sha256(text: str) -> str:
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


CSP = (
    "default-src 'none'; "
    f"style-src {_sha256(CSS)}; "
    f"script-src {_sha256(ERROR_HOOK)} {_sha256(SCRIPT)}; "
    "img-src data:; base-uri 'none'; form-action 'none'"
)
"""The Content-Security-Policy: nothing but this page's own style and scripts."""
