"""First-party hubcore reporter (being written)."""

from __future__ import annotations
