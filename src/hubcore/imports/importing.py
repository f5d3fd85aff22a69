"""Importing a hub's own files into a store, all or nothing: :func:`import_file`.

>>> from hubcore.imports import KINDS
>>> sorted(KINDS)
['registers', 'send', 'survey', 'training']

An import reads the whole file, checks every row and then every planned event against the
store (see :func:`~hubcore.imports._settle.settle`), and raises :class:`~hubcore.ImportFailed`
listing every problem before anything is appended. With ``check=True`` it stops there and
appends nothing. Events carry ids derived from the facts they record, so importing a file
again appends nothing, and one crashed part-way can simply be run again.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from datetime import date
from typing import Any

import attrs

from hubcore.errors import ConcurrencyError, DuplicateEventId, HubcoreError
from hubcore.imports._append import append_batches, atomic
from hubcore.imports._columns import ColumnMap
from hubcore.imports._problems import MAX_PROBLEMS, Problems, Source
from hubcore.imports._rows import Kind, Planned, read_rows_on
from hubcore.imports._settle import settle
from hubcore.imports.registers import REGISTERS
from hubcore.imports.send import SEND
from hubcore.imports.survey import SURVEY
from hubcore.imports.training import TRAINING

__all__ = ["KINDS", "ImportReport", "Progress", "import_file", "record_planned"]

KINDS: Mapping[str, Kind] = {kind.name: kind for kind in (REGISTERS, TRAINING, SURVEY, SEND)}
"""Every row-per-fact importer by name (``hubcore import NAME FILE``)."""

Progress = Callable[[str, int, int], None]
"""``progress(stage, done, total)``: called as an import checks and appends events."""


@attrs.frozen
class ImportReport:
    """What an import did (or, with ``check``, would do)."""

    source: str
    kind: str
    encoding: str
    rows: int
    appended: Mapping[str, int]
    """Events appended (or that would be, with ``check``), by type."""
    already: int
    """Events the file holds that the store already had."""
    skipped: Mapping[str, int] = attrs.field(factory=dict)
    warnings: tuple[str, ...] = ()
    sheet: str | None = None
    """The worksheet read, for a workbook."""
    checked_only: bool = False
    atomic: bool = True
    """Whether the store appended every stream in one transaction."""

    @property
    def total(self) -> int:
        """Events appended (or that would be)."""
        return sum(self.appended.values())


def record_planned(
    store: Any,
    kind: str,
    planned: Sequence[Planned],
    *,
    source: str,
    check: bool = False,
    today: date | None = None,
    max_problems: int = MAX_PROBLEMS,
    progress: Progress | None = None,
    problems: Problems | None = None,
) -> tuple[Counter[str], int, Counter[str]]:
    """Check ``planned`` against ``store`` and (unless ``check``) append what is new.

    Returns the events appended by type, how many were already stored, and what was
    skipped by reason; raises :class:`~hubcore.ImportFailed` with every problem first
    (with those already in ``problems``, the file's own).
    """
    if problems is None:
        problems = Problems(source, max_problems)
    total = len(planned)
    checked = 0

    def checking(step: int) -> None:
        nonlocal checked
        checked += step
        if progress is not None:
            progress("checking", checked, total)

    settled = settle(store, kind, planned, problems, today=today, progress=checking)
    problems.raise_if_any()
    if check:
        return settled.new, settled.already, settled.skipped
    count = sum(settled.new.values())
    stored = 0

    def appending(step: int) -> None:
        nonlocal stored
        stored += step
        if progress is not None:
            progress("appending", stored, count)

    try:
        append_batches(store, settled.batches, progress=appending)
    except (ConcurrencyError, DuplicateEventId) as error:
        raise HubcoreError(
            f"{source}: the store changed while it was imported ({error}); run the import"
            " again: what is already stored is found and nothing is recorded twice"
        ) from None
    return settled.new, settled.already, settled.skipped


def import_file(
    store: Any,
    kind: str | Kind,
    source: Source,
    *,
    column_map: ColumnMap | str | os.PathLike[str] | None = None,
    check: bool = False,
    sheet: str | None = None,
    name: str | None = None,
    today: date | None = None,
    max_problems: int = MAX_PROBLEMS,
    progress: Progress | None = None,
) -> ImportReport:
    """Import one file (a path or its bytes) of ``kind`` (``"registers"``, ``"training"``,
    ``"survey"``, ``"send"``) into ``store``, all or nothing.

    ``column_map`` is a mapping file (TOML, see :mod:`hubcore.imports._columns`) or a
    loaded :class:`~hubcore.imports.ColumnMap`; ``sheet`` picks a worksheet of an ``.xlsx``
    workbook; ``today`` (default :meth:`date.today`) is the latest date an event may have.
    Raises :class:`~hubcore.ImportFailed` listing every problem; nothing is appended then.
    """
    spec = kind if isinstance(kind, Kind) else _kind(kind)
    read, problems = read_rows_on(
        spec,
        source,
        column_map=column_map,
        name=name,
        sheet=sheet,
        today=today,
        max_problems=max_problems,
    )
    new, already, skipped = record_planned(
        store,
        spec.name,
        read.planned,
        source=read.source,
        check=check,
        today=today,
        max_problems=max_problems,
        progress=progress,
        problems=problems,
    )
    return ImportReport(
        source=read.source,
        kind=spec.name,
        encoding=read.encoding,
        rows=read.rows,
        appended=dict(sorted(new.items())),
        already=already,
        skipped=dict(sorted(skipped.items())),
        warnings=read.warnings,
        sheet=read.sheet,
        checked_only=check,
        atomic=atomic(store),
    )


def _kind(name: str) -> Kind:
    found = KINDS.get(name)
    if found is None:
        raise HubcoreError(
            f"unknown import kind {name!r}; the kinds are: {', '.join(sorted(KINDS))}"
        )
    return found
