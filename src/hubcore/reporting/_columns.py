"""Column-at-a-time cell conversion for the renderers of long tables.

A national hub's tables have 100,000 rows whose columns repeat a few values (a school's
name on each of its five rows, a status, a date). Converting each distinct cell of a
column once, in one batch, then looking every cell up with C-level ``map`` over a
dictionary, keeps a renderer's cost per cell to a dictionary lookup; a batch of distinct
texts can then be escaped in a few passes over one joined string
(:func:`escape_joined`) instead of one call per text. A table keeps its columns from
validation and finds each column's distinct cells once (:func:`table_column`), whatever
the number of renderers.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from itertools import repeat
from typing import TypeVar

from hubcore._printable import printable_all
from hubcore.reporting._format import cell_text, decimals_for, needed_decimals, number_text
from hubcore.reporting._summary import Cell, Number, Table, is_suppressed_marker, table_column

__all__ = [
    "cell_texts",
    "column_texts",
    "encode_each",
    "escape_joined",
    "map_column",
    "map_columns",
    "memo_map",
]

T = TypeVar("T")


def map_column(table: Table, index: int, convert_all: Callable[[list[Cell]], list[T]]) -> list[T]:
    """``convert_all(cells)`` for every cell of the table's column ``index``, calling it on
    the column's distinct cells only (once, in one batch) when it can
    (see :func:`table_column`)."""
    column, distinct = table_column(table, index)
    if distinct is None or len(distinct) == len(column):
        return convert_all(list(column))
    memo = dict(zip(distinct, convert_all(distinct), strict=True))
    return list(map(memo.__getitem__, column))


def map_columns(table: Table, convert_all: Callable[[list[Cell]], list[T]]) -> list[list[T]]:
    """:func:`map_column` of every column of the table."""
    return [map_column(table, index, convert_all) for index in range(len(table.columns))]


def memo_map(convert: Callable[[Cell], T]) -> Callable[[list[Cell]], list[T]]:
    """``convert`` made a batch conversion, for :func:`map_column`."""
    return lambda cells: list(map(convert, cells))


def cell_texts(cells: Iterable[Cell]) -> list[str]:
    """:func:`cell_text` of each cell (text cells are their own text)."""
    return [cell if type(cell) is str else cell_text(cell) for cell in cells]


def column_decimals(table: Table, index: int) -> int:
    """The decimals of the figures in the table's numeric column ``index``: those its
    unit fixes, else what its most precise figure needs (see :mod:`._format`)."""
    key = ("decimals", index)
    found = table._memo.get(key)
    if found is None:
        fixed = decimals_for(table.column_unit(index))
        if fixed is None:
            column, distinct = table_column(table, index)
            cells = column if distinct is None else distinct
            fixed = needed_decimals([c for c in cells if type(c) is float])
        found = table._memo[key] = fixed
    return int(str(found))


def column_texts(table: Table, index: int) -> Callable[[list[Cell]], list[str]]:
    """The batch conversion of the cells of the table's column ``index`` to printable text
    (for :func:`map_column`): a column of figures by its unit and decimals, ``%`` on each
    figure; any other column by :func:`cell_text`."""
    if index not in table.numeric_columns():
        return lambda cells: printable_all(cell_texts(cells))
    unit = table.column_unit(index)
    decimals = column_decimals(table, index)
    suffix = "%" if unit == "%" else ""

    def figure(cell: Cell) -> str:
        if cell is None:
            return ""
        if is_suppressed_marker(cell) or not isinstance(cell, int | float):
            return str(cell)
        number: Number = cell
        return number_text(number, unit, decimals) + suffix

    return lambda cells: printable_all(list(map(figure, cells)))


_SEPARATOR = "\x00"


def escape_joined(
    texts: Sequence[str], replacements: Sequence[tuple[str, str]], *, squash_spaces: bool
) -> list[str]:
    """Each text with ``replacements`` made in order (after, with ``squash_spaces``, every
    run of whitespace is made one space and the ends stripped), as one call per text
    would, but on one joined string: a few C-level passes instead of a dozen calls per
    text. Texts holding the separator are escaped one by one."""
    joined = _SEPARATOR.join(texts)
    if squash_spaces and not _squashed(texts, joined):
        texts = [" ".join(text.split()) for text in texts]
        joined = _SEPARATOR.join(texts)
    if joined.count(_SEPARATOR) != len(texts) - 1 or any(
        _SEPARATOR in old + new for old, new in replacements
    ):
        return [_replace(text, replacements) for text in texts]
    return _replace(joined, replacements).split(_SEPARATOR) if texts else []


def _replace(text: str, replacements: Sequence[tuple[str, str]]) -> str:
    for old, new in replacements:
        if old in text:
            text = text.replace(old, new)
    return text


_WHITESPACE = "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f\x85\xa0\u1680" + "".join(
    map(chr, [*range(0x2000, 0x200B), 0x2028, 0x2029, 0x202F, 0x205F, 0x3000])
)
"""Every character ``str.split()`` splits on but the space (tests/reporting checks it)."""
_ASCII_WHITESPACE = _WHITESPACE[:9]


def _squashed(texts: Sequence[str], joined: str) -> bool:
    """True when squashing whitespace would change none of ``texts`` (``joined`` is them
    joined): no whitespace but single spaces between words. Each test is one C-level pass."""
    whitespace = _ASCII_WHITESPACE if joined.isascii() else _WHITESPACE
    return not (
        any(char in joined for char in whitespace)
        or "  " in joined
        or any(map(str.startswith, texts, repeat(" ")))
        or any(map(str.endswith, texts, repeat(" ")))
    )


def encode_each(prefix: str, texts: Sequence[str], suffix: str) -> list[bytes]:
    """``[f"{prefix}{text}{suffix}".encode() for text in texts]``, but in one encode of
    one joined string, split apart in C (when no text holds the separator)."""
    if not texts:
        return []
    whole = prefix + (suffix + _SEPARATOR + prefix).join(texts) + suffix
    if whole.count(_SEPARATOR) != len(texts) - 1:
        return [f"{prefix}{text}{suffix}".encode() for text in texts]
    return whole.encode().split(_SEPARATOR.encode())
