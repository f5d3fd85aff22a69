"""``python -m hubcore``: the same as the ``hubcore`` command."""

from __future__ import annotations

from hubcore.cli import main

main()
