"""A hostile web, for real: servers on 127.0.0.1 that drip, stall, redirect where they must not, or
publish robots.txt rules that only RFC 9309 matching reads right. Every test has a hard time limit."""

from __future__ import annotations

import contextlib
import logging
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from conftest import NOW
from deadline import within
from protego import Protego

from recommender.core.config import Settings
from recommender.ingest.refresh import refresh_all
from recommender.ingest.report import RefreshSummary, SourceReport
from recommender.ingest.sources import Source
from recommender.store.event_store import Store
from scrapers.errors import DisallowedByRobots, FetchError
from scrapers.http import PoliteSession
from scrapers.origins import ForbiddenAddress

ICS = (
    "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\nBEGIN:VEVENT\r\nUID:{uid}@test\r\n"
    "DTSTAMP:20260301T000000Z\r\nDTSTART:20260320T190000Z\r\nDTEND:20260320T210000Z\r\n"
    "SUMMARY:{title}\r\nLOCATION:The Hall\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
)


class Server:
    """A threaded HTTP server whose paths are handler functions; records what was asked of it."""

    def __init__(self):
        self.routes = {"/robots.txt": lambda h: send(h, 404)}
        self.paths: list[str] = []
        server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        server.daemon_threads = True
        server.owner = self
        self._server = server
        self.base = f"http://127.0.0.1:{server.server_address[1]}"
        self._thread = threading.Thread(target=server.serve_forever, args=(0.02,), daemon=True)

    def url(self, path: str) -> str:
        return self.base + path

    def __enter__(self) -> Server:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._server.shutdown()
        self._server.server_close()


class _Handler(BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802 (http.server's naming)
        owner: Server = self.server.owner
        owner.paths.append(self.path)
        route = owner.routes.get(self.path, lambda h: send(h, 404, b"not found"))
        with contextlib.suppress(BrokenPipeError, ConnectionResetError, OSError):
            route(self)

    def log_message(self, *args):
        pass


def send(handler, status, body=b"", headers=None):
    handler.send_response(status)
    for name, value in {"Content-Length": str(len(body)), **(headers or {})}.items():
        handler.send_header(name, value)
    handler.end_headers()
    handler.wfile.write(body)


def feed(title: str, uid: str = "x"):
    body = ICS.format(title=title, uid=uid).encode()
    return lambda h: send(h, 200, body, {"Content-Type": "text/calendar"})


def drip(seconds_per_byte: float, body: bytes = b"BEGIN:VCALENDAR\r\n" * 200):
    """Headers at once, then the body a byte at a time: never a read timeout, never finished."""

    def route(h):
        h.send_response(200)
        h.send_header("Content-Type", "text/calendar")
        h.send_header("Content-Length", str(len(body)))
        h.end_headers()
        for byte in body:
            h.wfile.write(bytes([byte]))
            h.wfile.flush()
            time.sleep(seconds_per_byte)

    return route


def drip_headers(seconds_per_line: float):
    """A status line, then one header line every ``seconds_per_line`` for ever."""

    def route(h):
        h.wfile.write(b"HTTP/1.1 200 OK\r\n")
        for n in range(10_000):
            h.wfile.write(f"X-Slow-{n}: y\r\n".encode())
            h.wfile.flush()
            time.sleep(seconds_per_line)

    return route


def polite(*trusted: str, **kwargs) -> PoliteSession:
    options = {"min_delay": 0.01, "jitter": 0, "backoff": 0.01, "max_retries": 2, "read_timeout": 2}
    return PoliteSession(trusted=trusted, **{**options, **kwargs})


# -- robots.txt as RFC 9309 says -----------------------------------------------------------------

ROBOTS_CASES = [
    # (robots.txt, path, allowed): the cases the first-match parser got wrong, and the RFC's own
    ("User-agent: *\nAllow: /\nDisallow: /private\n", "/private/events.ics", False),
    ("User-agent: *\nDisallow: /*.ics$\n", "/events.ics", False),
    ("User-agent: *\nDisallow: /*.ics$\n", "/events.ics?page=2", True),
    ("User-agent: *\nDisallow: /\nAllow: /events/\n", "/events/june", True),
    ("User-agent: *\nDisallow: /\nAllow: /events/\n", "/about", False),
    (
        "User-agent: *\nAllow: /example/page/\nDisallow: /example/page/disallowed.gif\n",
        "/example/page/",
        True,
    ),
    (
        "User-agent: *\nAllow: /example/page/\nDisallow: /example/page/disallowed.gif\n",
        "/example/page/disallowed.gif",
        False,
    ),
    ("User-agent: *\nAllow: /page\nDisallow: /*.html\n", "/page.html", False),
    ("User-agent: *\nDisallow: /this/*/exactly\n", "/this/path/exactly", False),
    ("User-agent: *\nDisallow: /\n\nUser-agent: kindred\nAllow: /\n", "/events.ics", True),
    ("User-agent: Kindred\nDisallow: /feeds\n\nUser-agent: *\nDisallow: /\n", "/other", True),
    ("User-agent: *\nDisallow: /private%2Fdir\n", "/private/dir", True),
]


@pytest.mark.parametrize(("robots", "path", "allowed"), ROBOTS_CASES)
def test_robots_decisions_follow_rfc_9309_and_agree_with_protego(robots, path, allowed):
    with within(10), Server() as site:
        site.routes["/robots.txt"] = lambda h: send(h, 200, robots.encode())
        site.routes[path] = feed("Board games")
        with polite(site.base) as session:
            if allowed:
                session.get(site.url(path))
            else:
                with pytest.raises(DisallowedByRobots):
                    session.get(site.url(path))
    assert (path in site.paths) is allowed
    assert Protego.parse(robots).can_fetch(site.url(path), "Kindred") is allowed


def test_robots_txt_is_read_once_per_host_however_many_sources_it_has(tmp_path):
    with within(20), Server() as site:
        site.routes["/robots.txt"] = lambda h: send(h, 200, b"User-agent: *\nDisallow: /private\n")
        sources = [Source(f"s{n}", site.url(f"/feed{n}.ics")) for n in range(4)]
        for n in range(4):
            site.routes[f"/feed{n}.ics"] = feed(f"Choir night {n}", uid=str(n))
        summary = _refresh(tmp_path, sources)
    assert not summary.failed
    assert site.paths.count("/robots.txt") == 1


# -- origins: redirects and followed links stay where they may --------------------------------------


def test_a_redirect_to_another_loopback_port_is_refused_and_never_requested():
    with within(10), Server() as source, Server() as internal:
        internal.routes["/admin"] = feed("Secret")
        source.routes["/feed.ics"] = lambda h: send(h, 302, headers={"Location": internal.url("/admin")})
        with polite(source.base) as session, pytest.raises(ForbiddenAddress, match="loopback"):
            session.get(source.url("/feed.ics"))
    assert internal.paths == []


@pytest.mark.parametrize(
    "target",
    [
        "http://169.254.169.254/latest/meta-data/iam/security-credentials/",
        "http://[fd00:ec2::254]/latest/meta-data/",
        "http://10.0.0.1/internal",
        "http://localhost:1/",
        "http://[::1]:1/",
        "http://0.0.0.0:1/",
    ],
)
def test_a_redirect_to_metadata_private_or_local_addresses_is_refused_before_connecting(target):
    with within(10), Server() as source:
        source.routes["/feed.ics"] = lambda h: send(h, 302, headers={"Location": target})
        with polite(source.base) as session, pytest.raises(ForbiddenAddress, match="only the origins"):
            session.get(source.url("/feed.ics"))


def test_a_public_name_that_resolves_to_loopback_is_refused(monkeypatch):
    """What counts is the address a name resolves to (DNS rebinding), not what the name looks like."""
    real = socket.getaddrinfo

    def lying_dns(host, *args, **kwargs):
        if host == "events.example.com":
            return real("127.0.0.1", *args, **kwargs)
        return real(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", lying_dns)
    with within(10), Server() as source:
        port = source.base.rsplit(":", 1)[1]
        source.routes["/feed.ics"] = lambda h: send(
            h, 302, headers={"Location": f"http://events.example.com:{port}/other.ics"}
        )
        source.routes["/other.ics"] = feed("Stolen")
        with polite(source.base) as session, pytest.raises(ForbiddenAddress, match="127.0.0.1"):
            session.get(source.url("/feed.ics"))
    assert "/other.ics" not in source.paths


def test_the_address_connected_to_is_checked_too_not_only_the_lookup(monkeypatch):
    """A name that looked public when checked but connects to loopback (rebinding) is cut at connect."""
    import scrapers.origins as origins

    monkeypatch.setattr(origins.OriginPolicy, "check_name", lambda self, url: None)  # the lookup lied
    with within(10), Server() as source, Server() as internal:
        internal.routes["/admin"] = feed("Secret")
        source.routes["/feed.ics"] = lambda h: send(h, 302, headers={"Location": internal.url("/admin")})
        with polite(source.base) as session, pytest.raises(ForbiddenAddress, match="127.0.0.1"):
            session.get(source.url("/feed.ics"))
    assert internal.paths == []


def test_same_origin_redirects_and_origins_the_sources_file_names_are_followed(tmp_path):
    with within(20), Server() as a, Server() as b:
        a.routes["/old.ics"] = lambda h: send(h, 301, headers={"Location": "/new.ics"})
        a.routes["/new.ics"] = feed("Pottery club", uid="a")
        a.routes["/moved.ics"] = lambda h: send(h, 302, headers={"Location": b.url("/feed.ics")})
        b.routes["/feed.ics"] = feed("Trail running", uid="b")
        summary = _refresh(
            tmp_path,
            [
                Source("a", a.url("/old.ics")),
                Source("moved", a.url("/moved.ics")),
                Source("b", b.url("/b.ics")),
            ],
        )
    reports = {r.name: r for r in summary.reports}
    assert reports["a"].new == 1 and reports["moved"].new == 1, summary  # b is named: its origin is trusted
    assert reports["b"].failed and "404" in reports["b"].error


def test_a_followed_link_that_redirects_off_origin_is_refused_and_the_rest_is_kept(tmp_path):
    page = (
        b'<html><body><a href="/events/one.html">one</a> <a href="/events/two.html">two</a>'
        b'<script type="application/ld+json">{"@type": "Event", "name": "Listing quiz", '
        b'"startDate": "2026-03-21T19:00:00Z", "location": {"name": "The Crown"}}</script></body></html>'
    )
    detail = (
        b'<script type="application/ld+json">{"@type": "Event", "name": "Knitting circle", '
        b'"startDate": "2026-03-22T19:00:00Z", "location": {"name": "Library"}}</script>'
    )
    with within(20), Server() as site, Server() as internal:
        internal.routes["/secret.html"] = lambda h: send(h, 200, detail, {"Content-Type": "text/html"})
        site.routes["/listing.html"] = lambda h: send(h, 200, page, {"Content-Type": "text/html"})
        site.routes["/events/one.html"] = lambda h: send(h, 200, detail, {"Content-Type": "text/html"})
        site.routes["/events/two.html"] = lambda h: send(
            h, 302, headers={"Location": internal.url("/secret.html")}
        )
        source = Source("listing", site.url("/listing.html"), kind="page", follow="/events/")
        summary = _refresh(tmp_path, [source])
    (report,) = summary.reports
    assert not report.failed and report.new == 2
    assert any("loopback" in e for e in report.errors), report.errors
    assert internal.paths == []


# -- deadlines: nothing a server sends holds a fetch or a refresh --------------------------------


def test_a_server_dripping_the_body_is_cut_at_the_deadline_and_not_retried():
    with within(10), Server() as site:
        site.routes["/feed.ics"] = drip(0.05)
        started = time.monotonic()
        with polite(site.base, deadline=1.0) as session, pytest.raises(FetchError, match="longer than 1 s"):
            session.get(site.url("/feed.ics"))
        took = time.monotonic() - started
    assert took < 4, took
    assert site.paths.count("/feed.ics") == 1


def test_a_server_dripping_headers_is_cut_at_the_deadline():
    with within(10), Server() as site:
        site.routes["/feed.ics"] = drip_headers(0.05)
        with polite(site.base, deadline=1.0) as session, pytest.raises(FetchError, match="longer than 1 s"):
            session.get(site.url("/feed.ics"))


def test_a_dripping_robots_txt_is_cut_too_and_disallows_the_host_for_the_run():
    with within(10), Server() as site:
        site.routes["/robots.txt"] = drip(0.05, b"User-agent: *\nAllow: /\n" * 100)
        site.routes["/feed.ics"] = feed("Choir")
        with polite(site.base, deadline=1.0) as session:
            for _ in range(2):
                with pytest.raises(DisallowedByRobots, match="longer than 1 s"):
                    session.get(site.url("/feed.ics"))
    assert site.paths.count("/robots.txt") == 1 and "/feed.ics" not in site.paths


def test_a_refresh_with_hanging_dripping_and_good_sources_stores_the_good_one_in_time(tmp_path):
    hang = threading.Event()
    with within(30), Server() as hanging, Server() as dripping, Server() as good:
        hanging.routes["/feed.ics"] = lambda h: hang.wait(25)
        dripping.routes["/feed.ics"] = drip(0.1)
        good.routes["/feed.ics"] = feed("Salsa social")
        sources = [
            Source(n, s.url("/feed.ics")) for n, s in (("hang", hanging), ("drip", dripping), ("good", good))
        ]
        started = time.monotonic()
        summary = _refresh(tmp_path, sources, deadline=2.0, read_timeout=1.0, max_retries=0)
        took = time.monotonic() - started
        hang.set()
    reports = {r.name: r for r in summary.reports}
    assert reports["good"].new == 1
    assert reports["hang"].failed and "no answer in time" in reports["hang"].error
    assert reports["drip"].failed and "longer than 2 s" in reports["drip"].error
    assert took < 8, took  # the hosts are fetched side by side: one stuck host holds up no other


def test_hosts_are_fetched_concurrently_and_stored_in_sources_file_order(tmp_path):
    """Four slow hosts take about one host's time; the first source in the file wins a duplicate."""
    servers = [Server() for _ in range(4)]
    with within(30), contextlib.ExitStack() as stack:
        for server in servers:
            stack.enter_context(server)

        def slow(title, uid):
            body = feed(title, uid)
            return lambda h: (time.sleep(0.8), body(h))

        for n, server in enumerate(servers):
            # the same event on every host; the first host is the slowest to answer
            server.routes["/feed.ics"] = (
                slow("Ceilidh", uid=str(n)) if n == 0 else feed("Ceilidh", uid=str(n))
            )
        sources = [Source(f"host{n}", s.url("/feed.ics")) for n, s in enumerate(servers)]
        started = time.monotonic()
        summary = _refresh(tmp_path, sources)
        took = time.monotonic() - started
    assert [r.name for r in summary.reports] == ["host0", "host1", "host2", "host3"]
    assert summary.reports[0].new == 1
    assert all("already listed by source 'host0'" in r.skipped for r in summary.reports[1:])
    assert took < 0.8 * 4, took


# -- offline: one short line per source, and one that says why --------------------------------------


def test_when_nothing_can_be_reached_each_source_is_one_short_line_and_offline_is_said(tmp_path, kindred):
    closed = []
    for _ in range(3):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            closed.append(probe.getsockname()[1])  # nothing listens there once closed
    sources = tmp_path / "sources.toml"
    sources.write_text(
        "".join(f'[[source]]\nname = "s{p}"\nurl = "http://127.0.0.1:{p}/feed.ics"\n\n' for p in closed)
    )
    with within(30):
        started = time.monotonic()
        result = kindred("--db", f"sqlite:///{tmp_path / 'k.db'}", "refresh", "--sources", str(sources))
        took = time.monotonic() - started
    output = result.stdout + result.stderr
    assert result.returncode == 1
    assert "no source could be reached: are you offline?" in output
    failed = [line for line in output.splitlines() if "FAILED" in line]
    assert len(failed) == 3 and all("the connection was refused" in line for line in failed), failed
    assert all(len(line) < 200 for line in failed), failed
    assert "Traceback" not in output and "urllib3" not in output
    assert took < 10, took  # nothing retried, no backoff: a refused connection is refused again


def test_offline_is_said_only_when_every_failure_is_an_unreachable_host():
    down = SourceReport("down", "http://a.example/", error="refused", unreachable=True)
    gone = SourceReport("gone", "http://b.example/", error="404", unreachable=False)
    fine = SourceReport("fine", "http://c.example/", fetched=3)
    assert RefreshSummary([down, down]).offline
    assert not RefreshSummary([down, gone]).offline
    assert not RefreshSummary([down, fine]).offline
    assert not RefreshSummary().offline


def _refresh(tmp_path, sources, **session_options) -> RefreshSummary:
    store = Store(f"sqlite:///{tmp_path / 'kindred.db'}")
    options = {"min_delay": 0.01, "jitter": 0, "backoff": 0.01, "max_retries": 1, "read_timeout": 2}
    with PoliteSession(**{**options, **session_options}) as session:
        return refresh_all(store, sources, now=NOW, settings=Settings(timezone="UTC"), session=session)


def test_a_bug_in_a_parser_fails_only_its_source_and_prints_no_traceback(
    tmp_path, kindred, monkeypatch, caplog
):
    import recommender.ingest.refresh as refresh

    real_read = refresh.read

    def buggy(fetched, source, **kwargs):
        if source.name == "buggy":
            raise ZeroDivisionError("a parser bug")
        return real_read(fetched, source, **kwargs)

    monkeypatch.setattr(refresh, "read", buggy)
    caplog.set_level(logging.DEBUG)
    with within(30), Server() as site:
        site.routes["/good.ics"] = feed("Good feed", uid="g")
        site.routes["/buggy.ics"] = feed("Buggy feed", uid="b")
        sources = tmp_path / "sources.toml"
        sources.write_text(
            f'[[source]]\nname = "buggy"\nurl = "{site.url("/buggy.ics")}"\n\n'
            f'[[source]]\nname = "good"\nurl = "{site.url("/good.ics")}"\n'
        )
        result = kindred("--db", f"sqlite:///{tmp_path / 'k.db'}", "refresh", "--sources", str(sources), "-v")
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "Traceback" not in output
    # nothing logged at the levels `refresh` and `refresh -v` show carries a traceback
    assert not [r for r in caplog.records if r.exc_info and r.levelno >= logging.INFO]
    assert (
        "buggy: FAILED: unexpected ZeroDivisionError: a parser bug; please report this as a Kindred bug"
        in output
    )
