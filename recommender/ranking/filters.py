"""Which events may be suggested at all: date window, distance, attendance mode, price, status.

>>> round(haversine_km(43.6532, -79.3832, 45.5019, -73.5674))  # Toronto to Montreal
504
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime

from scrapers.event import Event

MODES = ("any", "in-person", "online")


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in kilometres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0088 * math.asin(math.sqrt(a))


@dataclass
class EventFilter:
    """A predicate over events; ``None`` means "no constraint" for each field.

    ``start``/``end`` bound the event's start (end exclusive). ``near``+``within_km`` keep
    in-person events within that distance (online events pass; events without coordinates
    do not, since we cannot tell).
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
            if ev.lat is None or ev.lon is None:
                return False
            return haversine_km(self.near[0], self.near[1], ev.lat, ev.lon) <= self.within_km
        return True
