"""Inline SVG charts for the HTML renderer, drawn in Python (no JavaScript needed).

Every string that came from data goes through :func:`html.escape`. Charts use a fixed
``viewBox`` and scale to their container, so they stay readable on a 375px phone. No
``xmlns`` is written: inline SVG in HTML5 needs none, and the page holds no URL at all.
"""

from __future__ import annotations

import math
from html import escape

from hubcore.reporting._format import cell_text, number_text, with_unit
from hubcore.reporting._summary import Cell, Number, Series, Table, is_suppressed_marker

__all__ = ["PALETTE", "bar_chart", "line_chart"]

PALETTE = ("#2f6fdb", "#e07b39", "#2a9d8f", "#8b5cf6", "#c2417a", "#6b7280")
_W = 400
_CHAR = 6.4  # approximate width of one character at font-size 12


def _e(text: str) -> str:
    return escape(text, quote=True)


def _f(x: float) -> str:
    return f"{x:.1f}".rstrip("0").rstrip(".")


def _figure(cell: Cell) -> float | None:
    if isinstance(cell, int | float) and not isinstance(cell, bool):
        return float(cell)
    return None


def _clip(text: str, chars: int) -> str:
    return text if len(text) <= chars else text[: chars - 1] + "…"


def _with_unit(value: Number, unit: str) -> str:
    return with_unit(number_text(value, unit), unit)


def _legend(names: list[str], y: float) -> tuple[list[str], float]:
    parts, x = [], 4.0
    for index, name in enumerate(names):
        label = _clip(name, 40)
        width = 18 + len(label) * _CHAR + 14
        if x + width > _W and x > 4:
            x, y = 4.0, y + 18
        colour = PALETTE[index % len(PALETTE)]
        parts.append(
            f'<rect x="{_f(x)}" y="{_f(y - 10)}" width="12" height="12" rx="2" '
            f'fill="{colour}"></rect>'
            f'<text x="{_f(x + 17)}" y="{_f(y)}" class="legend">{_e(label)}</text>'
        )
        x += width
    return parts, y + 22


def bar_chart(table: Table, chart_id: str) -> str:
    """Horizontal bars for a table marked ``chart="bar"``: one group per row.

    The first column labels each group; every figure column (see
    :meth:`Table.numeric_columns`) is one bar series, so two or more give grouped bars. A
    suppressed count draws no bar and shows its marker (``<5``).
    """
    columns = list(table.numeric_columns())
    figures = [f for row in table.rows for c in columns if (f := _figure(row[c])) is not None]
    top = max([0.0, *figures]) or 1.0
    label_room = 62.0
    scale = (_W - 8 - label_room) / top
    bar_h, gap, group_gap = 14.0, 3.0, 12.0
    parts: list[str] = []
    y = 16.0
    if len(columns) > 1:
        legend, y = _legend([table.columns[c] for c in columns], y)
        parts += legend
    for row in table.rows:
        category = cell_text(row[0])
        parts.append(f'<text x="4" y="{_f(y)}" class="cat">{_e(_clip(category, 58))}</text>')
        y += 5
        for series, c in enumerate(columns):
            cell = row[c]
            colour = PALETTE[series % len(PALETTE)]
            figure = _figure(cell)
            if figure is not None:
                shown = _with_unit(figure if isinstance(cell, float) else int(figure), table.unit)
                width = max(scale * max(figure, 0.0), 1.0)
            else:
                shown = str(cell) if is_suppressed_marker(cell) else "no data"
                width = 0.0
            tip = f"{category} · {table.columns[c]}: {shown}"
            if width:
                parts.append(
                    f'<rect class="bar" x="4" y="{_f(y)}" width="{_f(width)}" '
                    f'height="{_f(bar_h)}" rx="2" fill="{colour}" data-tip="{_e(tip)}">'
                    f"<title>{_e(tip)}</title></rect>"
                )
            parts.append(
                f'<text x="{_f(4 + width + 4)}" y="{_f(y + bar_h - 3)}" class="val">'
                f"{_e(shown)}</text>"
            )
            y += bar_h + gap
        y += group_gap
    height = y + 4
    title = _e(table.name)
    return (
        f'<svg class="chart bar-chart" id="{chart_id}" viewBox="0 0 {_W} {_f(height)}" '
        f'role="img" aria-labelledby="{chart_id}-t" preserveAspectRatio="xMinYMin meet">'
        f'<title id="{chart_id}-t">{title}</title>' + "".join(parts) + "</svg>"
    )


def _nice_step(raw: float) -> float:
    if raw <= 0:
        return 1.0
    power = 10 ** math.floor(math.log10(raw))
    for step in (1, 2, 2.5, 5, 10):
        if step * power >= raw:
            return float(step * power)
    return float(10 * power)  # pragma: no cover - the loop always returns


def line_chart(series: Series, chart_id: str) -> str:
    """A line chart of a :class:`Series`; ``None`` values leave gaps, a target is dashed.

    Ticks carry only numbers (and ``%``); any other unit is written once above the axis.
    """
    left, right, top, bottom, height = 40.0, 14.0, 26.0, 30.0, 230.0
    plot_w, plot_h = _W - left - right, height - top - bottom
    values = [p.value for p in series.points]
    known = [float(v) for v in values if v is not None]
    extra = [float(series.target)] if series.target is not None else []
    low = min([0.0, *known, *extra])
    peak = max([*known, *extra, 0.0])
    step = _nice_step((peak - low) / 4)
    low = math.floor(low / step) * step
    high = max(math.ceil(peak / step) * step, low + step)
    count = len(values)
    tick_unit = "%" if series.unit == "%" else ""

    def x_at(index: int) -> float:
        return left + (plot_w / 2 if count == 1 else plot_w * index / (count - 1))

    def y_at(value: float) -> float:
        return top + plot_h * (1 - (value - low) / (high - low))

    parts: list[str] = []
    if series.unit and not tick_unit:
        parts.append(f'<text class="tick" x="4" y="12">{_e(_clip(series.unit, 40))}</text>')
    ticks = round((high - low) / step)
    for index in range(ticks + 1):
        tick = low + step * index
        y = y_at(tick)
        parts.append(
            f'<line class="grid" x1="{_f(left)}" x2="{_f(_W - right)}" '
            f'y1="{_f(y)}" y2="{_f(y)}"></line>'
            f'<text class="tick" x="{_f(left - 6)}" y="{_f(y + 4)}" text-anchor="end">'
            f"{_e(_with_unit(_tidy(tick), tick_unit))}</text>"
        )
    every = max(1, math.ceil(count / 5))
    for index, point in enumerate(series.points):
        if index % every == 0 or (index == count - 1 and count > 1 and (index % every) * 2 > every):
            anchor = "middle"
            if count > 1 and index == 0:
                anchor = "start"
            elif count > 1 and index == count - 1:
                anchor = "end"
            x = x_at(index) + (-4 if anchor == "start" else 4 if anchor == "end" else 0)
            parts.append(
                f'<text class="tick" x="{_f(x)}" y="{_f(height - bottom + 18)}" '
                f'text-anchor="{anchor}">{_e(_clip(point.label, 12))}</text>'
            )
    if series.target is not None:
        y = y_at(float(series.target))
        parts.append(
            f'<line class="target" x1="{_f(left)}" x2="{_f(_W - right)}" '
            f'y1="{_f(y)}" y2="{_f(y)}"></line>'
            f'<text class="tick target-label" x="{_f(_W - right)}" y="{_f(y - 5)}" '
            f'text-anchor="end">target {_e(_with_unit(series.target, series.unit))}</text>'
        )
    path, pen_down = [], False
    for index, value in enumerate(values):
        if value is None:
            pen_down = False
            continue
        path.append(f"{'L' if pen_down else 'M'}{_f(x_at(index))} {_f(y_at(float(value)))}")
        pen_down = True
    if path:
        parts.append(f'<path class="line" d="{" ".join(path)}" stroke="{PALETTE[0]}"></path>')
    for index, point in enumerate(series.points):
        if point.value is None:
            continue
        x, y = x_at(index), y_at(float(point.value))
        tip = f"{point.label}: {_with_unit(point.value, series.unit)}"
        parts.append(
            f'<circle class="dot" cx="{_f(x)}" cy="{_f(y)}" r="3.5" fill="{PALETTE[0]}">'
            f"</circle>"
            f'<circle class="hit" cx="{_f(x)}" cy="{_f(y)}" r="10" data-tip="{_e(tip)}">'
            f"<title>{_e(tip)}</title></circle>"
        )
    if not known:
        parts.append(
            f'<text class="tick" x="{_f(left + plot_w / 2)}" y="{_f(top + plot_h / 2)}" '
            f'text-anchor="middle">no data</text>'
        )
    return (
        f'<svg class="chart line-chart" id="{chart_id}" viewBox="0 0 {_W} {_f(height)}" '
        f'role="img" aria-labelledby="{chart_id}-t" preserveAspectRatio="xMinYMin meet">'
        f'<title id="{chart_id}-t">{_e(series.name)}</title>' + "".join(parts) + "</svg>"
    )


def _tidy(value: float) -> Number:
    return int(value) if value == int(value) else round(value, 6)
