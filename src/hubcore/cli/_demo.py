"""Commands (wired as their engines land)."""

from __future__ import annotations

import click

COMMANDS: list[click.Command] = []
