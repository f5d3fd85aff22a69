"""Which characters text that names or describes something may hold: one rule for events
and importers.

Refused everywhere: control characters (Unicode category Cc), format characters (Cf:
zero-width spaces and joiners, bidirectional marks and overrides, the byte-order mark,
soft hyphens), surrogates (Cs), private-use (Co) and unassigned (Cn) code points, and the
line and paragraph separators (Zl, Zp). Each is invisible, or changes how the text around
it is shown, so two names that look the same could differ, or one could hide another.
Free text of several lines (a note) may hold line feeds and tabs too.
"""

from __future__ import annotations

import unicodedata

__all__ = ["INVISIBLE_CATEGORIES", "MULTILINE", "ascii_digits", "first_invisible"]

INVISIBLE_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"})
"""The Unicode general categories refused in text (see the module)."""

MULTILINE = frozenset("\n\t")
"""The control characters a multi-line text (a note) may hold."""


def first_invisible(text: str, allowed: frozenset[str] = frozenset()) -> str | None:
    """The first refused character of ``text`` (not in ``allowed``), or None.

    >>> first_invisible("Oak Lane")
    >>> first_invisible("p1\\n")
    '\\n'
    >>> first_invisible("two\\nlines", MULTILINE)
    """
    if text.isprintable() and text.isascii():  # the common case, one C-level pass
        return None
    for char in text:
        if char not in allowed and unicodedata.category(char) in INVISIBLE_CATEGORIES:
            return char
    return None


def ascii_digits(text: str) -> bool:
    """True when ``text`` is one or more of the digits 0-9 and nothing else.

    ``str.isdigit`` and ``int`` also take other scripts' digits ('١٢٣' is 123 to them) and
    superscripts ('²', which ``int`` then refuses): identifiers and counts are ASCII only.

    >>> ascii_digits("123"), ascii_digits("١٢٣"), ascii_digits("²"), ascii_digits("")
    (True, False, False, False)
    """
    return text.isascii() and text.isdigit()
