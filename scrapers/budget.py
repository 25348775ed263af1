"""How much work one parse may do: expanded occurrences per series and per feed, and wall-clock time.

A remote file decides how much work its parse costs (a rule that repeats every second, a page of
thousands of records), so every parser carries a :class:`Budget` and stops, with a reason, when it
is spent. What was read before that point is kept.

Examples
--------
>>> b = Budget(per_series=2, per_feed=3, seconds=60)
>>> b.take(2), b.take(1), b.take(1)
(True, True, False)
>>> b.exhausted()
'more than 3 occurrences in the feed (the budget per feed)'
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

MAX_PER_SERIES = 1000
MAX_PER_FEED = 20_000
MAX_SECONDS = 5.0


@dataclass
class Budget:
    """Limits for one parse; ``take`` and ``exhausted`` are the only calls the parsers make.

    Parameters
    ----------
    per_series : int
        Occurrences kept per recurring series.
    per_feed : int
        Occurrences (and single events) kept per feed or page.
    seconds : float
        Wall-clock time for the whole parse, checked between records and between occurrences.
    """

    per_series: int = MAX_PER_SERIES
    per_feed: int = MAX_PER_FEED
    seconds: float = MAX_SECONDS
    used: int = 0
    started: float = field(default_factory=time.monotonic)
    _over_feed: bool = False

    def take(self, n: int = 1) -> bool:
        """Count ``n`` more records; ``False`` (and nothing counted) when the feed budget is spent."""
        if self.used + n > self.per_feed:
            self._over_feed = True
            return False
        self.used += n
        return True

    def out_of_time(self) -> bool:
        """Whether the parse has run past ``seconds``."""
        return time.monotonic() - self.started > self.seconds

    def exhausted(self) -> str | None:
        """Why the parse must stop now (feed budget or time spent), or ``None``."""
        if self._over_feed:
            return f"more than {self.per_feed} occurrences in the feed (the budget per feed)"
        if self.out_of_time():
            return f"parsing took more than {self.seconds:g} s (the time budget per feed)"
        return None
