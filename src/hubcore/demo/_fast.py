"""Trusted event constructors for the demo generator's hot path.

The demo builds millions of events from values it chose itself. Going through each event
class's ``__init__`` (converters, validators, cross-field checks) costs about 5 us an event;
these constructors set the slots directly (about 1.5 us) and fill defaults the same way
attrs does. They skip converters, so callers pass the final types (``frozenset``, ``dict``,
``tuple``, enum members). ``generate_hub(validate=True)`` uses the real classes instead, and
the test suite proves both paths give equal events.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import attrs

from hubcore.events import Event

__all__ = ["trusted_constructor"]

_MISSING = object()
_CACHE: dict[type[Event], Callable[..., Any]] = {}


def trusted_constructor(cls: type[Event]) -> Callable[..., Any]:
    """A keyword-only function that builds ``cls`` without running its ``__init__`` (cached)."""
    cached = _CACHE.get(cls)
    if cached is not None:
        return cached
    fields = attrs.fields(cls)
    namespace: dict[str, Any] = {"_new": object.__new__, "_cls": cls, "_MISSING": _MISSING}
    params: list[str] = []
    body: list[str] = ["    o = _new(_cls)"]
    for index, field in enumerate(fields):
        name = field.name
        setter = f"_set{index}"
        namespace[setter] = getattr(cls, name).__set__
        default = field.default
        if default is attrs.NOTHING:
            params.append(name)
        elif isinstance(default, attrs.Factory):  # type: ignore[arg-type]
            params.append(f"{name}=_MISSING")
            namespace[f"_factory{index}"] = default.factory
            body.append(f"    if {name} is _MISSING:")
            body.append(f"        {name} = _factory{index}()")
        else:
            namespace[f"_default{index}"] = default
            params.append(f"{name}=_default{index}")
        body.append(f"    {setter}(o, {name})")
    body.append("    return o")
    source = f"def make(*, {', '.join(params)}):\n" + "\n".join(body) + "\n"
    exec(compile(source, f"<trusted {cls.event_type}>", "exec"), namespace)
    maker: Callable[..., Any] = namespace["make"]
    maker.__name__ = f"trusted_{cls.event_type}"
    _CACHE[cls] = maker
    return maker
