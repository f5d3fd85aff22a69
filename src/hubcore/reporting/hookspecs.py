"""The hooks a hubcore plugin can implement, and the markers to implement them with.

A plugin is any module or object with functions named after these hooks, usually marked
with :data:`hookimpl`::

    from hubcore.reporting import hookimpl

    @hookimpl
    def hubcore_register_reporters(register):
        register(MyReporter())

Every hook is prefixed ``hubcore_`` and called with keyword arguments only, so a plugin
declares just the arguments it uses (without defaults) and keeps working when a later
hubcore version adds arguments. A function named ``hubcore_*`` is taken as a hook even
without the marker, so a misspelled hook name is an error rather than silently ignored.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeAlias

from hubcore._markers import PROJECT_NAME, hookimpl, hookspec
from hubcore.reporting._protocols import ProjectionLike, Renderer, Reporter

__all__ = [
    "PROJECT_NAME",
    "RegisterProjection",
    "RegisterRenderer",
    "RegisterReporter",
    "hookimpl",
    "hookspec",
    "hubcore_register_projections",
    "hubcore_register_renderers",
    "hubcore_register_reporters",
]


RegisterReporter: TypeAlias = Callable[[Reporter], None]
RegisterRenderer: TypeAlias = Callable[[Renderer], None]
RegisterProjection: TypeAlias = Callable[[ProjectionLike], None]


@hookspec
def hubcore_register_reporters(register: RegisterReporter) -> None:
    """Register the plugin's reporters.

    Call ``register(reporter)`` once for each :class:`~hubcore.reporting.Reporter`. Its
    ``name`` must be unique across all installed plugins: a second plugin registering the
    same name is refused with a :class:`~hubcore.reporting.NameClash` naming both plugins.

    :param register: validates and stores one reporter, remembering which plugin gave it;
        raises :class:`~hubcore.errors.PluginError` for an invalid reporter.

    Added in 0.1.
    """


@hookspec
def hubcore_register_renderers(register: RegisterRenderer) -> None:
    """Register the plugin's output formats.

    Call ``register(renderer)`` once for each :class:`~hubcore.reporting.Renderer`
    (``name``, ``media_type``, ``suffix``, ``render(summary) -> bytes``). The built-in
    formats ``text``, ``markdown``, ``json``, ``csv`` and ``html`` are registered through
    this same hook by hubcore's own plugin, so their names are taken.

    :param register: validates and stores one renderer, remembering which plugin gave it;
        raises :class:`~hubcore.errors.PluginError` for an invalid renderer.

    Added in 0.1.
    """


@hookspec
def hubcore_register_projections(register: RegisterProjection) -> None:
    """Register read models (projections) the plugin's reporters need.

    Call ``register(projection)`` once for each projection; its ``name`` is what a
    reporter lists in ``projections`` and passes to ``context.get(name)``. See
    :mod:`hubcore.projections` for the projection protocol.

    :param register: validates and stores one projection, remembering which plugin gave
        it; raises :class:`~hubcore.errors.PluginError` for one without a ``name``.

    Added in 0.1.
    """
