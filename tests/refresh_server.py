"""A real HTTP server on 127.0.0.1 (in a thread) serving saved feeds and pages, plus misbehaving
endpoints, for refresh tests. Every request is logged in ``server.requests`` as ``(path, time)``."""

from __future__ import annotations

import contextlib
import shutil
import threading
import time
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from conftest import FIXTURES

from recommender.core.resources import data_file

ROBOTS = "User-agent: *\nDisallow: /private/\n"
LISTING = """<html><body><h1>What's on</h1>
<a href="/events/heart.html">Heart of Torbay</a>
<a href="/private/secret.html">members only</a>
<a href="/about.html">about us</a>
</body></html>"""
NO_EVENTS = (
    "<html><head><title>Events</title></head><body><p>No events yet, check back soon!</p></body></html>"
)
MALFORMED = (
    '<html><body><div><script type="application/ld+json">{"@type": "Event", "name": broken</script>'
    "<p>unclosed <b>tags <table><tr><td>"
)
BROKEN_ICS = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nSUMMARY:Half a feed\r\nDTSTART:2026"
FILES = {
    "feeds/birch.ics": FIXTURES / "ics" / "birchcommunitycentre_events.ics",
    "mirror/birch.ics": FIXTURES / "ics" / "birchcommunitycentre_events.ics",
    "feeds/meetup.ics": FIXTURES / "ics" / "meetup_london-bisexual-women-games-wine-group.ics",
    "feeds/gcal.ics": FIXTURES / "ics" / "google_calendar_import_test.ics",
    "feeds/yellowbird.ics": FIXTURES / "ics" / "icloud_yellowbird_webcal.ics",
    "private/events.ics": FIXTURES / "ics" / "icloud_generic_webcal.ics",
    "events/heart.html": FIXTURES / "pages" / "heartoftorbaycic_events.html",
    "pages/outsavvy.html": FIXTURES / "pages" / "outsavvy_organiser_sappho-events.html",
    "pages/songkick.html": FIXTURES / "pages" / "Years_Years_Tickets_Tour_Dates_2015_Concerts.html",
    # the embedded snapshot, as the Toronto open-data feed serves it (the built-in source)
    "toronto/all.jsonld": data_file("toronto_festivals_events.jsonld"),
}
TEXTS = {
    "robots.txt": ROBOTS,
    "listing.html": LISTING,
    "empty.html": NO_EVENTS,
    "malformed.html": MALFORMED,
    "broken.ics": BROKEN_ICS,
}


class Handler(SimpleHTTPRequestHandler):
    server: FixtureServer

    def log_message(self, *args):  # keep test output quiet
        pass

    def do_GET(self):  # noqa: N802 (http.server's naming)
        path = self.path.split("?")[0]
        self.server.requests.append((path, time.monotonic()))
        count = sum(1 for p, _ in self.server.requests if p == path)
        if path == "/throttled.ics" and count == 1:
            return self._status(429, {"Retry-After": "1"})
        if path == "/flaky.html" and count == 1:
            return self._status(500)
        if path == "/slow.ics":
            time.sleep(self.server.slow_seconds)
            return self._status(200)
        if path == "/loop-a":
            return self._status(302, {"Location": "/loop-b"})
        if path == "/loop-b":
            return self._status(302, {"Location": "/loop-a"})
        if path == "/huge.ics":
            body = b"BEGIN:VCALENDAR\r\n" + b"X-PAD:" + b"x" * (3 * 2**20)
            return self._status(200, {"Content-Type": "text/calendar"}, body)
        if path == "/changing.ics":
            return self._status(200, {"Content-Type": "text/calendar"}, self.server.changing.encode())
        if path in self.server.extra:
            return self._status(200, {"Content-Type": "text/html"}, self.server.extra[path].encode())
        if path == "/throttled.ics":
            self.path = "/feeds/yellowbird.ics"
        elif path == "/flaky.html":
            self.path = "/pages/outsavvy.html"
        return super().do_GET()

    def _status(self, code: int, headers: dict | None = None, body: bytes = b""):
        self.send_response(code)
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            self.wfile.write(body)


class FixtureServer(ThreadingHTTPServer):
    daemon_threads = True
    requests: list[tuple[str, float]]
    slow_seconds: float = 2.0
    changing: str = ""
    extra: dict[str, str]  # path -> HTML, set by a test

    def paths(self) -> list[str]:
        return [p for p, _ in self.requests]


@contextlib.contextmanager
def serve(root: Path):
    """Copy the fixtures into ``root`` and serve it; yields ``(server, base_url)``."""
    for rel, src in FILES.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(src, root / rel)
    for rel, text in TEXTS.items():
        (root / rel).write_text(text, encoding="utf-8")

    def handler(*args, **kwargs):
        return Handler(*args, directory=str(root), **kwargs)

    server = FixtureServer(("127.0.0.1", 0), handler)
    server.requests, server.extra = [], {}
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield server, f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)
