"""What a reporter and a renderer look like, and the context a reporter reads from.

This layer never imports :mod:`hubcore.projections`: a reporter reaches read models only
through :class:`ReportContext.get`, and anything with a ``get(name)`` method (such as the
Projector) can be the :class:`Context`'s ``source``.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any, Literal, Protocol, runtime_checkable

import attrs

from hubcore.reporting._summary import Scope, Summary

__all__ = [
    "Context",
    "FunctionRenderer",
    "HubInfo",
    "ProjectionLike",
    "ReadModelSource",
    "Renderer",
    "ReportContext",
    "Reporter",
    "renderer",
]


class ReadModelSource(Protocol):
    """Anything that hands out read models by name (the Projector does)."""

    def get(self, name: str) -> Any:
        """The read model registered as ``name``."""
        ...


@attrs.frozen
class HubInfo:
    """The hub a report is for: its slug id and display name."""

    id: str
    name: str


@runtime_checkable
class ReportContext(Protocol):
    """What :meth:`Reporter.build` receives."""

    @property
    def academic_year(self) -> str:
        """The academic year reported on, e.g. ``"2025/26"``."""
        ...

    @property
    def hub(self) -> HubInfo:
        """The hub reported on."""
        ...

    @property
    def schools(self) -> Literal["all"] | tuple[str, ...]:
        """``"all"`` or the URNs the report is limited to."""
        ...

    def get(self, name: str) -> Any:
        """The read model ``name`` (one of the reporter's declared ``projections``)."""
        ...

    def scope(self) -> Scope:
        """A :class:`Scope` for the summary, from the hub, schools and year."""
        ...


@attrs.frozen(kw_only=True)
class Context:
    """The standard :class:`ReportContext`: read models from ``source``, plus hub and year.

    ``as_of`` is the day the report reads the log as of (None: everything recorded); it is
    handed to the reporter as given.
    """

    source: ReadModelSource
    academic_year: str
    hub: HubInfo
    schools: Literal["all"] | tuple[str, ...] = "all"
    as_of: date | None = None

    def get(self, name: str) -> Any:
        """The read model ``name``, from the source."""
        return self.source.get(name)

    def owned(self, name: str) -> Any | None:
        """The read model ``name`` as an object the caller owns, when the source can hand
        one out without copying (its ``owned(name)``, as a lazy Projector's); else None."""
        owned = getattr(self.source, "owned", None)
        return owned(name) if callable(owned) else None

    def scope(self) -> Scope:
        """A :class:`Scope` for the summary, from the hub, schools and year."""
        return Scope(
            hub_id=self.hub.id,
            hub_name=self.hub.name,
            academic_year=self.academic_year,
            schools=self.schools,
        )


@runtime_checkable
class Reporter(Protocol):
    """A report: reads the read models it names and returns a :class:`Summary`.

    ``name`` is a short slug (``"self-evaluation"``), unique among all plugins;
    ``projections`` names every read model :meth:`build` will ask the context for.
    """

    @property
    def name(self) -> str: ...

    @property
    def title(self) -> str: ...

    @property
    def description(self) -> str: ...

    @property
    def projections(self) -> tuple[str, ...]: ...

    def build(self, context: ReportContext) -> Summary:
        """Compute the summary. Return data only: renderers do all formatting."""
        ...


@runtime_checkable
class ProjectionLike(Protocol):
    """What the reporting layer needs of a projection: its unique read-model ``name``.

    The full projection protocol lives in :mod:`hubcore.projections`; this layer only
    keeps track of who registered which name.
    """

    @property
    def name(self) -> str: ...


@runtime_checkable
class Renderer(Protocol):
    """Turns any :class:`Summary` into bytes of one format.

    ``name`` is the format name users type (``"html"``), ``media_type`` its MIME type and
    ``suffix`` the file name suffix including the dot (``".html"``).
    """

    @property
    def name(self) -> str: ...

    @property
    def media_type(self) -> str: ...

    @property
    def suffix(self) -> str: ...

    def render(self, summary: Summary) -> bytes:
        """The summary as bytes of this format."""
        ...


@attrs.frozen
class FunctionRenderer:
    """A :class:`Renderer` made from a plain ``Callable[[Summary], bytes]``."""

    name: str
    media_type: str
    suffix: str
    function: Callable[[Summary], bytes]

    def render(self, summary: Summary) -> bytes:
        """Call the wrapped function."""
        return self.function(summary)


def renderer(
    name: str, *, media_type: str, suffix: str
) -> Callable[[Callable[[Summary], bytes]], FunctionRenderer]:
    """Decorate ``def render(summary) -> bytes`` to make it a :class:`Renderer`.

    >>> @renderer("tsv", media_type="text/tab-separated-values", suffix=".tsv")
    ... def tsv(summary: Summary) -> bytes: ...
    """

    def wrap(function: Callable[[Summary], bytes]) -> FunctionRenderer:
        return FunctionRenderer(name, media_type, suffix, function)

    return wrap
