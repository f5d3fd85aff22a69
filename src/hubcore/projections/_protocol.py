"""The Projection protocol, and the adapter that turns a :class:`ReadModel` into one."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import Any, Generic, Protocol, TypeVar, runtime_checkable

from hubcore.projections._base import ReadModel

__all__ = ["ModelProjection", "Projection"]

S = TypeVar("S")
M = TypeVar("M", bound=ReadModel)


@runtime_checkable
class Projection(Protocol[S]):
    """A checkpointed fold of the log into a read model.

    ``apply`` must be deterministic and do no I/O: the :class:`~hubcore.projections.Projector`
    relies on "fold the log in any number of catch-ups" == "fold it once". It may mutate and
    return ``state``. Bump ``version`` whenever ``apply`` or the state's shape changes: the
    Projector then rebuilds the projection from zero on its next start.
    """

    name: str
    version: int
    handles: frozenset[str]

    def initial(self) -> S:
        """The state before any event."""
        ...

    def apply(self, state: S, recorded: Any) -> S:
        """Fold one ``Recorded`` (whose ``event_type`` is in ``handles``) into ``state``."""
        ...

    def dump(self, state: S) -> bytes:
        """The state as bytes, for ``store.save_projections``."""
        ...

    def load(self, data: bytes) -> S:
        """The state :meth:`dump` wrote."""
        ...


class ModelProjection(Generic[M]):
    """A :class:`Projection` over a built-in :class:`ReadModel` class.

    ``handles`` is every event type the model has an ``_on_<EventType>`` method for.
    """

    def __init__(self, name: str, version: int, model: type[M]) -> None:
        self.name = name
        self.version = version
        self.model = model
        self._handlers = model.handlers()
        self.handles = frozenset(self._handlers)

    def __repr__(self) -> str:
        return f"ModelProjection({self.name!r}, version={self.version}, {self.model.__name__})"

    def initial(self) -> M:
        return self.model()

    def event_handlers(self) -> dict[str, Any]:
        """Event type -> ``handler(state, event)`` mutating the state in place.

        A fast path for :func:`~hubcore.projections.fold`: the same fold as :meth:`apply`,
        without the per-event indirection.
        """
        return dict(self._handlers)

    def apply(self, state: M, recorded: Any) -> M:
        self._handlers[recorded.event_type](state, recorded.event)
        return state

    def dump(self, state: M) -> bytes:
        return state.dump()

    def load(self, data: bytes) -> M:
        return self.model.load(data)

    def merge(self, parts: Sequence[M]) -> M:
        """Join states folded from disjoint sets of streams (partitioned rebuild)."""
        return self.model.merge(parts)

    def keys(self, state: M) -> set[Any]:
        """The stream keys (URNs, hub ids) ``state`` holds facts about."""
        return state.keys()

    def dump_part(self, state: M, keys: Collection[Any]) -> bytes:
        """The facts of ``state`` about ``keys`` only (see :meth:`ReadModel.dump_part`)."""
        return state.dump_part(keys)

    def load_parts(self, parts: Sequence[bytes]) -> M:
        """The state whose parts :meth:`dump_part` wrote, for disjoint sets of keys."""
        if len(parts) == 1:
            return self.model.load(parts[0])
        return self.model.merge([self.model.load(part) for part in parts])
