"""The Projector: folds the log into read models, checkpointed, resumable, rebuildable."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any, TypeVar, overload

from hubcore.calendar import academic_year_bounds, is_academic_year
from hubcore.errors import HubcoreError
from hubcore.projections._builtin import builtin_projections
from hubcore.projections._protocol import Projection
from hubcore.store import EventStore, StoredProjection

__all__ = ["DEFAULT_SAVE_EVERY", "Projector", "ReadModels", "fold"]

T = TypeVar("T")
DEFAULT_SAVE_EVERY = 50_000


class _Entry:
    __slots__ = ("checkpoint", "projection", "state")

    def __init__(self, projection: Projection[Any], state: Any, checkpoint: int) -> None:
        self.projection = projection
        self.state = state
        self.checkpoint = checkpoint


def _check_names(projections: Sequence[Projection[Any]]) -> None:
    seen: set[str] = set()
    for p in projections:
        if p.name in seen:
            raise HubcoreError(f"two projections are named {p.name!r}; names must be unique")
        seen.add(p.name)


def fold(projections: Sequence[Projection[Any]], records: Iterable[Any]) -> dict[str, Any]:
    """Fold ``records`` (``Recorded`` objects, in order) into fresh states, by name.

    The pure core of the Projector, usable on any slice of the log: a day's view, one
    partition of the streams, a test's list.
    """
    _check_names(projections)
    states = [p.initial() for p in projections]
    table: dict[str, list[tuple[int, Any]]] = {}
    fast: dict[str, list[tuple[Any, Any]]] = {}
    for i, p in enumerate(projections):
        in_place = getattr(p, "event_handlers", None)
        if in_place is not None:  # mutates the state in place: call the handler directly
            for event_type, handler in in_place().items():
                fast.setdefault(event_type, []).append((handler, states[i]))
        else:
            for event_type in p.handles:
                table.setdefault(event_type, []).append((i, p.apply))
    for rec in records:
        event_type = rec.event_type
        for handler, state in fast.get(event_type, ()):
            handler(state, rec.event)
        for i, apply in table.get(event_type, ()):
            states[i] = apply(states[i], rec)
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
            known = ", ".join(states) or "none"
            raise HubcoreError(f"no projection named {name!r} (known: {known})") from None
        if kind is not None and not isinstance(state, kind):
            raise HubcoreError(
                f"projection {name!r} holds a {type(state).__name__}, not a {kind.__name__}"
            )
        return state


class Projector(ReadModels):
    """Keeps read models up to date with a store, checkpointed in the same store.

    Each projection's state and checkpoint (the last global position folded in) are saved
    together with ``store.save_projections`` in one transaction, at the end of every
    :meth:`catch_up` and every ``save_every`` events during a long one; so a process killed
    at any moment resumes from the last save, never skipping nor re-applying an event.
    A projection whose stored version differs from its declared ``version`` starts again
    from zero (it is rebuilt by the next :meth:`catch_up`).

    ``projections`` defaults to :func:`builtin_projections`; pass any sequence of
    :class:`Projection` objects to add your own (names must be unique).
    """

    def __init__(
        self,
        store: EventStore,
        projections: Sequence[Projection[Any]] | None = None,
        *,
        save_every: int = DEFAULT_SAVE_EVERY,
    ) -> None:
        if save_every < 1:
            raise HubcoreError(f"Projector save_every must be >= 1, got {save_every}")
        chosen: list[Projection[Any]] = (
            list(builtin_projections()) if projections is None else list(projections)
        )
        _check_names(chosen)
        self._store = store
        self._save_every = save_every
        self._entries = {p.name: self._load(p) for p in chosen}
        super().__init__({})

    def _load(self, projection: Projection[Any]) -> _Entry:
        stored = self._store.load_projection(projection.name)
        if stored is None or stored.version != projection.version:
            return _Entry(projection, projection.initial(), 0)
        return _Entry(projection, projection.load(stored.state), stored.checkpoint)

    def _state_map(self) -> dict[str, Any]:
        return {name: entry.state for name, entry in self._entries.items()}

    def checkpoint(self, name: str) -> int:
        """The last global position folded into projection ``name``."""
        self.get(name)
        return self._entries[name].checkpoint

    def lag(self) -> int:
        """How many positions the most behind projection lags the store's head."""
        low = min((e.checkpoint for e in self._entries.values()), default=self._store.head())
        return max(0, self._store.head() - low)

    def _save(self, entries: Sequence[_Entry], position: int) -> None:
        """Save every entry behind ``position`` as being at ``position``, in one transaction."""
        behind = [e for e in entries if e.checkpoint < position]
        if not behind:
            return
        self._store.save_projections(
            [
                StoredProjection(
                    e.projection.name, e.projection.version, position, e.projection.dump(e.state)
                )
                for e in behind
            ]
        )
        for e in behind:
            e.checkpoint = position

    def _run(self, entries: list[_Entry]) -> int:
        """Fold what is new to ``entries``; save periodically and at the end."""
        if not entries:
            return 0
        after = min(e.checkpoint for e in entries)
        table: dict[str, list[_Entry]] = {}
        for e in entries:
            for event_type in e.projection.handles:
                table.setdefault(event_type, []).append(e)
        read = since_save = 0
        last = after
        try:
            for rec in self._store.read_all(after=after):
                position = rec.position
                for e in table.get(rec.event_type, ()):
                    if position > e.checkpoint:
                        e.state = e.projection.apply(e.state, rec)
                last = position
                read += 1
                since_save += 1
                if since_save >= self._save_every:
                    self._save(entries, last)
                    since_save = 0
            self._save(entries, last)
        except BaseException:
            # the in-memory states may hold half a batch: go back to what was saved
            for e in entries:
                self._entries[e.projection.name] = self._load(e.projection)
            raise
        return read

    def catch_up(self) -> int:
        """Fold every event new to any projection; return how many events were read.

        Reads ``store.read_all(after=<lowest checkpoint>)`` once for all projections; each
        projection skips what it already holds.
        """
        return self._run(list(self._entries.values()))

    def rebuild(self, name: str) -> int:
        """Fold projection ``name`` again from zero (others untouched); return events read."""
        entry = self._entries.get(name)
        if entry is None:
            self.get(name)  # raises, naming the known projections
            return 0
        self._store.delete_projection(name)
        fresh = _Entry(entry.projection, entry.projection.initial(), 0)
        self._entries[name] = fresh
        return self._run([fresh])

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
