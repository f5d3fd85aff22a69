"""Run untrusted plugin code with a time limit, turning every failure into a value.

A hung call runs in a daemon worker thread. Python cannot kill a thread: when the time
limit passes, the thread is abandoned (it keeps running in the background until it
returns, and its result is discarded); being a daemon, it never keeps the process alive.

The cycle collector is paused for the call: a report allocates millions of small
containers (a national hub's table rows, a renderer's pieces) that hold no reference
cycles, and each of the collector's full passes would walk all of them again.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Generic, TypeVar

import attrs

from hubcore._gc import collector_paused

__all__ = ["Outcome", "run_isolated"]

T = TypeVar("T")


@attrs.frozen
class Outcome(Generic[T]):
    """How a call ended: ``value`` when it returned, ``error`` when it raised,
    ``timed_out`` when it ran past its limit."""

    value: T | None = None
    error: BaseException | None = None
    timed_out: bool = False


def run_isolated(call: Callable[[], T], *, timeout: float | None, name: str) -> Outcome[T]:
    """Call ``call()``; catch anything it raises; give up after ``timeout`` seconds.

    ``timeout=None`` runs the call in the current thread with no limit.
    ``KeyboardInterrupt`` is never swallowed. The cycle collector is paused meanwhile.
    """
    with collector_paused():
        return _run(call, timeout=timeout, name=name)


def _run(call: Callable[[], T], *, timeout: float | None, name: str) -> Outcome[T]:
    if timeout is None:
        try:
            return Outcome(value=call())
        except KeyboardInterrupt:
            raise
        except BaseException as error:
            return Outcome(error=error)

    box: list[Outcome[T]] = []

    def work() -> None:
        try:
            box.append(Outcome(value=call()))
        except BaseException as error:
            box.append(Outcome(error=error))

    worker = threading.Thread(target=work, name=f"hubcore-plugin:{name}", daemon=True)
    worker.start()
    worker.join(timeout)
    if worker.is_alive() or not box:
        return Outcome(timed_out=True)
    return box[0]
