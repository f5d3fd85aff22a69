"""Shared pieces of every built-in read model: ratios, year bounds, the roster, persistence.

Every built-in read model is an attrs class whose state is a few dictionaries keyed by the
stream they come from (a school's URN, or a hub's id). That shape buys three things:

* ``dump``/``load`` are one generic orjson round trip (inner keys are always text), and
  the parts the Projector stores are one ``marshal`` of the fields (:mod:`._compact`);
* folding is per stream, so a rebuild can be partitioned by stream and the partial states
  merged by dictionary union (:meth:`ReadModel.merge`);
* the fold is deterministic: values are applied in log order and queries aggregate at
  read time, so batching the log differently cannot change any answer;
* states hold plain data only (ints, floats, text, None, lists, dicts: dates as ordinals,
  enum members as their values, just as a loaded state holds them), and values that repeat
  across millions of facts (days, years, judgement mappings, sorted sets) are one shared
  object each, never changed in place: the read models' memory grows with the facts they
  keep, not with copies of the same few values.

The public API of a read model is its query methods; the underscored fields are internal.
"""

from __future__ import annotations

import functools
import gc
import zlib
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from datetime import date
from enum import Enum
from typing import Any, ClassVar, Self, TypeVar

import attrs
import orjson

from hubcore.calendar import academic_year_bounds, academic_year_of
from hubcore.errors import CorruptRecord, HubcoreError
from hubcore.events import Event, SchoolClosed, SchoolDetailsUpdated, SchoolRegistered
from hubcore.projections._compact import is_packed, pack, unpack
from hubcore.vocabulary import Phase

__all__ = [
    "Ratio",
    "ReadModel",
    "RosterModel",
    "SchoolFacts",
    "keep_by_year",
    "known_from",
    "latest_by_year",
    "ordinal",
    "plain",
    "shard_of",
    "shared_mapping",
    "shared_sorted",
    "stream_key",
    "year_on",
]

Handler = Callable[[Any, Any], None]
M = TypeVar("M", bound="ReadModel")
T = TypeVar("T")


@attrs.frozen
class Ratio:
    """A share with its parts kept: ``numerator / denominator`` (``value`` is None when 0/0)."""

    numerator: float
    denominator: float

    @property
    def value(self) -> float | None:
        """The share as a fraction in [0, 1] (None when the denominator is 0)."""
        return None if self.denominator == 0 else self.numerator / self.denominator

    @property
    def percent(self) -> float | None:
        """The share as a percentage (None when the denominator is 0)."""
        value = self.value
        return None if value is None else 100.0 * value

    def meets(self, target: float) -> bool | None:
        """True when the share is at least ``target`` (a fraction); None when unknown."""
        value = self.value
        return None if value is None else value >= target


@functools.lru_cache(maxsize=1024)
def year_bounds(year: str) -> tuple[int, int]:
    """First and last day (inclusive) of an academic year, as date ordinals."""
    try:
        start, end = academic_year_bounds(year)
    except ValueError as error:
        raise HubcoreError(f"read model query: {error}") from None
    return start.toordinal(), end.toordinal()


@functools.lru_cache(maxsize=8192)
def year_of(ordinal: int) -> str:
    """The academic year a date ordinal falls in."""
    return academic_year_of(date.fromordinal(ordinal))


# Values a read model keeps for millions of facts but that take few distinct values: each
# distinct one is kept once and shared (never changed in place), up to this many per kind
# (past it, values are simply not shared: the answers are the same either way).
_SHARED_LIMIT = 1 << 16
_ORDINALS: dict[date, int] = {}
_YEARS: dict[date, str] = {}
_MAPPINGS: dict[tuple[Any, ...], dict[Any, Any]] = {}
_SORTED: dict[frozenset[Any], list[Any]] = {}


def ordinal(d: date) -> int:
    """A date as its ordinal (the internal form of every date in a read model).

    One shared int per day: ordinals are past CPython's small-int cache, and a log holds
    few distinct days, so a model keeping millions of dates keeps a few thousand ints.
    """
    found = _ORDINALS.get(d)
    if found is None:
        found = d.toordinal()
        if len(_ORDINALS) < _SHARED_LIMIT:
            _ORDINALS[d] = found
    return found


def year_on(d: date) -> str:
    """The academic year a date falls in (one shared string per year)."""
    found = _YEARS.get(d)
    if found is None:
        found = year_of(ordinal(d))
        if len(_YEARS) < _SHARED_LIMIT:
            _YEARS[d] = found
    return found


def plain(value: Any) -> Any:
    """An enum member as its value (what a stored state holds), anything else as is."""
    return value._value_ if isinstance(value, Enum) else value


def shared_mapping(mapping: Mapping[Any, Any]) -> dict[Any, Any]:
    """A dict of the :func:`plain` keys and values of ``mapping`` (same order), shared by
    every equal mapping: for a fact's small mapping that read models keep but never change
    (a conversation's judgements)."""
    key = tuple(mapping.items())
    found = _MAPPINGS.get(key)
    if found is None:
        found = {plain(k): plain(v) for k, v in key}
        if len(_MAPPINGS) < _SHARED_LIMIT:
            _MAPPINGS[key] = found
    return found


def shared_sorted(values: frozenset[Any]) -> list[Any]:
    """The :func:`plain` values of a set, sorted: one list shared by every equal set
    (never changed in place)."""
    found = _SORTED.get(values)
    if found is None:
        found = sorted(map(plain, values))
        if len(_SORTED) < _SHARED_LIMIT:
            _SORTED[values] = found
    return found


def day(ordinal: int | None) -> date | None:
    """A date ordinal back to a date (None stays None)."""
    return None if ordinal is None else date.fromordinal(ordinal)


def latest(rows: Iterable[list[Any]], until: int | None = None) -> list[Any] | None:
    """The row with the greatest date ordinal (index 0), the last recorded on a tie.

    ``until`` ignores rows dated after it.
    """
    best: list[Any] | None = None
    for row in rows:
        if (until is None or row[0] <= until) and (best is None or row[0] >= best[0]):
            best = row
    return best


def known_from(on: int, reported: str | None = None) -> str:
    """The first academic year whose reports may use a fact dated ``on`` (an ordinal) that
    reports on ``reported`` (None: on no particular year): the earlier of the two years.

    A report for year ``Y`` may use the fact exactly when ``known_from(...) <= Y``
    (academic years sort as text), the rule of :mod:`hubcore.year_truth`.
    """
    year = year_of(on)
    return year if reported is None or year <= reported else reported


def keep_by_year(buckets: list[Any], year: str, row: list[Any]) -> None:
    """File ``row`` (a fact row starting with its date ordinal) in ``buckets``, a flat list
    ``[year, row, year, row, ...]`` keeping the latest row (the last recorded on a tie) of
    each :func:`known_from` year; new years are added at the end."""
    for i in range(len(buckets) - 2, -1, -2):
        if buckets[i] == year:
            if row[0] >= buckets[i + 1][0]:
                buckets[i + 1] = row
            return
    buckets.append(year)
    buckets.append(row)


def latest_by_year(buckets: list[Any], year: str | None) -> list[Any] | None:
    """The latest row of :func:`keep_by_year` ``buckets`` a report for ``year`` may use
    (None: any); on a tie, the row of the year filed last.

    Depends only on the buckets of years up to ``year``, so facts filed later about later
    years never change the answer.
    """
    best: list[Any] | None = None
    for i in range(0, len(buckets), 2):
        if year is None or buckets[i] <= year:
            row = buckets[i + 1]
            if best is None or row[0] >= best[0]:
                best = row
    return best


def stream_key(stream: str) -> int | str:
    """The key a stream's facts are filed under: a school's URN (int) or a hub's id (text)."""
    if stream.startswith("school-"):
        try:
            return int(stream[7:])
        except ValueError:
            return stream
    if stream.startswith("hub-"):
        return stream[4:]
    return stream


def shard_of(key: int | str, shards: int) -> int:
    """The shard (0 to ``shards - 1``) a state key is saved in; stable across processes."""
    if isinstance(key, int):
        return key % shards
    return zlib.crc32(key.encode()) % shards


def _invalidating(handler: Handler) -> Handler:
    """``handler`` preceded by dropping the model's query cache (the state is about to change)."""

    @functools.wraps(handler)
    def apply(self: ReadModel, event: Any) -> None:
        cache = self._cache
        if cache:
            cache.clear()
        handler(self, event)

    apply.__hubcore_invalidates__ = True  # type: ignore[attr-defined]
    apply.__hubcore_raw__ = handler  # type: ignore[attr-defined]  # for folds: see _projector
    return apply


def _is_state(field: attrs.Attribute[Any]) -> bool:
    return not field.metadata.get("cache", False)


_STATE_FIELDS: dict[type[Any], tuple[attrs.Attribute[Any], ...]] = {}


def _state_fields(cls: type[ReadModel]) -> tuple[attrs.Attribute[Any], ...]:
    """The fields holding the folded state (every field but the query cache)."""
    found = _STATE_FIELDS.get(cls)
    if found is None:
        found = _STATE_FIELDS[cls] = tuple(f for f in attrs.fields(cls) if _is_state(f))
    return found


@attrs.define(eq=True)
class ReadModel:
    """Base of the built-in read models: generic persistence, merge and event dispatch.

    Subclasses declare handlers as methods named ``_on_<EventType>(self, event)``, and list
    in ``_HUB_KEYED`` the fields keyed by hub id (every other field is keyed by URN).

    Queries may keep derived indexes in :meth:`_cached` (built on first use, out of equality,
    ``dump`` and ``merge``); every ``_on_...`` handler drops them before changing the state,
    so a query answers the same with or without them. (A Projector's fold drops them once
    before and once after folding, and calls the handlers without that step: handlers
    change the state, they never query it.)
    """

    _HUB_KEYED: ClassVar[frozenset[str]] = frozenset()

    _cache: dict[Any, Any] = attrs.field(
        factory=dict, init=False, eq=False, repr=False, metadata={"cache": True}
    )

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        for name, value in list(vars(cls).items()):
            if (
                name.startswith("_on_")
                and callable(value)
                and not getattr(value, "__hubcore_invalidates__", False)
            ):
                setattr(cls, name, _invalidating(value))

    def _cached(self, key: Any, build: Callable[[], T]) -> T:
        """The query index ``key``, built by ``build()`` on first use since the last change."""
        cache = self._cache
        try:
            return cache[key]  # type: ignore[no-any-return]
        except KeyError:
            pass
        # an index is many small acyclic containers: building it under the cycle collector
        # would set off collections that find nothing (as in the folds, see _projector)
        enabled = gc.isenabled()
        gc.disable()
        try:
            value = cache[key] = build()
        finally:
            if enabled:
                gc.enable()
        return value

    @classmethod
    def handlers(cls) -> dict[str, Handler]:
        """Event type -> unbound handler method, for every ``_on_<EventType>`` method."""
        return {
            name[4:]: getattr(cls, name)
            for name in dir(cls)
            if name.startswith("_on_") and callable(getattr(cls, name))
        }

    def dump(self) -> bytes:
        """The state as orjson bytes (see :meth:`load`)."""
        data = {f.name: getattr(self, f.name) for f in _state_fields(type(self))}
        return orjson.dumps(data, option=orjson.OPT_NON_STR_KEYS)

    @classmethod
    def load(cls, data: bytes) -> Self:
        """The state :meth:`dump` or :meth:`dump_part` wrote (JSON or the compact form);
        :class:`~hubcore.CorruptRecord` if unreadable."""
        if is_packed(data):
            fields = _state_fields(cls)
            names = tuple(f.name for f in fields)
            packed = unpack(data, names, cls.__name__)
            for f, value in zip(fields, packed, strict=True):
                if not isinstance(value, dict):
                    raise CorruptRecord(
                        f"stored state of read model {cls.__name__}: field {f.name!r} is a "
                        f"{type(value).__name__}, not a map"
                    )
            return cls(**{f.alias or f.name: v for f, v in zip(fields, packed, strict=True)})
        try:
            raw = orjson.loads(data)
            values: dict[str, Any] = {}
            for f in _state_fields(cls):
                field = raw[f.name]
                if not isinstance(field, dict):
                    raise TypeError(f"field {f.name!r} is a {type(field).__name__}, not a map")
                values[f.alias or f.name] = (
                    field if f.name in cls._HUB_KEYED else {int(k): v for k, v in field.items()}
                )
            return cls(**values)
        except (orjson.JSONDecodeError, KeyError, TypeError, ValueError, AttributeError) as error:
            raise CorruptRecord(f"stored state of read model {cls.__name__}: {error!r}") from None

    def keys(self) -> set[Any]:
        """Every stream key (URN or hub id) the state holds facts about."""
        found: set[Any] = set()
        for f in _state_fields(type(self)):
            found.update(getattr(self, f.name))
        return found

    def dump_part(self, keys: Collection[Any]) -> bytes:
        """The facts about ``keys`` only (absent keys skipped), in the compact stored form
        (:mod:`._compact`; the JSON of :meth:`dump` if a value is not plain data).

        :meth:`merge` of the :meth:`load` of parts covering every key gives the whole state
        back: the Projector saves a large state as such parts and rewrites only those
        holding a stream that changed.
        """
        fields = _state_fields(type(self))
        data: dict[str, dict[Any, Any]] = {}
        for f in fields:
            field: dict[Any, Any] = getattr(self, f.name)
            data[f.name] = {k: field[k] for k in keys if k in field}
        packed = pack(tuple(data), list(data.values()))
        if packed is not None:
            return packed
        return orjson.dumps(data, option=orjson.OPT_NON_STR_KEYS)

    @classmethod
    def merge(cls, parts: Sequence[Self]) -> Self:
        """Join states folded from disjoint sets of streams into one.

        Raises :class:`~hubcore.HubcoreError` if two parts hold the same stream's facts.
        """
        merged = cls()
        for f in _state_fields(cls):
            target: dict[Any, Any] = getattr(merged, f.name)
            for part in parts:
                source: dict[Any, Any] = getattr(part, f.name)
                clash = target.keys() & source.keys()
                if clash:
                    raise HubcoreError(
                        f"cannot merge {cls.__name__}.{f.name}: keys {sorted(clash)[:3]} are in"
                        " more than one part (partition the log by stream)"
                    )
                target.update(source)
        return merged


@attrs.frozen
class SchoolFacts:
    """A school's roster entry: the latest recorded details and its open/closed dates."""

    urn: int
    name: str
    phase: Phase
    la_code: str
    pupils_on_roll: int
    disadvantaged_pct: float | None
    registered_on: date
    closed_on: date | None
    send_pct: float | None = None
    """Share of pupils with special educational needs (SEN support or an EHC plan), %."""


# roster row layout
_REG, _CLOSED, _PHASE, _LA, _ROLL, _DPCT, _NAME, _SPCT = range(8)
# detail change layout: [occurred_on ordinal, name, phase, roll, dpct, spct] (None: unchanged)
_CHANGED = ((1, _NAME), (2, _PHASE), (3, _ROLL), (4, _DPCT), (5, _SPCT))


@attrs.define(eq=True)
class RosterModel(ReadModel):
    """A read model that knows the roster: who is registered, their phase, LA and roll.

    **Open during the year** (docs/metrics.md, "schools registered and open during the year"):
    registered on or before the year's last day and not closed before its first day.

    **Details are year-true** (docs/year-truth.md): asked about a year, a school's name,
    phase, roll and disadvantaged % are as they stood at that year's end (the registered
    values, each overridden by the latest change dated on or before 31 August; the last
    recorded wins a tie), and a school registered after the year is not on that year's
    roster. Asked without a year, they are the latest recorded.
    """

    _roster: dict[int, list[Any]] = attrs.field(factory=dict, repr=False)
    # urn -> the school's detail changes in log order (see _CHANGED)
    _changes: dict[int, list[list[Any]]] = attrs.field(factory=dict, repr=False)

    def _on_SchoolRegistered(self, e: SchoolRegistered) -> None:
        self._roster[e.urn] = [
            ordinal(e.occurred_on),
            None,
            e.phase._value_,
            e.la_code,
            e.pupils_on_roll,
            e.disadvantaged_pct,
            e.name,
            e.send_pct,
        ]

    def _on_SchoolDetailsUpdated(self, e: SchoolDetailsUpdated) -> None:
        if e.urn not in self._roster:
            return
        self._changes.setdefault(e.urn, []).append(
            [
                ordinal(e.occurred_on),
                e.name,
                None if e.phase is None else e.phase._value_,
                e.pupils_on_roll,
                e.disadvantaged_pct,
                e.send_pct,
            ]
        )

    def _on_SchoolClosed(self, e: SchoolClosed) -> None:
        row = self._roster.get(e.urn)
        if row is not None and row[_CLOSED] is None:
            row[_CLOSED] = ordinal(e.occurred_on)

    def _roster_of(self, year: str | None) -> dict[int, list[Any]]:
        """urn -> roster row as the school stood at ``year``'s end (None: the latest), cached.

        Rows are shared with the state where nothing changed: never change them in place.
        """
        if year is None:
            return self._cached(("roster", None), lambda: self._rows_until(None))
        end = year_bounds(year)[1]
        return self._cached(("roster", year), lambda: self._rows_until(end))

    def _rows_until(self, end: int | None) -> dict[int, list[Any]]:
        changes = self._changes
        rows: dict[int, list[Any]] = {}
        for urn, row in self._roster.items():
            if end is not None and row[_REG] > end:
                continue
            changed = changes.get(urn)
            closed = row[_CLOSED]
            late_close = end is not None and closed is not None and closed > end
            if not changed and not late_close:
                rows[urn] = row
                continue
            current = list(row)
            if late_close:
                current[_CLOSED] = None
            # stable by date: the last recorded stays last on a tie
            for change in sorted(changed or (), key=lambda c: c[0]):
                if end is not None and change[0] > end:
                    break
                for index, field in _CHANGED:
                    if change[index] is not None:
                        current[field] = change[index]
            rows[urn] = current
        return rows

    # -- queries -------------------------------------------------------------------------

    def school(self, urn: int, year: str | None = None) -> SchoolFacts | None:
        """The school's roster entry as it stood at ``year``'s end (None: the latest), or
        None if it was not registered by then."""
        row = self._roster_of(year).get(urn)
        if row is None:
            return None
        return SchoolFacts(
            urn=urn,
            name=row[_NAME],
            phase=Phase(row[_PHASE]),
            la_code=row[_LA],
            pupils_on_roll=row[_ROLL],
            disadvantaged_pct=row[_DPCT],
            registered_on=date.fromordinal(row[_REG]),
            closed_on=day(row[_CLOSED]),
            send_pct=row[_SPCT],
        )

    def registered(self) -> list[int]:
        """Every registered URN, ascending."""
        return sorted(self._roster)

    def is_open(self, urn: int, year: str) -> bool:
        """True when the school was registered and open during ``year`` (see class doc)."""
        row = self._roster.get(urn)
        if row is None:
            return False
        start, end = year_bounds(year)
        return bool(row[_REG] <= end and (row[_CLOSED] is None or row[_CLOSED] >= start))

    def open_schools(
        self, year: str, phase: Phase | str | None = None, la: str | None = None
    ) -> list[int]:
        """URNs open during ``year`` (optionally of one phase and/or local authority, as the
        school stood at the year's end)."""
        return list(self._open(year, phase, la))

    def _open(self, year: str, phase: Phase | str | None, la: str | None) -> tuple[int, ...]:
        """:meth:`open_schools` as a cached tuple (do not rely on it across changes)."""
        return self._cached(("open", year, phase, la), lambda: self._find_open(year, phase, la))

    def _find_open(self, year: str, phase: Phase | str | None, la: str | None) -> tuple[int, ...]:
        if phase is None and la is None:
            start, end = year_bounds(year)
            return tuple(
                urn
                for urn, row in sorted(self._roster.items())
                if row[_REG] <= end and (row[_CLOSED] is None or row[_CLOSED] >= start)
            )
        roster = self._roster_of(year)
        return tuple(
            urn
            for urn in self._open(year, None, None)
            if (phase is None or roster[urn][_PHASE] == phase)
            and (la is None or roster[urn][_LA] == la)
        )

    def _in(self, urn: int, year: str, phase: Phase | str | None, la: str | None) -> bool:
        """True when the school matches the phase/LA filter at ``year``'s end (a school not
        registered by then never matches)."""
        row = self._roster_of(year).get(urn)
        if row is None:
            return False
        return (phase is None or row[_PHASE] == phase) and (la is None or row[_LA] == la)

    def _open_share(
        self,
        year: str,
        qualifies: Callable[[int], bool],
        phase: Phase | str | None,
        la: str | None,
    ) -> Ratio:
        schools = self._open(year, phase, la)
        return Ratio(sum(1 for urn in schools if qualifies(urn)), len(schools))

    def _by(self, attr: int, year: str) -> Iterator[str]:
        roster = self._roster_of(year)
        seen = {roster[urn][attr] for urn in self._open(year, None, None)}
        return iter(sorted(seen))

    def phases(self, year: str) -> list[Phase]:
        """Phases of the schools open during ``year`` (as they stood at its end)."""
        return [Phase(p) for p in self._by(_PHASE, year)]

    def local_authorities(self, year: str) -> list[str]:
        """LA codes of the schools open during ``year``."""
        return list(self._by(_LA, year))

    def _roll(self, urn: int, year: str | None) -> int:
        row = self._roster_of(year).get(urn)
        return 0 if row is None else int(row[_ROLL])

    def _dpct(self, urn: int, year: str | None) -> float | None:
        row = self._roster_of(year).get(urn)
        return None if row is None else row[_DPCT]

    def _spct(self, urn: int, year: str | None) -> float | None:
        row = self._roster_of(year).get(urn)
        return None if row is None else row[_SPCT]


def events_of(*classes: type[Event]) -> frozenset[str]:
    """The ``event_type`` tags of some event classes."""
    return frozenset(cls.event_type for cls in classes)
