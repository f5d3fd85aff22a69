"""A real headless Chromium driven over the DevTools protocol, for the HTML report's tests.

Chromium speaks the protocol over a pipe (``--remote-debugging-pipe``: it reads commands
from file descriptor 3 and writes answers to 4, each a JSON message ending in a NUL byte),
so no websocket client and no new dependency is needed. :class:`Browser` opens a page at a
given viewport, evaluates JavaScript in it, switches to print media, takes screenshots and
prints to PDF.
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
import shutil
import subprocess
import time
from pathlib import Path
from typing import Any

import pytest

FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
]

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
"""Where the browser tests leave screenshots and PDFs for people to look at."""

A4_PX = (794, 1123)
"""An A4 sheet at the CSS resolution of 96 pixels to the inch (210 x 297 mm)."""
A4_MARGIN_MM = 12
A4_CONTENT_PX = round((210 - 2 * A4_MARGIN_MM) / 25.4 * 96)
"""The width of an A4 page's printed area inside the page's 12 mm margins (``@page``)."""


def chromium() -> str:
    found = shutil.which("chromium")
    if found is None:
        pytest.fail(
            "chromium is not installed: run `apt-get install -y chromium` (scripts/test.sh does)"
        )
    return found


class Browser:
    """One headless Chromium with one page, over the DevTools pipe."""

    def __init__(self, profile: Path, *, timeout: float = 60.0) -> None:
        self.timeout = timeout
        to_chrome_r, self._to_chrome = os.pipe()
        self._from_chrome, from_chrome_w = os.pipe()

        def wire() -> None:  # in the child, before exec: the pipe ends on fds 3 and 4
            os.dup2(to_chrome_r, 3)
            os.dup2(from_chrome_w, 4)

        profile.mkdir(parents=True, exist_ok=True)
        self._log = (profile / "chromium.log").open("wb")  # a pipe could fill and block it
        self.process = subprocess.Popen(
            [chromium(), *FLAGS, f"--user-data-dir={profile}", "--remote-debugging-pipe"],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=self._log,
            pass_fds=(3, 4),
            preexec_fn=wire,  # noqa: PLW1509 - single-threaded at this point
        )
        os.close(to_chrome_r)
        os.close(from_chrome_w)
        self._buffer = b""
        self._next_id = 0
        self.events: list[dict[str, Any]] = []
        target = self.call("Target.createTarget", url="about:blank")["targetId"]
        self.session = self.call("Target.attachToTarget", targetId=target, flatten=True)[
            "sessionId"
        ]
        self.page("Page.enable")
        self.page("Runtime.enable")

    # -- the protocol -----------------------------------------------------------------

    def _send(self, message: dict[str, Any]) -> None:
        os.write(self._to_chrome, json.dumps(message).encode() + b"\0")

    def _receive(self) -> dict[str, Any]:
        deadline = time.monotonic() + self.timeout
        while b"\0" not in self._buffer:
            if time.monotonic() > deadline:
                raise TimeoutError("chromium did not answer in time")
            chunk = os.read(self._from_chrome, 1 << 16)
            if not chunk:
                raise RuntimeError("chromium closed the pipe: " + self._stderr())
            self._buffer += chunk
        raw, self._buffer = self._buffer.split(b"\0", 1)
        message: dict[str, Any] = json.loads(raw)
        return message

    def _stderr(self) -> str:
        self.process.kill()
        self.process.wait(timeout=10)
        self._log.flush()
        return Path(self._log.name).read_text(errors="replace")[-2000:]

    def call(self, method: str, session: str | None = None, **params: Any) -> dict[str, Any]:
        """Send one command and return its result (events that arrive meanwhile are kept)."""
        self._next_id += 1
        message: dict[str, Any] = {"id": self._next_id, "method": method, "params": params}
        if session:
            message["sessionId"] = session
        self._send(message)
        while True:
            answer = self._receive()
            if answer.get("id") == self._next_id:
                if "error" in answer:
                    raise RuntimeError(f"{method}: {answer['error']}")
                result: dict[str, Any] = answer.get("result", {})
                return result
            self.events.append(answer)

    def page(self, method: str, **params: Any) -> dict[str, Any]:
        return self.call(method, self.session, **params)

    def wait_for(self, method: str) -> dict[str, Any]:
        for index, event in enumerate(self.events):
            if event.get("method") == method:
                return self.events.pop(index)
        while True:
            event = self._receive()
            if event.get("method") == method:
                return event
            self.events.append(event)

    # -- what the tests use -----------------------------------------------------------

    def open(self, page: Path, width: int, height: int = 900) -> None:
        """Load ``page`` in a ``width`` x ``height`` viewport and wait for its load event."""
        self.viewport(width, height)
        self.events.clear()
        self.page("Page.navigate", url=page.as_uri())
        self.wait_for("Page.loadEventFired")

    def viewport(self, width: int, height: int) -> None:
        self.page(
            "Emulation.setDeviceMetricsOverride",
            width=width,
            height=height,
            deviceScaleFactor=1,
            mobile=False,
        )

    def media(self, media: str) -> None:
        """``"print"`` lays the page out as for printing; ``""`` back to the screen."""
        self.page("Emulation.setEmulatedMedia", media=media)

    def js(self, expression: str) -> Any:
        """The value of a JavaScript expression in the page (thrown errors are raised)."""
        result = self.page(
            "Runtime.evaluate", expression=expression, returnByValue=True, awaitPromise=True
        )
        if "exceptionDetails" in result:
            raise RuntimeError(f"script failed: {result['exceptionDetails']}")
        return result["result"].get("value")

    def screenshot(self, path: Path, *, full_page: bool = False) -> bytes:
        """A PNG of the viewport (or the whole page), written to ``path``."""
        params: dict[str, Any] = {"format": "png"}
        if full_page:
            width, height = self.js(
                "[document.documentElement.scrollWidth, document.documentElement.scrollHeight]"
            )
            params.update(
                captureBeyondViewport=True,
                clip={"x": 0, "y": 0, "width": width, "height": height, "scale": 1},
            )
        data = base64.b64decode(self.page("Page.captureScreenshot", **params)["data"])
        path.write_bytes(data)
        return data

    def pdf(self, path: Path) -> bytes:
        """The page printed to an A4 PDF (the page's own ``@page`` size and margins)."""
        data = base64.b64decode(
            self.page("Page.printToPDF", printBackground=True, preferCSSPageSize=True)["data"]
        )
        path.write_bytes(data)
        return data

    def console_problems(self) -> list[str]:
        """Console errors, exceptions and blocked content reported so far."""
        problems = []
        for event in self.events:
            method = event.get("method")
            if method == "Runtime.exceptionThrown" or (
                method == "Runtime.consoleAPICalled" and event["params"]["type"] == "error"
            ):
                problems.append(json.dumps(event["params"])[:300])
        return problems

    def close(self) -> None:
        with contextlib.suppress(RuntimeError, TimeoutError, OSError):
            self.call("Browser.close")
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)
        for fd in (self._to_chrome, self._from_chrome):
            os.close(fd)
        self._log.close()
