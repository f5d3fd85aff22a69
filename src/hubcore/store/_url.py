"""``open_store(url)``: the backend is found by the URL's scheme, through entry points.

Each backend registers a :class:`StoreScheme` in the entry-point group
:data:`ENTRY_POINT_GROUP` under its scheme: the built-in ones (``memory``, ``sqlite``,
``postgresql``) exactly as a third-party package would::

    [project.entry-points."hubcore.stores"]
    myscheme = "my_package:SCHEME"
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from contextlib import AbstractContextManager
from importlib.metadata import EntryPoint, entry_points
from pathlib import Path

import attrs

from hubcore.errors import NoTestDatabase, UnsupportedStoreURL
from hubcore.store._protocol import EventStore

__all__ = [
    "ENTRY_POINT_GROUP",
    "NoTestDatabase",
    "StoreScheme",
    "open_store",
    "store_scheme",
    "store_schemes",
]

_log = logging.getLogger("hubcore.store")
_PASSWORD = re.compile(r"(://[^:/@]*:)[^@]*@")


def _redacted(url: str) -> str:
    """``url`` with any password replaced by ``***`` (logs must not carry secrets)."""
    return _PASSWORD.sub(r"\1***@", url)


@attrs.frozen
class StoreScheme:
    """What a ``hubcore.stores`` entry point names: a backend's URL opener, and how test
    suites (the pytest plugin's ``--hub-store-backend``) get a fresh store of it."""

    open: Callable[[str], EventStore]
    """Opens a URL of this scheme (raising :class:`~hubcore.UnsupportedStoreURL` for a
    malformed one)."""
    fresh_url: Callable[[Path], AbstractContextManager[str]] | None = None
    """``fresh_url(directory)``: a context manager giving the URL of a fresh, empty store
    (files may go in ``directory``, a test's own), removed again on exit. Raises
    :class:`NoTestDatabase` when none can be had here. None: not testable by URL."""


ENTRY_POINT_GROUP = "hubcore.stores"
"""The entry-point group naming each store backend's opener by URL scheme."""


def _entry_points() -> dict[str, EntryPoint]:
    return {ep.name: ep for ep in entry_points(group=ENTRY_POINT_GROUP)}


def store_schemes() -> list[str]:
    """The URL schemes of every installed backend, sorted."""
    return sorted(_entry_points())


def store_scheme(scheme: str) -> StoreScheme:
    """The backend registered for ``scheme``; :class:`~hubcore.UnsupportedStoreURL` if none
    is, or if it will not load."""
    found = _entry_points().get(scheme)
    if found is None:
        known = ", ".join(f"'{name}://'" for name in store_schemes()) or "none installed"
        raise UnsupportedStoreURL(
            f"no store backend for scheme {scheme!r} (installed: {known}; a backend "
            f"registers itself in the entry-point group {ENTRY_POINT_GROUP!r})"
        )
    try:
        loaded = found.load()
    except Exception as error:
        raise UnsupportedStoreURL(
            f"the store backend for scheme {scheme!r} ({found.value}) will not load: "
            f"{type(error).__name__}: {error}"
        ) from None
    if not isinstance(loaded, StoreScheme):
        raise UnsupportedStoreURL(
            f"the entry point {scheme!r} = {found.value!r} in {ENTRY_POINT_GROUP!r} names a "
            f"{type(loaded).__name__}, not a hubcore.store.StoreScheme"
        )
    return loaded


def open_store(url: str) -> EventStore:
    """Open the event store named by ``url``, through the backend for its scheme.

    * ``memory://`` -- a fresh, empty in-memory store;
    * ``sqlite:///relative/path.sqlite`` or ``sqlite:////absolute/path.sqlite`` -- an SQLite
      file, created with its schema if missing;
    * ``postgresql://user@host:port/database`` -- a PostgreSQL database (the ``postgres``
      extra), its tables created if missing;
    * any scheme an installed package registers in the ``hubcore.stores`` entry-point group.

    Anything else raises :class:`~hubcore.UnsupportedStoreURL`.
    """
    if not isinstance(url, str):
        raise UnsupportedStoreURL(f"a store URL must be text, got {type(url).__name__}")
    scheme, sep, _ = url.partition("://")
    if not sep or not scheme:
        raise UnsupportedStoreURL(
            f"{url!r} is not a store URL (scheme://...); e.g. 'memory://' or "
            "'sqlite:///path/to/file.sqlite'"
        )
    store = store_scheme(scheme.lower()).open(url)
    _log.debug("opened the %s store %s", scheme.lower(), _redacted(url))
    if not isinstance(store, EventStore):
        raise UnsupportedStoreURL(
            f"the store backend for {scheme!r} returned {type(store).__name__}, not an EventStore"
        )
    return store
