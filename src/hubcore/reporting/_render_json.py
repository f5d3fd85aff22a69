"""The ``json`` renderer: :func:`summary_to_dict` as indented UTF-8 JSON."""

from __future__ import annotations

import orjson

from hubcore.reporting._json import json_document
from hubcore.reporting._protocols import FunctionRenderer
from hubcore.reporting._summary import Summary

__all__ = ["JSON", "render_json"]


def render_json(summary: Summary) -> bytes:
    """The summary as JSON following ``summary.schema.json`` (``"schema": "hubcore.summary/1"``)."""
    document = json_document(summary, rows_as_lists=False)
    return orjson.dumps(document, option=orjson.OPT_INDENT_2 | orjson.OPT_APPEND_NEWLINE)


JSON = FunctionRenderer("json", "application/json", ".json", render_json)
