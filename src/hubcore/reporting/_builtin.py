"""hubcore's own plugin: registers the built-in renderers through the public hook."""

from __future__ import annotations

from hubcore.reporting._render_csv import CSV
from hubcore.reporting._render_html import HTML
from hubcore.reporting._render_json import JSON
from hubcore.reporting._render_markdown import MARKDOWN
from hubcore.reporting._render_text import TEXT
from hubcore.reporting.hookspecs import RegisterRenderer, hookimpl

__all__ = ["BUILTIN_RENDERERS", "hubcore_register_renderers"]

BUILTIN_RENDERERS = (TEXT, MARKDOWN, JSON, CSV, HTML)


@hookimpl
def hubcore_register_renderers(register: RegisterRenderer) -> None:
    """Register ``text``, ``markdown``, ``json``, ``csv`` and ``html``."""
    for renderer in BUILTIN_RENDERERS:
        register(renderer)
