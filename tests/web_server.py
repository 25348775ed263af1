"""Run the Kindred web app on a real HTTP server on 127.0.0.1, for tests: in a thread (``serve``), or
as the real ``kindred serve`` process (``kindred_serve``)."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from recommender.web.app import create_app
from recommender.web.server import make_server, stop


@contextlib.contextmanager
def serve(store, settings, clock):
    server = make_server(create_app(store, settings, clock=clock), "127.0.0.1", 0)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.effective_port}"
    finally:
        stop(server)
        thread.join(5)


@contextlib.contextmanager
def kindred_serve(env: dict, *, timeout: float = 30.0):
    """Run the real ``kindred serve`` (the installed console script, waitress) on a free port of
    127.0.0.1 with ``env`` added to the environment; yields its address, stops it (SIGTERM) after."""
    port = _free_port()
    exe = Path(sys.executable).parent / "kindred"
    log = tempfile.TemporaryFile("w+")  # noqa: SIM115 - its stderr, shown if it fails to start; closed below
    proc = subprocess.Popen(
        [str(exe), "serve", "--host", "127.0.0.1", "--port", str(port)],
        env=dict(os.environ, KINDRED_BASE_URL=f"http://127.0.0.1:{port}", **env),
        stdout=subprocess.DEVNULL, stderr=log, text=True,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + timeout
        while True:
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=1):
                break
            if proc.poll() is not None or time.monotonic() > deadline:
                log.seek(0)
                raise AssertionError(f"kindred serve did not start: {log.read()}")
            time.sleep(0.1)
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(10)
        log.close()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
