"""The sockets under :mod:`scrapers.http`: checked where they connect, cut when a response runs late.

Timeouts of the socket apply to each read, so a server that sends a byte every few seconds could
hold one fetch for ever. :class:`WatchedAdapter` is a requests adapter whose connections register
their sockets; :meth:`WatchedAdapter.deadline` starts a timer that, when a response has taken
longer than its total budget (connecting, headers and body together), shuts down the sockets of
that origin, so whatever read is waiting fails at once. Only one request at a time runs per host
(:mod:`scrapers.throttle`), so the cut never hits another fetch.

Each new connection is also checked against the :class:`~scrapers.origins.OriginPolicy` with the
address it really connected to (a name that resolved to something else a moment ago changes
nothing). Through a proxy the connected address is the proxy's, so there only the name check made
before the request applies.
"""

from __future__ import annotations

import contextlib
import socket
import threading
import weakref
from collections.abc import Iterator

from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

from .origins import OriginPolicy


class _Watch:
    """Live sockets by ``(host, port)``, and the policy new connections are checked against."""

    def __init__(self, policy: OriginPolicy) -> None:
        self.policy = policy
        self._sockets: dict[tuple[str, int], weakref.WeakSet] = {}
        self._lock = threading.Lock()

    def connected(self, scheme: str, conn: HTTPConnection, sock: socket.socket) -> None:
        if conn.proxy is None:
            peer = sock.getpeername()[0]
            self.policy.check_address(f"{scheme}://{_netloc(conn.host, conn.port)}/", peer)
        with self._lock:
            self._sockets.setdefault((conn.host.lower(), conn.port), weakref.WeakSet()).add(sock)

    def cut(self, host: str, port: int) -> None:
        with self._lock:
            sockets = list(self._sockets.get((host.lower(), port), ()))
        for sock in sockets:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)


def _netloc(host: str, port: int) -> str:
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


def _watched(base: type, scheme: str, watch: _Watch) -> type:
    def _new_conn(self):
        sock = base._new_conn(self)
        try:
            watch.connected(scheme, self, sock)
        except BaseException:
            sock.close()
            raise
        return sock

    return type(f"Watched{base.__name__}", (base,), {"_new_conn": _new_conn})


class WatchedAdapter(HTTPAdapter):
    """A requests adapter whose connections obey ``policy`` and can be cut at a deadline."""

    def __init__(self, policy: OriginPolicy, **kwargs) -> None:
        self._watch = _Watch(policy)
        http = _watched(HTTPConnection, "http", self._watch)
        https = _watched(HTTPSConnection, "https", self._watch)
        self._pools = {
            "http": type("WatchedHTTPPool", (HTTPConnectionPool,), {"ConnectionCls": http}),
            "https": type("WatchedHTTPSPool", (HTTPSConnectionPool,), {"ConnectionCls": https}),
        }
        super().__init__(**kwargs)

    def init_poolmanager(self, *args, **kwargs) -> None:
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = self._pools

    def proxy_manager_for(self, *args, **kwargs):
        manager = super().proxy_manager_for(*args, **kwargs)
        manager.pool_classes_by_scheme = self._pools
        return manager

    @contextlib.contextmanager
    def deadline(self, host: str, port: int, seconds: float) -> Iterator[threading.Event]:
        """Cut ``host:port``'s sockets if the body of the ``with`` runs past ``seconds``.

        Yields an event that is set when the cut happened (so the caller can say why it failed).
        """
        expired = threading.Event()

        def cut() -> None:
            expired.set()
            self._watch.cut(host, port)

        timer = threading.Timer(seconds, cut)
        timer.daemon = True
        timer.start()
        try:
            yield expired
        finally:
            timer.cancel()
