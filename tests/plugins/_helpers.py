"""Look-ups into a Summary by key and name, for terse assertions."""

from __future__ import annotations

from typing import Any

from hubcore.reporting import Metric, Summary, Table


def metric(summary: Summary, key: str) -> Metric:
    found = [m for m in summary.metrics if m.key == key]
    assert found, f"no metric {key!r} in {[m.key for m in summary.metrics]}"
    return found[0]


def table(summary: Summary, name: str) -> Table:
    found = [t for t in summary.tables if t.name == name]
    assert found, f"no table {name!r} in {[t.name for t in summary.tables]}"
    return found[0]


def rows(summary: Summary, name: str) -> list[dict[str, Any]]:
    """The table's rows as dicts keyed by column name."""
    t = table(summary, name)
    return [dict(zip(t.columns, row, strict=True)) for row in t.rows]


def row(summary: Summary, name: str, **match: Any) -> dict[str, Any]:
    """The one row whose cells equal ``match``."""
    found = [r for r in rows(summary, name) if all(r[k] == v for k, v in match.items())]
    assert len(found) == 1, f"{len(found)} rows of {name!r} match {match}"
    return found[0]
