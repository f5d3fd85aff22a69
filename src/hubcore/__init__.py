"""hubcore: the evidence engine for England's music education hubs."""

from __future__ import annotations

from hubcore.errors import (
    ConcurrencyError,
    CorruptRecord,
    DomainError,
    DuplicateEventId,
    HubcoreError,
    ImportFailed,
    IntegrityError,
    InvalidEvent,
    PluginError,
    ReporterError,
    StoreClosed,
    UnknownEventType,
    UnsupportedStoreURL,
)
from hubcore.reporting.hookspecs import hookimpl

__version__ = "0.1.0"

__all__ = [
    "ConcurrencyError",
    "CorruptRecord",
    "DomainError",
    "DuplicateEventId",
    "HubcoreError",
    "ImportFailed",
    "IntegrityError",
    "InvalidEvent",
    "PluginError",
    "ReporterError",
    "StoreClosed",
    "UnknownEventType",
    "UnsupportedStoreURL",
    "__version__",
    "hookimpl",
]
