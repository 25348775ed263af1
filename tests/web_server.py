"""Run the Kindred web app on a real HTTP server on 127.0.0.1 in a thread, for tests."""

from __future__ import annotations

import contextlib
import threading

from werkzeug.serving import make_server

from recommender.web.app import create_app


@contextlib.contextmanager
def serve(store, settings, clock):
    server = make_server("127.0.0.1", 0, create_app(store, settings, clock=clock), threaded=True)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(5)
