"""A griffe extension for the API reference: the docstrings' Sphinx roles and literals
(:class:`~hubcore.Summary`, ``name``) become markdown code spans (`Summary`, `name`)."""

from __future__ import annotations

import re
from typing import Any

import griffe

_ROLE = re.compile(r":(?:py:)?(?:class|func|meth|mod|attr|data|exc|obj):`~?(?:[\w.]+\.)?([^`]+?)`")
_LITERAL = re.compile(r"``([^`]+)``")


def plain(text: str) -> str:
    """``text`` with every role and double-backtick literal as a single-backtick span."""
    return _LITERAL.sub(r"`\1`", _ROLE.sub(r"`\1`", text))


class SphinxRoles(griffe.Extension):
    """Rewrites each docstring once, when griffe loads its object."""

    def on_instance(self, *, obj: griffe.Object, **kwargs: Any) -> None:
        if obj.docstring is not None:
            obj.docstring.value = plain(obj.docstring.value)
