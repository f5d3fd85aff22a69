"""Number and cell formatting shared by the human-readable renderers."""

from __future__ import annotations

from hubcore.reporting._summary import Cell, Metric, Number, Status

__all__ = [
    "cell_text",
    "with_unit",
    "metric_value_text",
    "number_text",
    "status_text",
    "target_text",
]

_DECIMALS = {"%": 1, "index": 2}


def number_text(value: Number, unit: str = "") -> str:
    """``value`` as people read it: thousands separators, 1 decimal (2 for an index)."""
    if isinstance(value, int):
        return f"{value:,}"
    decimals = _DECIMALS.get(unit, 1)
    if value == int(value) and unit not in _DECIMALS:
        return f"{int(value):,}"
    return f"{value:,.{decimals}f}"


_SILENT_UNITS = {"", "index", "ratio"}


def with_unit(text: str, unit: str) -> str:
    if unit in _SILENT_UNITS:
        return text
    if unit == "%":
        return text + "%"
    return f"{text} {unit}"


def metric_value_text(metric: Metric, threshold: int = 5) -> str:
    """The metric's value with its unit, ``<5`` when suppressed, ``no data`` when missing."""
    if metric.suppressed:
        return with_unit(f"<{threshold}", metric.unit)
    if metric.value is None:
        return "no data"
    return with_unit(number_text(metric.value, metric.unit), metric.unit)


def target_text(metric: Metric) -> str:
    """The target with its unit, or an empty string."""
    if metric.target is None:
        return ""
    return with_unit(number_text(metric.target, metric.unit), metric.unit)


def status_text(status: Status) -> str:
    """``GREEN``/``AMBER``/``RED``, or ``-`` for no status: words, never colour alone."""
    return "-" if status is Status.NONE else status.value.upper()


def cell_text(cell: Cell) -> str:
    """A table cell as text: empty for None, yes/no for booleans, at most 2 decimals."""
    if cell is None:
        return ""
    if isinstance(cell, bool):
        return "yes" if cell else "no"
    if isinstance(cell, float):
        text = f"{cell:.2f}".rstrip("0").rstrip(".")
        return "0" if text == "-0" else text
    return str(cell)
