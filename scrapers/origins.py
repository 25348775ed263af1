"""Where a fetch may go: the origin rules of :mod:`scrapers.http` (no network here but name lookups).

An *origin* is scheme, host and port (``https://example.org:443``). The operator names origins in
the sources file; those may be anywhere, a server on the same machine included. Anything else —
the target of a redirect, a page a listing links to — is fetched only from a **public** address:
loopback, private, link-local (cloud metadata at 169.254.169.254 among them), shared, multicast
and reserved addresses are refused. What counts is the address a name resolves to and the address
actually connected to, not the name, so a public-looking name that resolves to 127.0.0.1 is
refused too.

Examples
--------
>>> origin_of("HTTPS://Example.org/events?x=1"), origin_of("http://127.0.0.1:8080/feed.ics")
('https://example.org:443', 'http://127.0.0.1:8080')
>>> is_public("93.184.215.14"), is_public("127.0.0.1"), is_public("169.254.169.254")
(True, False, False)
>>> is_public("::ffff:10.0.0.1"), is_public("fd00:ec2::254"), is_public("100.64.0.1")
(False, False, False)
>>> import textwrap
>>> policy = OriginPolicy(["http://127.0.0.1:8080/feed.ics"])
>>> policy.trusts("http://127.0.0.1:8080/other"), policy.trusts("http://127.0.0.1:9090/")
(True, False)
>>> try:
...     policy.check_address("http://127.0.0.1:9090/", "127.0.0.1")
... except ForbiddenAddress as exc:
...     print(textwrap.fill(str(exc), 104))
Not fetching http://127.0.0.1:9090/: it is at 127.0.0.1, a loopback address, and only the origins your
sources file names may be on such addresses
"""

from __future__ import annotations

import ipaddress
import socket
import threading
from collections.abc import Iterable
from urllib.parse import urlsplit

from .errors import FetchError

_DEFAULT_PORTS = {"http": 80, "https": 443}


class ForbiddenAddress(FetchError):
    """A fetch would reach a non-public address that the sources file does not name."""


def origin_of(url: str) -> str:
    """``scheme://host:port`` of ``url``, lower-cased, with the scheme's default port filled in."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    port = parts.port or _DEFAULT_PORTS.get(scheme, 0)
    host = (parts.hostname or "").lower()
    if ":" in host:  # an IPv6 literal keeps its brackets
        host = f"[{host}]"
    return f"{scheme}://{host}:{port}"


def is_public(address: str) -> bool:
    """True for a globally routable unicast address (an IPv4-mapped IPv6 address counts as IPv4)."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])  # drop an IPv6 zone ("fe80::1%eth0")
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


def _kind(address: str) -> str:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    for name in ("loopback", "link_local", "private", "multicast", "unspecified", "reserved"):
        if getattr(ip, f"is_{name}"):
            return f"a {name.replace('_', '-')} address"
    return "not a public address"


class OriginPolicy:
    """Which origins may be on non-public addresses: those named by the operator (thread-safe)."""

    def __init__(self, trusted: Iterable[str] = ()) -> None:
        self._trusted = {origin_of(url) for url in trusted}
        self._lock = threading.Lock()

    def trust(self, url: str) -> None:
        """Let ``url``'s origin be on any address (it is named in the sources file)."""
        with self._lock:
            self._trusted.add(origin_of(url))

    def trusts(self, url: str) -> bool:
        return origin_of(url) in self._trusted

    def check_address(self, url: str, address: str) -> None:
        """Refuse (:class:`ForbiddenAddress`) to reach ``address`` for ``url`` unless that is allowed."""
        if self.trusts(url) or is_public(address):
            return
        raise ForbiddenAddress(
            f"Not fetching {url}: it is at {address}, {_kind(address)}, and only the origins your "
            "sources file names may be on such addresses",
            url=url,
        )

    def check_name(self, url: str) -> None:
        """Resolve ``url``'s host and check every address it has (before any connection is made).

        A name that does not resolve is left for the connection to report.
        """
        if self.trusts(url):
            return
        parts = urlsplit(url)
        try:
            infos = socket.getaddrinfo(parts.hostname, parts.port or 0, type=socket.SOCK_STREAM)
        except (OSError, UnicodeError):
            return
        for *_, sockaddr in infos:
            self.check_address(url, sockaddr[0])
