"""Per-host pacing for :mod:`scrapers.http`: one request at a time, spaced out, holds honoured.

No network here: :class:`HostThrottle` only decides *when* a request to a host may start. Time
comes from injectable ``clock``/``sleep`` callables, so tests run instantly.

Examples
--------
>>> now = [0.0]
>>> throttle = HostThrottle(min_delay=1.0, jitter=0, clock=lambda: now[0],
...                         sleep=lambda s: now.__setitem__(0, now[0] + s))
>>> with throttle.turn("example.org"):
...     pass
>>> with throttle.turn("example.org"):  # waits 1 s after the first request ended
...     now[0]
1.0
>>> throttle.hold("example.org", 30, why="Retry-After", url="https://example.org/x")
>>> with throttle.turn("example.org"):
...     now[0]
31.0
"""

from __future__ import annotations

import logging
import random
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from .errors import FetchError

log = logging.getLogger(__name__)


@dataclass
class _HostState:
    lock: threading.Lock = field(default_factory=threading.Lock)
    last_end: float = float("-inf")  # when the last request to this host finished
    hold_until: float = float("-inf")  # no request before this (Retry-After, retry backoff)
    crawl_delay: float = 0.0  # what the host's robots.txt asks for


class HostThrottle:
    """Spaces requests to each host: ``max(min_delay, crawl delay) x (1 + jitter x rng())`` apart.

    Holds (``Retry-After``, retry backoff) push the next start later; any wait longer than
    ``max_wait`` is refused with a :class:`~scrapers.errors.FetchError` instead of being made.
    """

    def __init__(
        self,
        min_delay: float = 1.0,
        jitter: float = 0.25,
        max_wait: float = 300.0,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
        rng: Callable[[], float] = random.random,
    ) -> None:
        self.min_delay, self.jitter, self.max_wait = min_delay, jitter, max_wait
        self._sleep, self._clock, self._rng = sleep, clock, rng
        self._hosts: dict[str, _HostState] = {}
        self._lock = threading.Lock()

    @contextmanager
    def turn(self, host: str) -> Iterator[None]:
        """Wait for ``host``'s turn, hold it (no other request to the host) while the body runs."""
        state = self._state(host)
        with state.lock:
            delay = max(self.min_delay, state.crawl_delay) * (1 + self.jitter * self._rng())
            wait = max(state.hold_until, state.last_end + delay) - self._clock()
            if wait > 0:
                log.debug("%s: waiting %.2f s for this host's turn", host, wait)
                self._sleep(wait)
            try:
                yield
            finally:
                state.last_end = self._clock()

    def hold(self, host: str, seconds: float, *, why: str, url: str) -> None:
        """No request to ``host`` for ``seconds`` from now (unless that is longer than ``max_wait``)."""
        if seconds > self.max_wait:
            raise FetchError(
                f"Could not fetch {url}: {why} asks to wait {seconds:.0f} s, more than max_wait "
                f"({self.max_wait:.0f} s); try again later",
                url=url,
            )
        state = self._state(host)
        state.hold_until = max(state.hold_until, self._clock() + seconds)

    def set_crawl_delay(self, host: str, seconds: float) -> None:
        state = self._state(host)
        state.crawl_delay = max(state.crawl_delay, seconds)

    def crawl_delay(self, host: str) -> float:
        return self._state(host).crawl_delay

    def _state(self, host: str) -> _HostState:
        with self._lock:
            return self._hosts.setdefault(host, _HostState())
