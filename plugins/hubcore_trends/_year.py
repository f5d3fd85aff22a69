"""A report context for another academic year: the same read models, hub and basis."""

from __future__ import annotations

from typing import Any

import attrs

from hubcore.reporting import ReportContext, Scope

__all__ = ["YearContext"]


@attrs.frozen
class YearContext:
    """``inner`` read for ``academic_year`` instead of its own year (``as_of`` kept)."""

    inner: ReportContext
    academic_year: str

    @property
    def hub(self) -> Any:
        """The inner context's hub."""
        return self.inner.hub

    @property
    def schools(self) -> Any:
        """The inner context's schools filter."""
        return self.inner.schools

    @property
    def as_of(self) -> Any:
        """The day the inner context reads the log as of (None: everything recorded)."""
        return getattr(self.inner, "as_of", None)

    def get(self, name: str) -> Any:
        """The inner context's read model ``name``."""
        return self.inner.get(name)

    def scope(self) -> Scope:
        """The inner context's scope, for this year."""
        return attrs.evolve(self.inner.scope(), academic_year=self.academic_year)
