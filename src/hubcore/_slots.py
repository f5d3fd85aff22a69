"""Setting a slotted (frozen) instance's fields on the replay hot path."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


def slot_setter(cls: type, name: str) -> Callable[[Any, Any], None]:
    """The slot descriptor's ``__set__`` for ``name``: about 3x cheaper per field than
    ``object.__setattr__``, which looks the descriptor up on every call."""
    for klass in cls.__mro__:
        descriptor = klass.__dict__.get(name)
        if descriptor is not None and hasattr(descriptor, "__set__"):
            return descriptor.__set__  # type: ignore[no-any-return]
    raise TypeError(f"{cls.__name__} has no slot {name!r}")
