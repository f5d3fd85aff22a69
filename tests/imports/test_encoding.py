from __future__ import annotations

import codecs

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hubcore import ImportFailed
from hubcore.imports._encoding import decode_text, repair_mojibake
from hubcore.imports._problems import Problems

TEXT = "URN,School\r\n141422,\u00c9cole St Mary\u2019s\r\n"


def decode(data: bytes, **flags: bool):
    flags.setdefault("allow_cp1252", True)
    flags.setdefault("allow_utf16", True)
    return decode_text(data, Problems("f.csv"), **flags)


def problem(data: bytes, **flags: bool) -> tuple[int, str, str]:
    with pytest.raises(ImportFailed) as caught:
        decode(data, **flags)
    return caught.value.problems[0]


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (TEXT.encode("utf-8"), "utf-8"),
        (codecs.BOM_UTF8 + TEXT.encode("utf-8"), "utf-8-sig"),
        (TEXT.encode("cp1252"), "cp1252"),
        (TEXT.encode("utf-16"), "utf-16"),
        (TEXT.encode("utf-16-le"), "utf-16"),
        (TEXT.encode("utf-16-be"), "utf-16"),
    ],
    ids=["utf-8", "utf-8-bom", "windows-1252", "utf-16-bom", "utf-16-le", "utf-16-be"],
)
def test_every_encoding_spreadsheets_write_reads_the_same_text(data, encoding):
    decoded = decode(data)
    assert decoded.text == TEXT
    assert decoded.encoding == encoding
    assert decoded.warnings == ()


def test_utf16_is_refused_where_it_is_not_allowed():
    assert "UTF-16" in problem(TEXT.encode("utf-16"), allow_utf16=False)[2]


def test_a_file_mixing_utf8_and_windows_1252_lines_is_read_line_by_line_with_a_warning():
    data = (
        b"URN,School\r\n"
        + "141422,\u00c9cole\r\n".encode("utf-8")
        + "141187,Caf\u00e9 Caf\u00e9\r\n".encode("cp1252")
        + b"141021,Brookside\r\n"
        + "142219,Na\u00efve\r\n".encode("cp1252")
    )
    decoded = decode(data)
    assert decoded.encoding == "mixed"
    assert decoded.text.splitlines() == [
        "URN,School",
        "141422,\u00c9cole",
        "141187,Caf\u00e9 Caf\u00e9",
        "141021,Brookside",
        "142219,Na\u00efve",
    ]
    (warning,) = decoded.warnings
    assert "line(s) 3, 5 were Windows-1252" in warning


def test_bytes_valid_in_no_allowed_encoding_are_refused_naming_the_line():
    data = b"URN,School\r\n141422,ok\r\n141187,bad \x81 byte\r\n"
    line, column, reason = problem(data)
    assert (line, column) == (3, "file")
    assert "0x81" in reason


def test_utf8_only_files_name_the_bad_line():
    assert problem(b"a\nb\n\xff\n", allow_cp1252=False)[0] == 3


def test_nul_bytes_outside_utf16_mean_a_binary_file():
    line, _, reason = problem(b"URN\n1\x00\x01\x02\x03\x04\x05\n")
    assert line == 2
    assert "binary" in reason


def test_damaged_utf16_names_the_line():
    data = codecs.BOM_UTF16_LE + "a\r\nb\r\n".encode("utf-16-le") + b"\x00\xd8"  # lone surrogate
    line, _, reason = problem(data)
    assert line == 3
    assert "UTF-16" in reason


@pytest.mark.parametrize("data", [b"", b"  \r\n", codecs.BOM_UTF16_LE + " \n".encode("utf-16-le")])
def test_empty_files_are_refused(data):
    assert problem(data)[2] == "the file is empty"


@pytest.mark.parametrize(
    ("mangled", "meant"),
    [
        ("\u00c3\u2030cole", "\u00c9cole"),  # Ã‰cole
        ("St Mary\u00e2\u20ac\u2122s", "St Mary\u2019s"),  # â€™
        ("\u00c2\u00a35 fee", "\u00a35 fee"),  # Â£
        ("Caf\u00c3\u00a9 and \u00c3\u0089cole", "Caf\u00e9 and \u00c9cole"),  # Latin-1 C1
        ("\u00c3\u0192\u00c2\u00a9", "\u00e9"),  # mangled twice
    ],
)
def test_mojibake_is_repaired(mangled, meant):
    assert repair_mojibake(mangled) == meant


@pytest.mark.parametrize(
    "clean",
    [
        "\u00c9cole",
        "St Mary\u2019s",
        "\u00c2ngela",
        "na\u00efve",
        "plain text",
        "\u00e9\u2019\u2019",
    ],
)
def test_clean_text_is_left_alone(clean):
    assert repair_mojibake(clean) is None


def _mangle(text: str) -> str:
    """``text`` saved as UTF-8 and read back as Windows-1252 (Latin-1 where it has no
    character), as a spreadsheet does."""
    out = []
    for byte in text.encode("utf-8"):
        try:
            out.append(bytes([byte]).decode("cp1252"))
        except UnicodeDecodeError:
            out.append(chr(byte))
    return "".join(out)


_NAMES = st.text(
    alphabet=st.sampled_from(
        "abcdefgh ABC-'&\u00e9\u00e8\u00e0\u00fc\u00f6\u00e7\u00f1\u2019\u2018\u201c\u201d"
        "\u2013\u2014\u00a3\u20ac"
    ),
    min_size=1,
    max_size=30,
)


@given(_NAMES)
def test_any_mangled_name_is_repaired_and_no_clean_name_is_touched(name):
    assert repair_mojibake(name) is None
    mangled = _mangle(name)
    assert repair_mojibake(mangled) == (None if mangled == name else name)
