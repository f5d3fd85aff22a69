"""The versioned JSON form of a :class:`Summary` (schema ``hubcore.summary/1``).

The JSON Schema ships inside the package as ``summary.schema.json``; load it with
:func:`summary_json_schema`. A new major schema version gets a new tag; fields are only
ever added within ``/1``.
"""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

from hubcore.errors import SummaryError
from hubcore.reporting._summary import Metric, Point, Scope, Section, Series, Summary, Table

__all__ = ["SCHEMA_TAG", "summary_from_dict", "summary_json_schema", "summary_to_dict"]

SCHEMA_TAG = "hubcore.summary/1"


def summary_json_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) that every ``json`` rendering validates against."""
    text = resources.files("hubcore.reporting").joinpath("summary.schema.json").read_text("utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema


def summary_to_dict(summary: Summary) -> dict[str, Any]:
    """The summary as plain JSON-ready data, ``"schema"`` first."""
    return json_document(summary, rows_as_lists=True)


def json_document(summary: Summary, *, rows_as_lists: bool) -> dict[str, Any]:
    """:func:`summary_to_dict`; without ``rows_as_lists`` the tables' rows stay the
    summary's own tuples (orjson writes a tuple as an array), so a 100,000-row table is
    not copied before it is written."""
    scope = summary.scope
    return {
        "schema": SCHEMA_TAG,
        "title": summary.title,
        "reporter": summary.reporter,
        "scope": {
            "hub_id": scope.hub_id,
            "hub_name": scope.hub_name,
            "academic_year": scope.academic_year,
            "schools": "all" if scope.schools == "all" else list(scope.schools),
        },
        **_parts(summary, rows_as_lists=rows_as_lists),
        "sections": [
            {
                "anchor": section.anchor,
                "title": section.title,
                "status": section.status.value,
                "rule": section.rule,
                "note": section.note,
                **_parts(section, rows_as_lists=rows_as_lists),
            }
            for section in summary.sections
        ],
        "suppression": {
            "leaves_hub": summary.leaves_hub,
            "applied": summary.suppressed,
            "threshold": summary.suppression_threshold,
            "note": summary.suppression_note,
        },
    }


def _parts(whole: Summary | Section, *, rows_as_lists: bool) -> dict[str, Any]:
    """The metrics, tables, series and caveats of a summary or a section."""
    return {
        "metrics": [
            {
                "key": m.key,
                "label": m.label,
                "value": m.value,
                "unit": m.unit,
                "target": m.target,
                "status": m.status.value,
                "rule": m.rule,
                "evidence": m.evidence,
                "suppressed": m.suppressed,
                "note": m.note,
                "evidence_table": m.evidence_table,
            }
            for m in whole.metrics
        ],
        "tables": [
            {
                "name": t.name,
                "columns": list(t.columns),
                "rows": list(map(list, t.rows)) if rows_as_lists else t.rows,
                "chart": t.chart,
                "unit": t.unit,
                "caption": t.caption,
                "units": dict(t.units),
            }
            for t in whole.tables
        ],
        "series": [
            {
                "name": s.name,
                "unit": s.unit,
                "target": s.target,
                "points": [{"label": p.label, "value": p.value} for p in s.points],
            }
            for s in whole.series
        ],
        "caveats": list(whole.caveats),
    }


def summary_from_dict(data: dict[str, Any]) -> Summary:
    """Rebuild a :class:`Summary` from :func:`summary_to_dict` output (a parsed JSON file).

    Fields added within ``/1`` after a document was written (``sections``, a metric's
    ``evidence_table``, a table's ``units``) take their defaults when missing.
    """
    if data.get("schema") != SCHEMA_TAG:
        raise SummaryError("JSON", "schema", f"expected {SCHEMA_TAG!r}, got {data.get('schema')!r}")
    try:
        scope = data["scope"]
        suppression = data["suppression"]
        return Summary(
            title=data["title"],
            reporter=data["reporter"],
            scope=Scope(
                hub_id=scope["hub_id"],
                hub_name=scope["hub_name"],
                academic_year=scope["academic_year"],
                schools=scope["schools"],
            ),
            **_parts_from(data),
            sections=[
                Section(
                    anchor=s["anchor"],
                    title=s["title"],
                    status=s["status"],
                    rule=s["rule"],
                    note=s["note"],
                    **_parts_from(s),
                )
                for s in data.get("sections", [])
            ],
            leaves_hub=suppression["leaves_hub"],
            suppressed=suppression["applied"],
            suppression_threshold=suppression["threshold"],
        )
    except (KeyError, TypeError, ValueError, AttributeError) as error:
        if isinstance(error, SummaryError):
            raise
        raise SummaryError("JSON", "document", f"not a {SCHEMA_TAG} document: {error!r}") from None


def _parts_from(data: dict[str, Any]) -> dict[str, Any]:
    return {
        "metrics": [Metric(**m) for m in data["metrics"]],
        "tables": [
            Table(
                name=t["name"],
                columns=t["columns"],
                rows=t["rows"],
                chart=t["chart"],
                unit=t["unit"],
                caption=t["caption"],
                units=t.get("units", {}),
            )
            for t in data["tables"]
        ],
        "series": [
            Series(
                name=s["name"],
                unit=s["unit"],
                target=s["target"],
                points=[Point(p["label"], p["value"]) for p in s["points"]],
            )
            for s in data["series"]
        ],
        "caveats": data["caveats"],
    }
