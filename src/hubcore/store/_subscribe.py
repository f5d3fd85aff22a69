"""``store.subscribe(after=position)``: every event after a position, then each new one live.

A backend may offer a *waiter* (:meth:`Waiter.wait` returns when an append commits: the
memory backend's condition, PostgreSQL's ``LISTEN``); without one, or when its wake-up is
lost, the subscription polls every ``poll`` seconds. It reads through the store's own
``read_all(after=...)``, so it sees exactly what any reader sees, in order, never
skipping; a read that fails because the database went away is tried again at the next
poll, from the last position delivered.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from types import TracebackType
from typing import TYPE_CHECKING, Protocol, Self

from hubcore.errors import InvalidRead, StoreUnavailable
from hubcore.store._protocol import Recorded

if TYPE_CHECKING:
    from hubcore.store._core import Store

__all__ = ["Subscription", "Waiter"]

_PAGE = 1000


class Waiter(Protocol):
    """What a backend's optional ``waiter()`` returns."""

    def start(self) -> None:
        """Begin listening (before the subscription's first read)."""
        ...

    def wait(self, timeout: float) -> None:
        """Return once an append may have committed since the last return, or after
        ``timeout`` seconds."""
        ...

    def close(self) -> None:
        """Stop listening."""
        ...


class Subscription(Iterator[Recorded]):
    """The events after ``position``, in order, waiting for new ones: iterate it (each
    ``next`` blocks until an event comes), or call :meth:`get` with a timeout.

    :attr:`position` is the last position delivered: a subscription made again with
    ``store.subscribe(after=subscription.position)`` goes on exactly where this one was.
    """

    def __init__(self, store: Store, after: int, poll: float) -> None:
        if type(after) is not int or after < 0:
            raise InvalidRead(f"subscribe: after must be an int >= 0, got {after!r}")
        if not isinstance(poll, int | float) or isinstance(poll, bool) or not poll > 0:
            raise InvalidRead(f"subscribe: poll must be a number of seconds > 0, got {poll!r}")
        self.position = after
        self._store = store
        self._poll = float(poll)
        self._page: Iterator[Recorded] = iter(())
        make = getattr(store.backend, "waiter", None)
        self._waiter: Waiter | None = make() if make is not None else None
        if self._waiter is not None:
            self._waiter.start()

    def get(self, timeout: float | None = None) -> Recorded | None:
        """The next event, waiting at most ``timeout`` seconds (None: as long as it
        takes); None if none came in time."""
        deadline = None if timeout is None else time.monotonic() + timeout
        while True:
            record = next(self._page, None)
            if record is not None:
                self.position = record.position
                return record
            try:
                page = list(self._store.read_all(after=self.position, limit=_PAGE))
            except StoreUnavailable:
                page = []  # the database is away: try again after the next wait
            if page:
                self._page = iter(page)
                continue
            left = self._poll if deadline is None else min(self._poll, deadline - time.monotonic())
            if left <= 0:
                return None
            if self._waiter is not None:
                self._waiter.wait(left)
            else:
                time.sleep(left)

    def __next__(self) -> Recorded:
        record = self.get(None)
        assert record is not None
        return record

    def close(self) -> None:
        """Stop waiting (the store stays open)."""
        if self._waiter is not None:
            self._waiter.close()
            self._waiter = None

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()
