"""The few event fields a query filters on, as NumPy columns, and :class:`EventFilter` over them.

A query against a persisted index (see :mod:`recommender.ranking.saved_index`) must not load
every event just to apply the date window, distance and mode; these columns let it filter all
events at once, with the same answer as calling the filter on each event (the tests compare the two).

>>> from datetime import datetime, timezone
>>> from scrapers.event import Event
>>> t = datetime(2026, 5, 1, 18, tzinfo=timezone.utc)
>>> events = [Event(title="Choir", start=t, id="a"), Event(title="Online chess", start=t, id="b",
...           attendance="online"), Event(title="Gone", start=t, id="c", status="cancelled")]
>>> cols = EventColumns.from_events(events)
>>> cols.mask(EventFilter(mode="in-person")).tolist()
[True, False, False]
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

import numpy as np

from recommender.ranking.filters import EventFilter, event_point
from scrapers.event import Event

EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)
_MICRO = timedelta(microseconds=1)
# the EventFilter fields mask() knows; any other field means "filter event by event" (see mask())
KNOWN_FILTER_FIELDS = frozenset(
    {"start", "end", "near", "within_km", "mode", "free_only", "include_cancelled", "exclude_ids"}
)


def micros(moment: datetime) -> int:
    """Microseconds since the Unix epoch: exact, so comparisons agree with datetime comparisons."""
    return (moment - EPOCH) // _MICRO


@dataclass
class EventColumns:
    """Per-event filter fields, one array entry per event, in the index's event order."""

    start_us: np.ndarray  # int64
    online: np.ndarray  # bool: attendance online or status moved_online
    in_person: np.ndarray  # bool: attendance in_person and not moved online
    cancelled: np.ndarray  # bool
    is_free: np.ndarray  # int8: 1 free, 0 not, -1 unknown
    lat: np.ndarray  # float64: the event's own, else its town's (filters.event_point); NaN when unknown
    lon: np.ndarray

    @classmethod
    def from_events(cls, events: Sequence[Event]) -> EventColumns:
        n = len(events)
        moved = np.fromiter((e.status == "moved_online" for e in events), bool, n)
        points = [event_point(e) or (np.nan, np.nan) for e in events]
        return cls(
            start_us=np.fromiter((micros(e.start) for e in events), np.int64, n),
            online=np.fromiter((e.attendance == "online" for e in events), bool, n) | moved,
            in_person=np.fromiter((e.attendance == "in_person" for e in events), bool, n) & ~moved,
            cancelled=np.fromiter((e.cancelled for e in events), bool, n),
            is_free=np.fromiter((-1 if e.is_free is None else int(e.is_free) for e in events), np.int8, n),
            lat=np.fromiter((p[0] for p in points), float, n),
            lon=np.fromiter((p[1] for p in points), float, n),
        )

    @classmethod
    def concat(cls, parts: Sequence[EventColumns]) -> EventColumns:
        """The columns of ``parts`` one after the other (the columns of no events when empty)."""
        if not parts:
            return cls.from_events([])
        names = [f.name for f in dataclasses.fields(cls)]
        return cls(**{name: np.concatenate([getattr(p, name) for p in parts]) for name in names})

    def take(self, rows: np.ndarray) -> EventColumns:
        """The columns of the events at ``rows``, in that order."""
        return EventColumns(**{name: value[rows] for name, value in self.arrays().items()})

    def arrays(self) -> dict[str, np.ndarray]:
        return {f.name: getattr(self, f.name) for f in dataclasses.fields(self)}

    def __len__(self) -> int:
        return len(self.start_us)

    @staticmethod
    def understands(flt: EventFilter) -> bool:
        """True when :meth:`mask` covers every field of ``flt``'s class."""
        return {f.name for f in dataclasses.fields(flt)} <= KNOWN_FILTER_FIELDS

    def mask(self, flt: EventFilter, ids: Sequence[str] | None = None) -> np.ndarray:
        """``[flt(e) for e in events]`` without the events; ``ids`` are needed for ``exclude_ids``."""
        keep = np.ones(len(self), bool)
        if flt.exclude_ids:
            if ids is None:
                raise ValueError("a filter with exclude_ids needs the event ids")
            keep &= np.fromiter((i not in flt.exclude_ids for i in ids), bool, len(self))
        if not flt.include_cancelled:
            keep &= ~self.cancelled
        if flt.start is not None:
            keep &= self.start_us >= micros(flt.start)
        if flt.end is not None:
            keep &= self.start_us < micros(flt.end)
        if flt.mode == "in-person":
            keep &= ~self.online
        elif flt.mode == "online":
            keep &= ~self.in_person
        if flt.free_only:
            keep &= self.is_free == 1
        if flt.near is not None and flt.within_km is not None:
            with np.errstate(invalid="ignore"):
                close = _haversine_km(flt.near[0], flt.near[1], self.lat, self.lon) <= flt.within_km
            keep &= self.online | close  # NaN coordinates compare False: unknown place, not kept
        return keep

    def unplaced(self) -> np.ndarray:
        """In-person events with no place Kindred knows: a distance filter cannot keep them."""
        return ~self.online & np.isnan(self.lat)


def _haversine_km(lat1: float, lon1: float, lat2: np.ndarray, lon2: np.ndarray) -> np.ndarray:
    p1, p2 = np.radians(lat1), np.radians(lat2)
    dp, dl = p2 - p1, np.radians(lon2 - lon1)
    a = np.sin(dp / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dl / 2) ** 2
    return 2 * 6371.0088 * np.arcsin(np.sqrt(a))
