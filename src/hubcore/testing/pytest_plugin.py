"""The pytest plugin (``pytest11`` entry point ``hubcore``): fixtures for embedding tests.

Imported by pytest in every run where hubcore is installed, so it imports nothing heavy at
module level: the store, projector and hypothesis load only when a fixture is used.
"""

from __future__ import annotations
