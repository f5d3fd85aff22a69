"""The ``markdown`` renderer: CommonMark with pipe tables (GitHub-flavoured)."""

from __future__ import annotations

from hubcore.reporting._format import (
    cell_text,
    metric_value_text,
    number_text,
    status_text,
    target_text,
)
from hubcore.reporting._protocols import FunctionRenderer
from hubcore.reporting._summary import Summary

__all__ = ["MARKDOWN", "md_escape", "render_markdown"]

_SPECIAL = "\\`*_[]<>&|#~!"
_ESCAPES = str.maketrans({c: "\\" + c for c in _SPECIAL})


def md_escape(text: str) -> str:
    """Backslash-escape Markdown and HTML punctuation; newlines become spaces.

    CommonMark treats ``\\<`` as a literal ``<``, so data can never open an HTML tag, a
    link, emphasis or a table cell.
    """
    return " ".join(text.split()).translate(_ESCAPES)


class _Escaper(dict[str, str]):
    """:func:`md_escape` remembered per distinct string (long tables repeat many cells)."""

    def __missing__(self, text: str) -> str:
        value = self[text] = md_escape(text)
        return value


def _table(header: list[str], rows: list[list[str]], right: set[int]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |"]
    lines.append("|" + "|".join("---:" if i in right else "---" for i in range(len(header))) + "|")
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return lines


def render_markdown(summary: Summary) -> bytes:
    """The summary as a Markdown document."""
    scope = summary.scope
    out = [f"# {md_escape(summary.title)}", ""]
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
        escaped = _Escaper()
        rows = [
            [escaped[cell if type(cell) is str else cell_text(cell)] for cell in row]
            for row in t.rows
        ]
        out += _table([md_escape(c) for c in t.columns], rows, set(t.numeric_columns()))
        out.append("")
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
    return ("\n".join(out).rstrip("\n") + "\n").encode("utf-8")


MARKDOWN = FunctionRenderer("markdown", "text/markdown; charset=utf-8", ".md", render_markdown)
