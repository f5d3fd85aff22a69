"""Text that is safe to print: control characters shown, never sent.

A school's name, a plugin's error or a stored note is data; printed raw, an escape
character in it could recolour, move or clear a terminal, a carriage return could
overwrite the line before it, and a right-to-left override could make ``12`` read ``21``.
:func:`printable` shows each such character as a visible escape (``\\x1b``, ``\\r``,
``\\u202e``) instead. Line breaks are kept; a tab becomes a space.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

__all__ = ["UNSAFE", "printable", "printable_all"]

UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
"""The characters :func:`printable` replaces (besides tabs): C0 and C1 controls other than
the line feed, DEL, and the bidirectional marks, embeddings, overrides and isolates."""

_NAMED = {"\r": "\\r", "\x0b": "\\v", "\x0c": "\\f", "\x08": "\\b", "\x07": "\\a", "\x00": "\\0"}


def _shown(match: re.Match[str]) -> str:
    char = match.group()
    named = _NAMED.get(char)
    if named is not None:
        return named
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def printable(text: str) -> str:
    """``text`` with every control character shown as a visible escape (see the module).

    >>> printable("Oak\\x1b[2J School\\r")
    'Oak\\\\x1b[2J School\\\\r'
    >>> printable("two\\nlines")
    'two\\nlines'
    """
    if text.isprintable():  # the common case, one C-level pass: nothing to replace
        return text
    if "\t" in text:
        text = text.replace("\t", " ")
    if UNSAFE.search(text) is None:
        return text
    return UNSAFE.sub(_shown, text)


def printable_all(texts: Sequence[str]) -> list[str]:
    """:func:`printable` of each text; one C-level scan of them all when none needs it."""
    joined = "".join(texts)
    if joined.isprintable() or ("\t" not in joined and UNSAFE.search(joined) is None):
        return list(texts)
    return list(map(printable, texts))
