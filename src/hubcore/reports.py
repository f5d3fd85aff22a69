"""Every installed report, built and rendered from Python exactly as ``hubcore report`` does.

::

    import hubcore

    with hubcore.open_store("sqlite:///hub.sqlite") as store:
        summary = hubcore.build_report(store, "self-evaluation", year="2025/26")
        page = hubcore.render_report(store, "ofsted", format="html", urn=[121519])

Both load every installed plugin (``PluginHost.default()``), add the projections plugins
register to the built-in ones, bring them up to the store's head, and run the reporter.
:class:`ReportSession` does the same once for several reports over one store.

**The report's basis** (docs/year-truth.md). By default a report for a year uses
everything known about that year: events dated by its last day (31 August) and later
returns for it, never what happened after (the read models keep their facts per year).
``as_of=DATE`` reproduces a report handed in earlier: the log as it stood at the end of
that day (events recorded by then), with the same rule on top. Every report says in its
first caveat which basis it used.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any

import attrs

from hubcore.calendar import academic_year_bounds, is_academic_year
from hubcore.errors import HubcoreError, InvalidRequest
from hubcore.events import HubEstablished

if TYPE_CHECKING:
    from hubcore.projections import Projector
    from hubcore.reporting import Context, HubInfo, PluginHost, RunResults, Summary
    from hubcore.reporting._protocols import ReadModelSource
    from hubcore.store import EventStore, Recorded

__all__ = ["ReportSession", "basis_note", "build_report", "render_report"]


class ReportSession:
    """The installed reports over one open store: plugins, projections and the hub.

    ``plugins`` defaults to every installed plugin the environment allows
    (:meth:`PluginHost.default`); pass a host of your own to choose. The projector holds
    the built-in projections and every projection the plugins register; each
    :meth:`build` first brings them up to the store's head. Saved read models are read
    only when a report asks for them (a ``lazy`` Projector), each straight into the
    report's own copy, so a report costs the read models it declares, not every one
    installed.
    """

    def __init__(
        self,
        store: EventStore,
        *,
        plugins: PluginHost | None = None,
        clock: Callable[[], date] | None = None,
    ) -> None:
        from hubcore.projections import Projector, builtin_projections
        from hubcore.reporting import PluginHost

        self.store = store
        self.host = PluginHost.default() if plugins is None else plugins
        extra: list[Any] = [info.projection for info in self.host.projections()]
        self._projections: list[Any] = [*builtin_projections(), *extra]
        self.projector: Projector = Projector(store, self._projections, lazy=True)
        self._clock = _today if clock is None else clock
        self._recorded: dict[date, tuple[ReadModelSource, int]] = {}

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

    def default_year(self, as_of: date | None = None) -> str:
        """The academic year of the latest ``occurred_on`` in the log (as it stood at the
        end of ``as_of``, if given).

        Not the year of the event appended last: recording last year's work today does not
        move the default back. :class:`~hubcore.HubcoreError` for an empty store.
        """
        from hubcore.projections import LogSpan

        source = self._caught_up() if as_of is None else self.recorded_by(as_of)[0]
        span = source.get("log_span")
        year = span.latest_year() if isinstance(span, LogSpan) else None
        if year is None:
            when = "" if as_of is None else f" on {as_of.isoformat()}"
            raise HubcoreError(f"the store was empty{when}: record or import something first")
        return year

    def _caught_up(self) -> ReadModelSource:
        self.catch_up()
        return self.projector

    def recorded_by(self, day: date) -> tuple[ReadModelSource, int]:
        """The read models of the log as it stood at the end of ``day`` (UTC): a fresh fold
        of the events recorded by then; and how many those were. The store and the
        checkpointed read models are not touched."""
        from hubcore.projections import ReadModels, fold

        found = self._recorded.get(day)
        if found is None:
            count = [0]

            def records() -> Iterator[Recorded]:
                for recorded in self.store.read_all():
                    if _recorded_day(recorded) <= day:
                        count[0] += 1
                        yield recorded

            states = fold(self._projections, records())
            found = self._recorded[day] = (ReadModels(states), count[0])
        return found

    def context(
        self,
        *,
        year: str | None = None,
        as_of: date | None = None,
        urn: int | Iterable[int] | None = None,
    ) -> Context:
        """The report context for ``year`` (default :meth:`default_year`), limited to ``urn``.

        With ``as_of``, the read models are those of the log as it stood at the end of that
        day (:meth:`recorded_by`), and ``context.as_of`` is that day.
        """
        from hubcore.reporting import Context

        if year is not None and not is_academic_year(year):
            raise InvalidRequest(f"year must be an academic year such as 2025/26, got {year!r}")
        if as_of is not None and (not isinstance(as_of, date) or isinstance(as_of, datetime)):
            raise InvalidRequest(f"as_of must be a date, got {type(as_of).__name__} {as_of!r}")
        source = self._caught_up() if as_of is None else self.recorded_by(as_of)[0]
        return Context(
            source=source,
            academic_year=self.default_year(as_of) if year is None else year,
            hub=self.hub(),
            schools=_schools(urn),
            as_of=as_of,
        )

    def _with_basis(self, summary: Summary, context: Context) -> Summary:
        recorded = None if context.as_of is None else self.recorded_by(context.as_of)[1]
        note = basis_note(context.academic_year, context.as_of, self._clock(), recorded)
        return attrs.evolve(summary, caveats=(note, *summary.caveats))

    def build(
        self,
        name: str,
        *,
        year: str | None = None,
        as_of: date | None = None,
        urn: int | Iterable[int] | None = None,
    ) -> Summary:
        """The report ``name`` (see ``hubcore reporters``); any failure is a HubcoreError.

        Its first caveat states the report's basis (:func:`basis_note`)."""
        self.host.reporter(name)  # an unknown name fails before any work
        context = self.context(year=year, as_of=as_of, urn=urn)
        return self._with_basis(self.host.run_report(name, context), context)

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
        context = self.context(year=year, as_of=as_of, urn=urn)
        results = self.host.run_all(context, chosen)
        return attrs.evolve(
            results,
            summaries={n: self._with_basis(s, context) for n, s in results.summaries.items()},
        )

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


def _today() -> date:
    return datetime.now(UTC).date()


def _recorded_day(recorded: Recorded) -> date:
    at = recorded.recorded_at
    return (at if at.tzinfo is None else at.astimezone(UTC)).date()


def basis_note(year: str, as_of: date | None, today: date, recorded: int | None = None) -> str:
    """The sentence a report for ``year`` opens its caveats with, naming its basis.

    ``as_of`` is the day the log is read as of (None: as it stands), ``today`` the day the
    report is built, ``recorded`` how many events were recorded by ``as_of``.
    """
    end = academic_year_bounds(year)[1].isoformat()
    rule = f"events dated by {end}, and returns for {year} or earlier made later"
    if as_of is not None:
        return (
            f"Basis: the log as it stood at the end of {as_of.isoformat()} "
            f"({recorded or 0:,} events recorded by then), limited to {rule}."
        )
    if today.isoformat() <= end:
        return f"Basis: everything recorded so far; {year} is not over (it ends {end})."
    return f"Basis: everything known about {year} as recorded by {today.isoformat()}: {rule}."


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
