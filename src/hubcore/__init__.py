"""hubcore: the evidence engine for England's music education hubs."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from hubcore.errors import (
    ConcurrencyError,
    CorruptRecord,
    DomainError,
    DuplicateEventId,
    HubcoreError,
    ImportFailed,
    IntegrityError,
    InvalidAppend,
    InvalidEvent,
    NotAStore,
    PluginError,
    ReporterError,
    StoreClosed,
    UnknownEventType,
    UnsupportedStoreURL,
)

if TYPE_CHECKING:
    from hubcore._markers import hookimpl

__version__ = "0.1.0"

__all__ = [
    "ConcurrencyError",
    "CorruptRecord",
    "DomainError",
    "DuplicateEventId",
    "HubcoreError",
    "ImportFailed",
    "IntegrityError",
    "InvalidAppend",
    "InvalidEvent",
    "NotAStore",
    "PluginError",
    "ReporterError",
    "StoreClosed",
    "UnknownEventType",
    "UnsupportedStoreURL",
    "__version__",
    "hookimpl",
]


def __getattr__(name: str) -> Any:
    # ``hookimpl`` needs pluggy; load it on first use so ``import hubcore`` stays light
    # (the pytest plugin imports hubcore in every test run).
    if name == "hookimpl":
        from hubcore._markers import hookimpl

        return hookimpl
    raise AttributeError(f"module 'hubcore' has no attribute {name!r}")
