"""Drive Debian's headless Chromium as a person would: open pages, fill in forms, press buttons.

Chromium speaks the DevTools protocol over two pipes (``--remote-debugging-pipe``: it reads commands
from file descriptor 3 and writes answers and events to 4, each message JSON ending in a NUL byte),
so the tests need nothing but the standard library. One :class:`Browser` is one Chromium process
with one tab; every wait has a time limit, so a page that never loads fails the test.
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
import queue
import subprocess
import threading
import time
from pathlib import Path

FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--window-size=1000,1400"]  # fmt: skip


class BrowserError(AssertionError):
    """Chromium answered with an error, or did not answer in time."""


class Browser:
    """``with Browser(exe, profile) as tab: tab.open(url); tab.fill("#email", "x"); tab.click(...)``."""

    def __init__(self, exe: str, profile: Path, *, timeout: float = 30.0):
        self.timeout = timeout
        to_child, self._commands = os.pipe()  # Chromium reads fd 3
        self._answers, from_child = os.pipe()  # Chromium writes fd 4
        # bash puts the pipes at 3 and 4, then becomes Chromium
        self.process = subprocess.Popen(
            ["bash", "-c", f'exec "$0" "$@" 3<&{to_child} 4>&{from_child}', exe, *FLAGS,
             "--remote-debugging-pipe", f"--user-data-dir={profile}", "about:blank"],
            pass_fds=(to_child, from_child), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        os.close(to_child)
        os.close(from_child)
        self._next_id = 0
        self._replies: dict[int, queue.Queue] = {}
        self._events: queue.Queue = queue.Queue()
        self._lock = threading.Lock()
        threading.Thread(target=self._read, daemon=True).start()
        target = self._call("Target.createTarget", {"url": "about:blank"})["targetId"]
        self._session = self._call("Target.attachToTarget", {"targetId": target, "flatten": True})[
            "sessionId"
        ]
        self.call("Page.enable")
        self.call("Runtime.enable")

    def __enter__(self) -> Browser:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        with contextlib.suppress(BrowserError, OSError):
            self._call("Browser.close", timeout=5)
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(10)
        os.close(self._commands)

    # --- the protocol ----------------------------------------------------------------------------

    def _read(self) -> None:
        buffer = b""
        with os.fdopen(self._answers, "rb", buffering=0) as pipe:
            while chunk := pipe.read(65536):
                buffer += chunk
                *messages, buffer = buffer.split(b"\0")
                for raw in messages:
                    message = json.loads(raw)
                    if "id" in message and message["id"] in self._replies:
                        self._replies[message["id"]].put(message)
                    elif "method" in message:
                        self._events.put(message)

    def _call(self, method: str, params: dict | None = None, *, session: str | None = None,
              timeout: float | None = None) -> dict:  # fmt: skip
        with self._lock:
            self._next_id += 1
            ident = self._next_id
            self._replies[ident] = queue.Queue()
        message = {"id": ident, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        os.write(self._commands, json.dumps(message).encode() + b"\0")
        try:
            reply = self._replies[ident].get(timeout=timeout or self.timeout)
        except queue.Empty:
            raise BrowserError(
                f"Chromium did not answer {method} within {timeout or self.timeout} s"
            ) from None
        finally:
            self._replies.pop(ident, None)
        if "error" in reply:
            raise BrowserError(f"{method}: {reply['error']}")
        return reply.get("result", {})

    def call(self, method: str, params: dict | None = None) -> dict:
        """A command to the tab."""
        return self._call(method, params, session=self._session)

    def _wait_for(self, method: str) -> dict:
        deadline = time.monotonic() + self.timeout
        while (left := deadline - time.monotonic()) > 0:
            try:
                event = self._events.get(timeout=left)
            except queue.Empty:
                break
            if event["method"] == method:
                return event
        raise BrowserError(f"no {method} within {self.timeout} s")

    def _drain(self) -> None:
        while not self._events.empty():
            self._events.get_nowait()

    # --- what a person does ------------------------------------------------------------------------

    def open(self, url: str) -> None:
        """Go to ``url`` and wait until the page has loaded."""
        self._drain()
        self.call("Page.navigate", {"url": url})
        self._wait_for("Page.loadEventFired")

    def js(self, expression: str):
        """The value of ``expression`` in the page (JSON-serialisable values only)."""
        result = self.call("Runtime.evaluate", {"expression": expression, "returnByValue": True})
        if "exceptionDetails" in result:
            raise BrowserError(f"{expression}: {result['exceptionDetails']}")
        return result["result"].get("value")

    def fill(self, selector: str, value: str) -> None:
        """Type ``value`` into the field ``selector`` (an input, textarea or select)."""
        found = self.js(
            f"(() => {{ const f = document.querySelector({json.dumps(selector)}); if (!f) return false;"
            f" f.focus(); f.value = {json.dumps(value)};"
            " f.dispatchEvent(new Event('input', {bubbles: true}));"
            " f.dispatchEvent(new Event('change', {bubbles: true})); return true; })()"
        )
        if not found:
            raise BrowserError(f"no field {selector} on {self.url}")

    def click(self, selector: str) -> None:
        """Press the button or link ``selector`` and wait for the page it leads to."""
        self._drain()
        if not self.js(f"(() => {{ const b = document.querySelector({json.dumps(selector)});"
                       " if (!b) return false; b.click(); return true; })()"):  # fmt: skip
            raise BrowserError(f"nothing to click at {selector} on {self.url}")
        self._wait_for("Page.loadEventFired")

    def text(self, selector: str = "body") -> str:
        """What the person reads in ``selector``."""
        return self.js(f"(document.querySelector({json.dumps(selector)}) || {{innerText: ''}}).innerText")

    @property
    def url(self) -> str:
        return self.js("location.href")

    def screenshot(self, path: Path) -> bytes:
        """A PNG of the page as it is drawn, saved at ``path``."""
        data = base64.b64decode(self.call("Page.captureScreenshot", {"format": "png"})["data"])
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        return data
