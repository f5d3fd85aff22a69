"""Turning an import file's bytes into text: which encoding, and repairing mixed ones.

Spreadsheets save text in a handful of encodings: UTF-8 (with or without a byte-order mark),
Windows-1252 (Excel's "CSV" on a UK Windows machine) and UTF-16 (Excel's "Unicode text").
:func:`decode_text` finds which one a file uses. Two kinds of damage are repaired, each with
a warning naming the lines, never silently:

* **mixed encodings**: a file that is UTF-8 except for some lines in Windows-1252 (two
  exports pasted together) is read line by line, each line in the encoding it is valid in;
* **mojibake**: text that was decoded in the wrong encoding once already and saved again,
  such as ``Ã‰cole`` for ``École`` or ``â€™`` for a closing quotation mark
  (:func:`repair_mojibake`).

Bytes valid in none of the encodings allowed are refused, naming the line.
"""

from __future__ import annotations

import codecs
import contextlib
import re

import attrs

from hubcore.imports._problems import FILE, Problems

__all__ = ["Decoded", "decode_text", "repair_mojibake"]

_UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
_NAMES = {"utf-8": "UTF-8", "cp1252": "Windows-1252", "utf-16": "UTF-16"}


@attrs.frozen
class Decoded:
    """A file's text, the encoding it was read in, and the repairs made (as warnings)."""

    text: str
    encoding: str
    """``"utf-8"``, ``"utf-8-sig"``, ``"cp1252"``, ``"utf-16"`` or ``"mixed"``."""
    warnings: tuple[str, ...] = ()


def _line_of(data: bytes, index: int) -> int:
    return data.count(b"\n", 0, index) + 1


def _lines_shown(lines: list[int], limit: int = 10) -> str:
    shown = ", ".join(str(n) for n in lines[:limit])
    more = f" and {len(lines) - limit} more" if len(lines) > limit else ""
    return f"{shown}{more}"


def _utf16_without_bom(data: bytes) -> str | None:
    """``"utf-16-le"``/``"utf-16-be"`` when the NUL bytes sit where UTF-16 puts them."""
    sample = data[:4096]
    if len(sample) < 4:
        return None
    even, odd = sample[0::2], sample[1::2]
    if odd.count(0) > 0.4 * len(odd) and even.count(0) == 0:
        return "utf-16-le"
    if even.count(0) > 0.4 * len(even) and odd.count(0) == 0:
        return "utf-16-be"
    return None


def _undecodable(data: bytes, index: int, tried: str, problems: Problems) -> Exception:
    return problems.fail(
        _line_of(data, index),
        FILE,
        f"not valid {tried} text: byte 0x{data[index]:02x} cannot be decoded"
        " (wrong encoding, or not a text file)",
    )


def _decode_utf16(data: bytes, codec: str, problems: Problems) -> Decoded:
    try:
        text = data.decode(codec)
    except UnicodeDecodeError as error:
        line = data[: error.start].decode(codec, errors="replace").count("\n") + 1
        raise problems.fail(
            line, FILE, "not valid UTF-16 text: the file is cut short or damaged"
        ) from None
    return Decoded(text.removeprefix("\ufeff"), "utf-16")


def _decode_by_line(data: bytes, problems: Problems) -> Decoded:
    """UTF-8 failed: Windows-1252 for the whole file, or for some lines of a mixed one."""
    lines = data.splitlines(keepends=True)
    parts: list[str] = []
    legacy: list[int] = []
    utf8_non_ascii = False
    offset = 0
    for number, raw in enumerate(lines, start=1):
        try:
            part = raw.decode("utf-8")
            utf8_non_ascii = utf8_non_ascii or not raw.isascii()
        except UnicodeDecodeError:
            try:
                part = raw.decode("cp1252")
            except UnicodeDecodeError as error:
                raise _undecodable(
                    data, offset + error.start, "UTF-8 or Windows-1252", problems
                ) from None
            legacy.append(number)
        parts.append(part)
        offset += len(raw)
    text = "".join(parts)
    if not utf8_non_ascii:
        return Decoded(text, "cp1252")
    warning = (
        f"mixed encodings: line(s) {_lines_shown(legacy)} were Windows-1252 and the rest"
        " UTF-8; each line was read in its own encoding (check those lines)"
    )
    return Decoded(text, "mixed", (warning,))


def decode_text(
    data: bytes, problems: Problems, *, allow_cp1252: bool, allow_utf16: bool = False
) -> Decoded:
    """Decode ``data``: a UTF-8 or UTF-16 byte-order mark decides; else UTF-16 by its NUL
    bytes (when ``allow_utf16``), strict UTF-8, then (when ``allow_cp1252``) Windows-1252,
    line by line if only some lines need it.

    Empty, binary (NUL bytes), unwanted UTF-16 and undecodable input raise
    :class:`~hubcore.ImportFailed` naming the line.
    """
    if not data.strip():
        raise problems.fail(1, FILE, "the file is empty")
    utf16 = "utf-16" if data.startswith(_UTF16_BOMS) else None
    if utf16 is None and allow_utf16:
        utf16 = _utf16_without_bom(data)
    if utf16 is not None:
        if not allow_utf16:
            raise problems.fail(
                1, FILE, "the file is UTF-16; save it as CSV UTF-8 or Windows-1252 and try again"
            )
        decoded = _decode_utf16(data, utf16, problems)
        if not decoded.text.strip():
            raise problems.fail(1, FILE, "the file is empty")
        return decoded
    nul = data.find(b"\x00")
    if nul >= 0:
        raise problems.fail(
            _line_of(data, nul), FILE, "contains NUL bytes: this is a binary file, not text"
        )
    if data.startswith(codecs.BOM_UTF8):
        body = data[len(codecs.BOM_UTF8) :]
        try:
            return Decoded(body.decode("utf-8"), "utf-8-sig")
        except UnicodeDecodeError as error:
            raise _undecodable(
                data, len(codecs.BOM_UTF8) + error.start, "UTF-8", problems
            ) from None
    try:
        return Decoded(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError as error:
        if not allow_cp1252:
            raise _undecodable(data, error.start, "UTF-8", problems) from None
    return _decode_by_line(data, problems)


# Mojibake: UTF-8 bytes read as Windows-1252 (or Latin-1) show as a lead character
# (U+00C2-U+00F4, the bytes 0xC2-0xF4) followed by one to three continuation characters
# (the bytes 0x80-0xBF). Windows-1252 leaves 0x81, 0x8D, 0x8F, 0x90, 0x9D undefined;
# Latin-1 shows them (and every other byte of that range) as C1 control characters.
def _byte_of() -> dict[str, int]:
    table: dict[str, int] = {}
    for value in range(0x80, 0x100):
        table[chr(value)] = value  # as Latin-1 shows it
        with contextlib.suppress(UnicodeDecodeError):
            table[bytes([value]).decode("cp1252")] = value
    return table


_BYTE_OF = _byte_of()
_CONTINUATION = "".join(re.escape(c) for c, b in _BYTE_OF.items() if 0x80 <= b <= 0xBF)
_LEAD2 = "".join(re.escape(c) for c, b in _BYTE_OF.items() if 0xC2 <= b <= 0xDF)
_LEAD3 = "".join(re.escape(c) for c, b in _BYTE_OF.items() if 0xE0 <= b <= 0xEF)
_LEAD4 = "".join(re.escape(c) for c, b in _BYTE_OF.items() if 0xF0 <= b <= 0xF4)
_MOJIBAKE = re.compile(
    f"(?:[{_LEAD2}][{_CONTINUATION}]|[{_LEAD3}][{_CONTINUATION}]{{2}}"
    f"|[{_LEAD4}][{_CONTINUATION}]{{3}})+"
)


def _plausible(char: str) -> bool:
    """A character text about English schools holds: Latin letters, punctuation, currency
    (a run that decodes to anything else, a CJK character say, was no mojibake)."""
    code = ord(char)
    return 0x80 <= code < 0x250 or 0x2000 <= code < 0x20D0 or 0x2100 <= code < 0x2150


def _undo(match: re.Match[str]) -> str:
    run = match.group(0)
    try:
        text = bytes(_BYTE_OF[c] for c in run).decode("utf-8")
    except UnicodeDecodeError:
        return run
    return text if all(_plausible(c) for c in text) else run


def repair_mojibake(text: str) -> str | None:
    """``text`` with UTF-8-read-as-Windows-1252 runs decoded again, or None if it has none.

    >>> repair_mojibake("Ã‰cole")
    'École'
    >>> repair_mojibake("St Mary\u00e2\u20ac\u2122s") == "St Mary\u2019s"
    True
    >>> repair_mojibake("École") is None
    True
    """
    if text.isascii():
        return None
    fixed = text
    for _ in range(3):  # text mangled twice or three times over
        again = _MOJIBAKE.sub(_undo, fixed)
        if again == fixed:
            break
        fixed = again
    return None if fixed == text else fixed
