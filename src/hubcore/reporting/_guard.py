"""A plugin's projection under a time limit: a hung or failing call is cut off and named,
and the fold goes on without it.

:class:`GuardedProjection` wraps a projection a plugin registered; the Projector folds it
like any other. Its ``apply`` costs a few attribute stores per event: no thread, timer or
clock read per call. One watchdog thread per process (started with the first guard, ended
with the last) looks at every guard a few times a second; a guard whose same call has been
running for longer than its ``timeout`` is cut off by raising :class:`_CutOff` in the
thread running it (``PyThreadState_SetAsyncExc``). The exception lands at the plugin's next
Python instruction: a plugin blocked inside one C call (a long ``time.sleep``, a socket
read) is cut off when that call returns.

A cut-off or failing projection is *failed*: it folds nothing more, its :attr:`failure`
names the plugin, the call and why; its state is saved as a marker that no ``load``
accepts, so the next process folds it again from the log; the reporting layer refuses to
hand its read model to a reporter (that report fails, naming it; the others run).
"""

from __future__ import annotations

import ctypes
import sys
import threading
import time
import weakref
from collections.abc import Callable, Collection, Sequence
from typing import Any

from hubcore.errors import PluginError

__all__ = ["APPLY_TIMEOUT", "FAILED_STATE", "GuardedProjection", "guard_projection"]

APPLY_TIMEOUT = 10.0
"""Seconds one call of a plugin projection's ``apply`` may run before it is cut off."""

FAILED_STATE = b"hubcore: this plugin projection failed; fold it again from the log\n"
"""What a failed guard saves in place of its state (its ``load`` refuses it)."""

STATE_FACTOR = 12
"""A call on a whole read model (``initial``, ``load``, ``dump``, ``keys``, the parts) may
run this many times as long as one ``apply`` (120 s by default)."""

_TICK = 0.25  # the watchdog's longest sleep


class _CutOff(BaseException):
    """Raised inside a plugin call that ran past its time limit (never seen outside)."""


class _Failed(PluginError):
    """A guarded call on the whole read model failed (the guard's failure says why)."""


class _StateCall:
    """What a guard's ``_current`` holds during a call on the whole read model."""

    __slots__ = ("limit", "what")

    def __init__(self, what: str, limit: float | None) -> None:
        self.what = what
        self.limit = limit


_set_async = ctypes.pythonapi.PyThreadState_SetAsyncExc
_set_async.argtypes = [ctypes.c_ulong, ctypes.py_object]
_set_async.restype = ctypes.c_int
# the same C function with a NULL exception: clears one set but not yet raised
_clear_async = ctypes.PYFUNCTYPE(ctypes.c_int, ctypes.c_ulong, ctypes.c_void_p)(
    ("PyThreadState_SetAsyncExc", ctypes.pythonapi)
)


def _describe(error: BaseException) -> str:
    text = str(error)
    return f"{type(error).__name__}: {text}" if text else type(error).__name__


class GuardedProjection:
    """``projection`` (registered by ``plugin``) with every call guarded.

    ``apply`` runs under ``timeout`` seconds per call (None: no limit), every call on the
    whole read model (``initial``, ``load``, ``dump``, ``keys``, ``dump_part``,
    ``load_parts``) under :data:`STATE_FACTOR` times that. Any exception from ``initial``,
    ``apply`` or a dump fails the projection instead of the fold (one from a load is
    raised: the Projector then folds the projection again from the log). Parts saving is
    kept when the projection has it.
    """

    def __init__(self, projection: Any, plugin: str, timeout: float | None) -> None:
        self.inner = projection
        self.plugin = plugin
        self.timeout = timeout
        self.name: str = projection.name
        self.version: int = projection.version
        self.handles: frozenset[str] = frozenset(projection.handles)
        self.failure: str | None = None
        """Why this projection stopped folding (None while it folds)."""
        self._apply = projection.apply
        self._current: Any = None  # the record being folded (None between calls)
        self._cut = 0  # the thread the watchdog raised _CutOff in (0: none)
        if timeout is not None:
            _WATCHDOG.watch(self)

    def __repr__(self) -> str:
        return f"GuardedProjection({self.inner!r}, plugin={self.plugin!r})"

    def _fail(self, what: str, reason: str) -> None:
        if self.failure is None:
            self.failure = (
                f"projection {self.name!r} of plugin {self.plugin!r}: {what} {reason}; it "
                "was cut off and its read model left out (folded again from the log next time)"
            )

    def _call(self, what: str, call: Callable[[], Any], *, errors_fail: bool = True) -> Any:
        """``call()`` under the state limit; on a cut-off (or, with ``errors_fail``, an
        exception) the projection is failed and :class:`_Failed` is raised."""
        limit = None if self.timeout is None else self.timeout * STATE_FACTOR
        self._current = _StateCall(what, limit)
        try:
            result = call()
        except BaseException as error:
            self._current = None
            if self._cut:
                _clear_async(self._cut, None)
                self._cut = 0
            if isinstance(error, _CutOff):
                self._fail(what, f"did not finish within {limit:g}s")
            elif isinstance(error, KeyboardInterrupt) or not errors_fail:
                raise
            else:
                self._fail(what, f"raised {_describe(error)}")
            raise _Failed(self.failure or what) from None
        self._current = None
        if self._cut:
            _clear_async(self._cut, None)
            self._cut = 0
        return result

    def initial(self) -> Any:
        """The inner projection's initial state (None, failed, if it raises or hangs)."""
        try:
            return self._call("initial()", self.inner.initial)
        except _Failed:
            return None

    def apply(self, state: Any, recorded: Any) -> Any:
        """Fold ``recorded`` into ``state`` with the inner projection, under the limit."""
        if self.failure is not None:
            return state
        self._current = recorded
        try:
            result = self._apply(state, recorded)
        except BaseException as error:
            self._current = None  # first: the watchdog leaves this call alone from here
            if self._cut:  # a second cut, set but not yet raised: cleared (a C call)
                _clear_async(self._cut, None)
                self._cut = 0
            return self._failed(state, recorded, error)
        self._current = None
        if self._cut:  # cut at its very end: the exception was set but not yet raised
            _clear_async(self._cut, None)  # a C call: nothing is raised before it runs
            self._cut = 0
        return result

    def _failed(self, state: Any, recorded: Any, error: BaseException) -> Any:
        if isinstance(error, KeyboardInterrupt):
            raise error
        event = getattr(recorded, "event_type", "?")
        where = f"apply() of event {getattr(recorded, 'position', '?')} ({event})"
        if isinstance(error, _CutOff):
            self._fail(where, f"did not finish within {self.timeout:g}s")
        else:
            self._fail(where, f"raised {_describe(error)}")
        return state

    def _saved(self, what: str, dump: Callable[[], Any]) -> bytes:
        """What ``dump()`` returns, or :data:`FAILED_STATE` (failed, or failing now)."""
        if self.failure is None:
            try:
                data = self._call(what, dump)
            except _Failed:
                return FAILED_STATE
            if isinstance(data, bytes):
                return data
            self._fail(what, f"returned {type(data).__name__}, expected bytes")
        return FAILED_STATE

    def dump(self, state: Any) -> bytes:
        """The inner projection's bytes, or :data:`FAILED_STATE` once failed."""
        return self._saved("dump()", lambda: self.inner.dump(state))

    def load(self, data: bytes) -> Any:
        """The inner projection's state; refuses :data:`FAILED_STATE`."""
        if data == FAILED_STATE:
            raise PluginError(f"projection {self.name!r} of plugin {self.plugin!r} failed")
        return self._call("load()", lambda: self.inner.load(data), errors_fail=False)


class _GuardedParts(GuardedProjection):
    """A guard for a projection that saves its state in parts (every ModelProjection)."""

    def keys(self, state: Any) -> set[Any]:
        """The stream keys of ``state`` (none once failed)."""
        if self.failure is not None:
            return set()
        try:
            return set(self._call("keys()", lambda: self.inner.keys(state)))
        except _Failed:
            return set()

    def dump_part(self, state: Any, keys: Collection[Any]) -> bytes:
        """The inner projection's part for ``keys``, or :data:`FAILED_STATE` once failed."""
        return self._saved("dump_part()", lambda: self.inner.dump_part(state, keys))

    def load_parts(self, parts: Sequence[bytes]) -> Any:
        """The state the parts hold; refuses any :data:`FAILED_STATE` part."""
        if any(part == FAILED_STATE for part in parts):
            raise PluginError(f"projection {self.name!r} of plugin {self.plugin!r} failed")
        return self._call("load_parts()", lambda: self.inner.load_parts(parts), errors_fail=False)


def guard_projection(projection: Any, plugin: str, timeout: float | None) -> GuardedProjection:
    """``projection`` under a guard (one that saves in parts if it does)."""
    parts = all(hasattr(projection, m) for m in ("keys", "dump_part", "load_parts"))
    return (_GuardedParts if parts else GuardedProjection)(projection, plugin, timeout)


class _Watchdog:
    """One daemon thread looking at every live guard; cuts off a call past its limit."""

    def __init__(self) -> None:
        self._guards: weakref.WeakSet[GuardedProjection] = weakref.WeakSet()
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._seen: dict[int, tuple[Any, float]] = {}  # id(guard) -> (its record, first seen)

    def watch(self, guard: GuardedProjection) -> None:
        with self._lock:
            self._guards.add(guard)
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(
                    target=self._run, name="hubcore-plugin-watchdog", daemon=True
                )
                self._thread.start()

    def _run(self) -> None:
        while True:
            with self._lock:
                guards = list(self._guards)
                if not guards:
                    self._thread = None
                    self._seen.clear()
                    return
            tick = _TICK
            now = time.monotonic()
            for guard in guards:
                if guard.timeout is not None:
                    tick = min(tick, guard.timeout / 4)
                    self._look(guard, now)
            del guards
            time.sleep(tick)

    def _look(self, guard: GuardedProjection, now: float) -> None:
        key = id(guard)
        record = guard._current
        if record is None or guard.failure is not None:
            self._seen.pop(key, None)
            return
        seen = self._seen.get(key)
        if seen is None or seen[0] is not record:
            self._seen[key] = (record, now)
            return
        limit = record.limit if isinstance(record, _StateCall) else guard.timeout
        if limit is None or now - seen[1] < limit:
            return
        ident = _running(guard)
        # no call and no loop from this check to the raise: the thread running the
        # plugin cannot move on in between (it needs the GIL this thread holds)
        if ident and guard._current is record:
            guard._cut = ident
            _set_async(ident, _CutOff)  # raised at the plugin's next instruction
            self._seen[key] = (record, now)  # again after another period if it swallows it


def _running(guard: GuardedProjection) -> int:
    """The thread whose stack is in ``guard.apply`` (0: none)."""
    for ident, frame in sys._current_frames().items():
        here: Any = frame
        while here is not None:
            if here.f_code in _GUARDED_CODES and here.f_locals.get("self") is guard:
                return ident
            here = here.f_back
    return 0


_GUARDED_CODES = frozenset({GuardedProjection.apply.__code__, GuardedProjection._call.__code__})
_WATCHDOG = _Watchdog()
