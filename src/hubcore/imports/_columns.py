"""Which column holds what: finding the header row and matching its names to fields.

Every importer reads a fixed set of fields (``urn``, ``pupils``, ...), each accepted under
several column names. Names are compared *normalised*: case, punctuation, spacing and a
trailing bracketed note (``Hours (decimal)``) do not matter, and ``&`` reads as ``and``.

The header is the row, among the first ten, that names the most fields; two rows together
count as one header when a merged cell spans columns above them (``Pupils`` over ``Total``,
``FSM``, ``SEND`` reads as ``Pupils Total``, ``Pupils FSM``, ``Pupils SEND``). Rows above the
header (a title, a date) are skipped with a warning.

A mapping file (``--map FILE``, TOML) names a hub's own columns and words::

    [columns]
    urn = "School number"                 # the column holding the URN
    pupils = ["Pupils", "No. on register"]

    [values.programme]
    "First Access" = "whole_class_ensemble"
"""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Mapping, Sequence
from pathlib import Path

import attrs

from hubcore.imports._problems import FILE, Problems
from hubcore.imports._table import Record, Table

__all__ = [
    "Column",
    "ColumnMap",
    "Header",
    "find_header",
    "load_column_map",
    "normalise",
]

_HEADER_SEARCH = 10
_BRACKETED = re.compile(r"\s*[(\[][^)\]]*[)\]]\s*$")
_NOT_WORD = re.compile(r"[^0-9a-z%]+")


def normalise(name: str) -> str:
    """A column name as it is compared: lower case, words only, ``&`` as ``and``."""
    text = name.strip().lower().replace("&", " and ").replace("\u2019", "'")
    return " ".join(_NOT_WORD.sub(" ", text).split())


def _variants(name: str) -> list[str]:
    base = normalise(name)
    plain = normalise(_BRACKETED.sub("", name.strip()))
    return [base] if plain in ("", base) else [base, plain]


@attrs.frozen
class Column:
    """A field an importer reads, the column names it is known by, and what it holds."""

    field: str
    names: tuple[str, ...]
    required: bool = False
    help: str = ""


@attrs.frozen
class ColumnMap:
    """A hub's own column names (field -> names) and words (field -> word -> value)."""

    columns: Mapping[str, tuple[str, ...]] = attrs.field(factory=dict)
    values: Mapping[str, Mapping[str, str]] = attrs.field(factory=dict)
    source: str = ""


def _names(value: object) -> tuple[str, ...] | None:
    if isinstance(value, str) and value.strip():
        return (value,)
    if isinstance(value, list) and value and all(isinstance(v, str) and v.strip() for v in value):
        return tuple(value)
    return None


def load_column_map(
    source: str | os.PathLike[str],
    fields: Sequence[str],
    value_fields: Mapping[str, Sequence[str]],
    *,
    kind: str,
) -> ColumnMap:
    """Read and check a TOML mapping file for an importer of ``fields``.

    ``value_fields`` gives, for each field that takes words, the words hubcore stores. Every
    problem (unknown field, empty name, a word mapped to a value that does not exist) is
    reported at once as :class:`~hubcore.ImportFailed` naming the mapping file.
    """
    label = os.fspath(source)
    problems = Problems(label)
    try:
        raw = tomllib.loads(Path(source).read_text(encoding="utf-8-sig"))
    except OSError as error:
        raise problems.fail(0, FILE, f"cannot read the mapping file: {error.strerror}") from None
    except UnicodeDecodeError:
        raise problems.fail(0, FILE, "the mapping file is not UTF-8 text") from None
    except tomllib.TOMLDecodeError as error:
        raise problems.fail(0, FILE, f"not valid TOML: {error}") from None
    known = ", ".join(fields)
    for key in raw:
        if key not in ("columns", "values", "kind"):
            problems.add(0, key, "unknown section; a mapping file has [columns] and [values]")
    wanted_kind = raw.get("kind")
    if wanted_kind is not None and wanted_kind != kind:
        problems.add(0, "kind", f"this mapping is for {wanted_kind!r} files, not {kind!r}")
    columns: dict[str, tuple[str, ...]] = {}
    section = raw.get("columns", {})
    if not isinstance(section, dict):
        problems.add(0, "columns", 'must be a table of field = "column name"')
        section = {}
    for field, value in section.items():
        if field not in fields:
            problems.add(0, f"columns.{field}", f"unknown field; the fields are: {known}")
            continue
        names = _names(value)
        if names is None:
            problems.add(0, f"columns.{field}", "must be a column name or a list of names")
            continue
        columns[field] = names
    values: dict[str, dict[str, str]] = {}
    section = raw.get("values", {})
    if not isinstance(section, dict):
        problems.add(0, "values", "must hold tables such as [values.programme]")
        section = {}
    for field, words in section.items():
        allowed = value_fields.get(field)
        if allowed is None:
            takes = ", ".join(value_fields) or "none"
            problems.add(
                0, f"values.{field}", f"this field takes no words; fields that do: {takes}"
            )
            continue
        if not isinstance(words, dict):
            problems.add(0, f"values.{field}", 'must be a table of "your word" = "hubcore word"')
            continue
        mapped: dict[str, str] = {}
        for word, target in words.items():
            if not isinstance(target, str) or target not in allowed:
                problems.add(
                    0,
                    f"values.{field}.{word}",
                    f"must be one of: {', '.join(allowed)}; got {target!r}",
                )
                continue
            mapped[normalise(word)] = target
        values[field] = mapped
    problems.raise_if_any()
    return ColumnMap(columns=columns, values=values, source=label)


@attrs.frozen
class Header:
    """The header found: its lines, each field's column, each column's label, the data."""

    lines: tuple[int, ...]
    index: Mapping[str, int]
    """field -> column position."""
    labels: tuple[str, ...]
    """Each column's name as read (two merged header rows joined by a space)."""
    data: tuple[Record, ...]
    warnings: tuple[str, ...] = ()

    def label(self, field: str) -> str:
        """The file's name for the column of ``field`` (the field itself if it has none)."""
        position = self.index.get(field)
        return field if position is None else self.labels[position] or f"column {position + 1}"


class _Matcher:
    """Column name -> field, from the defaults and a mapping file (which wins)."""

    def __init__(self, columns: Sequence[Column], column_map: ColumnMap | None) -> None:
        self.mapped: dict[str, str] = {}
        self.default: dict[str, str] = {}
        if column_map is not None:
            for field, names in column_map.columns.items():
                for name in names:
                    for variant in _variants(name):
                        self.mapped.setdefault(variant, field)
        for column in columns:
            for name in (column.field, *column.names):
                for variant in _variants(name):
                    self.default.setdefault(variant, column.field)

    def field(self, label: str) -> str | None:
        for variant in _variants(label):
            found = self.mapped.get(variant)
            if found is not None:
                return found
        for variant in _variants(label):
            found = self.default.get(variant)
            if found is not None:
                return found
        return None


def _merged(upper: tuple[str, ...], lower: tuple[str, ...]) -> list[tuple[str, ...]]:
    """Each column's candidate names when ``upper`` spans columns above ``lower``."""
    width = max(len(upper), len(lower))
    filled: list[str] = []
    carry = ""
    for position in range(width):
        cell = upper[position].strip() if position < len(upper) else ""
        carry = cell or carry
        filled.append(carry)
    names: list[tuple[str, ...]] = []
    for position in range(width):
        low = lower[position].strip() if position < len(lower) else ""
        high = filled[position]
        if not low:
            names.append((high,))
        elif high:
            names.append((f"{high} {low}", low))
        else:
            names.append((low,))
    return names


def _assign(
    candidates: list[tuple[str, ...]], matcher: _Matcher
) -> tuple[dict[str, list[int]], list[str], int]:
    """Field -> positions, each column's label, and how many matched by a joined name."""
    found: dict[str, list[int]] = {}
    labels: list[str] = []
    joined = 0
    for position, names in enumerate(candidates):
        label = names[0]
        for rank, name in enumerate(names):
            field = matcher.field(name)
            if field is not None:
                found.setdefault(field, []).append(position)
                label = name
                joined += rank == 0 and len(names) > 1
                break
        labels.append(label)
    return found, labels, joined


def find_header(
    table: Table,
    columns: Sequence[Column],
    column_map: ColumnMap | None,
    problems: Problems,
) -> Header:
    """Find the header among the first rows, match its columns, and return the rest as data.

    Missing required fields, a field named by two columns, and a mapping file's column
    that is not in the file are problems (raised together).
    """
    records = table.records
    if not records:
        raise problems.fail(1, FILE, "the file is empty")
    matcher = _Matcher(columns, column_map)
    best: tuple[int, int, int, dict[str, list[int]], list[str]] | None = None
    for start in range(min(_HEADER_SEARCH, len(records))):
        single: list[tuple[str, ...]] = [(c.strip(),) for c in records[start].cells]
        options = [(1, single)]
        if start + 1 < len(records):
            options.append((2, _merged(records[start].cells, records[start + 1].cells)))
        for rows, candidates in options:
            found, labels, joined = _assign(candidates, matcher)
            if rows == 2 and not joined:
                continue  # the lower row alone is the header
            score = len(found)
            if best is None or score > best[0] or (score == best[0] and rows < best[2]):
                best = (score, start, rows, found, labels)
    assert best is not None
    score, start, rows, found, labels = best
    header_lines = tuple(records[start + k].line for k in range(rows))
    line = header_lines[0]
    if score == 0:
        raise problems.fail(
            line,
            FILE,
            "no header row found: none of the first rows names a column hubcore reads"
            f" (expected e.g. {_examples(columns)})",
        )
    index: dict[str, int] = {}
    for field, positions in found.items():
        index[field] = positions[0]
        for extra in positions[1:]:
            problems.add(
                line,
                labels[extra],
                f"a second column for {field} (column {positions[0] + 1},"
                f" {labels[positions[0]]!r}, is the first): keep one",
            )
    for column in columns:
        if column.required and column.field not in index:
            names = ", ".join(repr(n) for n in column.names[:4])
            problems.add(
                line,
                column.field,
                f"required column is missing: {column.help or column.field}"
                f" (named e.g. {names}, or name yours in a --map file)",
            )
    if column_map is not None:
        for field, mapped in column_map.columns.items():
            if field not in index:
                problems.add(
                    line,
                    field,
                    f"{column_map.source}: none of the columns {list(mapped)!r} is in the file",
                )
    problems.raise_if_any()
    warnings = _header_warnings(records[:start], header_lines, labels, found, rows)
    return Header(
        lines=header_lines,
        index=index,
        labels=tuple(labels),
        data=_data_rows(records[start + rows :], records[start].cells, warnings),
        warnings=tuple(warnings),
    )


def _examples(columns: Sequence[Column]) -> str:
    return ", ".join(repr(c.names[0]) for c in columns if c.required and c.names)


def _header_warnings(
    above: Sequence[Record],
    header_lines: tuple[int, ...],
    labels: list[str],
    found: dict[str, list[int]],
    rows: int,
) -> list[str]:
    warnings: list[str] = []
    if above:
        first = next((c.strip() for c in above[0].cells if c.strip()), "")
        warnings.append(
            f"skipped {len(above)} line(s) above the header (line {header_lines[0]}),"
            f" starting {first[:60]!r}"
        )
    if rows == 2:
        read = ", ".join(repr(labels[p[0]]) for p in found.values())
        warnings.append(
            f"the header spans lines {header_lines[0]}-{header_lines[1]} (merged cells);"
            f" read as {read}"
        )
    used = {p for positions in found.values() for p in positions}
    ignored = [label for p, label in enumerate(labels) if p not in used and label]
    if ignored:
        shown = ", ".join(repr(label) for label in ignored[:10])
        more = f" and {len(ignored) - 10} more" if len(ignored) > 10 else ""
        warnings.append(f"ignored {len(ignored)} column(s) hubcore does not read: {shown}{more}")
    return warnings


def _data_rows(
    records: Sequence[Record], header: tuple[str, ...], warnings: list[str]
) -> tuple[Record, ...]:
    """The records below the header, less any that repeat it (files pasted together)."""
    names = [normalise(c) for c in header]
    kept: list[Record] = []
    repeated: list[int] = []
    for record in records:
        if [normalise(c) for c in record.cells[: len(names)]] == names:
            repeated.append(record.line)
        else:
            kept.append(record)
    if repeated:
        shown = ", ".join(str(n) for n in repeated[:10])
        warnings.append(f"skipped line(s) {shown} repeating the header")
    return tuple(kept)
