"""A hard time limit for a test: a hang fails the test instead of stalling CI.

``within(seconds)`` is a context manager (and decorator) built on ``signal.setitimer``: when the
time is up, the running code is interrupted with :class:`DeadlineExceeded`, even deep inside a
library's loop. It works in the main thread only (where pytest runs tests).

>>> import time
>>> with within(5):
...     time.sleep(0.01)
>>> try:
...     with within(0.05):
...         while True:
...             pass
... except DeadlineExceeded as exc:
...     print(exc)
took longer than 0.05 s
"""

from __future__ import annotations

import contextlib
import signal


class DeadlineExceeded(AssertionError):
    """The code under test ran past its hard limit (an ``AssertionError``, so pytest reports a failure)."""


@contextlib.contextmanager
def within(seconds: float):
    """Interrupt the body with :class:`DeadlineExceeded` after ``seconds`` of wall-clock time."""

    def _expired(signum, frame):
        raise DeadlineExceeded(f"took longer than {seconds:g} s")

    previous = signal.signal(signal.SIGALRM, _expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
