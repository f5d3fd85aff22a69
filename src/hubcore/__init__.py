"""hubcore: the evidence engine for England's music education hubs.

The most used names are here: ``open_store``, ``Recorder`` (the domain rules),
``Projector`` (the read models), ``build_report`` and ``render_report`` (any installed
report in one call), ``hookimpl`` (for plugins) and every error. They load
on first use, so ``import hubcore`` stays light.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from hubcore.errors import (
    AnchorMismatch,
    ConcurrencyError,
    CorruptRecord,
    DemoParameterError,
    DomainError,
    DuplicateEventId,
    HubcoreError,
    ImmutableEvent,
    ImportFailed,
    IntegrityError,
    InvalidAppend,
    InvalidEvent,
    InvalidRead,
    InvalidRequest,
    NameClash,
    NotAStore,
    NoTestDatabase,
    NotRegistered,
    OutputRefused,
    PluginError,
    PluginLoadError,
    ReporterError,
    StoreClosed,
    StoreFull,
    StoreLocked,
    StoreNotFound,
    StorePermissionDenied,
    StoreReadOnly,
    StoreUnavailable,
    SummaryError,
    UnknownEventType,
    UnsupportedStoreURL,
)

if TYPE_CHECKING:
    from hubcore._markers import hookimpl
    from hubcore.domain import Recorder
    from hubcore.projections import Projector
    from hubcore.reports import ReportSession, build_report, render_report
    from hubcore.store import open_store

__version__ = "0.1.0"

__all__ = [
    "AnchorMismatch",
    "ConcurrencyError",
    "CorruptRecord",
    "DemoParameterError",
    "DomainError",
    "DuplicateEventId",
    "HubcoreError",
    "ImmutableEvent",
    "ImportFailed",
    "IntegrityError",
    "InvalidAppend",
    "InvalidEvent",
    "InvalidRead",
    "InvalidRequest",
    "NameClash",
    "NoTestDatabase",
    "NotAStore",
    "NotRegistered",
    "OutputRefused",
    "PluginError",
    "PluginLoadError",
    "Projector",
    "Recorder",
    "ReportSession",
    "ReporterError",
    "StoreClosed",
    "StoreLocked",
    "StoreNotFound",
    "StorePermissionDenied",
    "StoreFull",
    "StoreReadOnly",
    "StoreUnavailable",
    "SummaryError",
    "UnknownEventType",
    "UnsupportedStoreURL",
    "__version__",
    "build_report",
    "hookimpl",
    "open_store",
    "render_report",
]

_LAZY = {
    "hookimpl": "hubcore._markers",
    "open_store": "hubcore.store",
    "Recorder": "hubcore.domain",
    "Projector": "hubcore.projections",
    "ReportSession": "hubcore.reports",
    "build_report": "hubcore.reports",
    "render_report": "hubcore.reports",
}


def __getattr__(name: str) -> Any:
    # loaded on first use, so ``import hubcore`` stays light (the pytest plugin imports
    # hubcore in every test run)
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'hubcore' has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(module), name)
