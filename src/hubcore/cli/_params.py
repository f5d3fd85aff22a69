"""Option callbacks shared by the commands: a bad value is a usage error (exit 2) naming it."""

from __future__ import annotations

from datetime import date

import click

from hubcore.calendar import is_academic_year

__all__ = ["academic_year", "iso_date"]


def academic_year(_: click.Context, __: click.Parameter, value: str | None) -> str | None:
    """``--year``: an academic year such as 2025/26, or nothing."""
    if value is not None and not is_academic_year(value):
        raise click.BadParameter(f"expected an academic year such as 2025/26, got {value!r}")
    return value


def iso_date(_: click.Context, __: click.Parameter, value: str | None) -> date | None:
    """A day written YYYY-MM-DD, or nothing."""
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"expected a date YYYY-MM-DD, got {value!r}") from None
