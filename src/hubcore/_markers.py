"""pluggy's markers for the ``hubcore`` project, in a module light enough for ``import hubcore``."""

from __future__ import annotations

import pluggy

PROJECT_NAME = "hubcore"

hookspec = pluggy.HookspecMarker(PROJECT_NAME)
"""Marks a hook specification (hubcore's own hookspecs only)."""

hookimpl = pluggy.HookimplMarker(PROJECT_NAME)
"""Marks a plugin's hook implementation: ``@hubcore.hookimpl``."""
