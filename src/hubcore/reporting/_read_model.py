"""One public way for a reporter to read a read model, checked to be the type it expects."""

from __future__ import annotations

from typing import TypeVar

from hubcore.errors import PluginError
from hubcore.reporting._protocols import ReportContext

__all__ = ["read_model"]

T = TypeVar("T")


def read_model(context: ReportContext, name: str, kind: type[T]) -> T:
    """The read model ``name`` from ``context``, checked to be a ``kind``.

    Use it in :meth:`Reporter.build` instead of ``context.get(name)``: the result is typed
    for mypy, and a read model of another type (say, a plugin registered a projection
    under a taken name) is a :class:`~hubcore.errors.PluginError` naming both types, not
    an ``AttributeError`` deep inside the report.

    >>> from hubcore.reporting import Context, HubInfo
    >>> context = Context(source={"greeting": "hello"}, academic_year="2025/26",
    ...                   hub=HubInfo("h", "Hub"))
    >>> read_model(context, "greeting", str)
    'hello'
    >>> read_model(context, "greeting", int)
    Traceback (most recent call last):
    ...
    hubcore.errors.PluginError: read model 'greeting' is a str, expected a int
    """
    model = context.get(name)
    if not isinstance(model, kind):
        raise PluginError(
            f"read model {name!r} is a {type(model).__name__}, expected a {kind.__name__}"
        )
    return model
