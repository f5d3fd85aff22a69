"""The ``markdown`` renderer: CommonMark with pipe tables (GitHub-flavoured)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import partial
from itertools import chain

from hubcore.reporting._columns import cell_texts, encode_each, escape_joined, map_column
from hubcore.reporting._format import (
    metric_value_text,
    number_text,
    status_text,
    target_text,
)
from hubcore.reporting._protocols import FunctionRenderer
from hubcore.reporting._summary import Cell, Summary, Table

__all__ = ["MARKDOWN", "md_escape", "render_markdown"]

_SPECIAL = "\\`*_[]<>&|#~!"
_ESCAPES = [(c, "\\" + c) for c in _SPECIAL]  # the backslash first


def md_escape(text: str) -> str:
    """Backslash-escape Markdown and HTML punctuation; newlines become spaces.

    CommonMark treats ``\\<`` as a literal ``<``, so data can never open an HTML tag, a
    link, emphasis or a table cell.
    """
    text = " ".join(text.split())
    for char, escaped in _ESCAPES:  # str.replace is several times faster than translate
        if char in text:
            text = text.replace(char, escaped)
    return text


def _table(header: list[str], rows: list[list[str]], right: set[int]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |"]
    lines.append("|" + "|".join("---:" if i in right else "---" for i in range(len(header))) + "|")
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return lines


def _cells(suffix: str, cells: list[Cell]) -> list[bytes]:
    """Cells as their row's pieces: ``"| a | b |"`` is ``"| a "`` then ``"| b |"``."""
    return encode_each("| ", escape_joined(cell_texts(cells), _ESCAPES, squash_spaces=True), suffix)


def _rows(table: Table) -> Iterator[bytes]:
    """The table's rows as encoded pieces, each distinct cell escaped once per column."""
    last = len(table.columns) - 1
    columns = [
        map_column(table, index, partial(_cells, " |\n" if index == last else " "))
        for index in range(last + 1)
    ]
    return chain.from_iterable(zip(*columns, strict=True))


def render_markdown(summary: Summary) -> bytes:
    """The summary as a Markdown document."""
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
    if summary.metrics:
        out += ["## Metrics", ""]
        rows = [
            [
                md_escape(m.label + (f" ({m.note})" if m.note else "")),
                md_escape(metric_value_text(m, summary.suppression_threshold)),
                md_escape(target_text(m)),
                status_text(m.status),
                md_escape(m.rule),
                f"{m.evidence:,}",
            ]
            for m in summary.metrics
        ]
        out += _table(["Metric", "Value", "Target", "Status", "Rule", "Evidence"], rows, {1, 2, 5})
        out.append("")
    for t in summary.tables:
        out += [f"## {md_escape(t.name)}", ""]
        if t.caption:
            out += [md_escape(t.caption), ""]
        out += _table([md_escape(c) for c in t.columns], [], set(t.numeric_columns()))
        out += [_rows(t), ""]
    for s in summary.series:
        out += [f"## {md_escape(s.name)}", ""]
        header = ["Period", md_escape(f"Value ({s.unit})" if s.unit else "Value")]
        rows = [
            [md_escape(p.label), "" if p.value is None else md_escape(number_text(p.value, s.unit))]
            for p in s.points
        ]
        out += _table(header, rows, {1})
        out.append("")
    if summary.caveats:
        out += ["## Caveats", ""]
        out += [f"- {md_escape(caveat)}" for caveat in summary.caveats]
        out.append("")
    while out and out[-1] == "":  # the document ends with one line end
        out.pop()
    # one join of encoded pieces: a 100,000-row table's text is never copied whole
    return b"".join(
        chain.from_iterable(
            (f"{part}\n".encode(),) if isinstance(part, str) else part for part in out
        )
    )


MARKDOWN = FunctionRenderer("markdown", "text/markdown; charset=utf-8", ".md", render_markdown)
