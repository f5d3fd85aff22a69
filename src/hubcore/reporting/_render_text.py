"""The ``text`` renderer: a report for a terminal, laid out by rich, captured as UTF-8 text.

* **Words are never broken**: each table is measured at the width it is printed at (the
  terminal's); one whose columns cannot all fit their longest word is printed as one block
  per row (``column: value`` lines) instead, wrapped at word boundaries. Only a single word
  longer than the whole width is ever folded.
* **Data is text, never markup**: every string goes in as :class:`rich.text.Text`, its
  control characters shown as visible escapes (:func:`hubcore._printable.printable`), so
  a school named ``[bold]`` or holding an escape sequence prints as itself.
* A table (or series, or the contents) longer than :data:`TEXT_ROW_LIMIT` rows shows its
  first rows, then one line saying how many were left out and which formats hold them all
  (markdown, csv, json and html keep every row); so do the sections, past
  :data:`TEXT_SECTION_LIMIT`. Laying out only the rows shown
  also keeps rich's layout engine, about a millisecond a row, fast on 100,000-row tables.
"""

from __future__ import annotations

from collections.abc import Iterator
from io import StringIO
from typing import TYPE_CHECKING

from hubcore._printable import printable
from hubcore.errors import HubcoreError
from hubcore.reporting._columns import column_texts
from hubcore.reporting._format import (
    figure_text,
    metric_value_text,
    status_text,
    target_text,
    unit_label,
)
from hubcore.reporting._protocols import FunctionRenderer
from hubcore.reporting._summary import Metric, Section, Series, Status, Summary, Table

if TYPE_CHECKING:
    from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
    from rich.text import Text

__all__ = [
    "TEXT",
    "TEXT_ROW_LIMIT",
    "TEXT_SECTION_LIMIT",
    "more_parts_text",
    "more_rows_text",
    "render_text",
    "rich_renderable",
]

TEXT_ROW_LIMIT = 100
"""Rows of one table (points of one series, entries of the contents) shown in text; the
rest are counted."""
TEXT_SECTION_LIMIT = 20
"""Sections shown whole in text (a terminal is no place for 300 schools' evidence; the
contents still lists up to :data:`TEXT_ROW_LIMIT` of them, the other formats show all)."""

_STYLE = {Status.RED: "bold red", Status.AMBER: "bold yellow", Status.GREEN: "bold green"}
_BLOCKS = "▁▂▃▄▅▆▇█"


def _t(text: str, style: str = "") -> Text:
    from rich.text import Text

    return Text(printable(text), style=style)


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


def more_parts_text(left_out: int, total: int) -> str:
    """The line shown after the sections a text report shows: how many were left out."""
    parts = "part" if left_out == 1 else "parts"
    return (
        f"… {left_out:,} more {parts} not shown, of {total:,} (csv, html, markdown, json show all)"
    )


def _limit(max_rows: int | None) -> int | None:
    if max_rows is not None and (isinstance(max_rows, bool) or max_rows < 0):
        raise HubcoreError(f"text renderer: max_rows must be None or >= 0, got {max_rows!r}")
    return max_rows


class _Fitted:
    """A rich table printed as is when every column fits its longest word at the width it
    is given, else as one block of ``heading: value`` lines per row (never a broken word)."""

    def __init__(
        self,
        title: str,
        headings: list[str],
        rows: list[list[str]],
        right: set[int],
        *,
        caption: str = "",
        whole: frozenset[int] = frozenset(),
        leading: int = 0,
    ) -> None:
        self.title, self.headings, self.rows = title, headings, rows
        self.right, self.caption, self.whole, self.leading = right, caption, whole, leading

    def _table(self, widths: list[int]) -> RenderableType:
        from rich import box
        from rich.table import Table as RichTable

        table = RichTable(
            title=_t(self.title, "bold") if self.title else None,
            caption=_t(self.caption) if self.caption else None,
            box=box.SIMPLE,
            title_justify="left",
            caption_justify="left",
            leading=self.leading,
        )
        for index, heading in enumerate(self.headings):
            table.add_column(
                _t(heading),
                justify="right" if index in self.right else "left",
                overflow="fold",
                no_wrap=index in self.whole,
                width=widths[index],
            )
        for row in self.rows:
            table.add_row(*(_t(cell) for cell in row))
        return table

    def _blocks(self) -> RenderableType:
        from rich.console import Group
        from rich.padding import Padding

        parts: list[RenderableType] = []
        if self.title:
            parts.append(_t(self.title, "bold"))
        if self.caption:
            parts.append(_t(self.caption, "dim"))
        for number, row in enumerate(self.rows, start=1):
            lines = _t("")
            for heading, cell in zip(self.headings, row, strict=True):
                if lines.plain:
                    lines.append("\n")
                lines.append(printable(heading), style="dim")
                lines.append(": " + printable(cell))
            parts.append(Padding(lines, (0 if number == 1 else 1, 0, 0, 2)))
        return Group(*parts)

    def _column_widths(self, available: int) -> list[int] | None:
        """Each column's width within ``available`` characters of content: at least its
        longest word (or, for a column that never wraps, its longest line), the room left
        shared in proportion to what each needs to show its cells unwrapped; ``None`` when
        the columns cannot all fit their longest word.

        Rich's own shrinking shares a cut evenly and can take a column below its longest
        word, so the widths are fixed here."""
        from rich.cells import cell_len

        narrowest, widest = [], []
        for index, heading in enumerate(self.headings):
            lines = [
                line
                for cell in (heading, *(row[index] for row in self.rows))
                for line in printable(cell).splitlines()
            ]
            words = lines if index in self.whole else [w for line in lines for w in line.split()]
            narrowest.append(max(map(cell_len, words), default=1))
            widest.append(max(narrowest[-1], max(map(cell_len, lines), default=1)))
        spare = available - sum(narrowest)
        if spare < 0:
            return None
        wanted = [wide - narrow for wide, narrow in zip(widest, narrowest, strict=True)]
        if sum(wanted) <= spare:
            return widest
        shares = [spare * want // sum(wanted) for want in wanted]
        return [narrow + share for narrow, share in zip(narrowest, shares, strict=True)]

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        # box.SIMPLE: one space at each edge and between columns, one of padding each side
        available = options.max_width - 3 * len(self.headings) - 1
        widths = self._column_widths(available)
        yield self._blocks() if widths is None else self._table(widths)


def _metrics(metrics: tuple[Metric, ...], threshold: int, title: str) -> Iterator[RenderableType]:
    """The metrics as a table (Metric, Value, Target, Status) whose first column carries
    each metric's note, rule and evidence under its label; as blocks when too narrow."""
    rows: list[list[str]] = []
    for m in metrics:
        details = [m.note, m.rule and f"rule: {m.rule}", _evidence_text(m)]
        rows.append(
            [
                "\n".join([m.label, *(d for d in details if d)]),
                metric_value_text(m, threshold),
                target_text(m),
                status_text(m.status),
            ]
        )
    if title:
        yield _t(title, "bold")
    yield _Fitted(
        "",
        ["Metric", "Value", "Target", "Status"],
        rows,
        {1, 2},
        whole=frozenset({1, 2, 3}),
        leading=1,
    )


def _evidence_text(metric: Metric) -> str:
    parts = []
    if metric.evidence:
        records = "record" if metric.evidence == 1 else "records"
        parts.append(f"based on {metric.evidence:,} {records}")
    if metric.evidence_table:
        parts.append(f'the list: table "{metric.evidence_table}"')
    return "; ".join(parts)


def _table(table: Table, limit: int | None) -> list[RenderableType]:
    rows = table.rows if limit is None else table.rows[:limit]
    columns = [column_texts(table, i)([row[i] for row in rows]) for i in range(len(table.columns))]
    headings = [unit_label(c, table.column_unit(i)) for i, c in enumerate(table.columns)]
    cells = [list(row) for row in zip(*columns, strict=True)] if columns and rows else []
    out: list[RenderableType] = [
        _Fitted(table.name, headings, cells, set(table.numeric_columns()), caption=table.caption)
    ]
    if limit is not None and len(table.rows) > limit:
        out.append(_t(more_rows_text(len(table.rows) - limit, len(table.rows)), "italic"))
    return out


def _series(series: Series, limit: int | None) -> list[RenderableType]:
    points = series.points if limit is None else series.points[:limit]
    rows = [[p.label, "" if p.value is None else figure_text(p.value, series.unit)] for p in points]
    out: list[RenderableType] = [_Fitted(series.name, ["Period", "Value"], rows, {1})]
    if limit is not None and len(series.points) > limit:
        out.append(_t(more_rows_text(len(series.points) - limit, len(series.points)), "italic"))
    spark = _sparkline(series)
    if spark:
        out.append(_t(f"  {spark}", "cyan"))
    return out


def _parts(whole: Summary | Section, limit: int | None, threshold: int) -> list[RenderableType]:
    out: list[RenderableType] = []
    if whole.metrics:
        out += _metrics(whole.metrics, threshold, "Metrics" if isinstance(whole, Summary) else "")
    for table in whole.tables:
        out += _table(table, limit)
    for series in whole.series:
        out += _series(series, limit)
    if whole.caveats:
        out.append(_t("Caveats", "bold"))
        out += [_t(f"  • {caveat}") for caveat in whole.caveats]
    return out


_NAMES = {Status.RED: "red", Status.AMBER: "amber", Status.GREEN: "green",
          Status.NO_DATA: "no data", Status.NONE: "not judged"}  # fmt: skip


def _contents(sections: tuple[Section, ...], limit: int | None) -> list[RenderableType]:
    counts = dict.fromkeys(_NAMES, 0)
    for section in sections:
        counts[section.status] += 1
    total = len(sections)
    tally = ", ".join(f"{n:,} {_NAMES[s]}" for s, n in counts.items() if n)
    shown = sections if limit is None else sections[:limit]
    rows = [[s.title, status_text(s.status), s.note] for s in shown]
    out: list[RenderableType] = [
        _t(f"Contents: {total:,} {'part' if total == 1 else 'parts'} ({tally})", "bold"),
        _Fitted("", ["Part", "Status", "Note"], rows, set()),
    ]
    if limit is not None and total > limit:
        out.append(_t(more_rows_text(total - limit, total), "italic"))
    return out


def _section(section: Section, limit: int | None, threshold: int) -> list[RenderableType]:
    from rich.rule import Rule

    title = _t(section.title, "bold")
    if section.status is not Status.NONE:
        title.append("  ")
        title.append(status_text(section.status), style=_STYLE.get(section.status, "dim"))
    out: list[RenderableType] = [Rule(style="dim"), title]
    if section.note:
        out.append(_t(section.note, "dim"))
    if section.rule:
        out.append(_t(f"rule: {section.rule}", "dim"))
    return out + _parts(section, limit, threshold)


def rich_renderable(summary: Summary, *, max_rows: int | None = TEXT_ROW_LIMIT) -> Group:
    """The summary as a rich renderable, for printing to a real (colour) console.

    It lays itself out at the console's width (see the module). A table, series or
    contents longer than ``max_rows`` shows its first ``max_rows`` and a line counting the
    rest (:func:`more_rows_text`); at most :data:`TEXT_SECTION_LIMIT` sections are shown
    whole (:func:`more_parts_text`). ``None`` shows everything.
    """
    from rich import box
    from rich.console import Group
    from rich.panel import Panel

    limit = _limit(max_rows)
    threshold = summary.suppression_threshold
    scope = summary.scope
    parts: list[RenderableType] = [
        _t(summary.title, "bold"),
        _t(f"{scope.hub_name} ({scope.hub_id}) · {scope.academic_year} · {scope.schools_label}",
           "dim"),
    ]  # fmt: skip
    note = summary.suppression_note
    if note:
        parts.append(Panel(_t(note), title="Small-number suppression", box=box.ROUNDED))
    if summary.sections:
        parts += _contents(summary.sections, limit)
    parts += _parts(summary, limit, threshold)
    whole = None if limit is None else min(limit, TEXT_SECTION_LIMIT)
    for section in summary.sections if whole is None else summary.sections[:whole]:
        parts += _section(section, limit, threshold)
    if whole is not None and len(summary.sections) > whole:
        left_out = len(summary.sections) - whole
        parts.append(_t(more_parts_text(left_out, len(summary.sections)), "italic"))
    return Group(*parts)


def render_text(
    summary: Summary, *, width: int = 100, max_rows: int | None = TEXT_ROW_LIMIT
) -> bytes:
    """The summary as plain text (no ANSI codes), laid out at ``width`` columns.

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
        markup=False,
    )
    console.print(rich_renderable(summary, max_rows=max_rows))
    lines = [line.rstrip() for line in buffer.getvalue().splitlines()]
    return ("\n".join(lines).strip("\n") + "\n").encode("utf-8")


TEXT = FunctionRenderer("text", "text/plain; charset=utf-8", ".txt", render_text)
