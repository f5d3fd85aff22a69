"""The plugin host: a typed wrapper that owns hubcore's pluggy ``PluginManager``.

Nothing else in hubcore touches ``pm.hook``. The host loads each ``hubcore`` entry point on
its own, so one broken plugin is reported by name (:attr:`PluginHost.load_errors`) while the
others still load; it refuses unknown (misspelled) hooks and name clashes, naming the
plugins; and it runs reporters and renderers so that a failure, a wrong return type or a
hang becomes a :class:`~hubcore.errors.ReporterError` instead of taking the others down.
Every plugin call runs under a time limit: an entry point's import and its registration
hooks (:data:`LOAD_TIMEOUT`), a reporter and a renderer (:data:`DEFAULT_TIMEOUT`), each
``apply`` of a plugin's projection (:data:`~hubcore.reporting._guard.APPLY_TIMEOUT`, see
:mod:`hubcore.reporting._guard`).
"""

from __future__ import annotations

import copy
import difflib
import functools
import importlib.metadata
import inspect
import logging
import os
import re
import sys
import threading
import types
from collections.abc import Callable, Iterable, Mapping
from typing import Any, Literal, cast

import attrs
import pluggy

from hubcore.errors import NameClash, NotRegistered, PluginError, PluginLoadError, ReporterError
from hubcore.reporting import _builtin, hookspecs
from hubcore.reporting._guard import APPLY_TIMEOUT, GuardedProjection, guard_projection
from hubcore.reporting._isolation import run_isolated
from hubcore.reporting._protocols import ProjectionLike, Renderer, ReportContext, Reporter
from hubcore.reporting._summary import Scope, Summary

__all__ = [
    "APPLY_TIMEOUT",
    "BUILTIN_PLUGIN",
    "DEFAULT_TIMEOUT",
    "ENV_DISABLE_PLUGINS",
    "ENV_LOAD_PLUGINS",
    "ENV_TRACE_PLUGINS",
    "PluginHost",
    "PluginInfo",
    "ProjectionInfo",
    "RendererInfo",
    "ReporterInfo",
    "RunResults",
]

_log = logging.getLogger("hubcore.plugins")

ENTRY_POINT_GROUP = hookspecs.PROJECT_NAME
ENV_LOAD_PLUGINS = "HUBCORE_LOAD_PLUGINS"
ENV_DISABLE_PLUGINS = "HUBCORE_DISABLE_PLUGINS"
ENV_TRACE_PLUGINS = "HUBCORE_TRACE_PLUGINS"
BUILTIN_PLUGIN = "hubcore.builtin"
DEFAULT_TIMEOUT = 120.0
LOAD_TIMEOUT = 30.0
"""Seconds an entry point's import (and each of its registration hooks) may take before
it is abandoned and named."""

_NAME = re.compile(r"^[a-z0-9][a-z0-9_.\-]{0,79}$")
_HOOKS = (
    "hubcore_register_reporters",
    "hubcore_register_renderers",
    "hubcore_register_projections",
)
Kind = Literal["reporter", "renderer", "projection"]


@attrs.frozen
class PluginInfo:
    """One registered plugin: where it came from and which hooks it implements."""

    name: str
    source: Literal["builtin", "entry point", "registered"]
    distribution: str | None
    version: str | None
    entry_point: str | None
    hooks: tuple[str, ...]


@attrs.frozen
class ReporterInfo:
    """A registered reporter and the plugin it came from."""

    name: str
    title: str
    description: str
    projections: tuple[str, ...]
    plugin: str
    reporter: Reporter
    per_school: bool = False
    """The report is about one school at a time (the reporter's optional ``per_school``
    attribute): ``hubcore report`` then needs ``--urn`` or ``--all-schools``."""


@attrs.frozen
class RendererInfo:
    """A registered renderer (output format) and the plugin it came from."""

    name: str
    media_type: str
    suffix: str
    plugin: str
    renderer: Renderer


@attrs.frozen
class ProjectionInfo:
    """A projection registered by a plugin: ``projection`` is it under its guard (every
    ``apply`` under a time limit, a failure named in ``projection.failure``), ``original``
    the object the plugin registered."""

    name: str
    plugin: str
    projection: GuardedProjection
    original: ProjectionLike


@attrs.frozen
class RunResults:
    """What :meth:`PluginHost.run_all` produced: summaries by reporter name, and the errors
    of the reporters that failed (the others still ran)."""

    summaries: dict[str, Summary]
    errors: dict[str, ReporterError]

    @property
    def ok(self) -> bool:
        """True when every reporter produced a summary."""
        return not self.errors


class _HubcorePluginManager(pluggy.PluginManager):
    """Takes every ``hubcore_*`` function as a hook implementation, marked or not."""

    def parse_hookimpl_opts(self, plugin: object, name: str) -> pluggy.HookimplOpts | None:
        opts = super().parse_hookimpl_opts(plugin, name)
        if opts is not None or not name.startswith("hubcore_"):
            return opts
        value = inspect.getattr_static(plugin, name, None)
        if inspect.isfunction(value) or isinstance(value, staticmethod | types.MethodType):
            return pluggy.HookimplOpts(
                wrapper=False,
                hookwrapper=False,
                optionalhook=False,
                tryfirst=False,
                trylast=False,
                specname=None,
            )
        return None


def _names(text: str) -> set[str]:
    return {part.strip() for part in text.split(",") if part.strip()}


def _describe(error: BaseException) -> str:
    text = str(error)
    return f"{type(error).__name__}: {text}" if text else type(error).__name__


def _private_copy(model: Any) -> Any:
    """A copy of ``model`` that shares nothing mutable with it: a built-in read model
    through its own dump and load (fast, C-level JSON), anything else by ``deepcopy``."""
    from hubcore.projections import ReadModel  # reporting is imported by projections' users

    if isinstance(model, ReadModel):
        return type(model).load(model.dump())
    return copy.deepcopy(model)


class _DeclaredContext:
    """The context a reporter sees: only the read models it declared, each its own copy
    (made on first ``get``, or read afresh when the context can hand out one it does not
    keep: :meth:`Context.owned`), so a reporter that mutates one can change neither the
    projector's state (nor, through a later save, the store) nor what another sees."""

    def __init__(
        self,
        inner: ReportContext,
        reporter: str,
        declared: tuple[str, ...],
        failures: Mapping[str, str] | None = None,
    ) -> None:
        self._inner = inner
        self._reporter = reporter
        self._declared = declared
        self._failures = failures or {}
        self._copies: dict[str, Any] = {}

    @property
    def academic_year(self) -> str:
        return self._inner.academic_year

    @property
    def hub(self) -> Any:
        return self._inner.hub

    @property
    def schools(self) -> Any:
        return self._inner.schools

    @property
    def as_of(self) -> Any:
        return getattr(self._inner, "as_of", None)

    def scope(self) -> Scope:
        return self._inner.scope()

    def get(self, name: str) -> Any:
        if name not in self._declared:
            raise PluginError(
                f"reporter {self._reporter!r} asked for read model {name!r}, which it does "
                f"not declare in its projections {self._declared!r}"
            )
        failure = self._failures.get(name)
        if failure is not None:
            raise PluginError(f"read model {name!r} is not available: {failure}")
        if name not in self._copies:
            owned = getattr(self._inner, "owned", None)
            model = owned(name) if callable(owned) else None
            self._copies[name] = _private_copy(self._inner.get(name)) if model is None else model
        return self._copies[name]


class PluginHost:
    """Owns the pluggy ``PluginManager`` and everything plugins registered::

        host = PluginHost()            # built-in renderers only
        host.load_entrypoints()        # installed plugins; failures go to host.load_errors
        summary = host.run_report("self-evaluation", context)
        html = host.render(summary, "html")

    Built-in renderers are registered by hubcore's own plugin (``hubcore.builtin``) through
    the same hook as everyone else's; it is always loaded, whatever the environment says.
    """

    def __init__(
        self,
        *,
        builtins: bool = True,
        apply_timeout: float | None = APPLY_TIMEOUT,
        register_timeout: float | None = LOAD_TIMEOUT,
    ) -> None:
        self._apply_timeout = apply_timeout
        self._register_timeout = register_timeout
        self._pm = _HubcorePluginManager(hookspecs.PROJECT_NAME)
        self._pm.add_hookspecs(hookspecs)
        self._plugins: dict[str, PluginInfo] = {}
        self._reporters: dict[str, ReporterInfo] = {}
        self._renderers: dict[str, RendererInfo] = {}
        self._projections: dict[str, ProjectionInfo] = {}
        self._load_errors: list[PluginLoadError] = []
        if os.environ.get(ENV_TRACE_PLUGINS):
            self._pm.trace.root.setwriter(sys.stderr.write)
            self._pm.enable_tracing()
        if builtins:
            self._register(_builtin, BUILTIN_PLUGIN, source="builtin")

    @classmethod
    def default(cls, environ: Mapping[str, str] | None = None) -> PluginHost:
        """A host with the built-ins and every installed plugin the environment allows."""
        host = cls()
        host.load_entrypoints(environ)
        return host

    # -- loading ------------------------------------------------------------------------

    @property
    def pluggy_manager(self) -> pluggy.PluginManager:
        """The underlying pluggy manager (for debugging; prefer the typed methods)."""
        return self._pm

    @property
    def load_errors(self) -> tuple[PluginLoadError, ...]:
        """Every plugin that failed to load, with its name and the reason."""
        return tuple(self._load_errors)

    def load_entrypoints(
        self, environ: Mapping[str, str] | None = None, *, timeout: float | None = LOAD_TIMEOUT
    ) -> list[str]:
        """Load the ``hubcore`` entry points one by one; return the names that loaded.

        Each import runs under ``timeout`` seconds: a plugin whose import hangs is named in
        :attr:`load_errors` and skipped, and loading goes on with the next.

        ``HUBCORE_LOAD_PLUGINS`` (comma-separated entry-point names) loads only those; set
        but empty, it loads none. ``HUBCORE_DISABLE_PLUGINS`` skips the names it lists.
        Entry points load in name order, so when two clash the first by name wins. A plugin
        that fails to import or to register is recorded in :attr:`load_errors` and skipped;
        a plugin already loaded is not loaded twice.
        """
        env = os.environ if environ is None else environ
        allow = _names(env[ENV_LOAD_PLUGINS]) if ENV_LOAD_PLUGINS in env else None
        block = _names(env.get(ENV_DISABLE_PLUGINS, ""))
        points = sorted(
            importlib.metadata.entry_points(group=ENTRY_POINT_GROUP),
            key=lambda ep: (ep.name, ep.value),
        )
        loaded: list[str] = []
        known_errors = len(self._load_errors)
        for point in points:
            if (allow is not None and point.name not in allow) or point.name in block:
                continue
            dist = point.dist
            dist_name = dist.name if dist is not None else None
            dist_version = dist.version if dist is not None else None
            known = self._plugins.get(point.name)
            if known is not None:
                if known.entry_point != point.value or known.distribution != dist_name:
                    self._load_errors.append(
                        PluginLoadError(
                            point.name,
                            f"entry point {point.value!r} from {dist_name!r} has the same name as "
                            f"plugin {known.name!r} from {known.distribution!r}; not loaded",
                        )
                    )
                continue
            imported = run_isolated(point.load, timeout=timeout, name=f"import:{point.name}")
            if imported.timed_out:
                self._load_errors.append(
                    PluginLoadError(
                        point.name,
                        f"importing {point.value!r} (from {dist_name or 'unknown'}) did not "
                        f"finish within {timeout:g}s; skipped (the import was abandoned)",
                    )
                )
                continue
            if imported.error is not None:
                self._load_errors.append(
                    PluginLoadError(
                        point.name,
                        f"failed to import {point.value!r} (from {dist_name or 'unknown'}): "
                        f"{_describe(imported.error)}",
                    )
                )
                continue
            plugin = imported.value
            try:
                self._register(
                    plugin,
                    point.name,
                    source="entry point",
                    distribution=dist_name,
                    version=dist_version,
                    entry_point=point.value,
                )
            except PluginLoadError as error:
                self._load_errors.append(error)
                continue
            loaded.append(point.name)
            _log.debug("loaded plugin %r (%s %s)", point.name, dist_name, dist_version)
        for refused in self._load_errors[known_errors:]:
            _log.info("not loaded: %s", refused)
        try:
            self._pm.check_pending()
        except pluggy.PluginValidationError as error:  # pragma: no cover - caught per plugin
            raise PluginError(str(error)) from error
        return loaded

    def register(self, plugin: object, name: str | None = None) -> str:
        """Register a plugin object (a module, class or instance) from embedding code.

        Raises :class:`PluginLoadError` (naming the plugin) for an unknown hook, a hook
        signature that does not match its spec, an invalid reporter or renderer, or a name
        another plugin already registered (:class:`NameClash`); nothing is kept then.
        """
        plugin_name = name or self._pm.get_canonical_name(plugin)
        self._register(plugin, plugin_name, source="registered")
        return plugin_name

    def unregister(self, name: str) -> None:
        """Remove a plugin and everything it registered."""
        if name not in self._plugins:
            raise NotRegistered("plugin", name, sorted(self._plugins))
        self._pm.unregister(name=name)
        del self._plugins[name]
        for table in (self._reporters, self._renderers, self._projections):
            for key in [k for k, v in table.items() if v.plugin == name]:
                del table[key]

    def _register(
        self,
        plugin: object,
        name: str,
        *,
        source: Literal["builtin", "entry point", "registered"],
        distribution: str | None = None,
        version: str | None = None,
        entry_point: str | None = None,
    ) -> None:
        if self._pm.has_plugin(name):
            raise PluginLoadError(name, "a plugin with this name is already registered")
        if self._pm.is_registered(plugin):
            other = self._pm.get_name(plugin)
            raise PluginLoadError(name, f"this object is already registered as plugin {other!r}")
        try:
            self._pm.register(plugin, name)
        except (pluggy.PluginValidationError, ValueError) as error:
            raise PluginLoadError(name, " ".join(str(error).split())) from None
        try:
            hooks = self._check_hooks(plugin, name)
            timeout = None if source == "builtin" else self._register_timeout
            found = self._collect(plugin, name, timeout)
        except PluginLoadError:
            self._pm.unregister(name=name)
            raise
        for kind, registered in found.items():
            table = self._table(kind)
            for key, info in registered.items():
                table[key] = info
        self._plugins[name] = PluginInfo(
            name=name,
            source=source,
            distribution=distribution,
            version=version,
            entry_point=entry_point,
            hooks=hooks,
        )

    def _check_hooks(self, plugin: object, name: str) -> tuple[str, ...]:
        hooks = []
        for caller in self._pm.get_hookcallers(plugin) or []:
            if not caller.has_spec():
                close = difflib.get_close_matches(caller.name, _HOOKS, n=1)
                hint = f"; did you mean {close[0]!r}?" if close else ""
                raise PluginLoadError(name, f"implements unknown hook {caller.name!r}{hint}")
            hooks.append(caller.name)
        return tuple(sorted(hooks))

    def _table(self, kind: Kind) -> dict[str, Any]:
        tables: dict[str, dict[str, Any]] = {
            "reporter": self._reporters,
            "renderer": self._renderers,
            "projection": self._projections,
        }
        return tables[kind]

    def _collect(
        self, plugin: object, name: str, timeout: float | None
    ) -> dict[Kind, dict[str, Any]]:
        """Call this plugin's registration hooks alone, each under ``timeout`` seconds;
        validate everything they give."""
        found: dict[Kind, dict[str, Any]] = {"reporter": {}, "renderer": {}, "projection": {}}
        abandoned = threading.Event()

        def keep(kind: Kind, key: str, info: object) -> None:
            if abandoned.is_set():  # a hook that ran past its limit registers nothing
                raise PluginLoadError(name, "registered after its time limit")
            if key in found[kind]:
                raise NameClash(kind, key, name, name)
            owner = self._table(kind).get(key)
            if owner is not None:
                raise NameClash(kind, key, owner.plugin, name)
            found[kind][key] = info

        def reporter(obj: Reporter) -> None:
            keep("reporter", *_reporter_info(obj, name))

        def renderer(obj: Renderer) -> None:
            keep("renderer", *_renderer_info(obj, name))

        def projection(obj: ProjectionLike) -> None:
            key = getattr(obj, "name", None)
            if not isinstance(key, str) or not key.strip():
                raise PluginLoadError(name, f"projection {obj!r} has no string 'name'")
            guarded = guard_projection(obj, name, self._apply_timeout)
            keep("projection", key, ProjectionInfo(key, name, guarded, obj))

        others = [p for p in self._pm.get_plugins() if p is not plugin]
        callbacks: dict[str, Callable[[Any], None]] = {
            "hubcore_register_reporters": reporter,
            "hubcore_register_renderers": renderer,
            "hubcore_register_projections": projection,
        }
        for hook, callback in callbacks.items():
            caller = self._pm.subset_hook_caller(hook, others)
            outcome = run_isolated(
                functools.partial(caller, register=callback),
                timeout=timeout,
                name=f"{name}:{hook}",
            )
            if outcome.timed_out:
                abandoned.set()
                raise PluginLoadError(
                    name, f"hook {hook!r} did not finish within {timeout:g}s (it was abandoned)"
                )
            error = outcome.error
            if isinstance(error, PluginLoadError):
                raise error
            if isinstance(error, KeyboardInterrupt):
                raise error
            if error is not None:
                raise PluginLoadError(name, f"hook {hook!r} raised {_describe(error)}") from None
        return found

    # -- listing ------------------------------------------------------------------------

    def plugins(self) -> list[PluginInfo]:
        """Every registered plugin, by name."""
        return [self._plugins[k] for k in sorted(self._plugins)]

    def reporters(self) -> list[ReporterInfo]:
        """Every registered reporter, by name, each with the plugin it came from."""
        return [self._reporters[k] for k in sorted(self._reporters)]

    def renderers(self) -> list[RendererInfo]:
        """Every registered renderer (output format), by name, with its plugin."""
        return [self._renderers[k] for k in sorted(self._renderers)]

    def projections(self) -> list[ProjectionInfo]:
        """Every projection registered by a plugin, by name."""
        return [self._projections[k] for k in sorted(self._projections)]

    def projection_failures(self) -> dict[str, str]:
        """Projection name -> why it was cut off (a hung or failing plugin call), for every
        plugin projection that failed in this process; its read model is left out."""
        return {
            name: info.projection.failure
            for name, info in sorted(self._projections.items())
            if info.projection.failure is not None
        }

    def reporter(self, name: str) -> ReporterInfo:
        """The reporter registered as ``name`` (:class:`NotRegistered` if none)."""
        try:
            return self._reporters[name]
        except KeyError:
            raise NotRegistered("reporter", name, sorted(self._reporters)) from None

    def renderer(self, name: str) -> RendererInfo:
        """The renderer registered as ``name`` (:class:`NotRegistered` if none)."""
        try:
            return self._renderers[name]
        except KeyError:
            raise NotRegistered("renderer", name, sorted(self._renderers)) from None

    # -- running ------------------------------------------------------------------------

    def run_report(
        self, name: str, context: ReportContext, *, timeout: float | None = DEFAULT_TIMEOUT
    ) -> Summary:
        """Build the report ``name``; any failure is a :class:`ReporterError`.

        The reporter runs in a worker thread and is abandoned after ``timeout`` seconds
        (``None``: no limit, run in this thread). Python cannot kill a thread: a hung
        reporter keeps running in the background and its result is discarded. It sees only
        the read models it declared in ``projections``.
        """
        info = self.reporter(name)
        scoped = _DeclaredContext(context, name, info.projections, self.projection_failures())
        outcome = run_isolated(
            lambda: info.reporter.build(scoped), timeout=timeout, name=f"{info.plugin}:{name}"
        )
        hook = "Reporter.build"
        if outcome.timed_out:
            raise ReporterError(
                info.plugin,
                hook,
                f"reporter {name!r} did not finish within {timeout:g}s (it was abandoned; "
                "its result will be discarded)",
            )
        if outcome.error is not None:
            raise ReporterError(
                info.plugin, hook, f"reporter {name!r} raised {_describe(outcome.error)}"
            ) from outcome.error
        summary = outcome.value
        if not isinstance(summary, Summary):
            raise ReporterError(
                info.plugin,
                hook,
                f"reporter {name!r} returned {type(summary).__name__}, expected a Summary",
            )
        if not summary.reporter:
            summary = attrs.evolve(summary, reporter=name)
        return summary

    def run_all(
        self,
        context: ReportContext,
        names: Iterable[str] | None = None,
        *,
        timeout: float | None = DEFAULT_TIMEOUT,
    ) -> RunResults:
        """Run several reporters (default: all); a failing one never stops the others.

        Unknown names are refused up front with :class:`NotRegistered`.
        """
        chosen = sorted(self._reporters) if names is None else list(names)
        for name in chosen:
            self.reporter(name)
        summaries: dict[str, Summary] = {}
        errors: dict[str, ReporterError] = {}
        for name in chosen:
            try:
                summaries[name] = self.run_report(name, context, timeout=timeout)
            except ReporterError as error:
                errors[name] = error
        return RunResults(summaries, errors)

    def render(
        self, summary: Summary, format: str, *, timeout: float | None = DEFAULT_TIMEOUT
    ) -> bytes:
        """Render ``summary`` with the renderer named ``format``.

        A renderer that raises, hangs or returns anything but ``bytes`` gives a
        :class:`ReporterError` naming its plugin.
        """
        info = self.renderer(format)
        if not isinstance(summary, Summary):
            raise TypeError(f"render() needs a Summary, got {type(summary).__name__}")
        outcome = run_isolated(
            lambda: info.renderer.render(summary), timeout=timeout, name=f"{info.plugin}:{format}"
        )
        hook = "Renderer.render"
        if outcome.timed_out:
            raise ReporterError(
                info.plugin, hook, f"renderer {format!r} did not finish within {timeout:g}s"
            )
        if outcome.error is not None:
            raise ReporterError(
                info.plugin, hook, f"renderer {format!r} raised {_describe(outcome.error)}"
            ) from outcome.error
        if not isinstance(outcome.value, bytes):
            raise ReporterError(
                info.plugin,
                hook,
                f"renderer {format!r} returned {type(outcome.value).__name__}, expected bytes",
            )
        return outcome.value


def _check_name(plugin: str, kind: str, obj: object) -> str:
    key = getattr(obj, "name", None)
    if not isinstance(key, str) or not _NAME.match(key):
        raise PluginLoadError(
            plugin, f"{kind} {obj!r} needs a 'name' matching [a-z0-9][a-z0-9_.-]*, got {key!r}"
        )
    return key


def _reporter_info(obj: object, plugin: str) -> tuple[str, ReporterInfo]:
    key = _check_name(plugin, "reporter", obj)
    where = f"reporter {key!r}"
    title = getattr(obj, "title", None)
    description = getattr(obj, "description", None)
    projections = getattr(obj, "projections", None)
    if not isinstance(title, str) or not title.strip():
        raise PluginLoadError(plugin, f"{where} needs a non-empty string 'title'")
    if not isinstance(description, str):
        raise PluginLoadError(plugin, f"{where}: 'description' must be a string")
    if not isinstance(projections, tuple | list) or not all(
        isinstance(p, str) for p in projections
    ):
        raise PluginLoadError(plugin, f"{where}: 'projections' must be a tuple of read-model names")
    if not callable(getattr(obj, "build", None)):
        raise PluginLoadError(plugin, f"{where} has no build(context) method")
    reporter = cast(Reporter, obj)
    per_school = getattr(obj, "per_school", False) is True
    return key, ReporterInfo(
        key, title, description, tuple(projections), plugin, reporter, per_school
    )


def _renderer_info(obj: object, plugin: str) -> tuple[str, RendererInfo]:
    key = _check_name(plugin, "renderer", obj)
    where = f"renderer {key!r}"
    media_type = getattr(obj, "media_type", None)
    suffix = getattr(obj, "suffix", None)
    if not isinstance(media_type, str) or "/" not in media_type:
        raise PluginLoadError(plugin, f"{where} needs a 'media_type' such as 'text/plain'")
    if not isinstance(suffix, str) or not suffix.startswith("."):
        raise PluginLoadError(plugin, f"{where} needs a 'suffix' starting with '.'")
    if not callable(getattr(obj, "render", None)):
        raise PluginLoadError(plugin, f"{where} has no render(summary) method")
    return key, RendererInfo(key, media_type, suffix, plugin, cast(Renderer, obj))
