"""Every installed report, built and rendered from Python exactly as ``hubcore report`` does.

::

    import hubcore

    with hubcore.open_store("sqlite:///hub.sqlite") as store:
        summary = hubcore.build_report(store, "self-evaluation", year="2025/26")
        page = hubcore.render_report(store, "ofsted", format="html", urn=[121519])

Both load every installed plugin (``PluginHost.default()``), add the projections plugins
register to the built-in ones, bring them up to the store's head, and run the reporter.
:class:`ReportSession` does the same once for several reports over one store.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import date
from typing import TYPE_CHECKING, Any

from hubcore.calendar import is_academic_year
from hubcore.errors import HubcoreError, InvalidRequest
from hubcore.events import HubEstablished

if TYPE_CHECKING:
    from hubcore.projections import Projector
    from hubcore.reporting import Context, HubInfo, PluginHost, RunResults, Summary
    from hubcore.store import EventStore

__all__ = ["ReportSession", "build_report", "render_report"]


class ReportSession:
    """The installed reports over one open store: plugins, projections and the hub.

    ``plugins`` defaults to every installed plugin the environment allows
    (:meth:`PluginHost.default`); pass a host of your own to choose. The projector holds
    the built-in projections and every projection the plugins register; each
    :meth:`build` first brings them up to the store's head.
    """

    def __init__(self, store: EventStore, *, plugins: PluginHost | None = None) -> None:
        from hubcore.projections import Projector, builtin_projections
        from hubcore.reporting import PluginHost

        self.store = store
        self.host = PluginHost.default() if plugins is None else plugins
        extra: list[Any] = [info.projection for info in self.host.projections()]
        self.projector: Projector = Projector(store, [*builtin_projections(), *extra])

    def catch_up(self) -> int:
        """Fold every event new to any projection; return how many were read."""
        return self.projector.catch_up()

    def hub(self) -> HubInfo:
        """The hub recorded in the store (its ``HubEstablished`` event)."""
        from hubcore.reporting import HubInfo

        for stream in self.store.streams("hub-"):
            for recorded in self.store.read_stream(stream):
                if isinstance(recorded.event, HubEstablished):
                    return HubInfo(id=recorded.event.hub_id, name=recorded.event.name)
                break
        return HubInfo(id="unknown", name="(no HubEstablished recorded)")

    def default_year(self) -> str:
        """The academic year of the latest ``occurred_on`` in the log.

        Not the year of the event appended last: recording last year's work today does not
        move the default back. :class:`~hubcore.HubcoreError` for an empty store.
        """
        from hubcore.projections import LogSpan

        self.catch_up()
        year = self.projector.get("log_span", LogSpan).latest_year()
        if year is None:
            raise HubcoreError("the store is empty: record or import something first")
        return year

    def context(
        self,
        *,
        year: str | None = None,
        as_of: date | None = None,
        urn: int | Iterable[int] | None = None,
    ) -> Context:
        """The report context for ``year`` (default :meth:`default_year`), limited to ``urn``.

        ``as_of`` is handed to the reporters as ``context.as_of``.
        """
        from hubcore.reporting import Context

        if year is not None and not is_academic_year(year):
            raise InvalidRequest(f"year must be an academic year such as 2025/26, got {year!r}")
        if as_of is not None and not isinstance(as_of, date):
            raise InvalidRequest(f"as_of must be a date, got {type(as_of).__name__} {as_of!r}")
        self.catch_up()
        return Context(
            source=self.projector,
            academic_year=self.default_year() if year is None else year,
            hub=self.hub(),
            schools=_schools(urn),
            as_of=as_of,
        )

    def build(
        self,
        name: str,
        *,
        year: str | None = None,
        as_of: date | None = None,
        urn: int | Iterable[int] | None = None,
    ) -> Summary:
        """The report ``name`` (see ``hubcore reporters``); any failure is a HubcoreError."""
        self.host.reporter(name)  # an unknown name fails before any work
        return self.host.run_report(name, self.context(year=year, as_of=as_of, urn=urn))

    def build_all(
        self,
        names: Iterable[str] | None = None,
        *,
        year: str | None = None,
        as_of: date | None = None,
        urn: int | Iterable[int] | None = None,
    ) -> RunResults:
        """Several reports (default: all); one that fails never stops the others."""
        chosen = None if names is None else list(names)
        for name in chosen or ():
            self.host.reporter(name)
        return self.host.run_all(self.context(year=year, as_of=as_of, urn=urn), chosen)

    def render(self, summary: Summary, format: str = "json") -> bytes:
        """``summary`` as bytes of the output format ``format``."""
        return self.host.render(summary, format)

    def render_text(self, summary: Summary, format: str = "json") -> str:
        """``summary`` as text of ``format``; :class:`InvalidRequest` for a binary format."""
        data = self.render(summary, format)
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError:
            media_type = self.host.renderer(format).media_type
            raise InvalidRequest(
                f"format {format!r} gives {media_type} bytes that are not UTF-8 text: use "
                "ReportSession.render() for its bytes"
            ) from None


def _schools(urn: int | Iterable[int] | None) -> Any:
    if urn is None:
        return "all"
    urns = [urn] if isinstance(urn, int | str) else list(urn)
    for each in urns:
        if isinstance(each, bool) or not isinstance(each, int):
            raise InvalidRequest(f"urn must be a URN (an int) or several, got {each!r}")
    return tuple(str(u) for u in urns)


@contextmanager
def _session(store: EventStore | str, plugins: PluginHost | None) -> Iterator[ReportSession]:
    if not isinstance(store, str):
        yield ReportSession(store, plugins=plugins)
        return
    from hubcore.store import open_store

    with open_store(store) as opened:
        yield ReportSession(opened, plugins=plugins)


def build_report(
    store: EventStore | str,
    name: str,
    *,
    year: str | None = None,
    as_of: date | None = None,
    urn: int | Iterable[int] | None = None,
    plugins: PluginHost | None = None,
) -> Summary:
    """The report ``name`` over ``store`` (an open store, or a URL to open and close).

    With every installed plugin and their projections, exactly as ``hubcore report``
    builds it. ``year`` defaults to the academic year of the latest ``occurred_on``;
    ``urn`` limits the report to one school or several.
    """
    with _session(store, plugins) as session:
        return session.build(name, year=year, as_of=as_of, urn=urn)


def render_report(
    store: EventStore | str,
    name: str,
    *,
    format: str = "json",
    year: str | None = None,
    as_of: date | None = None,
    urn: int | Iterable[int] | None = None,
    plugins: PluginHost | None = None,
) -> str:
    """The report ``name`` rendered as ``format`` (``text``, ``markdown``, ``json``, ``csv``,
    ``html`` or one a plugin adds), as ``hubcore report NAME --format FORMAT`` writes it.

    The text is the renderer's UTF-8 bytes decoded (a CSV keeps its byte-order mark).
    """
    with _session(store, plugins) as session:
        session.host.renderer(format)  # an unknown format fails before any work
        return session.render_text(session.build(name, year=year, as_of=as_of, urn=urn), format)
