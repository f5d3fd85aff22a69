"""The one exception hierarchy of hubcore.

Every error hubcore raises on purpose is a :class:`HubcoreError`, so an embedding
application can catch them all in one place, and each names what was wrong and where.
"""

from __future__ import annotations

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
]


class HubcoreError(Exception):
    """Base class of every error hubcore raises on purpose."""


class InvalidEvent(HubcoreError, ValueError):
    """An event field broke its rule.

    Carries ``event_type`` (e.g. ``"SchoolEngaged"``), ``field`` and ``rule``.
    """

    def __init__(self, event_type: str, field: str, rule: str) -> None:
        self.event_type = event_type
        self.field = field
        self.rule = rule
        super().__init__(f"{event_type}.{field}: {rule}")


class InvalidAppend(HubcoreError, ValueError):
    """An append was malformed as a whole: an empty batch, a bad ``expected_version`` or
    ``event_ids``, or an event that belongs in another stream. Nothing was appended."""


class ImmutableEvent(HubcoreError, TypeError):
    """Something tried to change an event's mapping field (events are frozen values)."""


class NotAStore(HubcoreError):
    """A file is not a hubcore event store (or one this hubcore cannot read); names the path."""

    def __init__(self, path: object, reason: str) -> None:
        self.path = path
        self.reason = reason
        super().__init__(f"{path}: {reason}")


class UnknownEventType(HubcoreError):
    """A payload names an event type hubcore does not know."""

    def __init__(self, event_type: object, where: str = "") -> None:
        self.event_type = event_type
        self.where = where
        suffix = f" ({where})" if where else ""
        super().__init__(f"unknown event type {event_type!r}{suffix}")


class CorruptRecord(HubcoreError):
    """Stored or supplied bytes could not be decoded into an event.

    ``stream``, ``version`` and ``position`` say where the record was, when known.
    """

    def __init__(
        self,
        reason: str,
        *,
        stream: str | None = None,
        version: int | None = None,
        position: int | None = None,
    ) -> None:
        self.reason = reason
        self.stream = stream
        self.version = version
        self.position = position
        where = ", ".join(
            f"{name} {value}"
            for name, value in (("stream", stream), ("version", version), ("position", position))
            if value is not None
        )
        super().__init__(
            f"corrupt record at {where}: {reason}" if where else f"invalid event data: {reason}"
        )


class ConcurrencyError(HubcoreError):
    """An append's ``expected_version`` did not match the stream's actual version."""

    def __init__(self, stream: str, expected: object, actual: int) -> None:
        self.stream = stream
        self.expected = expected
        self.actual = actual
        super().__init__(
            f"stream {stream!r}: expected version {expected}, but the stream is at version {actual}"
        )


class DuplicateEventId(HubcoreError):
    """A batch reuses event ids already stored, but is not a retry of that same batch."""


class IntegrityError(HubcoreError):
    """The log was edited, removed from or reordered outside hubcore.

    ``position`` is the first global position at which the hash chain breaks.
    """

    def __init__(self, position: int, reason: str) -> None:
        self.position = position
        self.reason = reason
        super().__init__(f"integrity check failed at position {position}: {reason}")


class AnchorMismatch(HubcoreError):
    """The log no longer extends a signed anchor (or the anchor was edited, or signed with
    another key); ``reason`` says which."""

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(f"anchor check failed: {reason}")


class StoreClosed(HubcoreError):
    """The store was used after :meth:`close`."""


class StoreUnavailable(HubcoreError):
    """The store's database could not be reached, or the connection dropped mid-call.

    An append that raises it may or may not have been stored: retry it with the same
    ``event_ids`` (nothing is stored twice)."""


class StoreLocked(StoreUnavailable):
    """Another process held the store's write lock for longer than this call would wait;
    nothing was written. Reading is never blocked by a writer."""


class StoreReadOnly(StoreUnavailable):
    """The store is on a read-only file system or medium: it can be read, not written;
    nothing was written."""


class StoreFull(StoreUnavailable):
    """The disk (file system, quota) holding the store is full; nothing was written, and
    the store is as it was: free some space and try again."""


class StorePermissionDenied(StoreUnavailable):
    """This user may not read (or write) the store's file, or create the files SQLite keeps
    beside it; names the path and what was refused."""


class StoreNotFound(StoreUnavailable):
    """An existing store was asked for and there is no file at the path."""


class UnsupportedStoreURL(HubcoreError, ValueError):
    """``open_store`` was given a URL whose scheme or form it does not know."""


class DomainError(HubcoreError):
    """A command broke a domain rule (the rules of docs/domain.md); nothing was appended.

    ``rule`` is the rule's code (see :data:`hubcore.domain.RULES`); ``stream`` and
    ``event_type`` say where and what, when known.
    """

    def __init__(
        self,
        message: str,
        *,
        rule: str | None = None,
        stream: str | None = None,
        event_type: str | None = None,
    ) -> None:
        self.rule = rule
        self.stream = stream
        self.event_type = event_type
        super().__init__(message)


class ImportFailed(HubcoreError):
    """An input file had bad rows; nothing from it was appended.

    ``problems`` lists ``(line, column, reason)`` for every bad row found.
    """

    def __init__(
        self, source: str, problems: list[tuple[int, str, str]], total: int | None = None
    ) -> None:
        self.source = source
        self.problems = problems
        self.total = len(problems) if total is None else total
        lines = [f"{source}: {self.total} problem(s); nothing was imported"]
        lines += [f"  line {line}, {column}: {reason}" for line, column, reason in problems]
        if self.total > len(problems):
            lines.append(f"  ... and {self.total - len(problems)} more")
        super().__init__("\n".join(lines))


class InvalidRequest(HubcoreError, ValueError):
    """A call's arguments were malformed (a year that is not an academic year, a URN that is
    not a number, a text-only call for a binary format); names the argument."""


class InvalidRead(InvalidRequest):
    """A store was asked a malformed question: a negative ``after`` or ``limit``, a
    position that is not a whole number, a stream name that is not text. Nothing was read."""


class OutputRefused(HubcoreError, OSError):
    """An output path names something hubcore will not replace (a folder, a socket, a
    device); nothing was written. Regular files are replaced atomically, a FIFO, a terminal
    or ``-`` is written as a stream."""


class PluginError(HubcoreError):
    """A plugin could not be loaded or registered (names the plugin)."""


class ReporterError(HubcoreError):
    """A reporter or renderer failed; names the plugin and the hook."""

    def __init__(self, plugin: str, hook: str, reason: str) -> None:
        self.plugin = plugin
        self.hook = hook
        self.reason = reason
        super().__init__(f"plugin {plugin!r}, hook {hook!r}: {reason}")


class SummaryError(HubcoreError, ValueError):
    """A :class:`~hubcore.reporting.Summary` (or one of its parts) was built with a bad field.

    Carries ``part`` (e.g. ``"Metric 'coverage'"``), ``field`` and ``rule``.
    """

    def __init__(self, part: str, field: str, rule: str) -> None:
        self.part = part
        self.field = field
        self.rule = rule
        super().__init__(f"{part}.{field}: {rule}")


class PluginLoadError(PluginError):
    """A plugin could not be imported, registered or validated.

    ``plugin`` is the plugin's name (its entry-point name, or the name given to
    :meth:`~hubcore.reporting.PluginHost.register`); ``reason`` says what went wrong.
    """

    def __init__(self, plugin: str, reason: str) -> None:
        self.plugin = plugin
        self.reason = reason
        super().__init__(f"plugin {plugin!r}: {reason}")


class NameClash(PluginLoadError):
    """Two plugins registered a reporter, renderer or projection under the same name.

    ``kind`` is ``"reporter"``, ``"renderer"`` or ``"projection"``; ``plugins`` names both:
    the one that registered the name first, then the one refused.
    """

    def __init__(self, kind: str, name: str, first: str, second: str) -> None:
        self.kind = kind
        self.name = name
        self.plugins = (first, second)
        if first == second:
            reason = f"registers {kind} {name!r} twice"
        else:
            reason = (
                f"{kind} {name!r} is already registered by plugin {first!r}; "
                f"plugin {second!r} cannot register it too (rename one of them)"
            )
        super().__init__(second, reason)


class NotRegistered(PluginError, LookupError):
    """No reporter, renderer or projection is registered under the name asked for."""

    def __init__(self, kind: str, name: str, known: list[str]) -> None:
        self.kind = kind
        self.name = name
        self.known = known
        choices = ", ".join(known) if known else "none"
        super().__init__(f"no {kind} named {name!r} (registered: {choices})")


class NoTestDatabase(HubcoreError):
    """A backend's :attr:`~hubcore.store.StoreScheme.fresh_url` has no database to test on
    here (e.g. no server configured); the message says how to provide one. Test suites skip
    on it."""


class DemoParameterError(HubcoreError, ValueError):
    """A demo setting is out of range (names the setting and the allowed values)."""
