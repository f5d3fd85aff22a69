"""The shared reading of a row-per-fact import file: a :class:`Kind` says what each row means.

:func:`read_rows` reads the table, finds the header, hands every data row (a :class:`Row`)
to the kind's ``plan`` function and collects what it plans: :class:`Planned` events, each
with the lines it came from and a *key* naming the fact it records (school, programme, year,
term, ...). The key gives the event its id, so importing a file again finds what it already
recorded; two rows with one key are a duplicated row or a contradiction, both problems.
Every problem in the file is collected before anything is raised.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import date
from enum import Enum
from typing import Any, TypeVar

import attrs

from hubcore.errors import InvalidEvent
from hubcore.events import Event
from hubcore.imports import _cells as cells
from hubcore.imports._columns import Column, ColumnMap, Header, find_header, load_column_map
from hubcore.imports._problems import FILE, MAX_PROBLEMS, Problems, Source, read_source
from hubcore.imports._table import Record, Table, read_table
from hubcore.imports._words import with_map

__all__ = ["Kind", "Planned", "Row", "RowsRead", "WordField", "read_rows", "read_rows_on"]

T = TypeVar("T")
E = TypeVar("E", bound=Enum)


@attrs.frozen
class Planned:
    """An event an import file implies, where it came from and the fact it records."""

    lines: tuple[int, ...]
    event: Event
    key: str
    """Names the fact (e.g. ``123456|2025/26|autumn|choir|-``): the event id derives from it."""
    columns: Mapping[str, str] = attrs.field(factory=dict)
    """Event field -> the file's column, for problems found later (rules, the store)."""
    fact: str = "row"
    """What the key covers, in words, for messages ("school, programme, year and term")."""
    dated_by_default: bool = False
    """The file gave no date: ``occurred_on`` was chosen, and a re-import may choose another."""
    optional_school: bool = False
    """A school not registered skips this event instead of being a problem (national files)."""
    from_registration: bool = False
    """Dated before the school's registration, the event is dated the registration day
    instead (a published statistic that was already true when the school joined)."""

    @property
    def line(self) -> int:
        """The first line the event came from."""
        return self.lines[0]


@attrs.frozen
class WordField:
    """A field holding words of ``enum``, with the words hubs use for them."""

    enum: type[Enum]
    synonyms: Mapping[str, Any]


@attrs.frozen
class Kind:
    """An importer: the columns it reads, the words it knows, and what each row means."""

    name: str
    summary: str
    columns: tuple[Column, ...]
    plan: Callable[[Sequence[Row]], list[Planned]]
    """Turns the checked rows into events (rows record their own problems)."""
    words: Mapping[str, WordField] = attrs.field(factory=dict)

    @property
    def fields(self) -> list[str]:
        """Every field the importer reads, in its documented order."""
        return [column.field for column in self.columns]


class Row:
    """One data row: typed access to its cells, each problem recorded with line and column."""

    def __init__(
        self,
        record: Record,
        header: Header,
        problems: Problems,
        *,
        words: Mapping[str, WordField],
        decimal_comma: bool,
        today: date,
    ) -> None:
        self.line = record.line
        self.cells = record.cells
        self.header = header
        self.problems = problems
        self.words = words
        self.decimal_comma = decimal_comma
        self.today = today
        self.ok = True

    def column(self, field: str) -> str:
        """The file's name for ``field``'s column."""
        return self.header.label(field)

    def has(self, field: str) -> bool:
        """Whether the file has a column for ``field``."""
        return field in self.header.index

    def bad(self, field: str, reason: str) -> None:
        """Record a problem with this row's ``field``."""
        self.ok = False
        self.problems.add(self.line, self.column(field), reason)

    def text(self, field: str) -> str:
        """The cell's text, cleaned ('' when blank or the column is absent)."""
        position = self.header.index.get(field)
        if position is None or position >= len(self.cells):
            return ""
        try:
            return cells.clean(self.cells[position])
        except cells.CellError as error:
            self.bad(field, str(error))
            return ""

    def given(self, field: str) -> bool:
        """Whether the cell holds anything (formulas and other refused cells count)."""
        position = self.header.index.get(field)
        return (
            position is not None
            and position < len(self.cells)
            and bool(self.cells[position].strip())
        )

    def value(self, field: str, parse: Callable[[str], T], *, required: bool) -> T | None:
        """``parse`` of the cell; None when blank (a problem if ``required``) or bad."""
        text = self.text(field)
        if not text:
            if required and self.ok_cell(field):
                self.bad(field, "is blank")
            return None
        try:
            return parse(text)
        except cells.CellError as error:
            self.bad(field, str(error))
            return None

    def ok_cell(self, field: str) -> bool:
        """False when the cell was already refused (so "is blank" is not added to it)."""
        position = self.header.index.get(field)
        if position is None or position >= len(self.cells):
            return True
        try:
            cells.clean(self.cells[position])
        except cells.CellError:
            return False
        return True

    def urn(self, field: str = "urn") -> int | None:
        return self.value(field, cells.urn, required=True)

    def whole(self, field: str, low: int, high: int, *, required: bool = True) -> int | None:
        return self.value(field, lambda t: cells.whole(t, low, high), required=required)

    def decimal(
        self, field: str, low: float, high: float, *, required: bool = True, percent: bool = False
    ) -> float | None:
        return self.value(
            field,
            lambda t: cells.decimal(
                t, low, high, percent=percent, decimal_comma=self.decimal_comma
            ),
            required=required,
        )

    def hours(self, field: str, high: float) -> float | None:
        return self.value(
            field, lambda t: cells.hours(t, high, decimal_comma=self.decimal_comma), required=True
        )

    def day(self, field: str, *, required: bool = True) -> date | None:
        return self.value(field, cells.day, required=required)

    def year(self, field: str, *, required: bool = True) -> str | None:
        return self.value(field, cells.academic_year, required=required)

    def flag(self, field: str, *, required: bool = True) -> bool | None:
        return self.value(field, cells.flag, required=required)

    def key_stage(self, field: str) -> int | None:
        return self.value(field, cells.key_stage, required=False)

    def word(self, field: str, *, required: bool = True) -> Any:
        spec = self.words[field]
        return self.value(
            field, lambda t: cells.word(t, spec.enum, spec.synonyms), required=required
        )

    def words_of(self, field: str, *, required: bool = False) -> frozenset[Any] | None:
        spec = self.words[field]
        return self.value(
            field, lambda t: cells.words(t, spec.enum, spec.synonyms), required=required
        )

    def event(self, cls: type[Event], columns: Mapping[str, str], **fields: Any) -> Event | None:
        """``cls(**fields)``, or None with the broken rule recorded against its column
        (``columns`` maps event fields to file fields where their names differ)."""
        try:
            return cls(**fields)
        except InvalidEvent as error:
            self.bad(columns.get(error.field, error.field), f"{error.event_type}: {error.rule}")
            return None

    def planned(
        self,
        event: Event,
        key: str,
        columns: Mapping[str, str],
        fact: str,
        **options: Any,
    ) -> Planned:
        """A :class:`Planned` event from this row, its fields' columns named as in the file."""
        labels = {name: self.column(field) for name, field in columns.items()}
        return Planned((self.line,), event, key, labels, fact, **options)


@attrs.frozen
class RowsRead:
    """What a file holds, before the store is consulted."""

    source: str
    kind: str
    encoding: str
    rows: int
    planned: tuple[Planned, ...]
    warnings: tuple[str, ...] = ()
    sheet: str | None = None


def _words_with_map(kind: Kind, column_map: ColumnMap | None) -> dict[str, WordField]:
    if column_map is None:
        return dict(kind.words)
    merged: dict[str, WordField] = {}
    for field, spec in kind.words.items():
        mapped = column_map.values.get(field, {})
        merged[field] = WordField(spec.enum, with_map(spec.synonyms, spec.enum, mapped))
    return merged


def _check_width(table: Table, header: Header, problems: Problems) -> list[Record]:
    width = len(header.labels)
    kept: list[Record] = []
    last = header.data[-1] if header.data else None
    for record in header.data:
        extra = [c for c in record.cells[width:] if c.strip()]
        if extra:
            problems.add(
                record.line,
                FILE,
                f"has {width + len(extra)} values but the header has {width} columns"
                " (a delimiter inside an unquoted value?)",
            )
            continue
        if table.truncated and record is last and len(record.cells) < width:
            problems.add(
                record.line,
                FILE,
                f"has {len(record.cells)} of {width} values: the last line is cut short"
                " (the file looks truncated)",
            )
            continue
        kept.append(record)
    return kept


def _duplicates(planned: Sequence[Planned], problems: Problems) -> list[Planned]:
    first: dict[str, Planned] = {}
    kept: list[Planned] = []
    for item in planned:
        seen = first.get(item.key)
        if seen is None:
            first[item.key] = item
            kept.append(item)
        elif seen.event == item.event:
            problems.add(item.line, FILE, f"repeats line {seen.line}: the same {item.fact} twice")
        else:
            problems.add(
                item.line,
                FILE,
                f"the same {item.fact} as line {seen.line}, with different figures:"
                " keep the right one",
            )
    return kept


def resolve_map(kind: Kind, column_map: ColumnMap | str | Any | None) -> ColumnMap | None:
    """A :class:`ColumnMap` from a path, or as given."""
    if column_map is None or isinstance(column_map, ColumnMap):
        return column_map
    value_fields = {field: [str(m.value) for m in spec.enum] for field, spec in kind.words.items()}
    return load_column_map(column_map, kind.fields, value_fields, kind=kind.name)


def read_rows(
    kind: Kind,
    source: Source,
    *,
    column_map: ColumnMap | str | Any | None = None,
    name: str | None = None,
    sheet: str | None = None,
    today: date | None = None,
    max_problems: int = MAX_PROBLEMS,
) -> RowsRead:
    """Read an import file of ``kind`` (a path or its bytes) into planned events.

    Raises :class:`~hubcore.ImportFailed` listing every problem found (line, column,
    reason).
    """
    read, problems = read_rows_on(
        kind,
        source,
        column_map=column_map,
        name=name,
        sheet=sheet,
        today=today,
        max_problems=max_problems,
    )
    problems.raise_if_any()
    return read


def read_rows_on(
    kind: Kind,
    source: Source,
    *,
    column_map: ColumnMap | str | Any | None = None,
    name: str | None = None,
    sheet: str | None = None,
    today: date | None = None,
    max_problems: int = MAX_PROBLEMS,
) -> tuple[RowsRead, Problems]:
    """:func:`read_rows`, returning the row problems found instead of raising them, so the
    checks against the store can add theirs (a file that cannot be read still raises)."""
    mapping = resolve_map(kind, column_map)
    data, label = read_source(source, name)
    problems = Problems(label, max_problems)
    table = read_table(
        data, label, problems, source=None if isinstance(source, bytes) else source, sheet=sheet
    )
    header = find_header(table, kind.columns, mapping, problems)
    records = _check_width(table, header, problems)
    words = _words_with_map(kind, mapping)
    day = today or date.today()
    comma = table.delimiter == ";"
    rows = [
        Row(record, header, problems, words=words, decimal_comma=comma, today=day)
        for record in records
    ]
    planned = kind.plan(rows)
    if not header.data and not problems:
        raise problems.fail(header.lines[-1] + 1, FILE, "no data rows: the file has only a header")
    planned = _duplicates(planned, problems)
    read = RowsRead(
        source=label,
        kind=kind.name,
        encoding=table.encoding,
        rows=len(header.data),
        planned=tuple(planned),
        warnings=(*table.warnings, *header.warnings),
        sheet=table.sheet,
    )
    return read, problems
