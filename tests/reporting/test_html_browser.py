"""The HTML report in a real headless Chromium: charts render, no script errors, a phone
screenshot for people to look at (test-artifacts/report-375.png)."""

from __future__ import annotations

import re
import struct
import subprocess
from pathlib import Path

import pytest
from browser import ARTIFACTS, FLAGS, chromium

from hubcore.reporting import render_html

pytestmark = pytest.mark.slow


def _run(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    profile = tmp_path / "profile"
    command = [chromium(), *FLAGS, f"--user-data-dir={profile}", *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)


def _dump(tmp_path: Path, page: Path) -> tuple[str, str]:
    done = _run(tmp_path, "--enable-logging=stderr", "--v=0", "--dump-dom", page.as_uri())
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout, done.stderr


def _console_problems(stderr: str) -> list[str]:
    return [
        line
        for line in stderr.splitlines()
        if "CONSOLE" in line or "Uncaught" in line or "Content Security Policy" in line
    ]


def test_report_renders_in_chromium_without_errors(tmp_path, evil_summary):
    page = tmp_path / "report.html"
    page.write_bytes(render_html(evil_summary))
    dom, stderr = _dump(tmp_path, page)
    body = re.search(r"<body[^>]*>", dom)
    assert body is not None
    assert 'data-rendered="ok"' in body.group(0), "the page script ran to its end"
    assert 'data-charts="4"' in body.group(0)
    root = re.search(r"<html[^>]*>", dom)
    assert root is not None
    assert "data-js-errors" not in root.group(0)
    assert _console_problems(stderr) == []
    assert dom.count('<svg class="chart line-chart"') == 2
    assert dom.count('<svg class="chart bar-chart"') == 2
    assert len(re.findall(r'<rect class="bar"', dom)) == 16
    assert len(re.findall(r'<path class="line" d="M', dom)) == 2
    assert '<div class="tip" role="status"' in dom, "the script added the value read-out"
    # the hostile school name is text, never markup
    assert "<script>alert(1)</script>" not in dom
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in dom


def test_injected_script_is_blocked_and_errors_are_caught(tmp_path, summary):
    """Controls for the test above: its checks do see a blocked script and a script error."""
    html = render_html(summary).decode("utf-8")
    hostile = html.replace(
        "</body>", '<script>document.body.dataset.pwned = "yes";</script></body>'
    )
    page = tmp_path / "hostile.html"
    page.write_text(hostile, encoding="utf-8")
    dom, stderr = _dump(tmp_path, page)
    assert "data-pwned" not in dom, "the Content-Security-Policy blocks injected scripts"
    assert any("Content Security Policy" in line for line in _console_problems(stderr))

    broken = html.replace('document.body.dataset.rendered="ok";', "undefinedFunction();")
    assert broken != html
    # keep the policy's hash valid for the edited script by dropping the CSP for this control
    broken = re.sub(r'<meta http-equiv="Content-Security-Policy"[^>]*>', "", broken)
    page.write_text(broken, encoding="utf-8")
    dom, _ = _dump(tmp_path, page)
    root = re.search(r"<html[^>]*>", dom)
    assert root is not None
    assert "data-js-errors=" in root.group(0)
    assert "undefinedFunction" in root.group(0)
    assert 'data-rendered="ok"' not in dom


def test_phone_screenshot_is_a_real_picture(tmp_path, evil_summary):
    ARTIFACTS.mkdir(exist_ok=True)
    page = tmp_path / "report.html"
    page.write_bytes(render_html(evil_summary))
    for width, height in ((375, 1200), (1280, 1400)):
        shot = ARTIFACTS / f"report-{width}.png"
        shot.unlink(missing_ok=True)
        done = _run(
            tmp_path, f"--screenshot={shot}", f"--window-size={width},{height}", page.as_uri()
        )
        assert done.returncode == 0, done.stderr[-2000:]
        data = shot.read_bytes()
        assert data[:8] == b"\x89PNG\r\n\x1a\n"
        assert struct.unpack(">II", data[16:24]) == (width, height)
        assert len(data) > 20_000, "a blank page compresses to a few kB"
