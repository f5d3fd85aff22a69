"""Red/amber/green rules and small-number suppression: the helpers reporters share."""

from __future__ import annotations

import attrs

from hubcore.errors import SummaryError
from hubcore.reporting._summary import Number, Status

__all__ = ["Suppressor", "rag", "suppress_small"]


def _fmt(number: float) -> str:
    return f"{number:g}"


def rag(
    value: Number | None,
    target: Number | None,
    *,
    amber_within: Number | None = None,
    higher_is_better: bool = True,
) -> tuple[Status, str]:
    """Judge ``value`` against ``target``: the status and the text of the rule applied.

    Green when the target is met, amber when the value misses it by at most ``amber_within``
    (in the value's own unit; default 10% of the target), red otherwise. With
    ``higher_is_better=False`` the target is a ceiling (e.g. overdue schools). No value gives
    :attr:`Status.NO_DATA` (grey, never red, amber or green); no target :attr:`Status.NONE`.

    >>> rag(92.0, 100, amber_within=10)
    (<Status.AMBER: 'amber'>, 'green if >= 100, amber if >= 90, else red (value 92)')
    >>> rag(0, 1, amber_within=0)
    (<Status.RED: 'red'>, 'green if >= 1, else red (value 0)')
    """
    if value is None:
        return Status.NO_DATA, "no data"
    if target is None:
        return Status.NONE, "no target set"
    margin = abs(target) * 0.1 if amber_within is None else amber_within
    if margin < 0:
        raise SummaryError("rag", "amber_within", f"must be >= 0, got {margin!r}")
    if higher_is_better:
        floor = target - margin
        rule = f"green if >= {_fmt(target)}, amber if >= {_fmt(floor)}, else red"
        if margin == 0:  # no amber band: say so, rather than "amber if >= the target"
            rule = f"green if >= {_fmt(target)}, else red"
        status = Status.GREEN if value >= target else Status.AMBER if value >= floor else Status.RED
    else:
        ceiling = target + margin
        rule = f"green if <= {_fmt(target)}, amber if <= {_fmt(ceiling)}, else red"
        if margin == 0:
            rule = f"green if <= {_fmt(target)}, else red"
        status = (
            Status.GREEN if value <= target else Status.AMBER if value <= ceiling else Status.RED
        )
    return status, f"{rule} (value {_fmt(value)})"


def suppress_small(count: int, threshold: int = 5) -> int | str:
    """``count`` itself, or ``"<threshold"`` (e.g. ``"<5"``) when ``0 < count < threshold``.

    Zero is not suppressed: "none" identifies nobody. Negative counts are refused.
    """
    if isinstance(count, bool) or not isinstance(count, int):
        raise SummaryError("suppress_small", "count", f"must be an int, got {count!r}")
    if count < 0:
        raise SummaryError("suppress_small", "count", f"must be >= 0, got {count}")
    if threshold < 1:
        raise SummaryError("suppress_small", "threshold", f"must be >= 1, got {threshold}")
    return f"<{threshold}" if 0 < count < threshold else count


@attrs.define
class Suppressor:
    """:func:`suppress_small` that remembers whether it hid anything.

    >>> s = Suppressor()
    >>> s(3), s(12), s.applied
    ('<5', 12, True)

    Finish with ``summary.leaving_hub(suppressed=s.applied, threshold=s.threshold)``.
    """

    threshold: int = 5
    applied: bool = False

    def __call__(self, count: int) -> int | str:
        threshold = self.threshold
        if type(count) is int and (count == 0 or count >= threshold >= 1):
            return count  # the common case, without suppress_small's checks (it would pass)
        shown = suppress_small(count, threshold)
        if isinstance(shown, str):
            self.applied = True
        return shown
