"""Inline SVG charts for the HTML renderer, drawn in Python (no JavaScript needed).

Every string that came from data goes through :func:`html.escape`. Charts use a fixed
``viewBox`` and scale to their container, so they stay readable on a 375px phone. No
``xmlns`` is written: inline SVG in HTML5 needs none, and the page holds no URL at all.

**No label overlaps another.** Python cannot measure text, so :func:`text_width` estimates
a label's width generously (wider than the browser's sans-serif fonts draw it); the axes
are laid out from those widths: the left margin fits the widest value tick, the x-axis
shows every label that fits (every second, third... one, the last one kept), and turns
them at 40 degrees when too few would fit flat; a bar chart leaves room for its widest
value. ``tests/reporting/test_html_browser.py`` measures the drawn labels in Chromium.
"""

from __future__ import annotations

import itertools
import math
from html import escape

from hubcore._printable import printable
from hubcore.reporting._format import cell_text, figure_text, number_text, with_unit
from hubcore.reporting._summary import Cell, Number, Series, Table, is_suppressed_marker

__all__ = ["PALETTE", "bar_chart", "line_chart", "text_width"]

PALETTE = ("#2f6fdb", "#e07b39", "#2a9d8f", "#8b5cf6", "#c2417a", "#6b7280")
_W = 400
_GAP = 8.0  # the least room between two labels
_TURN = math.radians(40)

_NARROW = frozenset(" .,:;'|!()[]{}/\\`\"")
_THIN = frozenset("ijlrtfI1-")
_WIDE = frozenset("mwMW@%&")


def text_width(text: str, size: float) -> float:
    """A generous estimate of the width of ``text`` at font size ``size`` (in the same
    units), for a proportional sans-serif font."""
    em = 0.0
    for char in text:
        if char in _NARROW:
            em += 0.36
        elif char in _THIN:
            em += 0.45
        elif char in _WIDE:
            em += 0.95
        elif "0" <= char <= "9" or char.islower():
            em += 0.64
        elif char.isupper():
            em += 0.76
        elif ord(char) < 0x2E80:
            em += 0.8
        else:
            em += 1.05  # CJK and other wide characters
    return em * size


def _e(text: str) -> str:
    return escape(printable(text), quote=True)


def _f(x: float) -> str:
    return f"{x:.1f}".rstrip("0").rstrip(".")


def _figure(cell: Cell) -> float | None:
    if isinstance(cell, int | float) and not isinstance(cell, bool):
        return float(cell)
    return None


def _fit(text: str, room: float, size: float) -> str:
    """``text``, cut with an ellipsis to fit ``room`` at font size ``size``."""
    if text_width(text, size) <= room:
        return text
    while text and text_width(text + "…", size) > room:
        text = text[:-1]
    return text.rstrip() + "…"


def _legend(names: list[str], y: float) -> tuple[list[str], float]:
    parts, x = [], 4.0
    for index, name in enumerate(names):
        label = _fit(name, _W - 30, 12)
        width = 18 + text_width(label, 12) + 14
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
    shown: dict[tuple[int, int], str] = {}
    figures: list[float] = []
    for r, row in enumerate(table.rows):
        for c in columns:
            cell, unit = row[c], table.column_unit(c)
            figure = _figure(cell)
            if figure is None:
                shown[r, c] = str(cell) if is_suppressed_marker(cell) else "no data"
            else:
                figures.append(figure)
                value: Number = cell if isinstance(cell, float) else int(figure)
                shown[r, c] = figure_text(value, unit)
    top = max([0.0, *figures]) or 1.0
    label_room = max([text_width(s, 11) for s in shown.values()] or [0.0]) + 10
    scale = max(_W - 8 - label_room, 40.0) / top
    bar_h, gap, group_gap = 14.0, 3.0, 12.0
    parts: list[str] = []
    y = 16.0
    if len(columns) > 1:
        legend, y = _legend([table.columns[c] for c in columns], y)
        parts += legend
    for r, row in enumerate(table.rows):
        category = cell_text(row[0])
        parts.append(f'<text x="4" y="{_f(y)}" class="cat">{_e(_fit(category, _W - 8, 12))}</text>')
        y += 5
        for series, c in enumerate(columns):
            figure = _figure(row[c])
            colour = PALETTE[series % len(PALETTE)]
            width = max(scale * max(figure, 0.0), 1.0) if figure is not None else 0.0
            tip = f"{category} · {table.columns[c]}: {shown[r, c]}"
            if width:
                parts.append(
                    f'<rect class="bar" x="4" y="{_f(y)}" width="{_f(width)}" '
                    f'height="{_f(bar_h)}" rx="2" fill="{colour}" data-tip="{_e(tip)}">'
                    f"<title>{_e(tip)}</title></rect>"
                )
            parts.append(
                f'<text x="{_f(4 + width + 4)}" y="{_f(y + bar_h - 3)}" class="val">'
                f"{_e(shown[r, c])}</text>"
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


def _every(count: int, step: int) -> list[int]:
    """Every ``step``-th index from the first, ending on the last (which replaces the one
    before it when the two would be closer than ``step``)."""
    picked = list(range(0, count, step))
    if picked[-1] != count - 1:
        if count - 1 - picked[-1] < step and len(picked) > 1:
            picked[-1] = count - 1
        else:
            picked.append(count - 1)
    return picked


def _flat_fits(picked: list[int], widths: list[float], x_at: list[float]) -> bool:
    """Flat labels at these indexes (the first anchored at its start, the last at its
    end, the others centred) keep :data:`_GAP` apart."""
    spans = []
    last = len(x_at) - 1
    for index in picked:
        x, w = x_at[index], widths[index]
        if index == 0 and last > 0:
            spans.append((x - 4, x - 4 + w))
        elif index == last and last > 0:
            spans.append((x + 4 - w, x + 4))
        else:
            spans.append((x - w / 2, x + w / 2))
    return all(b[0] - a[1] >= _GAP for a, b in itertools.pairwise(spans))


def _x_labels(widths: list[float], x_at: list[float], size: float) -> tuple[list[int], bool]:
    """The indexes of the x-axis labels to draw, and whether they are turned."""
    count = len(widths)
    if count == 1:
        return [0], False
    flat: list[int] = [0]
    for step in range(1, count):
        picked = _every(count, step)
        if _flat_fits(picked, widths, x_at):
            flat = picked
            break
    slot = (x_at[-1] - x_at[0]) / (count - 1)
    step = max(1, math.ceil((size * 1.25 + _GAP / 2) / (slot * math.sin(_TURN))))
    turned = _every(count, step)
    if len(flat) >= min(count, 4) or len(flat) >= len(turned):
        return flat, False
    return turned, True


def line_chart(series: Series, chart_id: str) -> str:
    """A line chart of a :class:`Series`; ``None`` values leave gaps, a target is dashed.

    Ticks carry only numbers (and ``%``); any other unit is written once above the axis.
    """
    size = 11.0
    labels = [_fit(p.label, 110, size) for p in series.points]
    widths = [text_width(label, size) for label in labels]
    values = [p.value for p in series.points]
    known = [float(v) for v in values if v is not None]
    extra = [float(series.target)] if series.target is not None else []
    low = min([0.0, *known, *extra])
    peak = max([*known, *extra, 0.0])
    step = _nice_step((peak - low) / 4)
    low = math.floor(low / step) * step
    high = max(math.ceil(peak / step) * step, low + step)
    tick_unit = "%" if series.unit == "%" else ""
    ticks = [low + step * i for i in range(round((high - low) / step) + 1)]
    tick_texts = [with_unit(number_text(_tidy(t), tick_unit, _decimals(step)), tick_unit)
                  for t in ticks]  # fmt: skip
    left = max(28.0, max(text_width(t, size) for t in tick_texts) + 10)
    right, top = 14.0, 26.0
    count = len(values)
    plot_w = _W - left - right

    def x_of(index: int) -> float:
        return left + (plot_w / 2 if count == 1 else plot_w * index / (count - 1))

    x_at = [x_of(i) for i in range(count)]
    picked, turned = _x_labels(widths, x_at, size) if count else ([], False)
    if turned:
        reach = max(widths[i] for i in picked)
        bottom = 20 + reach * math.sin(_TURN) + size + 4  # the turned text's own thickness
        overhang = widths[picked[0]] * math.cos(_TURN) + size * math.sin(_TURN) + 4
        if overhang > left:  # the first turned label must not leave the chart
            left = overhang
            plot_w = _W - left - right
            x_at = [x_of(i) for i in range(count)]
    else:
        bottom = 30.0
    plot_h = 174.0
    height = top + plot_h + bottom

    def y_at(value: float) -> float:
        return top + plot_h * (1 - (value - low) / (high - low))

    parts: list[str] = []
    if series.unit and not tick_unit:
        unit = _fit(series.unit, _W / 2 - 8, size)
        parts.append(f'<text class="tick unit" x="4" y="12">{_e(unit)}</text>')
    for tick, text in zip(ticks, tick_texts, strict=True):
        y = y_at(tick)
        parts.append(
            f'<line class="grid" x1="{_f(left)}" x2="{_f(_W - right)}" '
            f'y1="{_f(y)}" y2="{_f(y)}"></line>'
            f'<text class="tick" x="{_f(left - 6)}" y="{_f(y + 4)}" text-anchor="end">'
            f"{_e(text)}</text>"
        )
    base = top + plot_h
    for index in picked:
        x = x_at[index]
        if turned:
            parts.append(
                f'<text class="tick xlabel" x="{_f(x)}" y="{_f(base + 20)}" '
                f'text-anchor="end" transform="rotate(-40 {_f(x)} {_f(base + 20)})">'
                f"{_e(labels[index])}</text>"
            )
            continue
        anchor = "middle"
        if count > 1 and index == 0:
            anchor, x = "start", x - 4
        elif count > 1 and index == count - 1:
            anchor, x = "end", x + 4
        parts.append(
            f'<text class="tick xlabel" x="{_f(x)}" y="{_f(base + 18)}" '
            f'text-anchor="{anchor}">{_e(labels[index])}</text>'
        )
    if series.target is not None:
        y = y_at(float(series.target))
        parts.append(
            f'<line class="target" x1="{_f(left)}" x2="{_f(_W - right)}" '
            f'y1="{_f(y)}" y2="{_f(y)}"></line>'
            f'<text class="tick target-label" x="{_f(_W - right)}" y="{_f(y - 5)}" '
            f'text-anchor="end">target {_e(figure_text(series.target, series.unit))}</text>'
        )
    path, pen_down = [], False
    for index, value in enumerate(values):
        if value is None:
            pen_down = False
            continue
        path.append(f"{'L' if pen_down else 'M'}{_f(x_at[index])} {_f(y_at(float(value)))}")
        pen_down = True
    if path:
        parts.append(f'<path class="line" d="{" ".join(path)}" stroke="{PALETTE[0]}"></path>')
    for index, point in enumerate(series.points):
        if point.value is None:
            continue
        x, y = x_at[index], y_at(float(point.value))
        tip = f"{point.label}: {figure_text(point.value, series.unit)}"
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


def _decimals(step: float) -> int:
    """The decimals that write ``step`` (and so every tick, its multiples) exactly."""
    for decimals in range(6):
        if abs(round(step, decimals) - step) <= 1e-9 * max(1.0, step):
            return decimals
    return 6


def _tidy(value: float) -> Number:
    return int(value) if value == int(value) else round(value, 6)
