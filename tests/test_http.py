"""PoliteSession against a real HTTP server on 127.0.0.1 (fake clock, so no test really waits)."""

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from scrapers.errors import DisallowedByRobots, FetchError, TooLarge
from scrapers.http import DEFAULT_USER_AGENT, PoliteSession

UA = "Kindred-test/1.0 (+https://example.org/bot)"
ROBOTS = "User-agent: *\nDisallow: /private\nCrawl-delay: 2\n"


class FakeTime:
    """A clock that only moves when the session sleeps; records every sleep."""

    def __init__(self):
        self.now = 1000.0
        self.sleeps: list[float] = []

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


class Site:
    """Routes of the test server, and a record of every request it received."""

    def __init__(self, fake: FakeTime):
        self.fake = fake
        self.routes = {"/robots.txt": lambda h: reply(h, 404, b"no robots here")}
        self.requests: list[dict] = []
        self.in_flight = self.max_in_flight = 0
        self.lock = threading.Lock()
        self.base = ""

    def url(self, path: str) -> str:
        return self.base + path

    def paths(self) -> list[str]:
        return [r["path"] for r in self.requests]

    def times(self, path: str) -> list[float]:
        """Fake-clock times at which ``path`` was requested."""
        return [r["at"] for r in self.requests if r["path"] == path]


def reply(handler, status, body=b"", headers=None):
    handler.send_response(status)
    headers = {"Content-Length": str(len(body)), **(headers or {})}
    for name, value in headers.items():
        if value is not None:
            handler.send_header(name, value)
    handler.end_headers()
    handler.wfile.write(body)


class Handler(BaseHTTPRequestHandler):
    def do_GET(self):
        site: Site = self.server.site
        with site.lock:
            site.requests.append({"path": self.path, "headers": dict(self.headers), "at": site.fake.now})
            site.in_flight += 1
            site.max_in_flight = max(site.max_in_flight, site.in_flight)
        try:
            route = site.routes.get(self.path, lambda h: reply(h, 404, b"not found"))
            route(self)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (timeouts, size cap): that is what some tests want
        finally:
            with site.lock:
                site.in_flight -= 1

    def log_message(self, *args):
        pass


@pytest.fixture
def fake():
    return FakeTime()


@pytest.fixture
def site(fake):
    site = Site(fake)
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    server.site = site
    site.base = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, args=(0.02,), daemon=True)
    thread.start()
    yield site
    server.shutdown()
    server.server_close()


@pytest.fixture
def session(fake, site):
    with PoliteSession(
        trusted=[site.base], user_agent=UA, min_delay=1.0, jitter=0, backoff=0.5, max_retries=2,
        connect_timeout=2, read_timeout=2, sleep=fake.sleep, clock=fake.clock,
    ) as s:  # fmt: skip
        yield s


def ok(body=b"hello", **headers):
    return lambda h: reply(h, 200, body, {"Content-Type": "text/plain; charset=utf-8", **headers})


def gaps(times):
    return [b - a for a, b in zip(times, times[1:], strict=False)]


def test_fetch_returns_body_status_type_and_sends_the_user_agent(site, session):
    site.routes["/feed.ics"] = lambda h: reply(
        h, 200, "Café".encode(), {"Content-Type": "text/calendar; charset=utf-8"}
    )
    fetched = session.get(site.url("/feed.ics"))
    assert (fetched.status, fetched.content_type, fetched.text) == (200, "text/calendar", "Café")
    assert fetched.url == site.url("/feed.ics") and not fetched.from_cache
    assert {r["headers"]["User-Agent"] for r in site.requests} == {UA}


def test_default_user_agent_names_kindred_and_a_contact_url():
    assert DEFAULT_USER_AGENT.startswith("Kindred/") and "+http" in DEFAULT_USER_AGENT


def test_disallowed_url_is_never_requested_and_crawl_delay_is_honoured(site, session, fake):
    site.routes["/robots.txt"] = lambda h: reply(h, 200, ROBOTS.encode(), {"Content-Type": "text/plain"})
    site.routes["/private/page"] = ok()
    site.routes["/public"] = ok()
    with pytest.raises(DisallowedByRobots) as info:
        session.get(site.url("/private/page"))
    assert site.url("/private/page") in str(info.value) and "disallows" in str(info.value)
    assert info.value.url == site.url("/private/page")
    session.get(site.url("/public"))
    session.get(site.url("/public"))
    assert "/private/page" not in site.paths()
    assert site.paths().count("/robots.txt") == 1
    public = site.times("/public")
    assert public[0] - site.times("/robots.txt")[0] >= 2.0  # Crawl-delay: 2 beats min_delay 1
    assert gaps(public) == [pytest.approx(2.0)]


def test_redirect_to_a_disallowed_path_is_not_followed(site, session):
    site.routes["/robots.txt"] = lambda h: reply(h, 200, ROBOTS.encode())
    site.routes["/go"] = lambda h: reply(h, 302, headers={"Location": "/private/x"})
    with pytest.raises(DisallowedByRobots):
        session.get(site.url("/go"))
    assert "/private/x" not in site.paths()


def test_at_least_min_delay_between_requests_to_one_host(site, session):
    site.routes["/a"] = ok()
    for _ in range(3):
        session.get(site.url("/a"))
    times = [r["at"] for r in site.requests]  # robots.txt, then /a three times
    assert len(times) == 4
    assert all(g >= 1.0 for g in gaps(times)), gaps(times)


def test_jitter_only_ever_adds_to_the_delay(site, fake):
    site.routes["/a"] = ok()
    with PoliteSession(
        trusted=[site.base],
        user_agent=UA,
        min_delay=1.0,
        jitter=0.5,
        rng=lambda: 1.0,
        sleep=fake.sleep,
        clock=fake.clock,
    ) as s:
        s.get(site.url("/a"))
        s.get(site.url("/a"))
    assert gaps(site.times("/a")) == [pytest.approx(1.5)]


def test_429_retry_after_seconds_is_honoured(site, session):
    answers = iter([lambda h: reply(h, 429, b"slow down", {"Retry-After": "7"}), ok(b"now fine")])
    site.routes["/busy"] = lambda h: next(answers)(h)
    assert session.get(site.url("/busy")).text == "now fine"
    assert gaps(site.times("/busy")) == [pytest.approx(7.0)]


def test_retry_after_http_date_is_read_against_the_servers_date(site, session):
    def busy(h):
        h.date_time_string = lambda timestamp=None: "Wed, 21 Oct 2026 07:28:00 GMT"
        reply(h, 503, b"", {"Retry-After": "Wed, 21 Oct 2026 07:28:05 GMT"})

    answers = iter([busy, ok()])
    site.routes["/busy"] = lambda h: next(answers)(h)
    session.get(site.url("/busy"))
    assert gaps(site.times("/busy")) == [pytest.approx(5.0)]


def test_retry_after_beyond_max_wait_fails_with_advice(site, fake):
    site.routes["/busy"] = lambda h: reply(h, 429, b"", {"Retry-After": "3600"})
    with (
        PoliteSession(
            trusted=[site.base], user_agent=UA, max_wait=60, sleep=fake.sleep, clock=fake.clock
        ) as s,
        pytest.raises(FetchError, match="Retry-After asks to wait 3600 s.*try again later"),
    ):
        s.get(site.url("/busy"))
    assert site.paths().count("/busy") == 1


def test_500_then_200_is_retried_with_backoff(site, session, fake):
    answers = iter([lambda h: reply(h, 500, b"oops"), ok(b"recovered")])
    site.routes["/flaky"] = lambda h: next(answers)(h)
    assert session.get(site.url("/flaky")).text == "recovered"
    assert site.paths().count("/flaky") == 2
    assert gaps(site.times("/flaky"))[0] >= 1.0  # max(backoff 0.5, min_delay 1.0)


def test_persistent_503_gives_up_with_status_and_advice(site, session, fake):
    site.routes["/down"] = lambda h: reply(h, 503, b"down")
    with pytest.raises(FetchError) as info:
        session.get(site.url("/down"))
    assert info.value.status == 503 and site.url("/down") in str(info.value)
    assert "tried 3 times" in str(info.value) and "try again later" in str(info.value)
    assert site.paths().count("/down") == 3
    assert [round(s, 3) for s in fake.sleeps[-2:]] == [1.0, 1.0]  # backoff 0.5, 1.0 never below min_delay


def test_backoff_doubles(site, fake):
    site.routes["/down"] = lambda h: reply(h, 502)
    with (
        PoliteSession(
            trusted=[site.base],
            user_agent=UA,
            min_delay=0.1,
            jitter=0,
            backoff=2,
            max_retries=3,
            sleep=fake.sleep,
            clock=fake.clock,
        ) as s,
        pytest.raises(FetchError),
    ):
        s.get(site.url("/down"))
    assert gaps(site.times("/down")) == [pytest.approx(2), pytest.approx(4), pytest.approx(8)]


def test_final_404_is_a_fetch_error_with_status(site, session):
    with pytest.raises(FetchError, match="answered 404 Not Found.*update the address") as info:
        session.get(site.url("/missing"))
    assert info.value.status == 404
    assert site.paths().count("/missing") == 1  # 404 is not retried


def test_read_timeout_is_retried_then_reported(site, fake):
    def slow(h):
        time.sleep(0.6)
        reply(h, 200, b"too late")

    site.routes["/slow"] = slow
    with (
        PoliteSession(
            trusted=[site.base],
            user_agent=UA,
            read_timeout=0.15,
            max_retries=1,
            sleep=fake.sleep,
            clock=fake.clock,
        ) as s,
        pytest.raises(FetchError, match="no answer in time.*tried 2 times") as info,
    ):
        s.get(site.url("/slow"))
    assert site.url("/slow") in str(info.value)
    assert site.paths().count("/slow") == 2


def test_redirect_loop_is_detected(site, session):
    site.routes["/a"] = lambda h: reply(h, 301, headers={"Location": "/b"})
    site.routes["/b"] = lambda h: reply(h, 302, headers={"Location": site.url("/a")})
    with pytest.raises(FetchError, match="redirect loop"):
        session.get(site.url("/a"))
    assert site.paths().count("/a") == 1 and site.paths().count("/b") == 1


def test_too_many_redirects(site, fake):
    for i in range(10):
        site.routes[f"/r{i}"] = lambda h, i=i: reply(h, 307, headers={"Location": f"/r{i + 1}"})
    with (
        PoliteSession(
            trusted=[site.base], user_agent=UA, max_redirects=3, sleep=fake.sleep, clock=fake.clock
        ) as s,
        pytest.raises(FetchError, match="more than 3 redirects"),
    ):
        s.get(site.url("/r0"))
    assert [p for p in site.paths() if p != "/robots.txt"] == ["/r0", "/r1", "/r2", "/r3"]


def test_redirect_is_followed_to_the_final_url(site, session):
    site.routes["/old"] = lambda h: reply(h, 301, headers={"Location": "/new"})
    site.routes["/new"] = ok(b"moved here")
    fetched = session.get(site.url("/old"))
    assert fetched.url == site.url("/new") and fetched.text == "moved here"


def test_body_over_the_cap_is_refused(site, fake):
    site.routes["/big"] = ok(b"x" * 5000)

    def streamed(h):  # no Content-Length: the cap must be enforced while reading
        h.send_response(200)
        h.end_headers()
        for _ in range(50):
            h.wfile.write(b"y" * 1000)

    site.routes["/stream"] = streamed
    site.routes["/small"] = ok(b"z" * 2000)
    with PoliteSession(
        trusted=[site.base], user_agent=UA, max_bytes=2000, sleep=fake.sleep, clock=fake.clock
    ) as s:
        with pytest.raises(TooLarge, match="too large.*5000 bytes announced.*raise max_bytes"):
            s.get(site.url("/big"))
        with pytest.raises(TooLarge, match="more than 2000 bytes") as info:
            s.get(site.url("/stream"))
        assert info.value.url == site.url("/stream")
        assert len(s.get(site.url("/small")).content) == 2000  # exactly the cap is fine


def test_etag_revalidation_uses_the_cache(site, fake, tmp_path):
    def feed(h):
        if h.headers.get("If-None-Match") == '"v1"':
            reply(h, 304, headers={"ETag": '"v1"', "Content-Length": None})
        else:
            reply(h, 200, b"BEGIN:VCALENDAR", {"ETag": '"v1"', "Content-Type": "text/calendar"})

    site.routes["/feed.ics"] = feed
    with PoliteSession(
        trusted=[site.base], user_agent=UA, cache_dir=tmp_path / "cache", sleep=fake.sleep, clock=fake.clock
    ) as s:
        first = s.get(site.url("/feed.ics"))
    with PoliteSession(
        trusted=[site.base], user_agent=UA, cache_dir=tmp_path / "cache", sleep=fake.sleep, clock=fake.clock
    ) as s:
        second = s.get(site.url("/feed.ics"))  # a new run: the cache is on disk
    assert not first.from_cache and second.from_cache
    assert second.content == first.content == b"BEGIN:VCALENDAR" and second.status == 200
    feed_requests = [r for r in site.requests if r["path"] == "/feed.ics"]
    assert len(feed_requests) == 2  # revalidated, not blindly served
    assert "If-None-Match" not in feed_requests[0]["headers"]
    assert feed_requests[1]["headers"]["If-None-Match"] == '"v1"'


def test_last_modified_revalidation(site, fake, tmp_path):
    stamp = "Wed, 21 Oct 2026 07:28:00 GMT"

    def page(h):
        if h.headers.get("If-Modified-Since") == stamp:
            reply(h, 304, headers={"Content-Length": None})
        else:
            reply(h, 200, b"<html>events</html>", {"Last-Modified": stamp, "Content-Type": "text/html"})

    site.routes["/events"] = page
    with PoliteSession(
        trusted=[site.base], user_agent=UA, cache_dir=tmp_path, sleep=fake.sleep, clock=fake.clock
    ) as s:
        assert not s.get(site.url("/events")).from_cache
        again = s.get(site.url("/events"))
    assert again.from_cache and again.text == "<html>events</html>"


def test_fresh_cache_hit_needs_no_request_and_no_wait(site, fake, tmp_path):
    site.routes["/fresh"] = ok(b"fresh", **{"Cache-Control": "max-age=600", "ETag": '"f"'})
    with PoliteSession(
        trusted=[site.base], user_agent=UA, cache_dir=tmp_path, sleep=fake.sleep, clock=fake.clock
    ) as s:
        s.get(site.url("/fresh"))
        sleeps_before = list(fake.sleeps)
        assert s.get(site.url("/fresh")).from_cache
        assert s.get(site.url("/fresh")).from_cache
    assert site.paths().count("/fresh") == 1
    assert fake.sleeps == sleeps_before


@pytest.mark.parametrize("status", [503, 429])
def test_robots_unreachable_disallows_the_host_and_is_reported(site, session, status):
    site.routes["/robots.txt"] = lambda h: reply(h, status, b"")
    site.routes["/page"] = ok()
    for _ in range(2):
        with pytest.raises(DisallowedByRobots, match="could not be read.*try again later"):
            session.get(site.url("/page"))
    assert "/page" not in site.paths()
    assert site.paths().count("/robots.txt") == 3  # retried once per run, then remembered
    assert list(session.robots_problems) == [site.base.removeprefix("http://")]


def test_cached_body_over_a_lowered_cap_is_refused(site, fake, tmp_path):
    site.routes["/fresh"] = ok(b"f" * 3000, **{"Cache-Control": "max-age=600"})
    with PoliteSession(
        trusted=[site.base], user_agent=UA, cache_dir=tmp_path, sleep=fake.sleep, clock=fake.clock
    ) as s:
        assert len(s.get(site.url("/fresh")).content) == 3000
    with (
        PoliteSession(
            trusted=[site.base],
            user_agent=UA,
            cache_dir=tmp_path,
            max_bytes=1000,
            sleep=fake.sleep,
            clock=fake.clock,
        ) as s,
        pytest.raises(TooLarge, match="3000 bytes"),
    ):
        s.get(site.url("/fresh"))
    assert site.paths().count("/fresh") == 1


def test_robots_timeout_disallows_the_host(site, fake):
    def slow_robots(h):
        time.sleep(0.5)
        reply(h, 200, b"User-agent: *\nAllow: /\n")

    site.routes["/robots.txt"] = slow_robots
    site.routes["/page"] = ok()
    with PoliteSession(
        trusted=[site.base],
        user_agent=UA,
        read_timeout=0.1,
        max_retries=0,
        sleep=fake.sleep,
        clock=fake.clock,
    ) as s:
        with pytest.raises(DisallowedByRobots, match="no answer in time"):
            s.get(site.url("/page"))
        assert list(s.robots_problems) == [site.base.removeprefix("http://")]
    assert "/page" not in site.paths()


def test_unreachable_host_fails_cleanly(fake):
    with ThreadingHTTPServer(("127.0.0.1", 0), Handler) as probe:
        port = probe.server_address[1]  # closed again below: nothing listens there
    with (
        PoliteSession(
            trusted=[f"http://127.0.0.1:{port}"],
            user_agent=UA,
            max_retries=1,
            sleep=fake.sleep,
            clock=fake.clock,
        ) as s,
        pytest.raises(FetchError, match=f"127.0.0.1:{port}/events: .*the connection was refused") as info,
    ):
        s.get(f"http://127.0.0.1:{port}/events")
    assert info.value.unreachable  # and not retried: a refused connection is refused again
    assert fake.sleeps == []


def test_crawl_delay_beyond_max_wait_is_refused(site, fake):
    site.routes["/robots.txt"] = lambda h: reply(h, 200, b"User-agent: *\nCrawl-delay: 900\n")
    site.routes["/page"] = ok()
    with (
        PoliteSession(
            trusted=[site.base], user_agent=UA, max_wait=60, sleep=fake.sleep, clock=fake.clock
        ) as s,
        pytest.raises(FetchError, match="900 s between requests"),
    ):
        s.get(site.url("/page"))
    assert "/page" not in site.paths()


@pytest.mark.parametrize(
    "url", ["file:///etc/passwd", "ftp://example.org/x", "http:///no-host", "events.ics"]
)
def test_only_http_urls(session, url):
    with pytest.raises(FetchError, match="only http") as info:
        session.get(url)
    assert info.value.url == url


def test_redirect_to_a_non_web_address_is_refused(site, session):
    site.routes["/odd"] = lambda h: reply(h, 302, headers={"Location": "file:///etc/passwd"})
    with pytest.raises(FetchError, match="file:///etc/passwd.*only http"):
        session.get(site.url("/odd"))


def test_a_malformed_address_is_one_clear_error(session):
    with pytest.raises(FetchError, match="not a valid web address"):
        session.get("http://[127.0.0.1/x")


def test_redirect_to_a_malformed_address_is_one_clear_error(site, session):
    site.routes["/odd"] = lambda h: reply(h, 302, headers={"Location": "http://[127.0.0.1/x"})
    with pytest.raises(FetchError, match="malformed address"):
        session.get(site.url("/odd"))


def test_one_request_at_a_time_per_host_even_from_threads(site):
    def slowish(h):
        time.sleep(0.05)
        reply(h, 200, b"ok")

    site.routes["/t"] = slowish
    errors = []
    with PoliteSession(trusted=[site.base], user_agent=UA, min_delay=0.01, jitter=0) as s:

        def worker():
            try:
                s.get(site.url("/t"))
            except Exception as exc:  # pragma: no cover - reported below
                errors.append(exc)

        threads = [threading.Thread(target=worker) for _ in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    assert errors == []
    assert site.paths().count("/t") == 4
    assert site.max_in_flight == 1
