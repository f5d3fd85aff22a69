"""Reporting: reporters build a :class:`Summary` (data); renderers turn it into bytes.

Reporters and renderers are pluggy plugins (see :mod:`hubcore.reporting.hookspecs` and
``docs/plugins.md``); :class:`PluginHost` loads them and runs them in isolation.
"""

from __future__ import annotations

from hubcore._labels import label
from hubcore.errors import NameClash, NotRegistered, PluginLoadError, SummaryError
from hubcore.reporting._guard import GuardedProjection
from hubcore.reporting._json import (
    SCHEMA_TAG,
    summary_from_dict,
    summary_json_schema,
    summary_to_dict,
)
from hubcore.reporting._manager import (
    APPLY_TIMEOUT,
    BUILTIN_PLUGIN,
    DEFAULT_TIMEOUT,
    ENV_DISABLE_PLUGINS,
    ENV_LOAD_PLUGINS,
    ENV_TRACE_PLUGINS,
    PluginHost,
    PluginInfo,
    ProjectionInfo,
    RendererInfo,
    ReporterInfo,
    RunResults,
)
from hubcore.reporting._protocols import (
    Context,
    FunctionRenderer,
    HubInfo,
    ProjectionLike,
    ReadModelSource,
    Renderer,
    ReportContext,
    Reporter,
    renderer,
)
from hubcore.reporting._rag import Suppressor, rag, suppress_small
from hubcore.reporting._read_model import read_model
from hubcore.reporting._render_csv import CSV_COLUMNS, render_csv, render_table_csv
from hubcore.reporting._render_html import render_html
from hubcore.reporting._render_json import render_json
from hubcore.reporting._render_markdown import render_markdown
from hubcore.reporting._render_text import render_text, rich_renderable
from hubcore.reporting._summary import (
    Cell,
    Metric,
    Number,
    Point,
    Scope,
    Section,
    Series,
    Status,
    Summary,
    Table,
    is_suppressed_marker,
)
from hubcore.reporting.hookspecs import (
    RegisterProjection,
    RegisterRenderer,
    RegisterReporter,
    hookimpl,
    hookspec,
)

__all__ = [
    "APPLY_TIMEOUT",
    "BUILTIN_PLUGIN",
    "CSV_COLUMNS",
    "DEFAULT_TIMEOUT",
    "ENV_DISABLE_PLUGINS",
    "ENV_LOAD_PLUGINS",
    "ENV_TRACE_PLUGINS",
    "SCHEMA_TAG",
    "Cell",
    "Context",
    "FunctionRenderer",
    "GuardedProjection",
    "HubInfo",
    "Metric",
    "NameClash",
    "NotRegistered",
    "Number",
    "PluginHost",
    "PluginInfo",
    "PluginLoadError",
    "Point",
    "ProjectionInfo",
    "ProjectionLike",
    "ReadModelSource",
    "RegisterProjection",
    "RegisterRenderer",
    "RegisterReporter",
    "RendererInfo",
    "Renderer",
    "ReportContext",
    "Reporter",
    "ReporterInfo",
    "RunResults",
    "Scope",
    "Section",
    "Series",
    "Status",
    "Summary",
    "SummaryError",
    "Suppressor",
    "Table",
    "hookimpl",
    "hookspec",
    "is_suppressed_marker",
    "label",
    "rag",
    "read_model",
    "render_csv",
    "render_html",
    "render_json",
    "render_markdown",
    "render_table_csv",
    "render_text",
    "renderer",
    "rich_renderable",
    "summary_from_dict",
    "summary_json_schema",
    "summary_to_dict",
    "suppress_small",
]
