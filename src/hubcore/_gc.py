"""Pausing the cycle collector around work that makes millions of acyclic objects."""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator

__all__ = ["collector_paused"]


@contextlib.contextmanager
def collector_paused(*, age_new_objects: bool = False) -> Iterator[None]:
    """Pause the cycle collector (reference counting still frees everything acyclic).

    A fold or a report allocates millions of small containers that hold no reference
    cycles, and each of the collector's full passes would walk all of them again.
    ``age_new_objects``: on the way out, move what was made meanwhile straight to the
    oldest generation (:func:`_age_young_objects`), for long-lived results such as read
    models. Nothing changes if the collector was already off.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            if age_new_objects:
                _age_young_objects()
            gc.enable()


def _age_young_objects() -> None:
    """Move every young object to the collector's oldest generation, in constant time.

    After a paused fold the young generation holds the whole new read model (millions of
    long-lived containers): left there, the next collections would walk all of it once per
    generation on its way to the oldest (about a second a pass for the national read
    models), finding nothing. ``gc.freeze()`` then ``gc.unfreeze()`` moves it there in one
    list splice; they are left alone when the program has frozen objects of its own.
    """
    if gc.get_freeze_count() == 0:
        gc.freeze()
        gc.unfreeze()
