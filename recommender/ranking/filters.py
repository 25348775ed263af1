"""Which events may be suggested at all: date window, distance, attendance mode, price, status.

An event without coordinates is placed at the centre of its town when its city (or address) names
one the gazetteer knows (:func:`event_point`); one that names none cannot pass a distance filter.

>>> from datetime import UTC, datetime
>>> ev = Event(title="Choir", start=datetime(2026, 5, 1, tzinfo=UTC), city="Toronto")
>>> EventFilter(near=(43.65, -79.38), within_km=10)(ev), event_point(ev)
(True, (43.70643, -79.39864))
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from recommender.core.places import haversine_km, locate
from scrapers.event import Event

MODES = ("any", "in-person", "online")


def has_ended(ev: Event, now: datetime) -> bool:
    """Whether ``ev`` is over at ``now``: its end has passed (an event with no end: its start; an
    all-day one: the end of its day). What "past" means in query and events output.

    >>> from datetime import UTC
    >>> ev = Event(title="Fair", start=datetime(2026, 5, 1, tzinfo=UTC), all_day=True)
    >>> evening, next_day = datetime(2026, 5, 1, 20, tzinfo=UTC), datetime(2026, 5, 2, 1, tzinfo=UTC)
    >>> has_ended(ev, evening), has_ended(ev, next_day)
    (False, True)
    """
    end = ev.end if ev.end is not None and ev.end > ev.start else ev.start
    if ev.all_day and ev.end is None:
        end = ev.start + timedelta(days=1)
    return end <= now


def event_point(ev: Event) -> tuple[float, float] | None:
    """The event's own coordinates, else its town's (see :func:`~recommender.core.places.locate`)."""
    if ev.lat is not None and ev.lon is not None:
        return ev.lat, ev.lon
    if ev.city or ev.address:
        return locate(ev.city, ev.address)
    return None


@dataclass
class EventFilter:
    """A predicate over events; ``None`` means "no constraint" for each field.

    ``start``/``end`` bound the event's start (end exclusive). ``near``+``within_km`` keep
    in-person events within that distance (online events pass; events with no coordinates and no
    town Kindred can place do not, since we cannot tell).
    """

    start: datetime | None = None
    end: datetime | None = None
    near: tuple[float, float] | None = None
    within_km: float | None = None
    mode: str = "any"
    free_only: bool = False
    include_cancelled: bool = False
    exclude_ids: frozenset[str] = frozenset()

    def __call__(self, ev: Event) -> bool:
        if ev.id in self.exclude_ids:
            return False
        if not self.include_cancelled and ev.cancelled:
            return False
        if self.start is not None and ev.start < self.start:
            return False
        if self.end is not None and ev.start >= self.end:
            return False
        online = ev.attendance == "online" or ev.status == "moved_online"
        if self.mode == "in-person" and online:
            return False
        if self.mode == "online" and ev.attendance == "in_person" and ev.status != "moved_online":
            return False
        if self.free_only and ev.is_free is not True:
            return False
        if self.near is not None and self.within_km is not None and not online:
            point = event_point(ev)
            if point is None:
                return False
            return haversine_km(self.near[0], self.near[1], *point) <= self.within_km
        return True
