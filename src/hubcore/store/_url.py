"""``open_store(url)``: pick a backend from a URL."""

from __future__ import annotations

from hubcore.errors import UnsupportedStoreURL
from hubcore.store._memory import MemoryStore
from hubcore.store._protocol import EventStore
from hubcore.store._sqlite import SqliteStore

__all__ = ["open_store"]


def open_store(url: str) -> EventStore:
    """Open the event store named by ``url``.

    * ``memory://`` -- a fresh, empty in-memory store;
    * ``sqlite:///relative/path.sqlite`` or ``sqlite:////absolute/path.sqlite`` -- an SQLite
      file, created with its schema if missing.

    Anything else raises :class:`~hubcore.UnsupportedStoreURL`.
    """
    if not isinstance(url, str):
        raise UnsupportedStoreURL(f"a store URL must be text, got {type(url).__name__}")
    if url == "memory://":
        return MemoryStore()
    if url.startswith("sqlite:///"):
        path = url[len("sqlite:///") :]
        if not path or path.endswith("/"):
            raise UnsupportedStoreURL(f"{url!r}: an SQLite URL needs a file path")
        return SqliteStore(path)
    scheme = url.split("://", 1)[0] if "://" in url else url
    raise UnsupportedStoreURL(
        f"unsupported store URL {url!r} (scheme {scheme!r}); use 'memory://' or "
        "'sqlite:///path/to/file.sqlite'"
    )
