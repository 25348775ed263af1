"""The polite HTTP session: the only place in Kindred that touches the network.

:class:`PoliteSession` follows the politeness defaults of well-behaved crawlers (Scrapy's project
defaults, RFC 9309 for robots.txt):

* **robots.txt** is read once per host and run (through this same session) and obeyed as RFC 9309
  says (:mod:`scrapers.robots`); a disallowed URL is never requested and raises
  :class:`~scrapers.errors.DisallowedByRobots`. A robots.txt answering 4xx means "no rules" (allow
  all); one that cannot be fetched (5xx, 429, timeout, connection error) means "disallow all" for
  the rest of the run, and the host is listed in :attr:`PoliteSession.robots_problems`.
* **Origins** (:mod:`scrapers.origins`): only the origins the operator named (:meth:`PoliteSession.trust`)
  may be on loopback, private or link-local addresses; a redirect or a followed link elsewhere is
  fetched only from a public address, checked on the address actually connected to.
* **A deadline per response**: connecting, the headers and the whole body within ``deadline``
  seconds, however slowly the server drips bytes (:mod:`scrapers.connections`); a response over
  its deadline is not retried.
* **One request at a time per host**, at least ``min_delay`` seconds apart (measured from the end of
  the previous request, plus up to ``jitter`` x that at random), longer when robots.txt asks for a
  ``Crawl-delay``/``Request-rate`` or the server sends ``Retry-After``. A response served from the
  cache without a network round trip does not delay the next request.
* **Retries** with exponential backoff (``backoff``, ``2 x backoff``, ...) on 408/429/500/502/503/504,
  timeouts and broken connections (not when the name does not resolve or the connection is
  refused); ``Retry-After`` (seconds or an HTTP date, read against the
  response's ``Date``) is honoured when longer. A wait longer than ``max_wait`` is not made: the
  fetch fails and says so.
* **Redirects** are followed by hand (each hop is checked against robots.txt and the delay), at most
  ``max_redirects``; a loop fails at once.
* **Size cap**: bodies are streamed and the download aborted past ``max_bytes``
  (:class:`~scrapers.errors.TooLarge`).
* **Cache**: with ``cache_dir``, responses are kept on disk (requests-cache, SQLite) and revalidated
  with ``If-None-Match``/``If-Modified-Since``; a ``304`` gives the stored body
  (``Fetched.from_cache``). ``Cache-Control: max-age`` from the server is honoured.

Examples
--------
>>> session = PoliteSession(user_agent="Kindred-test/1.0 (+https://example.org/bot)", min_delay=2)
>>> session.user_agent, session.min_delay
('Kindred-test/1.0 (+https://example.org/bot)', 2)

``session.get("https://example.org/events.ics")`` then returns a :class:`Fetched` (or raises a
:class:`~scrapers.errors.FetchError` that says what to do).
"""

from __future__ import annotations

import logging
import random
import threading
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import requests

from .connections import WatchedAdapter
from .errors import DisallowedByRobots, FetchError, TooLarge
from .fetch_defaults import CONNECT_TIMEOUT, DEADLINE, DELAY, MAX_BYTES, READ_TIMEOUT
from .origins import ForbiddenAddress, OriginPolicy
from .responses import Fetched, describe_failure, describe_status, retry_after_seconds
from .robots import MAX_ROBOTS_BYTES, Rules, disallow_all, rules_from_answer
from .throttle import HostThrottle
from .version import VERSION

#: Where site owners can read what Kindred is; override with the ``user_agent_contact`` setting.
CONTACT_URL = "https://github.com/kindred-events/kindred"


def user_agent_for(contact_url: str = CONTACT_URL) -> str:
    """The User-Agent Kindred sends, naming ``contact_url`` so site owners can reach its users.

    >>> user_agent_for("https://example.org/me").split(" (")[1]
    '+https://example.org/me; hobby-event finder; obeys robots.txt)'
    """
    return f"Kindred/{VERSION} (+{contact_url}; hobby-event finder; obeys robots.txt)"


DEFAULT_USER_AGENT = user_agent_for()
RETRY_STATUSES = frozenset({408, 429, 500, 502, 503, 504})
_REDIRECTS = frozenset({301, 302, 303, 307, 308})

log = logging.getLogger(__name__)

__all__ = [
    "CONTACT_URL",
    "DEFAULT_USER_AGENT",
    "Fetched",
    "PoliteSession",
    "RETRY_STATUSES",
    "user_agent_for",
]


class PoliteSession:
    """Fetches pages and feeds politely (see the module notes for every rule).

    Parameters
    ----------
    user_agent : str
        Sent with every request and matched against robots.txt by its first word ("Kindred").
    cache_dir : str or Path, optional
        Folder for the on-disk HTTP cache; ``None`` disables caching.
    min_delay, jitter : float
        Seconds between two requests to one host, and the random extra as a fraction of it.
    connect_timeout, read_timeout : float
        Seconds to wait for a connection, and between bytes of the answer.
    deadline : float
        Seconds for one whole response (connection, headers and body).
    trusted : iterable of str
        URLs whose origins may be on non-public addresses (more with :meth:`trust`).
    max_bytes : int
        Largest body accepted.
    max_redirects, max_retries : int
        Redirect hops followed, and extra attempts after a retryable failure.
    backoff : float
        First retry wait in seconds; doubled for each further attempt.
    max_wait : float
        Longest single wait (Retry-After, Crawl-delay, backoff) the session will make.
    sleep, clock, rng : callables
        ``time.sleep``, ``time.monotonic`` and ``random.random`` by default; tests inject fakes.
    """

    def __init__(
        self,
        *,
        user_agent: str = DEFAULT_USER_AGENT,
        cache_dir: str | Path | None = None,
        min_delay: float = DELAY,
        jitter: float = 0.25,
        connect_timeout: float = CONNECT_TIMEOUT,
        read_timeout: float = READ_TIMEOUT,
        deadline: float = DEADLINE,
        trusted: Iterable[str] = (),
        max_bytes: int = MAX_BYTES,
        max_redirects: int = 5,
        max_retries: int = 3,
        backoff: float = 2.0,
        max_wait: float = 300.0,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
        rng: Callable[[], float] = random.random,
    ) -> None:
        self.user_agent = user_agent
        self.min_delay = min_delay
        self.timeout = (connect_timeout, read_timeout)
        self.deadline = deadline
        self.origins = OriginPolicy(trusted)
        self.max_bytes, self.max_redirects, self.max_retries = max_bytes, max_redirects, max_retries
        self.backoff, self.max_wait = backoff, max_wait
        self._throttle = HostThrottle(min_delay, jitter, max_wait, sleep=sleep, clock=clock, rng=rng)
        self._clock = clock
        self._agent_token = (user_agent.split("/")[0].split() or ["*"])[0]
        self._robots_rules: dict[str, Rules] = {}  # by scheme://host (RFC 9309)
        self._robots_locks: dict[str, threading.Lock] = {}
        self._locks_lock = threading.Lock()
        #: Hosts whose robots.txt could not be read this run (so nothing there is fetched), and why.
        self.robots_problems: dict[str, str] = {}
        self._unreachable: set[str] = set()
        if cache_dir is None:
            self._session = requests.Session()
        else:
            from requests_cache import CachedSession

            Path(cache_dir).mkdir(parents=True, exist_ok=True)
            # expire_after=0: keep responses that have a validator and revalidate them on every use.
            self._session = CachedSession(
                str(Path(cache_dir) / "http_cache"),
                backend="sqlite",
                expire_after=0,
                cache_control=True,
                allowable_codes=(200,),
            )
        self._session.headers["User-Agent"] = user_agent
        self._adapter = WatchedAdapter(self.origins)
        for prefix in ("http://", "https://"):
            self._session.mount(prefix, self._adapter)
        self._cached = cache_dir is not None
        self._request_args = {
            "allow_redirects": False,
            "stream": True,
            "timeout": self.timeout,
            "hooks": {"response": [self._read_capped]},
        }

    def get(self, url: str) -> Fetched:
        """Fetch ``url`` (following redirects) and return the final response.

        Raises
        ------
        DisallowedByRobots
            robots.txt forbids the URL (or a redirect target), or could not be read.
        TooLarge
            The body is bigger than ``max_bytes``.
        FetchError
            Any other failure: bad URL, unreachable host, timeout, redirect loop, HTTP 4xx/5xx.
        """
        response = self._follow(url, check_robots=True)
        status = response.status_code
        if status >= 400:
            reason, advice = describe_status(status)
            tries = f" (tried {self.max_retries + 1} times)" if status in RETRY_STATUSES else ""
            raise FetchError(
                f"Could not fetch {url}: the server answered {status} {reason}{tries}; {advice}",
                url=url,
                status=status,
            )
        return Fetched.from_response(response)

    def allowed(self, url: str) -> bool:
        """True when robots.txt lets this session fetch ``url`` (reads robots.txt if needed)."""
        return self._robots(url).allows(url, self._agent_token)

    def trust(self, url: str) -> None:
        """Let ``url``'s origin (named by the operator) be on any address, this machine included."""
        self.origins.trust(url)

    def close(self) -> None:
        self._session.close()

    def __enter__(self) -> PoliteSession:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -- redirects and robots -------------------------------------------------------------------

    def _follow(self, url: str, *, check_robots: bool) -> requests.Response:
        seen = [url]
        current = url
        for _ in range(self.max_redirects + 1):
            try:
                parts = urlsplit(current)
            except ValueError as exc:
                raise FetchError(
                    f"Could not fetch {current!r}: not a valid web address ({exc}); check the address "
                    "in your sources",
                    url=current,
                ) from None
            if parts.scheme not in ("http", "https") or not parts.hostname:
                raise FetchError(
                    f"Could not fetch {current!r}: only http:// and https:// web addresses can be "
                    "fetched; check the address in your sources",
                    url=current,
                )
            self.origins.check_name(current)
            if check_robots:
                self._check_robots(current)
            response = self._request(current)
            location = response.headers.get("Location")
            if response.status_code not in _REDIRECTS or not location:
                return response
            target = urljoin(current, location)
            if target in seen:
                chain = " -> ".join([*seen, target])
                raise FetchError(
                    f"Could not fetch {url}: redirect loop ({chain}); tell the site owner or "
                    "drop this source",
                    url=url,
                )
            seen.append(target)
            current = target
        raise FetchError(
            f"Could not fetch {url}: more than {self.max_redirects} redirects "
            f"(last {current}); use the final address directly",
            url=url,
        )

    def _check_robots(self, url: str) -> None:
        if not self.allowed(url):
            problem = self.robots_problems.get(_host_key(url))
            why = (
                f"its robots.txt could not be read ({problem})" if problem else "its robots.txt disallows it"
            )
            hint = "try again later" if problem else "remove it from your sources; Kindred will not fetch it"
            log.info("skip %s: %s", url, why)
            unreachable = _host_key(url) in self._unreachable
            raise DisallowedByRobots(f"Not fetching {url}: {why}; {hint}", url=url, unreachable=unreachable)
        delay = self._throttle.crawl_delay(_host_key(url))
        if delay > self.max_wait:
            raise FetchError(
                f"Not fetching {url}: its robots.txt asks for {delay:.0f} s between requests, "
                f"more than max_wait ({self.max_wait:.0f} s); raise max_wait or drop this source",
                url=url,
            )

    def _robots(self, url: str) -> Rules:
        parts = urlsplit(url)
        key = f"{parts.scheme}://{parts.netloc.lower()}"
        with self._locks_lock:
            lock = self._robots_locks.setdefault(key, threading.Lock())
        with lock:  # each host's robots.txt is read once per run, however many threads ask
            if key not in self._robots_rules:
                try:
                    answer = self._follow(f"{key}/robots.txt", check_robots=False)
                    text = Fetched.from_response(answer).content[:MAX_ROBOTS_BYTES].decode("utf-8", "replace")
                    rules, problem = rules_from_answer(answer.status_code, text)
                except ForbiddenAddress:
                    raise  # not a robots.txt problem: the host may not be reached at all
                except FetchError as exc:
                    rules, problem = disallow_all(), exc.reason or str(exc)
                    if exc.unreachable:
                        self._unreachable.add(_host_key(url))
                if problem:
                    self.robots_problems[_host_key(url)] = problem
                    log.warning(
                        "%s: robots.txt could not be read (%s); nothing there is fetched this run",
                        parts.netloc,
                        problem,
                    )
                self._robots_rules[key] = rules
                self._throttle.set_crawl_delay(_host_key(url), rules.crawl_delay(self._agent_token))
            return self._robots_rules[key]

    # -- one request, politely, with retries ----------------------------------------------------

    def _request(self, url: str) -> requests.Response:
        host = _host_key(url)
        attempts = self.max_retries + 1
        for attempt in range(attempts):
            response, error = self._send(url, host)
            if response is not None and response.status_code not in RETRY_STATUSES:
                return response
            what, unreachable = describe_failure(error) if error else (f"HTTP {response.status_code}", False)
            if unreachable:  # the same try a moment later fails the same way
                attempts = attempt + 1
                break
            asked = None
            if response is not None:
                asked = retry_after_seconds(response.headers.get("Retry-After"), response.headers.get("Date"))
            if asked is not None:  # binds later requests to this host too
                self._throttle.hold(host, asked, why="Retry-After", url=url)
            if attempt + 1 == attempts:
                break
            wait = self.backoff * 2**attempt
            log.info(
                "%s: %s; retry %d of %d in %.1f s or more",
                url,
                what,
                attempt + 1,
                self.max_retries,
                max(wait, asked or 0),
            )
            self._throttle.hold(host, wait, why="retry backoff", url=url)
        if response is not None:
            return response
        tries = f" (tried {attempts} times)" if attempts > 1 else ""
        raise FetchError(
            f"Could not fetch {url}: {what}{tries}; check the address and your connection, "
            "or try again later",
            url=url,
            unreachable=unreachable,
            reason=what,
        ) from None

    def _send(self, url: str, host: str) -> tuple[requests.Response | None, Exception | None]:
        if self._cached:
            # A fresh cached copy needs no network round trip, so no waiting for the host's turn.
            hit = self._session.get(url, only_if_cached=True, **self._request_args)
            if hit.status_code != 504:  # requests-cache's "not in the cache"; only 200s are ever stored
                log.info("GET %s -> %s (cache)", url, hit.status_code)
                return hit, None
        parts = urlsplit(url)
        port = parts.port or (443 if parts.scheme == "https" else 80)
        with self._throttle.turn(host), self._adapter.deadline(parts.hostname, port, self.deadline) as late:
            started = self._clock()
            try:
                response = self._session.get(url, **self._request_args)
            except (
                requests.ConnectionError,
                requests.Timeout,
                requests.exceptions.ChunkedEncodingError,
            ) as exc:
                if late.is_set():
                    raise self._late(url) from None
                log.info("GET %s -> %s after %.2f s", url, type(exc).__name__, self._clock() - started)
                return None, exc
            except ForbiddenAddress as exc:
                raise ForbiddenAddress(str(exc).replace(f"{exc.url}", url, 1), url=url) from None
            except TooLarge:
                raise
            except requests.RequestException as exc:
                raise FetchError(f"Could not fetch {url}: {exc}; check the address", url=url) from exc
            except ValueError as exc:  # requests resolves a redirect's Location even when not following it
                raise FetchError(
                    f"Could not fetch {url}: the site answered with a malformed address ({exc}); "
                    "tell the site owner or drop this source",
                    url=url,
                ) from exc
            if late.is_set():  # cut mid-answer: what arrived may look complete (headers, body) but is not
                raise self._late(url)
        revalidated = " (revalidated)" if getattr(response, "from_cache", False) else ""
        log.info("GET %s -> %s%s in %.2f s", url, response.status_code, revalidated, self._clock() - started)
        return response, None

    def _read_capped(self, response: requests.Response, *args, **kwargs) -> requests.Response:
        """Response hook: read the body (streamed) before requests-cache stores it, up to ``max_bytes``."""
        url = response.url
        if getattr(response, "_content", False) is not False:  # already read (e.g. from the cache)
            size = len(response.content or b"")
            if size > self.max_bytes:
                raise TooLarge(self._too_large(url, f"{size} bytes"), url=url)
            return response
        declared = response.headers.get("Content-Length", "")
        if declared.isdigit() and int(declared) > self.max_bytes:
            response.close()
            raise TooLarge(self._too_large(url, f"{declared} bytes announced"), url=url)
        chunks, size = [], 0
        for chunk in response.iter_content(64 * 1024):
            size += len(chunk)
            if size > self.max_bytes:
                response.close()
                raise TooLarge(self._too_large(url, f"more than {self.max_bytes} bytes"), url=url)
            chunks.append(chunk)
        response._content = b"".join(chunks)  # what requests itself does when it reads a body
        return response

    def _late(self, url: str) -> FetchError:
        return FetchError(
            f"Could not fetch {url}: the answer took longer than {self.deadline:g} s (the limit for one "
            "response); the server is too slow or stalling, try again later",
            url=url,
        )

    def _too_large(self, url: str, size: str) -> str:
        return (
            f"Not fetching {url}: the body is too large ({size}; the limit is {self.max_bytes}); "
            "raise max_bytes if this source really is that big"
        )


def _host_key(url: str) -> str:
    return urlsplit(url).netloc.lower()
