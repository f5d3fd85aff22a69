"""The ``hypothesis`` entry point: hypothesis calls :func:`register` when it is imported.

A module of its own, so that hypothesis loading it never meets a half-imported
:mod:`hubcore.testing.strategies` (which imports hypothesis itself).
"""

from __future__ import annotations

__all__ = ["register"]


def register() -> None:
    """Register hubcore's event strategies with hypothesis (``st.from_type`` finds them)."""
    # Importing the module registers them. While it is itself being imported (it imported
    # hypothesis, which called this hook) the import returns at once, and the module
    # registers them when it finishes.
    import hubcore.testing.strategies  # noqa: F401
