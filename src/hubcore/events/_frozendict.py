"""An immutable, hashable dict for the mapping fields of frozen events."""

from __future__ import annotations

from typing import Any, NoReturn, TypeVar

from hubcore.errors import ImmutableEvent

K = TypeVar("K")
V = TypeVar("V")


class FrozenDict(dict[K, V]):
    """A ``dict`` that refuses every change and can be hashed.

    Events are frozen values; their mapping fields (``ConversationHeld.judgements``,
    ``ProvisionReported.minutes_per_week``, ``DataReturnSubmitted.figures``) are
    FrozenDicts so an event cannot be changed through them. It is still a ``dict``:
    equal to a plain dict with the same items, and serialised by orjson as an object.
    """

    __slots__ = ()

    def _refuse(self, *_: Any, **__: Any) -> NoReturn:
        raise ImmutableEvent("events are immutable: their mappings cannot be changed")

    __setitem__ = _refuse
    __delitem__ = _refuse
    __ior__ = _refuse
    clear = _refuse
    pop = _refuse
    popitem = _refuse
    setdefault = _refuse
    update = _refuse

    def __hash__(self) -> int:  # type: ignore[override]
        return hash(frozenset(self.items()))

    def __repr__(self) -> str:
        return f"FrozenDict({dict.__repr__(self)})"

    def __reduce__(self) -> tuple[Any, ...]:
        return (FrozenDict, (dict(self),))
