"""The ``markdown`` renderer: CommonMark with pipe tables (GitHub-flavoured)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from functools import partial
from itertools import chain

from hubcore._printable import printable
from hubcore.reporting._columns import column_texts, encode_each, escape_joined, map_column
from hubcore.reporting._format import (
    figure_text,
    metric_value_text,
    status_text,
    target_text,
    unit_label,
)
from hubcore.reporting._protocols import FunctionRenderer
from hubcore.reporting._summary import Cell, Metric, Section, Status, Summary, Table

__all__ = ["MARKDOWN", "TableRows", "markdown_document", "md_escape", "render_markdown"]

_SPECIAL = "\\`*_[]<>&|#~!"
_ESCAPES = [(c, "\\" + c) for c in _SPECIAL]  # the backslash first


def md_escape(text: str) -> str:
    """Backslash-escape Markdown and HTML punctuation; newlines become spaces; control
    characters are shown as visible escapes.

    CommonMark treats ``\\<`` as a literal ``<``, so data can never open an HTML tag, a
    link, emphasis or a table cell.
    """
    text = " ".join(printable(text).split())
    for char, escaped in _ESCAPES:  # str.replace is several times faster than translate
        if char in text:
            text = text.replace(char, escaped)
    return text


def _table(header: list[str], rows: list[list[str]], right: set[int]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |"]
    lines.append("|" + "|".join("---:" if i in right else "---" for i in range(len(header))) + "|")
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return lines


def _cells(suffix: str, texts: Callable[[list[Cell]], list[str]], cells: list[Cell]) -> list[bytes]:
    """Cells as their row's pieces: ``"| a | b |"`` is ``"| a "`` then ``"| b |"``."""
    return encode_each("| ", escape_joined(texts(cells), _ESCAPES, squash_spaces=True), suffix)


def _rows(table: Table) -> Iterator[bytes]:
    """The table's rows as encoded pieces, each distinct cell escaped once per column."""
    last = len(table.columns) - 1
    columns = [
        map_column(
            table,
            index,
            partial(_cells, " |\n" if index == last else " ", column_texts(table, index)),
        )
        for index in range(last + 1)
    ]
    return chain.from_iterable(zip(*columns, strict=True))


TableRows = Callable[[Table], Iterable[bytes]]
"""A table's rows as encoded markdown lines (the fast one is :func:`_rows`; the tests
compare it with a cell-by-cell one)."""


def _evidence(metric: Metric) -> str:
    parts = [f"{metric.evidence:,}"] if metric.evidence else []
    if metric.evidence_table:
        parts.append(f"list: table “{metric.evidence_table}”")
    return "; ".join(parts)


def _parts(
    whole: Summary | Section, rows_of: TableRows, threshold: int, level: str
) -> list[str | Iterable[bytes]]:
    out: list[str | Iterable[bytes]] = []
    if whole.metrics:
        if isinstance(whole, Summary):
            out += [f"{level} Metrics", ""]
        rows = [
            [
                md_escape(m.label + (f" ({m.note})" if m.note else "")),
                md_escape(metric_value_text(m, threshold)),
                md_escape(target_text(m)),
                md_escape(status_text(m.status)),
                md_escape(m.rule),
                md_escape(_evidence(m)),
            ]
            for m in whole.metrics
        ]
        out += _table(["Metric", "Value", "Target", "Status", "Rule", "Evidence"], rows, {1, 2})
        out.append("")
    for t in whole.tables:
        out += [f"{level} {md_escape(t.name)}", ""]
        if t.caption:
            out += [md_escape(t.caption), ""]
        headings = [md_escape(unit_label(c, t.column_unit(i))) for i, c in enumerate(t.columns)]
        out += _table(headings, [], set(t.numeric_columns()))
        out += [rows_of(t), ""]
    for s in whole.series:
        out += [f"{level} {md_escape(s.name)}", ""]
        header = ["Period", md_escape(f"Value ({s.unit})" if s.unit else "Value")]
        rows = [
            [md_escape(p.label), "" if p.value is None else md_escape(figure_text(p.value, s.unit))]
            for p in s.points
        ]
        out += _table(header, rows, {1})
        out.append("")
    if whole.caveats:
        if isinstance(whole, Summary):
            out += [f"{level} Caveats", ""]
        out += [f"- {md_escape(caveat)}" for caveat in whole.caveats]
        out.append("")
    return out


def _contents(sections: tuple[Section, ...]) -> list[str | Iterable[bytes]]:
    counts = dict.fromkeys(Status, 0)
    for section in sections:
        counts[section.status] += 1
    tally = ", ".join(
        f"{n:,} {status_text(s)}" for s, n in counts.items() if n and s is not Status.NONE
    )
    total = len(sections)
    rows = [
        [md_escape(s.title), md_escape(status_text(s.status)), md_escape(s.note)] for s in sections
    ]
    heading = f"## Contents: {total:,} {'part' if total == 1 else 'parts'}"
    return [
        heading + (f" ({md_escape(tally)})" if tally else ""),
        "",
        *_table(["Part", "Status", "Note"], rows, set()),
        "",
    ]


def _section(section: Section, rows_of: TableRows, threshold: int) -> list[str | Iterable[bytes]]:
    status = "" if section.status is Status.NONE else f" · {status_text(section.status)}"
    out: list[str | Iterable[bytes]] = [f"## {md_escape(section.title)}{status}", ""]
    if section.note:
        out += [md_escape(section.note), ""]
    if section.rule:
        out += [f"*Rule:* {md_escape(section.rule)}", ""]
    return out + _parts(section, rows_of, threshold, "###")


def markdown_document(summary: Summary, rows_of: TableRows) -> bytes:
    """The summary as a Markdown document, the tables' rows made by ``rows_of``."""
    scope = summary.scope
    out: list[str | Iterable[bytes]] = [f"# {md_escape(summary.title)}", ""]
    out.append(
        f"**Hub:** {md_escape(scope.hub_name)} ({md_escape(scope.hub_id)}) · "
        f"**Year:** {md_escape(scope.academic_year)} · "
        f"**Schools:** {md_escape(scope.schools_label)}"
    )
    out.append("")
    note = summary.suppression_note
    if note:
        out += [f"> **Small numbers.** {md_escape(note)}", ""]
    threshold = summary.suppression_threshold
    if summary.sections:
        out += _contents(summary.sections)
    out += _parts(summary, rows_of, threshold, "##")
    for section in summary.sections:
        out += _section(section, rows_of, threshold)
    while out and out[-1] == "":  # the document ends with one line end
        out.pop()
    # one join of encoded pieces: a 100,000-row table's text is never copied whole
    return b"".join(
        chain.from_iterable(
            (f"{part}\n".encode(),) if isinstance(part, str) else part for part in out
        )
    )


def render_markdown(summary: Summary) -> bytes:
    """The summary as a Markdown document."""
    return markdown_document(summary, _rows)


MARKDOWN = FunctionRenderer("markdown", "text/markdown; charset=utf-8", ".md", render_markdown)
