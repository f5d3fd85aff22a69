"""Numbers, units and cells as people read them: the rules every human-readable renderer
shares (text, markdown, html; csv and json keep numbers raw).

* **Thousands separators** on every figure: ``1,204``.
* **Decimals by unit**: percentages ``%`` 1 decimal (``87.0%``), hours 1 decimal
  (``8.5 hours``, ``930.0 hours``), an ``index`` or ``ratio`` 2 decimals (``0.83``). Any
  other unit: whole numbers as integers, else 1 decimal. A table's column without such a
  unit uses, for all its figures, the decimals its most precise figure needs (at most 2).
* **Units** follow the figure (``224 schools``; ``%`` without a space), singular for
  exactly one (``1 plan``, ``1 hour``); an ``index`` or ``ratio`` is written bare.
* **No data** is ``no data``, never 0; a suppressed count is ``<5``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from hubcore.reporting._summary import UNJUDGED, Cell, Metric, Number, Status

__all__ = [
    "cell_text",
    "decimals_for",
    "figure_text",
    "is_judged",
    "metric_value_text",
    "needed_decimals",
    "number_text",
    "status_text",
    "target_text",
    "unit_label",
    "with_unit",
]

_FIXED = {"%": 1, "index": 2, "ratio": 2}
_SILENT_UNITS = frozenset({"", "index", "ratio"})


def decimals_for(unit: str) -> int | None:
    """The decimals the unit fixes (``%`` 1, hours 1, index and ratio 2), else ``None``."""
    fixed = _FIXED.get(unit)
    if fixed is not None:
        return fixed
    if unit.rsplit("-", 1)[-1] in ("hour", "hours"):
        return 1
    return None


def needed_decimals(values: Sequence[Number]) -> int:
    """The decimals (0, 1 or 2) the most precise of ``values`` needs, to 2 decimals."""
    floats = [v for v in values if type(v) is float and math.isfinite(v)]
    if not floats:
        return 0
    if any(round(v, 2) != round(v, 1) for v in floats):
        return 2
    return 1 if any(round(v, 1) != round(v) for v in floats) else 0


def number_text(value: Number, unit: str = "", decimals: int | None = None) -> str:
    """``value`` with thousands separators and the decimals of its unit (see the module).

    >>> number_text(1204), number_text(87, "%"), number_text(0.834, "index")
    ('1,204', '87.0', '0.83')
    >>> number_text(8.5, "hours"), number_text(180.0, "days"), number_text(12.25, "days")
    ('8.5', '180', '12.2')
    """
    if decimals is None:
        decimals = decimals_for(unit)
    if decimals is None:
        decimals = needed_decimals([value]) and 1
    if decimals == 0:
        return f"{round(value):,}"
    text = f"{value:,.{decimals}f}"
    return text[1:] if text.startswith("-") and not text.strip("-0.,") else text


def _singular(unit: str) -> str:
    if " " in unit or not unit.endswith("s") or unit.endswith("ss"):
        return unit
    return unit[:-3] + "y" if unit.endswith("ies") else unit[:-1]


def with_unit(text: str, unit: str, value: Number | None = None) -> str:
    """``text`` followed by ``unit`` (singular when ``value`` is exactly 1)."""
    if unit in _SILENT_UNITS:
        return text
    if unit == "%":
        return text + "%"
    return f"{text} {_singular(unit) if value == 1 else unit}"


def figure_text(value: Number, unit: str = "", decimals: int | None = None) -> str:
    """:func:`number_text` with its unit: ``87.0%``, ``224 schools``, ``1 plan``."""
    return with_unit(number_text(value, unit, decimals), unit, value)


def unit_label(name: str, unit: str) -> str:
    """A column heading with its unit in brackets, unless the unit is ``%`` (its cells
    carry it), silent, or already in the name: ``hours``, ``time (days)``."""
    if unit in _SILENT_UNITS or unit == "%" or unit.lower() in name.lower():
        return name
    return f"{name} ({unit})"


def _metric_decimals(metric: Metric) -> int | None:
    """One number of decimals for a metric's value and target, so they compare."""
    fixed = decimals_for(metric.unit)
    if fixed is not None:
        return fixed
    shown = [v for v in (metric.value, metric.target) if v is not None]
    return needed_decimals(shown) and 1


def metric_value_text(metric: Metric, threshold: int = 5) -> str:
    """The metric's value with its unit, ``<5`` when suppressed, ``no data`` when missing."""
    if metric.suppressed:
        return with_unit(f"<{threshold}", metric.unit)
    if metric.value is None:
        return "no data"
    return figure_text(metric.value, metric.unit, _metric_decimals(metric))


def target_text(metric: Metric) -> str:
    """The target with its unit (the value's decimals), or an empty string."""
    if metric.target is None:
        return ""
    return figure_text(metric.target, metric.unit, _metric_decimals(metric))


_STATUS_WORDS = {Status.NONE: "-", Status.NO_DATA: "NO DATA"}


def status_text(status: Status) -> str:
    """``GREEN``/``AMBER``/``RED``, ``NO DATA``, or ``-`` when not judged: words, never
    colour alone."""
    return _STATUS_WORDS.get(status) or status.value.upper()


def is_judged(status: Status) -> bool:
    """True for red, amber and green (a judgement), false for none and no data (grey)."""
    return status not in UNJUDGED


def cell_text(cell: Cell) -> str:
    """A cell outside a column of figures as text: empty for None, yes/no for booleans,
    at most 2 decimals (figures in a column of figures: :func:`column_texts`)."""
    if cell is None:
        return ""
    if isinstance(cell, bool):
        return "yes" if cell else "no"
    if isinstance(cell, float):
        text = f"{cell:.2f}".rstrip("0").rstrip(".")
        return "0" if text == "-0" else text
    return str(cell)
