"""The production WSGI server behind ``kindred serve``: waitress, a pure-Python threaded server.

>>> import threading, urllib.request
>>> def hello(environ, start_response):
...     start_response("200 OK", [("Content-Type", "text/plain")])
...     return [b"ok"]
>>> server = make_server(hello, "127.0.0.1", 0)
>>> thread = threading.Thread(target=server.run, daemon=True); thread.start()
>>> urllib.request.urlopen(f"http://127.0.0.1:{server.effective_port}/").read()
b'ok'
>>> stop(server); thread.join(5); thread.is_alive()
False
"""

from __future__ import annotations

import contextlib

from waitress.server import create_server

THREADS = 8  # requests served at once; the store's own pool bounds database work


def make_server(app, host: str, port: int, *, threads: int = THREADS):
    """A waitress server for ``app`` bound to ``host:port`` (0: any free port, see ``effective_port``);
    ``run()`` serves until ``close()``."""
    sockets: dict = {}  # the server's own socket map, so stop() can close every connection in it
    server = create_server(app, map=sockets, host=host, port=port, threads=threads, ident="kindred")
    server.kindred_sockets = sockets
    return server


def wsgi_app():
    """The web app from the settings alone (``KINDRED_DB``, ``KINDRED_SECRET``, … or the config file),
    for other WSGI servers: ``gunicorn 'recommender.web.server:wsgi_app()'``."""
    from recommender.core.clock import now
    from recommender.core.config import Settings
    from recommender.store.snapshot import open_store
    from recommender.web.app import create_app

    settings = Settings.load()
    return create_app(open_store(settings.db), settings, clock=now)


def stop(server) -> None:
    """Stop a server whose ``run()`` is looping in another thread: it closes itself and every open
    connection in that thread, so the loop never waits on a socket closed under it and ``run()``
    returns at once (idle keep-alive connections would otherwise hold it for minutes)."""

    def close_all() -> None:
        for dispatcher in list(server.kindred_sockets.values()):
            if dispatcher is not server:
                dispatcher.close()
        server.close()

    try:
        server.trigger.pull_trigger(close_all)
    except OSError:  # its wake-up pipe is already closed: the loop has stopped, so close from here
        with contextlib.suppress(OSError):
            close_all()


def serve(app, host: str, port: int) -> None:
    """Serve ``app`` on ``host:port`` until interrupted (Ctrl-C or SIGTERM)."""
    server = make_server(app, host, port)
    try:
        server.run()
    except KeyboardInterrupt:
        pass
    finally:
        server.close()
