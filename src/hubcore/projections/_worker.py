"""Several processes, on one machine or several, keeping the same projections current.

Each projection is folded by one worker at a time: the worker that holds the store's claim
on it (:meth:`hubcore.store.Store.claim`; on PostgreSQL a session advisory lock, freed by
the server the moment the holder's connection ends). A worker claims every projection no
one holds, folds what is new to those it holds (saving state and checkpoint together, as
the :class:`~hubcore.projections.Projector` does), and tries the others again at every
step, so when a worker dies another takes its projections over within one ``poll``
interval, from their last saved checkpoints: an event is never folded into a saved state
twice, nor skipped.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence
from typing import Any

from hubcore.errors import HubcoreError, StoreUnavailable
from hubcore.projections._builtin import builtin_projections
from hubcore.projections._projector import DEFAULT_SAVE_EVERY, Projector
from hubcore.projections._protocol import Projection
from hubcore.store import Claim, Store

__all__ = ["CLAIM_PREFIX", "ProjectionWorker"]

CLAIM_PREFIX = "projection:"
"""Claims on projections are named ``projection:<name>``."""

_log = logging.getLogger("hubcore.projections.worker")


class ProjectionWorker:
    """One worker of several sharing ``store``'s projections (see the module docs).

    ``projections`` defaults to the built-in ones; every worker of a store should be given
    the same. Call :meth:`step` yourself, or :meth:`run` until a ``stop`` event is set.
    """

    def __init__(
        self,
        store: Store,
        projections: Sequence[Projection[Any]] | None = None,
        *,
        save_every: int = DEFAULT_SAVE_EVERY,
    ) -> None:
        if not isinstance(store, Store):
            raise HubcoreError(f"ProjectionWorker needs a hubcore Store, got {store!r}")
        self._store = store
        self._projections = list(builtin_projections() if projections is None else projections)
        self._save_every = save_every
        self._claims: dict[str, Claim] = {}
        self._projector: Projector | None = None
        Projector(store, self._projections, save_every=save_every)  # checks names, save_every

    @property
    def owned(self) -> list[str]:
        """The projections this worker holds now, in their given order."""
        return [p.name for p in self._projections if p.name in self._claims]

    @property
    def projector(self) -> Projector | None:
        """The Projector folding the projections held (None while it holds none)."""
        return self._projector

    def step(self) -> int:
        """Drop lost claims, claim the free projections, fold what is new to those held;
        the number of events read."""
        changed = False
        for name, claim in list(self._claims.items()):
            if not claim.held():
                _log.warning("lost the claim on projection %r", name)
                del self._claims[name]
                changed = True
        for projection in self._projections:
            if projection.name not in self._claims:
                taken = self._store.claim(CLAIM_PREFIX + projection.name)
                if taken is not None:
                    _log.info("claimed projection %r", projection.name)
                    self._claims[projection.name] = taken
                    changed = True
        if changed:  # (re)load the held projections from their saved checkpoints
            held = [p for p in self._projections if p.name in self._claims]
            self._projector = (
                Projector(self._store, held, save_every=self._save_every) if held else None
            )
        if self._projector is None:
            return 0
        return self._projector.catch_up()

    def run(self, stop: threading.Event, *, poll: float = 0.5) -> None:
        """:meth:`step` until ``stop`` is set, waiting ``poll`` seconds after a step that
        found nothing new; a database that goes away is waited for (claims are taken
        afresh, states reloaded from their checkpoints)."""
        while not stop.is_set():
            try:
                read = self.step()
            except StoreUnavailable as error:
                _log.warning("store unavailable, retrying: %s", error)
                self._projector = None
                self.release()
                read = 0
            if not read:
                stop.wait(poll)

    def release(self) -> None:
        """Give up every claim (other workers take the projections over)."""
        for claim in self._claims.values():
            claim.release()
        self._claims.clear()
        self._projector = None
