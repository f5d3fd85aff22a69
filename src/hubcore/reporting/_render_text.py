"""The ``text`` renderer: rich tables for a terminal, captured as plain UTF-8 text.

A terminal report stays readable at any size: a table (or series) longer than
:data:`TEXT_ROW_LIMIT` rows shows its first rows, then one line saying how many rows were
left out and which formats hold them all (markdown, csv, json and html keep every row).
Laying out only the rows shown also keeps rich's layout engine, which costs about a
millisecond a row, fast on a national hub's 100,000-row tables.
"""

from __future__ import annotations

from io import StringIO
from typing import TYPE_CHECKING

from hubcore.errors import HubcoreError
from hubcore.reporting._format import (
    cell_text,
    metric_value_text,
    number_text,
    status_text,
    target_text,
)
from hubcore.reporting._protocols import FunctionRenderer
from hubcore.reporting._summary import Series, Status, Summary

if TYPE_CHECKING:
    from rich.console import Group

__all__ = ["TEXT", "TEXT_ROW_LIMIT", "more_rows_text", "render_text", "rich_renderable"]

TEXT_ROW_LIMIT = 100
"""Rows of one table (or points of one series) shown in text; the rest are counted."""

_STYLE = {Status.RED: "bold red", Status.AMBER: "bold yellow", Status.GREEN: "bold green"}
_BLOCKS = "▁▂▃▄▅▆▇█"


def _sparkline(series: Series) -> str:
    values = [p.value for p in series.points]
    known = [v for v in values if v is not None]
    if not known:
        return ""
    low, high = min(known), max(known)
    span = (high - low) or 1
    return "".join(
        " " if v is None else _BLOCKS[round((v - low) / span * (len(_BLOCKS) - 1))] for v in values
    )


def more_rows_text(left_out: int, total: int) -> str:
    """The line shown under a table cut short: how many of its rows were left out."""
    rows = "row" if left_out == 1 else "rows"
    return (
        f"… {left_out:,} more {rows} not shown, of {total:,} (csv, html, markdown, json show all)"
    )


def _limit(max_rows: int | None) -> int | None:
    if max_rows is not None and (isinstance(max_rows, bool) or max_rows < 0):
        raise HubcoreError(f"text renderer: max_rows must be None or >= 0, got {max_rows!r}")
    return max_rows


def rich_renderable(summary: Summary, *, max_rows: int | None = TEXT_ROW_LIMIT) -> Group:
    """The summary as a rich renderable, for printing to a real (colour) console.

    Every data string goes in as :class:`rich.text.Text`, never as markup, so a school
    named ``[bold]`` or ``[/]`` prints as itself. A table or series longer than
    ``max_rows`` shows its first ``max_rows`` rows and a line counting the rest
    (:func:`more_rows_text`); ``None`` shows every row.
    """
    from rich import box
    from rich.console import Group
    from rich.panel import Panel
    from rich.table import Table as RichTable
    from rich.text import Text

    limit = _limit(max_rows)

    def cut(parts: list[object], total: int) -> None:
        if limit is not None and total > limit:
            parts.append(Text(more_rows_text(total - limit, total), style="italic"))

    parts: list[object] = []
    scope = summary.scope
    parts.append(Text(summary.title, style="bold"))
    parts.append(
        Text(
            f"{scope.hub_name} ({scope.hub_id}) · {scope.academic_year} · {scope.schools_label}",
            style="dim",
        )
    )
    note = summary.suppression_note
    if note:
        parts.append(Panel(Text(note), title="Small-number suppression", box=box.ROUNDED))
    if summary.metrics:
        table = RichTable(title="Metrics", box=box.SIMPLE_HEAVY, title_justify="left")
        for column in ("Metric", "Value", "Target", "Status", "Rule", "Evidence"):
            right = column in ("Value", "Target", "Evidence")
            table.add_column(column, justify="right" if right else "left", overflow="fold")
        for m in summary.metrics:
            label = Text(m.label)
            if m.note:
                label.append(f"\n{m.note}", style="dim")
            table.add_row(
                label,
                Text(metric_value_text(m, summary.suppression_threshold)),
                Text(target_text(m)),
                Text(status_text(m.status), style=_STYLE.get(m.status, "")),
                Text(m.rule, style="dim"),
                Text(f"{m.evidence:,}"),
            )
        parts.append(table)
    for t in summary.tables:
        table = RichTable(
            title=t.name,
            caption=t.caption or None,
            box=box.SIMPLE,
            title_justify="left",
            caption_justify="left",
        )
        numeric = set(t.numeric_columns())
        for index, column in enumerate(t.columns):
            table.add_column(
                Text(column), justify="right" if index in numeric else "left", overflow="fold"
            )
        for row in t.rows if limit is None else t.rows[:limit]:
            table.add_row(*(Text(cell_text(cell)) for cell in row))
        parts.append(table)
        cut(parts, len(t.rows))
    for s in summary.series:
        table = RichTable(title=s.name, box=box.SIMPLE, title_justify="left")
        table.add_column("Period")
        table.add_column(Text(f"Value ({s.unit})" if s.unit else "Value"), justify="right")
        for p in s.points if limit is None else s.points[:limit]:
            value = "" if p.value is None else number_text(p.value, s.unit)
            table.add_row(Text(p.label), Text(value))
        parts.append(table)
        cut(parts, len(s.points))
        spark = _sparkline(s)
        if spark:
            parts.append(Text(f"  {spark}", style="cyan"))
    if summary.caveats:
        parts.append(Text("Caveats", style="bold"))
        parts.extend(Text(f"  • {caveat}") for caveat in summary.caveats)
    return Group(*parts)  # type: ignore[arg-type]


def render_text(
    summary: Summary, *, width: int = 100, max_rows: int | None = TEXT_ROW_LIMIT
) -> bytes:
    """The summary as plain text (no ANSI codes), laid out by rich at ``width`` columns.

    Tables and series longer than ``max_rows`` are cut short with a line counting the
    rows left out (``None``: every row, slow on very long tables).
    """
    from rich.console import Console

    buffer = StringIO()
    console = Console(
        file=buffer,
        width=width,
        color_system=None,
        force_terminal=False,
        legacy_windows=False,
        soft_wrap=False,
        emoji=False,
        highlight=False,
    )
    console.print(rich_renderable(summary, max_rows=max_rows))
    lines = [line.rstrip() for line in buffer.getvalue().splitlines()]
    return ("\n".join(lines).strip("\n") + "\n").encode("utf-8")


TEXT = FunctionRenderer("text", "text/plain; charset=utf-8", ".txt", render_text)
