"""Run the Kindred web app on a real HTTP server on 127.0.0.1 in a thread, for tests."""

from __future__ import annotations

import contextlib
import threading

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
