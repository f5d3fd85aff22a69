"""hubcore's testing kit: hypothesis strategies, a pytest plugin and a store conformance suite.

Needs the ``testing`` extra (``pip install hubcore[testing]``): hypothesis and pytest.
"""

from __future__ import annotations

__all__: list[str] = []
