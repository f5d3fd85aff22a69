"""Errors of the reporting layer, all inside hubcore's one hierarchy."""

from __future__ import annotations

from hubcore.errors import HubcoreError, PluginError

__all__ = ["NameClash", "NotRegistered", "PluginLoadError", "SummaryError"]


class SummaryError(HubcoreError, ValueError):
    """A :class:`Summary` (or one of its parts) was built with a bad field.

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
    :meth:`PluginHost.register`); ``reason`` says what went wrong.
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
