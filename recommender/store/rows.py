"""What a row of the events table means, without SQLAlchemy: the row as an
:class:`~scrapers.event.Event`, and the schema version the tables are at. The ORM store and the plain
SQLite reader (:mod:`recommender.store.sqlite_reader`) both read rows through :func:`row_to_event`.

>>> from types import SimpleNamespace
>>> row = SimpleNamespace(id="ev-1", title="Choir", description=None, start_utc=datetime(2026, 5, 1, 22),
...     end_utc=None, tz="America/Toronto", all_day=False, venue=None, address=None, city=None, lat=None,
...     lon=None, attendance="in_person", status="scheduled", url=None, organizer=None, group=None,
...     tags=["music"], is_free=None, price=None, source="demo", first_seen=datetime(2026, 4, 1),
...     last_seen=datetime(2026, 4, 1))
>>> ev = row_to_event(row)
>>> ev.start.isoformat(), zone_name(ev.start), zone_name(datetime(2026, 5, 1, tzinfo=timezone.utc))
('2026-05-01T18:00:00-04:00', 'America/Toronto', '+00:00')
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import NamedTuple

from recommender.core.times import aware
from scrapers.event import Event
from scrapers.zones import get_zone

SCHEMA_VERSION = 4  # the newest migration in store/migrations/versions is f"{SCHEMA_VERSION:04d}"


def zone_name(value: datetime) -> str:
    """The zone an event's times are shown in: its IANA name, else its UTC offset."""
    key = getattr(value.tzinfo, "key", None)
    if key:
        return key
    offset = value.utcoffset() or timedelta(0)
    minutes = int(offset.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    return f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


def _zone(name: str):
    if name and name[0] in "+-":
        hours, minutes = int(name[1:3]), int(name[4:6])
        delta = timedelta(hours=hours, minutes=minutes)
        return timezone(-delta if name[0] == "-" else delta)
    return get_zone(name)


def row_to_event(row) -> Event:
    """A row of the events table (an ORM row, or any object with its column names) as an Event."""
    zone = _zone(row.tz)
    start = aware(row.start_utc).astimezone(zone)
    end = aware(row.end_utc)
    return Event(
        id=row.id,
        title=row.title,
        description=row.description or "",
        start=start,
        end=end.astimezone(zone) if end else None,
        all_day=row.all_day,
        venue=row.venue,
        address=row.address,
        city=row.city,
        lat=row.lat,
        lon=row.lon,
        attendance=row.attendance,
        status=row.status,
        url=row.url,
        organizer=row.organizer,
        group=row.group,
        tags=list(row.tags or []),
        is_free=row.is_free,
        price=row.price,
        source=row.source,
        first_seen=aware(row.first_seen),
        last_seen=aware(row.last_seen),
    )


class Listing(NamedTuple):
    """What a fit reads of a stored event: the :class:`~scrapers.event.Event` fields of these names,
    ``start`` in UTC. Lighter than an Event (no zone, no checks): a fit reads every row."""

    id: str
    title: str
    description: str
    start: datetime
    venue: str | None
    address: str | None
    city: str | None
    lat: float | None
    lon: float | None
    attendance: str
    status: str
    organizer: str | None
    group: str | None
    tags: list[str]
    is_free: bool | None

    @property
    def cancelled(self) -> bool:
        return self.status == "cancelled"


def row_to_listing(
    id_, title, description, start_utc, venue, address, city, lat, lon, attendance, status, organizer,
    group, tags, is_free,
) -> Listing:  # fmt: skip
    """The events table's columns of those names (``start_utc`` naive UTC, ``tags`` a list) as a
    :class:`Listing`, its fields as :func:`row_to_event` reads them."""
    return Listing(
        id_, " ".join(title.split()), description or "", aware(start_utc), venue, address, city, lat, lon,
        attendance, status, organizer, group, list(tags or []), is_free,
    )  # fmt: skip


# the names, on the ORM's EventRow, of the columns row_to_listing reads
LISTING_COLUMNS = (
    "id", "title", "description", "start_utc", "venue", "address", "city", "lat", "lon", "attendance",
    "status", "organizer", "group", "tags", "is_free",
)  # fmt: skip
