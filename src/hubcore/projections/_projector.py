"""The Projector: folds the log into read models, checkpointed, resumable, rebuildable."""

from __future__ import annotations

import contextlib
import itertools
import logging
from collections.abc import Callable, Iterable, Sequence
from datetime import date
from typing import Any, NoReturn, TypeVar, overload

import orjson

from hubcore._gc import collector_paused
from hubcore.calendar import academic_year_bounds, is_academic_year
from hubcore.errors import (
    CorruptRecord,
    HubcoreError,
    InvalidRequest,
    StoreFull,
    StoreLocked,
    StorePermissionDenied,
    StoreReadOnly,
)
from hubcore.projections._base import shard_of, stream_key
from hubcore.projections._builtin import builtin_projections
from hubcore.projections._protocol import ModelProjection, Projection
from hubcore.store import EventStore, StoredProjection

__all__ = ["DEFAULT_SAVE_EVERY", "Projector", "ReadModels", "fold"]

T = TypeVar("T")
DEFAULT_SAVE_EVERY = 500_000
"""Events folded between two saves during one long catch-up (a crash loses at most these)."""

_KEYS_PER_SHARD = 64  # target size of one saved part of a large state
_MAX_SHARDS = 4096
_SHARDS = "__shards__"  # the key of a part-saved state's manifest
_REBUILD = "__rebuild__"  # the stored note of an unfinished rebuild: the names it folds
_UNLOADED: Any = object()  # the state of a lazy entry whose saved parts are not read yet


class _Entry:
    """One projection in a Projector: its state, checkpoint and how it is saved.

    ``shards`` is None while the next save must write the whole state; otherwise the state
    is saved as ``shards`` parts (rows ``<name>#<i>``) named by a manifest row ``<name>``,
    and ``members[i]`` holds every stream key ever saved in part ``i`` (None until a save
    needs them: they are found from the state then, so a state read only to be queried
    never pays for them).
    """

    __slots__ = ("checkpoint", "members", "projection", "shards", "state", "unsaved")

    def __init__(self, projection: Projection[Any], state: Any, checkpoint: int) -> None:
        self.projection = projection
        self.state = state
        self.checkpoint = checkpoint  # folded in memory (saved too, unless `unsaved`)
        self.unsaved = False
        self.shards: int | None = None
        self.members: list[set[Any]] | None = []


def _check_names(projections: Sequence[Projection[Any]]) -> None:
    seen: set[str] = set()
    for index, p in enumerate(projections):
        if not isinstance(p, Projection):
            raise InvalidRequest(
                f"Projector projections[{index}] is not a projection (name, version, "
                f"handles, initial, apply, dump, load), got {type(p).__name__}"
            )
        if p.name in seen:
            raise HubcoreError(f"two projections are named {p.name!r}; names must be unique")
        seen.add(p.name)


def _gc_paused() -> contextlib.AbstractContextManager[None]:
    """Pause the cycle collector during a fold; the new read models then go straight to
    the oldest generation (:func:`hubcore._gc.collector_paused`)."""
    return collector_paused(age_new_objects=True)


_log = logging.getLogger("hubcore.projections")

Step = Callable[[Any], None]
Table = dict[str, tuple[list[Step], list[Step]]]


def _table(
    slots: Sequence[tuple[Projection[Any], Callable[[], Any], Step]],
) -> tuple[Table, list[dict[Any, Any]]]:
    """Event type -> (handlers taking the event, steps taking the record), built once; and
    the query caches of the states the handlers change in place.

    Each slot is (projection, the current state, a step folding one record into it). A
    :class:`ModelProjection` (unless a subclass overrides ``apply``) mutates its state in
    place, so its handlers are bound to the state object once and called with the event;
    a :class:`~hubcore.projections.ReadModel`'s handlers are bound without their step that
    drops the query cache (the fold drops each cache once, before and after: see
    :func:`_fold_into`), one call less per event and model.
    """
    table: Table = {}
    caches: list[dict[Any, Any]] = []
    for projection, state, step in slots:
        in_place = getattr(projection, "event_handlers", None)
        if in_place is not None and type(projection).apply is ModelProjection.apply:
            bound = state()
            cache = getattr(bound, "_cache", None)
            raw_ok = isinstance(cache, dict)
            if isinstance(cache, dict):
                caches.append(cache)
            for event_type, handler in in_place().items():
                raw = getattr(handler, "__hubcore_raw__", None) if raw_ok else None
                fn = handler if raw is None else raw
                table.setdefault(event_type, ([], []))[0].append(fn.__get__(bound))
        else:
            for event_type in projection.handles:
                table.setdefault(event_type, ([], []))[1].append(step)
    return table, caches


_NOTHING: tuple[list[Step], list[Step]] = ([], [])


def _fold_into(
    built: tuple[Table, list[dict[Any, Any]]], records: Iterable[Any], touched: set[str] | None
) -> tuple[int, int]:
    """Fold ``records`` through a :func:`_table`; (records read, last position or -1).

    The hot loop of every rebuild: dispatch is one dictionary look-up by the event's class.
    ``touched`` (if given) collects the streams read. The query caches of the states are
    dropped before and after (also when folding fails part way).
    """
    table, caches = built
    for cache in caches:
        cache.clear()
    try:
        return _fold_loop(table, records, touched)
    finally:
        for cache in caches:
            cache.clear()


def _fold_loop(table: Table, records: Iterable[Any], touched: set[str] | None) -> tuple[int, int]:
    by_class: dict[type, tuple[list[Step], list[Step]]] = {}
    get_class = by_class.get
    get_type = table.get
    count = 0
    rec: Any = None
    if touched is None:
        for count, rec in enumerate(records, 1):  # noqa: B007 (rec is used after the loop)
            event = rec.event
            fns = get_class(event.__class__)
            if fns is None:
                fns = by_class[event.__class__] = get_type(event.event_type, _NOTHING)
            for fn in fns[0]:
                fn(event)
            for step in fns[1]:
                step(rec)
    else:
        mark = touched.add
        for count, rec in enumerate(records, 1):  # noqa: B007
            event = rec.event
            fns = get_class(event.__class__)
            if fns is None:
                fns = by_class[event.__class__] = get_type(event.event_type, _NOTHING)
            for fn in fns[0]:
                fn(event)
            for step in fns[1]:
                step(rec)
            mark(rec.stream)
    return count, (-1 if rec is None else rec.position)


def fold(projections: Sequence[Projection[Any]], records: Iterable[Any]) -> dict[str, Any]:
    """Fold ``records`` (``Recorded`` objects, in order) into fresh states, by name.

    The pure core of the Projector, usable on any slice of the log: a day's view, one
    partition of the streams, a test's list.
    """
    _check_names(projections)
    states = [p.initial() for p in projections]

    def slot(i: int, p: Projection[Any]) -> tuple[Projection[Any], Callable[[], Any], Step]:
        def step(rec: Any) -> None:
            states[i] = p.apply(states[i], rec)

        return p, lambda: states[i], step

    table = _table([slot(i, p) for i, p in enumerate(projections)])
    with _gc_paused():
        _fold_into(table, records, None)
    return {p.name: state for p, state in zip(projections, states, strict=True)}


class ReadModels:
    """A set of read models by projection name (what :meth:`Projector.as_of` returns)."""

    def __init__(self, states: dict[str, Any]) -> None:
        self._fixed = states

    def _state_map(self) -> dict[str, Any]:
        return self._fixed

    @property
    def names(self) -> list[str]:
        """The projection names, in registration order."""
        return list(self._state_map())

    @overload
    def get(self, name: str) -> Any: ...
    @overload
    def get(self, name: str, kind: type[T]) -> T: ...
    def get(self, name: str, kind: type[T] | None = None) -> Any:
        """The read model of projection ``name`` (checked to be a ``kind`` if given)."""
        states = self._state_map()
        try:
            state = states[name]
        except KeyError:
            _unknown(name, states)
        return _checked(name, state, kind)


def _checked(name: str, state: Any, kind: type[Any] | None) -> Any:
    if kind is not None and not isinstance(state, kind):
        raise HubcoreError(
            f"projection {name!r} holds a {type(state).__name__}, not a {kind.__name__}"
        )
    return state


def _unknown(name: str, known: Iterable[str]) -> NoReturn:
    names = ", ".join(known) or "none"
    raise HubcoreError(f"no projection named {name!r} (known: {names})") from None


def _shard_count(keys: int) -> int:
    shards = 1
    while shards * _KEYS_PER_SHARD < keys and shards < _MAX_SHARDS:
        shards *= 2
    return shards


def _entry_slot(entry: _Entry) -> tuple[Projection[Any], Callable[[], Any], Step]:
    def step(rec: Any) -> None:
        entry.state = entry.projection.apply(entry.state, rec)

    return entry.projection, lambda: entry.state, step


def _load_saved(store: EventStore, projection: Projection[Any]) -> _Entry:
    """The saved state of ``projection`` (fresh if none); raises if it cannot be read."""
    stored = store.load_projection(projection.name)
    if stored is None or stored.version != projection.version:
        return _Entry(projection, projection.initial(), 0)
    shards = _manifest(stored.state) if hasattr(projection, "load_parts") else None
    if shards is None:  # saved whole: the next save writes it in parts
        return _Entry(projection, projection.load(stored.state), stored.checkpoint)
    parts = []
    for i in range(shards):
        part = store.load_projection(f"{projection.name}#{i}")
        if part is None or part.version != stored.version or part.checkpoint > stored.checkpoint:
            raise CorruptRecord(
                f"stored state of projection {projection.name!r}: part {i} of {shards} is "
                "missing or newer than its manifest"
            )
        parts.append(part.state)
    entry = _Entry(projection, projection.load_parts(parts), stored.checkpoint)  # type: ignore[attr-defined]
    entry.shards = shards
    entry.members = None  # found by the first save that needs them
    return entry


def _members(keys: Iterable[Any], shards: int) -> list[set[Any]]:
    """Stream ``keys`` by the part (of ``shards``) each is saved in."""
    members: list[set[Any]] = [set() for _ in range(shards)]
    for key in keys:
        members[shard_of(key, shards)].add(key)
    return members


class Projector(ReadModels):
    """Keeps read models up to date with a store, checkpointed in the same store.

    Each projection's state and checkpoint (the last global position folded in) are saved
    together with ``store.save_projections`` in one transaction, at the end of every
    :meth:`catch_up` and every ``save_every`` events during a long one; so a process killed
    at any moment resumes from the last save, never skipping nor re-applying an event.
    A projection whose stored version differs from its declared ``version`` starts again
    from zero (it is rebuilt by the next :meth:`catch_up`).

    Saves are incremental for projections that can save their state in parts (every
    :class:`ModelProjection`): a large state is saved as parts by stream key, and a save
    rewrites only the parts holding a stream read since the last save, so a small
    catch-up costs a small write whatever the size of the read models.

    ``projections`` defaults to :func:`builtin_projections`; pass any sequence of
    :class:`Projection` objects to add your own (names must be unique).

    ``lazy=True`` reads only each saved state's manifest (its checkpoint) up front; a
    state saved in parts is read the first time it is asked for (:meth:`get`) or has
    events to fold, so a process that needs a few read models reads only those. A saved
    state that then proves unreadable is folded again from zero at that moment (the reason
    in :attr:`rebuilt`). The read models are the same either way.
    """

    def __init__(
        self,
        store: EventStore,
        projections: Sequence[Projection[Any]] | None = None,
        *,
        save_every: int = DEFAULT_SAVE_EVERY,
        lazy: bool = False,
    ) -> None:
        if not isinstance(store, EventStore):
            raise InvalidRequest(f"Projector needs an event store, got {type(store).__name__}")
        if type(save_every) is not int or save_every < 1:
            raise InvalidRequest(f"Projector save_every must be an int >= 1, got {save_every!r}")
        chosen: list[Projection[Any]] = (
            list(builtin_projections()) if projections is None else list(projections)
        )
        _check_names(chosen)
        self._store = store
        self._save_every = save_every
        self.rebuilt: dict[str, str] = {}
        """Projection name -> why its saved state was set aside and the projection folded
        again from zero (unreadable or corrupt, or saved beyond the log's head)."""
        self.not_saved: str | None = None
        """Why the last save failed (another process held the store's write lock, the
        store is read-only), or None: the read models in memory are exact either way, and
        the next save writes them."""
        load = self._peek if lazy else self._load
        with _gc_paused():
            self._entries = {p.name: load(p) for p in chosen}
        super().__init__({})

    # -- persistence ---------------------------------------------------------------------

    def _load(self, projection: Projection[Any]) -> _Entry:
        """The saved state of ``projection``; a fresh one (folded again from zero by the
        next catch-up, the reason in :attr:`rebuilt`) when the saved one cannot be read or
        was saved beyond the log's head."""
        try:
            entry = _load_saved(self._store, projection)
        except Exception as error:  # a plugin's load may raise anything: the log decides
            reason = f"its saved state could not be read ({type(error).__name__}: {error})"
            return self._fresh(projection, reason)
        head = self._store.head()
        if entry.checkpoint > head:
            reason = (
                f"its saved checkpoint {entry.checkpoint} is beyond the log's head {head} "
                "(the log was restored from an older copy, or replaced)"
            )
            return self._fresh(projection, reason)
        return entry

    def _peek(self, projection: Projection[Any]) -> _Entry:
        """:meth:`_load`, but a state saved in parts is left unread (its checkpoint is the
        manifest's): :meth:`_loaded` reads it when it is first needed."""
        try:
            stored = self._store.load_projection(projection.name)
            if (
                stored is None
                or stored.version != projection.version
                or not hasattr(projection, "load_parts")
                or _manifest(stored.state) is None
                or stored.checkpoint > self._store.head()
            ):
                stored = None
        except Exception:  # unreadable: _load says why
            stored = None
        if stored is None:
            return self._load(projection)
        return _Entry(projection, _UNLOADED, stored.checkpoint)

    def _loaded(self, name: str) -> _Entry:
        """The entry of projection ``name``, its saved state read if it was left unread;
        folded to where it stood (and on to the log's head if it had to start again)."""
        entry = self._entries[name]
        if entry.state is not _UNLOADED:
            return entry
        self._entries[name] = self._read(entry)
        return self._entries[name]

    def _read(self, entry: _Entry) -> _Entry:
        """An unread entry's saved state, read; if unreadable, the projection is set back
        to zero (see :attr:`rebuilt`) and folded to the log's head, as this Projector's."""
        with _gc_paused():
            loaded = self._load(entry.projection)
        if loaded.checkpoint < entry.checkpoint:  # unreadable, started again from zero
            self._entries[entry.projection.name] = loaded
            self._run([loaded])
            return self._entries[entry.projection.name]
        return loaded

    def owned(self, name: str) -> Any | None:
        """A read model of projection ``name`` that this Projector does not keep (the
        caller may change it), or None: the saved state read afresh when it was left
        unread here (a ``lazy`` Projector), saving the copy of :meth:`get`'s.

        None when the state is held here (copy :meth:`get`'s instead) or had to be folded
        again (it is then held here). Unknown names give None too.
        """
        entry = self._entries.get(name)
        if entry is None or entry.state is not _UNLOADED:
            return None
        read = self._read(entry)
        if self._entries[name] is read:  # folded again here
            return None
        return read.state

    def _fresh(self, projection: Projection[Any], reason: str) -> _Entry:
        self.rebuilt[projection.name] = reason
        _log.info("projection %r is folded again from zero: %s", projection.name, reason)
        with contextlib.suppress(StoreLocked, StoreReadOnly, StorePermissionDenied, StoreFull):
            self._store.delete_projection(projection.name)  # its next save writes it whole
        return _Entry(projection, projection.initial(), 0)

    def _rows(self, e: _Entry, position: int, touched: set[str] | None) -> list[StoredProjection]:
        """The rows that save ``e`` at ``position`` (``touched``: the streams read since the
        last save, None for "any")."""
        p = e.projection
        if not hasattr(p, "dump_part"):
            return [StoredProjection(p.name, p.version, position, p.dump(e.state))]
        dirty: set[int]
        if e.shards is not None and touched is not None:
            keys = {stream_key(s) for s in touched}
            dirty = set()
            if e.members is None:
                e.members = _members(p.keys(e.state), e.shards)  # type: ignore[attr-defined]
            for key in keys:
                i = shard_of(key, e.shards)
                dirty.add(i)
                e.members[i].add(key)
            grown = sum(map(len, e.members)) > 4 * _KEYS_PER_SHARD * e.shards
            if grown and e.shards < _MAX_SHARDS:
                e.shards = None  # grown well past its parts: save whole, in more parts
        if e.shards is None or touched is None:
            keys = p.keys(e.state)  # type: ignore[attr-defined]
            e.shards = _shard_count(len(keys))
            e.members = _members(keys, e.shards)
            dirty = set(range(e.shards))
        assert e.members is not None
        manifest = orjson.dumps({_SHARDS: e.shards})
        rows = [StoredProjection(p.name, p.version, position, manifest)]
        for i in sorted(dirty):
            data = p.dump_part(e.state, e.members[i])
            rows.append(StoredProjection(f"{p.name}#{i}", p.version, position, data))
        return rows

    def _save(self, entries: Sequence[_Entry], position: int, touched: set[str] | None) -> bool:
        """Save every entry behind ``position`` (or not yet saved) as being at ``position``,
        in one transaction; False when the store could not be written (locked by another
        process, read-only): the states stay exact in memory, saved whole next time."""
        behind = [e for e in entries if e.checkpoint < position or e.unsaved]
        if not behind:
            return True
        rows = [row for e in behind for row in self._rows(e, position, touched)]
        try:
            self._store.save_projections(rows)
        except (StoreLocked, StoreReadOnly, StorePermissionDenied, StoreFull) as error:
            self.not_saved = str(error)
            for e in behind:
                e.checkpoint = position
                e.unsaved = True
                e.shards = None  # the stored parts are older than the members: save whole
            return False
        for e in behind:
            e.checkpoint = position
            e.unsaved = False
        return True

    # -- folding -------------------------------------------------------------------------

    def _state_map(self) -> dict[str, Any]:
        return {name: self._loaded(name).state for name in self._entries}

    @property
    def names(self) -> list[str]:
        """The projection names, in registration order."""
        return list(self._entries)

    @overload
    def get(self, name: str) -> Any: ...
    @overload
    def get(self, name: str, kind: type[T]) -> T: ...
    def get(self, name: str, kind: type[T] | None = None) -> Any:
        """The read model of projection ``name`` (checked to be a ``kind`` if given)."""
        if name not in self._entries:
            _unknown(name, self._entries)
        state = self._loaded(name).state
        return _checked(name, state, kind)

    def checkpoint(self, name: str) -> int:
        """The last global position folded into projection ``name``."""
        entry = self._entries.get(name)
        if entry is None:
            _unknown(name, self._entries)
        return entry.checkpoint

    def lag(self) -> int:
        """How many positions the most behind projection lags the store's head."""
        low = min((e.checkpoint for e in self._entries.values()), default=self._store.head())
        return max(0, self._store.head() - low)

    def _run(self, entries: list[_Entry]) -> int:
        """Fold what is new to ``entries``; save every ``save_every`` events and at the end."""
        if not entries:
            return 0
        after = min(e.checkpoint for e in entries)
        top = max(e.checkpoint for e in entries)
        touched: set[str] = set()
        read = 0
        try:
            with _gc_paused():
                if top > after:  # some are ahead of others: fold the gap event by event
                    read += self._fold_gap(entries, after, top, touched)
                records = iter(self._store.read_all(after=top))
                table = _table([_entry_slot(e) for e in entries])
                while True:
                    count, last = _fold_into(
                        table, itertools.islice(records, self._save_every), touched
                    )
                    read += count
                    if count and self._save(entries, last, touched):
                        touched.clear()
                    if count < self._save_every:
                        break
        except BaseException:
            # the in-memory states may hold half a batch: go back to what was saved
            for e in entries:
                self._entries[e.projection.name] = self._load(e.projection)
            raise
        return read

    def _fold_gap(self, entries: list[_Entry], after: int, top: int, touched: set[str]) -> int:
        """Fold positions (after, top] into the entries behind them, then save them at top."""
        read = last = 0
        for rec in self._store.read_all(after=after, limit=top - after):
            position = rec.position
            for e in entries:
                if position > e.checkpoint and rec.event_type in e.projection.handles:
                    e.state = e.projection.apply(e.state, rec)
            touched.add(rec.stream)
            last = position
            read += 1
        # checkpoints ahead of `last` are untouched by _save
        if read and self._save([e for e in entries if e.checkpoint < last], last, touched):
            touched.clear()
        return read

    def catch_up(self) -> int:
        """Fold every event new to any projection; return how many events were read.

        Reads ``store.read_all(after=<lowest checkpoint>)`` once for all projections; each
        projection skips what it already holds. A projection whose checkpoint is beyond the
        log's head (the store was replaced by an older copy meanwhile) starts again from
        zero (see :attr:`rebuilt`).
        """
        head = self._store.head()
        for name, entry in list(self._entries.items()):
            if entry.checkpoint > head:
                self._entries[name] = self._fresh(
                    entry.projection,
                    f"its checkpoint {entry.checkpoint} is beyond the log's head {head} "
                    "(the log was replaced by an older copy)",
                )
        for name, entry in list(self._entries.items()):
            if entry.checkpoint < head:
                self._loaded(name)
        entries = self._entries.values()
        read = self._run([e for e in entries if e.state is not _UNLOADED])
        _log.info(
            "caught up %d projection(s) to position %d: %d event(s) read",
            len(self._entries),
            head,
            read,
        )
        return read

    def rebuild(self, name: str) -> int:
        """Fold projection ``name`` again from zero (others untouched); return events read."""
        return self.rebuild_all([name])

    def rebuild_all(self, names: Sequence[str] | None = None) -> int:
        """Fold projections ``names`` (default: every one) again from zero in one pass over
        the log, the others untouched; return the events read.

        The fresh states are saved at position 0 together with a note of the rebuild, in
        one transaction, and then every ``save_every`` events with their checkpoints as
        :meth:`catch_up` saves them: a rebuild killed at any moment is resumed by the next
        ``rebuild_all`` of the same projections (it goes on from the last save, never
        from a state saved before the rebuild began); the note is dropped at the end.
        """
        chosen = list(self._entries) if names is None else list(dict.fromkeys(names))
        for name in chosen:
            if name not in self._entries:
                self.get(name)  # raises, naming the known projections
        if self._resumable(chosen):
            entries = [self._loaded(name) for name in chosen]
        else:
            entries = [self._restart(name) for name in chosen]
            rows = [row for e in entries for row in self._rows(e, 0, None)]
            rows.append(StoredProjection(_REBUILD, 1, 0, orjson.dumps(sorted(chosen))))
            self._store.save_projections(rows)
        read = self._run(entries)
        self._store.delete_projection(_REBUILD)
        return read

    def _restart(self, name: str) -> _Entry:
        projection = self._entries[name].projection
        fresh = self._entries[name] = _Entry(projection, projection.initial(), 0)
        return fresh

    def _resumable(self, names: list[str]) -> bool:
        """True when the store notes an unfinished rebuild of exactly ``names``: their saved
        states were then folded from zero (a state set aside since starts from zero too)."""
        note = self._store.load_projection(_REBUILD)
        if note is None:
            return False
        try:
            noted = orjson.loads(note.state)
        except orjson.JSONDecodeError:
            return False
        return bool(noted == sorted(names))

    def rebuild_partitioned(self, url: str, *, workers: int = 2) -> int:
        """Fold every projection again from zero in ``workers`` processes; return events read.

        ``url`` must name this Projector's store (the workers open it themselves). The
        projections with a ``merge`` are folded by :func:`~hubcore.projections.parallel_fold`
        and saved together at the head it saw; any others are then rebuilt here.
        """
        from hubcore.projections._parallel import parallel_fold  # (an import cycle)

        if self._resumable(list(self._entries)):  # a killed one-process rebuild goes on
            return self.rebuild_all()
        entries = list(self._entries.values())
        mergeable = [e.projection for e in entries if hasattr(e.projection, "merge")]
        states, head, read = parallel_fold(url, mergeable, workers=workers)
        fresh = {
            e.projection.name: _Entry(
                e.projection, states.get(e.projection.name, e.projection.initial()), 0
            )
            for e in entries
        }
        try:
            self._save([fresh[p.name] for p in mergeable], head, None)
        except BaseException:
            for e in entries:
                self._entries[e.projection.name] = self._load(e.projection)
            raise
        self._entries = fresh
        others = [f for name, f in fresh.items() if name not in states]
        for other in others:
            self._store.delete_projection(other.projection.name)
        return read + self._run(others)

    def as_of(self, when: date | str) -> ReadModels:
        """Every read model as it stood at the end of a day or academic year (``"2025/26"``).

        A fresh fold of the events whose ``occurred_on`` is on or before the day; the store
        and the checkpointed states are not touched.
        """
        if isinstance(when, str):
            if not is_academic_year(when):
                raise HubcoreError(f"as_of: {when!r} is neither a date nor an academic year")
            when = academic_year_bounds(when)[1]
        cutoff = when
        projections = [e.projection for e in self._entries.values()]
        records = (r for r in self._store.read_all() if r.event.occurred_on <= cutoff)
        return ReadModels(fold(projections, records))


def _manifest(data: bytes) -> int | None:
    """The number of parts a manifest row names (None: the row holds a whole state)."""
    if not data.startswith(b'{"' + _SHARDS.encode()):
        return None
    try:
        shards = orjson.loads(data)[_SHARDS]
    except (orjson.JSONDecodeError, KeyError, TypeError) as error:
        raise CorruptRecord(f"projection manifest {data[:60]!r}: {error!r}") from None
    if type(shards) is not int or not 1 <= shards <= _MAX_SHARDS:
        raise CorruptRecord(f"projection manifest {data[:60]!r}: bad number of parts")
    return shards
