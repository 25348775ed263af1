"""Which events a subscriber may be offered: their distance and attendance settings over a window.

The one step from a subscriber to an :class:`~recommender.ranking.filters.EventFilter`, shared by
the weekly digest and the calendar feed.

>>> from datetime import UTC, datetime, timedelta
>>> from types import SimpleNamespace
>>> sub = SimpleNamespace(near=(43.65, -79.38), within_km=10.0, mode=None)
>>> now = datetime(2026, 11, 23, tzinfo=UTC)
>>> flt = subscriber_filter(sub, start=now, end=now + timedelta(days=14), exclude={"ev-1"})
>>> flt.mode, flt.within_km, sorted(flt.exclude_ids), flt.include_cancelled
('any', 10.0, ['ev-1'], False)
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from recommender.ranking.filters import EventFilter


def subscriber_filter(
    subscriber,
    *,
    start: datetime | None,
    end: datetime | None,
    exclude: Iterable[str] = (),
    include_cancelled: bool = False,
) -> EventFilter:
    """Events starting in ``[start, end)`` (``None``: unbounded) that suit ``subscriber``'s
    ``near``, ``within_km`` and ``mode``, without the ids in ``exclude`` (already sent, dismissed)."""
    return EventFilter(
        start=start,
        end=end,
        near=subscriber.near,
        within_km=subscriber.within_km,
        mode=subscriber.mode or "any",
        include_cancelled=include_cancelled,
        exclude_ids=frozenset(exclude),
    )
