"""Data and errors printed to a terminal or a text report carry no control sequence and no
rich markup: a plugin whose error says ``[/x]`` or holds an escape sequence is printed as
itself, and the command goes on (today's crash: rich read ``[/x]`` as a closing tag)."""

from __future__ import annotations

import sys
import uuid

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st
from plugin_kit import install

from hubcore._printable import UNSAFE, printable
from hubcore.cli import cli
from hubcore.cli._context import SafeConsole
from hubcore.reporting import Metric, Scope, Section, Summary, Table, render_markdown, render_text

HOSTILE = "[/x] [bold]loud[/bold] \x1b[2J\x1b]0;owned\x07 back\rover \u202e21\u202c"

BROKEN = f"""
raise RuntimeError({HOSTILE!r})
"""

FAILING = f"""
from hubcore.reporting import hookimpl


class Reporter:
    name = "{{prefix}}-fails"
    title = "Fails"
    description = "Fails with a hostile message."
    projections = ()

    def build(self, context):
        raise ValueError({HOSTILE!r})


@hookimpl
def hubcore_register_reporters(register):
    register(Reporter())
"""


@pytest.fixture
def prefix(tmp_path, monkeypatch):
    name = f"hcs{uuid.uuid4().hex[:8]}"
    monkeypatch.syspath_prepend(str(tmp_path))
    yield name
    for module in [m for m in sys.modules if m.startswith(name)]:
        del sys.modules[module]


def _clean(output: str) -> None:
    assert "\x1b" not in output
    assert "\r" not in output
    assert "\x07" not in output
    assert "\u202e" not in output


def test_a_plugin_error_with_markup_and_escapes_is_printed_as_itself(tmp_path, prefix):
    install(tmp_path, f"{prefix}-dist", {f"{prefix}-broken": f"{prefix}_broken"},
            {f"{prefix}_broken": BROKEN})  # fmt: skip
    result = CliRunner().invoke(cli, ["--store", "memory://", "reporters"])
    assert result.exit_code == 0, result.output
    said = " ".join(result.stderr.split())  # the console wraps long lines
    assert f"warning: plugin '{prefix}-broken'" in said
    assert "[/x] [bold]loud[/bold]" in said
    assert "\\x1b[2J" in said
    assert "back\\rover" in said
    assert "\\u202e21" in said
    _clean(result.stderr)
    assert "ofsted" in result.stdout, "the command went on"


def test_a_failing_report_says_why_without_escapes(tmp_path, prefix):
    install(tmp_path, f"{prefix}-dist", {f"{prefix}-fails": f"{prefix}_fails"},
            {f"{prefix}_fails": FAILING.format(prefix=prefix)})  # fmt: skip
    result = CliRunner().invoke(
        cli, ["--store", "memory://", "report", f"{prefix}-fails", "--year", "2025/26"]
    )
    assert result.exit_code == 1
    assert "error:" in result.stderr
    said = " ".join(result.stderr.split())
    assert "[/x] [bold]loud[/bold]" in said
    assert "\\x1b]0;owned\\a" in said
    _clean(result.stderr)


def test_the_cli_console_prints_data_as_text(capsys):
    console = SafeConsole(width=200)
    console.print(HOSTILE)
    console.print(Table.__name__, HOSTILE)
    out = capsys.readouterr().out
    assert "[/x] [bold]loud[/bold]" in out
    _clean(out)


def test_text_and_markdown_reports_carry_no_control_characters():
    summary = Summary(
        title=HOSTILE,
        scope=Scope(hub_id="h", hub_name=HOSTILE, academic_year="2025/26"),
        metrics=[Metric(key="k", label=HOSTILE, value=1, note=HOSTILE, rule=HOSTILE)],
        tables=[Table(name=HOSTILE, columns=[HOSTILE, "n"], rows=[(HOSTILE, 1)])],
        sections=[Section(anchor="s", title=HOSTILE, note=HOSTILE, caveats=[HOSTILE])],
        caveats=[HOSTILE],
    )
    for output in (
        render_text(summary).decode("utf-8"),
        render_text(summary, width=30).decode("utf-8"),
        render_markdown(summary).decode("utf-8"),
    ):
        _clean(output)
        assert "x1b" in output


@given(st.text())
def test_printable_leaves_nothing_unsafe_and_keeps_the_rest(text):
    shown = printable(text)
    assert UNSAFE.search(shown) is None
    assert "\t" not in shown
    assert printable(shown) == shown, "printing twice changes nothing more"
    if UNSAFE.search(text) is None and "\t" not in text:
        assert shown == text
