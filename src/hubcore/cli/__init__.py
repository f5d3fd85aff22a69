"""The ``hubcore`` command (click, with rich for tables and progress bars).

Exit codes: 0 ok, 1 domain or input error, 2 usage error.
"""

from __future__ import annotations

from hubcore.cli._main import cli, main

__all__ = ["cli", "main"]
