"""The clear error for a testing module imported without hubcore's ``testing`` extra."""

from __future__ import annotations

__all__ = ["missing_extra"]


def missing_extra(module: str, error: ImportError) -> ImportError:
    """An :class:`ImportError` for ``module`` naming what is missing and how to install it."""
    missing = error.name or "a dependency"
    return ImportError(
        f"{module} needs {missing}, from hubcore's testing extra: pip install 'hubcore[testing]'",
        name=module,
    )
