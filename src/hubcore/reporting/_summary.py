"""The :class:`Summary` a reporter returns: data only, never formatted text.

A reporter decides *what* to say (metrics with targets and a status, tables, time series,
caveats); a renderer decides *how* it looks. Every part is a frozen attrs value that
validates itself on construction and raises :class:`SummaryError` naming the bad field.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from enum import StrEnum
from typing import Literal, TypeAlias

import attrs

from hubcore.calendar import is_academic_year
from hubcore.errors import SummaryError

__all__ = [
    "Cell",
    "Metric",
    "Number",
    "Point",
    "Scope",
    "Section",
    "Series",
    "Status",
    "Summary",
    "Table",
    "is_suppressed_marker",
]

Number: TypeAlias = int | float
"""A numeric figure (``bool`` is refused: it is not a figure)."""

Cell: TypeAlias = str | int | float | bool | None
"""One table cell. ``None`` is an empty cell; a suppressed count is the string ``"<5"``."""

_KEY = re.compile(r"^[a-z0-9][a-z0-9_.\-]{0,79}$")
_SUPPRESSED = re.compile(r"^<[0-9]+$")


def _is_number(cell: object) -> bool:
    return isinstance(cell, int | float) and not isinstance(cell, bool)


def is_suppressed_marker(cell: object) -> bool:
    """True for a suppressed count as :func:`suppress_small` writes it (``"<5"``)."""
    return isinstance(cell, str) and _SUPPRESSED.match(cell) is not None


class Status(StrEnum):
    """A red/amber/green judgement of a figure against its target.

    ``none``: not judged (no target is set). ``no_data``: there is no evidence to judge, so
    the figure is "no data" (shown grey, never as 0, red or green).
    """

    RED = "red"
    AMBER = "amber"
    GREEN = "green"
    NONE = "none"
    NO_DATA = "no_data"


UNJUDGED = frozenset({Status.NONE, Status.NO_DATA})
"""The statuses that are no judgement (shown grey)."""


def _check_text(part: str, field: str, value: object, *, required: bool = True) -> None:
    if not isinstance(value, str):
        raise SummaryError(part, field, f"must be a string, got {type(value).__name__}")
    if required and not value.strip():
        raise SummaryError(part, field, "must not be empty")


def _check_number(part: str, field: str, value: object, *, optional: bool = True) -> None:
    if value is None and optional:
        return
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise SummaryError(part, field, f"must be a number, got {type(value).__name__}")
    if isinstance(value, float) and not math.isfinite(value):
        raise SummaryError(part, field, f"must be finite, got {value!r}")


def _str_tuple(values: Iterable[str]) -> tuple[str, ...]:
    if isinstance(values, str):
        return (values,)
    return tuple(values)


def _schools(value: str | Iterable[str]) -> Literal["all"] | tuple[str, ...]:
    if value == "all":
        return "all"
    if isinstance(value, str):
        return (value,)
    return tuple(value)


@attrs.frozen(kw_only=True)
class Scope:
    """Who and when a summary is about: a hub, its schools (or ``"all"``), an academic year."""

    hub_id: str
    hub_name: str
    academic_year: str
    schools: Literal["all"] | tuple[str, ...] = attrs.field(default="all", converter=_schools)

    def __attrs_post_init__(self) -> None:
        _check_text("Scope", "hub_id", self.hub_id)
        _check_text("Scope", "hub_name", self.hub_name)
        if not is_academic_year(self.academic_year):
            raise SummaryError(
                "Scope", "academic_year", f"must look like '2025/26', got {self.academic_year!r}"
            )
        if self.schools != "all":
            if not self.schools:
                raise SummaryError("Scope", "schools", "must be 'all' or a non-empty list of URNs")
            for urn in self.schools:
                _check_text("Scope", "schools", urn)

    @property
    def schools_label(self) -> str:
        """``"all schools"``, or the URNs joined by commas."""
        return "all schools" if self.schools == "all" else ", ".join(self.schools)


@attrs.frozen(kw_only=True)
class Metric:
    """One figure with its unit, an optional target and the status the target gave it.

    ``rule`` is the text of the rule that set ``status`` (see :func:`rag`); ``evidence`` is
    how many records the figure rests on. A ``suppressed`` metric has ``value=None`` and is
    shown as ``<threshold`` (small-number suppression). A metric with no value and not
    suppressed is "no data": its status is ``no_data`` (``none`` given for it becomes
    ``no_data``; red, amber or green are refused).

    ``evidence_table`` names the table, in the same summary, that lists the schools and
    events behind the figure (in the metric's own :class:`Section`, else at the summary's
    top level); the HTML page links the figure to it, the other formats say where it is.
    """

    key: str
    label: str
    value: Number | None
    unit: str = ""
    target: Number | None = None
    status: Status = attrs.field(default=Status.NONE, converter=Status)
    rule: str = ""
    evidence: int = 0
    suppressed: bool = False
    note: str = ""
    evidence_table: str = ""

    def __attrs_post_init__(self) -> None:
        part = f"Metric {self.key!r}"
        if not isinstance(self.key, str) or not _KEY.match(self.key):
            raise SummaryError(part, "key", "must match [a-z0-9][a-z0-9_.-]* (at most 80)")
        _check_text(part, "label", self.label)
        _check_number(part, "value", self.value)
        _check_text(part, "unit", self.unit, required=False)
        _check_number(part, "target", self.target)
        _check_text(part, "rule", self.rule, required=False)
        _check_text(part, "note", self.note, required=False)
        if isinstance(self.evidence, bool) or not isinstance(self.evidence, int):
            raise SummaryError(part, "evidence", "must be an integer count")
        if self.evidence < 0:
            raise SummaryError(part, "evidence", f"must be >= 0, got {self.evidence}")
        if self.suppressed and self.value is not None:
            raise SummaryError(part, "value", "must be None when the metric is suppressed")
        if self.value is None and not self.suppressed:
            if self.status not in UNJUDGED:
                raise SummaryError(
                    part, "status", f"must be 'no_data' without a value, got {self.status}"
                )
            object.__setattr__(self, "status", Status.NO_DATA)  # frozen: set once, here
        _check_text(part, "evidence_table", self.evidence_table, required=False)


def _unit_pairs(
    units: Mapping[str, str] | Iterable[tuple[str, str]],
) -> tuple[tuple[str, str], ...]:
    items = units.items() if isinstance(units, Mapping) else units
    return tuple((column, unit) for column, unit in items)


def _rows(rows: Iterable[Iterable[Cell]]) -> tuple[tuple[Cell, ...], ...]:
    return tuple(map(tuple, rows))  # no copy of rows that are tuples already


_PLAIN = frozenset({str, int, float, bool, type(None)})
"""Cell types checked a whole column at a time (subclasses take the cell-by-cell path)."""
_NUMBER_TYPES = frozenset({int, float})


def _check_cells(part: str, width: int, rows: tuple[tuple[Cell, ...], ...]) -> None:
    """Check every row, cell by cell: raises on the first bad row or cell, in row order."""
    for index, row in enumerate(rows, start=1):
        if len(row) != width:
            raise SummaryError(part, "rows", f"row {index} has {len(row)} cells, expected {width}")
        for cell in row:
            if cell is None or isinstance(cell, str | bool):
                continue
            _check_number(part, f"rows[{index}]", cell)


def _is_numeric(cells: Sequence[Cell]) -> bool:
    """A column of figures: at least one number, every other non-empty cell a number or a
    suppressed count (see :meth:`Table.numeric_columns`)."""
    found = [c for c in cells if c is not None]
    numbers = [c for c in found if _is_number(c)]
    return bool(numbers) and all(_is_number(c) or is_suppressed_marker(c) for c in found)


_Columns = tuple[tuple[Cell, ...], ...]


def _checked_columns(
    part: str, width: int, rows: tuple[tuple[Cell, ...], ...]
) -> tuple[_Columns, tuple[frozenset[type], ...], tuple[int, ...]]:
    """Validate the rows a column at a time: the columns, the cell types of each, and the
    indexes of the numeric columns.

    The common case (every cell a plain ``str``/``int``/``float``/``bool``/``None``) costs
    a few C-level passes per column; anything else, or any fault, goes through
    :func:`_check_cells`, so an error names the same row and cell as a cell-by-cell check.
    """
    if rows and (len(rows[0]) != width or len(set(map(len, rows))) != 1):
        _check_cells(part, width, rows)
    columns: _Columns = tuple(zip(*rows, strict=True)) if rows else ((),) * width
    kinds = tuple(frozenset(map(type, column)) for column in columns)
    plain = all(k <= _PLAIN for k in kinds)
    finite = plain and all(
        float not in k or all(map(math.isfinite, [c for c in column if isinstance(c, float)]))
        for k, column in zip(kinds, columns, strict=True)
    )
    if not finite:
        _check_cells(part, width, rows)  # raises, unless only subclasses of plain types
    numeric: list[int] = []
    for index in range(1, len(columns)):
        column, k = columns[index], kinds[index]
        if not k <= _PLAIN:
            if _is_numeric(column):
                numeric.append(index)
            continue
        if not k & _NUMBER_TYPES or bool in k:
            continue
        if str in k:
            texts = {c for c in column if isinstance(c, str)}
            if not all(_SUPPRESSED.match(text) for text in texts):
                continue
        numeric.append(index)
    return columns, kinds, tuple(numeric)


_BY_VALUE = (frozenset({str, int, type(None)}), frozenset({str, bool, type(None)}))
"""Cell types whose cells are equal only when they are the same value (``1 == 1.0 ==
True`` and ``0.0 == -0.0`` are why floats, and bools mixed with ints, are left out)."""


def table_column(table: Table, index: int) -> tuple[tuple[Cell, ...], list[Cell] | None]:
    """The table's column ``index`` and its distinct cells in first-seen order (``None``
    when its cells cannot be told apart by value: see ``_BY_VALUE``).

    For renderers: the columns are kept from validation, and the distinct cells are found
    once per table whatever the number of renderers (a renderer converts each distinct
    cell once, then maps every cell through a dictionary).
    """
    column = table._by_column[index]
    if index not in table._distinct:
        kinds = table._kinds[index]
        by_value = any(kinds <= safe for safe in _BY_VALUE)
        table._distinct[index] = list(dict.fromkeys(column)) if by_value else None
    return column, table._distinct[index]


@attrs.frozen(kw_only=True)
class Table:
    """A named table: column names and rows of cells.

    ``chart="bar"`` asks renderers that draw (HTML) for a bar chart: the first column holds
    the category labels, every other column whose cells are numbers is one bar series (two or
    more numeric columns give grouped bars).

    ``unit`` is the unit of the table's figures (every numeric column); ``units`` maps a
    column's name to its own unit (e.g. ``{"hours": "hours", "share": "%"}``) where the
    columns differ. Renderers round each column's figures by its unit (see
    :func:`hubcore.reporting.number_text`).

    Rows are validated once, a column at a time, when the table is made; the numeric
    columns are found in the same pass and kept (:meth:`numeric_columns`).
    """

    name: str
    columns: tuple[str, ...] = attrs.field(converter=_str_tuple)
    rows: tuple[tuple[Cell, ...], ...] = attrs.field(converter=_rows)
    chart: Literal["bar"] | None = None
    unit: str = ""
    caption: str = ""
    units: tuple[tuple[str, str], ...] = attrs.field(default=(), converter=_unit_pairs)
    _numeric: tuple[int, ...] = attrs.field(init=False, default=(), eq=False, repr=False)
    _by_column: _Columns = attrs.field(init=False, default=(), eq=False, repr=False)
    _kinds: tuple[frozenset[type], ...] = attrs.field(init=False, default=(), eq=False, repr=False)
    _distinct: dict[int, list[Cell] | None] = attrs.field(
        init=False, factory=dict, eq=False, repr=False
    )
    _memo: dict[tuple[str, int], object] = attrs.field(
        init=False, factory=dict, eq=False, repr=False
    )
    """What renderers work out once per column (its decimals, how it is shown)."""

    def __attrs_post_init__(self) -> None:
        part = f"Table {self.name!r}"
        _check_text(part, "name", self.name)
        if not self.columns:
            raise SummaryError(part, "columns", "must not be empty")
        for column in self.columns:
            _check_text(part, "columns", column)
        if len(set(self.columns)) != len(self.columns):
            raise SummaryError(part, "columns", "column names must be unique")
        if self.chart not in (None, "bar"):
            raise SummaryError(part, "chart", f"must be None or 'bar', got {self.chart!r}")
        _check_text(part, "unit", self.unit, required=False)
        _check_text(part, "caption", self.caption, required=False)
        for column, unit in self.units:
            if column not in self.columns:
                raise SummaryError(part, "units", f"{column!r} is not one of the columns")
            _check_text(part, f"units[{column!r}]", unit, required=False)
        _unique(part, "units", (column for column, _ in self.units))
        columns, kinds, numeric = _checked_columns(part, len(self.columns), self.rows)
        object.__setattr__(self, "_by_column", columns)
        object.__setattr__(self, "_kinds", kinds)
        object.__setattr__(self, "_numeric", numeric)

    def numeric_columns(self) -> tuple[int, ...]:
        """Indexes (after the first) of the columns that hold figures.

        A column holds figures when it has at least one number and every other non-empty
        cell is a number or a suppressed count (``"<5"``).
        """
        return self._numeric

    def column_unit(self, index: int) -> str:
        """The unit of column ``index``: its own (``units``), else the table's ``unit`` for a
        numeric column, else ``""``."""
        name = self.columns[index]
        for column, unit in self.units:
            if column == name:
                return unit
        return self.unit if index in self._numeric else ""


def _label(value: str | date) -> str:
    return value.isoformat() if isinstance(value, date) else value


@attrs.frozen
class Point:
    """One point of a :class:`Series`: a label (a date is stored as ISO text) and a value."""

    label: str = attrs.field(converter=_label)
    value: Number | None

    def __attrs_post_init__(self) -> None:
        _check_text("Point", "label", self.label)
        _check_number(f"Point {self.label!r}", "value", self.value)


def _points(points: Iterable[Point | tuple[str | date, Number | None]]) -> tuple[Point, ...]:
    return tuple(p if isinstance(p, Point) else Point(p[0], p[1]) for p in points)


@attrs.frozen(kw_only=True)
class Series:
    """A named time series (e.g. conversations per month); ``None`` values are gaps."""

    name: str
    points: tuple[Point, ...] = attrs.field(converter=_points)
    unit: str = ""
    target: Number | None = None

    def __attrs_post_init__(self) -> None:
        part = f"Series {self.name!r}"
        _check_text(part, "name", self.name)
        _check_text(part, "unit", self.unit, required=False)
        _check_number(part, "target", self.target)


def _metrics(values: Iterable[Metric]) -> tuple[Metric, ...]:
    return tuple(values)


def _tables(values: Iterable[Table]) -> tuple[Table, ...]:
    return tuple(values)


def _series(values: Iterable[Series]) -> tuple[Series, ...]:
    return tuple(values)


def _sections(values: Iterable[Section]) -> tuple[Section, ...]:
    return tuple(values)


def _unique(part: str, field: str, names: Iterable[str]) -> None:
    seen: set[str] = set()
    for name in names:
        if name in seen:
            raise SummaryError(part, field, f"{name!r} appears twice")
        seen.add(name)


def _check_parts(
    part: str,
    metrics: tuple[Metric, ...],
    tables: tuple[Table, ...],
    series: tuple[Series, ...],
    caveats: tuple[str, ...],
    *,
    outer_tables: tuple[Table, ...] = (),
) -> None:
    """What a summary and a section hold: the right kinds, unique names, caveats that say
    something, and each metric's ``evidence_table`` found here (else in ``outer_tables``)."""
    for field, items, kind in (
        ("metrics", metrics, Metric),
        ("tables", tables, Table),
        ("series", series, Series),
    ):
        for item in items:
            if not isinstance(item, kind):
                raise SummaryError(
                    part, field, f"must hold {kind.__name__} values, got {type(item).__name__}"
                )
    _unique(part, "metrics", (m.key for m in metrics))
    _unique(part, "tables", (t.name for t in tables))
    _unique(part, "series", (s.name for s in series))
    for caveat in caveats:
        _check_text(part, "caveats", caveat)
    names = {t.name for t in tables} | {t.name for t in outer_tables}
    for metric in metrics:
        if metric.evidence_table and metric.evidence_table not in names:
            raise SummaryError(
                f"{part}, metric {metric.key!r}",
                "evidence_table",
                f"names no table of this summary: {metric.evidence_table!r}",
            )


@attrs.frozen(kw_only=True)
class Section:
    """One part of a report about one subject (e.g. one school): its own title, status,
    metrics, tables, series and caveats.

    ``anchor`` is its stable identifier (the HTML page's ``#anchor``, the ``part`` column of
    the csv; ``[a-z0-9][a-z0-9_.-]*``, unique in the summary), ``status`` its overall
    red/amber/green with ``rule`` saying in plain English how it was set, and ``note`` one
    line shown under its title (e.g. ``"URN 100001 · primary"``). The HTML page lists the
    sections in a contents table with a filter by name and status and a count by status.
    """

    anchor: str
    title: str
    status: Status = attrs.field(default=Status.NONE, converter=Status)
    rule: str = ""
    note: str = ""
    metrics: tuple[Metric, ...] = attrs.field(default=(), converter=_metrics)
    tables: tuple[Table, ...] = attrs.field(default=(), converter=_tables)
    series: tuple[Series, ...] = attrs.field(default=(), converter=_series)
    caveats: tuple[str, ...] = attrs.field(default=(), converter=_str_tuple)

    def __attrs_post_init__(self) -> None:
        part = f"Section {self.anchor!r}"
        if not isinstance(self.anchor, str) or not _KEY.match(self.anchor):
            raise SummaryError(part, "anchor", "must match [a-z0-9][a-z0-9_.-]* (at most 80)")
        _check_text(part, "title", self.title)
        _check_text(part, "rule", self.rule, required=False)
        _check_text(part, "note", self.note, required=False)


@attrs.frozen(kw_only=True)
class Summary:
    """What a reporter found: data for any renderer to turn into bytes.

    ``sections`` hold the report's parts about one subject each (e.g. one per school);
    ``metrics``, ``tables``, ``series`` and ``caveats`` are about the whole report (a
    section's metric may link to a top-level table, not the other way round).

    ``leaves_hub`` marks a summary meant to leave the hub (a funder return, a published
    table): renderers then show :attr:`suppression_note`. ``suppressed`` says whether any
    figure was actually hidden by small-number suppression (see :class:`Suppressor`).
    """

    title: str
    scope: Scope
    metrics: tuple[Metric, ...] = attrs.field(default=(), converter=_metrics)
    tables: tuple[Table, ...] = attrs.field(default=(), converter=_tables)
    series: tuple[Series, ...] = attrs.field(default=(), converter=_series)
    caveats: tuple[str, ...] = attrs.field(default=(), converter=_str_tuple)
    leaves_hub: bool = False
    suppressed: bool = False
    suppression_threshold: int = 5
    reporter: str = ""
    sections: tuple[Section, ...] = attrs.field(default=(), converter=_sections)

    def __attrs_post_init__(self) -> None:
        part = f"Summary {self.title!r}"
        _check_text(part, "title", self.title)
        if not isinstance(self.scope, Scope):
            raise SummaryError(part, "scope", "must be a Scope")
        _check_parts(part, self.metrics, self.tables, self.series, self.caveats)
        for section in self.sections:
            if not isinstance(section, Section):
                raise SummaryError(
                    part, "sections", f"must hold Section values, got {type(section).__name__}"
                )
            _check_parts(
                f"{part}, section {section.anchor!r}",
                section.metrics,
                section.tables,
                section.series,
                section.caveats,
                outer_tables=self.tables,
            )
        _unique(part, "sections", (s.anchor for s in self.sections))
        if isinstance(self.suppression_threshold, bool) or not isinstance(
            self.suppression_threshold, int
        ):
            raise SummaryError(part, "suppression_threshold", "must be an integer")
        if self.suppression_threshold < 1:
            raise SummaryError(part, "suppression_threshold", "must be >= 1")
        _check_text(part, "reporter", self.reporter, required=False)

    def leaving_hub(self, *, suppressed: bool, threshold: int = 5) -> Summary:
        """This summary marked as leaving the hub; ``suppressed`` says if anything was hidden."""
        return attrs.evolve(
            self, leaves_hub=True, suppressed=suppressed, suppression_threshold=threshold
        )

    @property
    def suppression_note(self) -> str | None:
        """The note renderers show when the summary leaves the hub, else ``None``."""
        if not self.leaves_hub and not self.suppressed:
            return None
        marker = f"<{self.suppression_threshold}"
        note = (
            f"Counts under {self.suppression_threshold} are shown as "
            f'"{marker}" so that no school or pupil can be identified.'
        )
        if self.suppressed:
            return note + " Suppression was applied in this report."
        return note + " No figure in this report needed suppressing."
