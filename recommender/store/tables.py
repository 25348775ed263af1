"""The event store's tables and how an :class:`~scrapers.event.Event` becomes a row and back.

Times are stored as naive UTC with the event's zone name beside them, so every database orders and
compares them alike.

>>> from datetime import datetime, timezone
>>> from scrapers.event import Event
>>> from recommender.store.rows import row_to_event
>>> ev = Event(title="Choir", start=datetime(2026, 5, 1, 18, tzinfo=timezone.utc), source="demo")
>>> row = EventRow(id=ev.id)
>>> fill_row(row, ev, content_hash(ev))
>>> row_to_event(row).start == ev.start, row.start_utc
(True, datetime.datetime(2026, 5, 1, 18, 0))
"""

from __future__ import annotations

import hashlib
import json
from datetime import datetime

from sqlalchemy import JSON, Boolean, DateTime, Float, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from recommender.core.times import utc_naive
from recommender.store.rows import zone_name
from scrapers.event import Event


class Base(DeclarativeBase):
    pass


class Meta(Base):
    __tablename__ = "kindred_meta"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class EventRow(Base):
    __tablename__ = "events"
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    title: Mapped[str] = mapped_column(Text)
    description: Mapped[str] = mapped_column(Text, default="")
    start_utc: Mapped[datetime] = mapped_column(DateTime, index=True)
    end_utc: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    tz: Mapped[str] = mapped_column(String(64), default="UTC")
    all_day: Mapped[bool] = mapped_column(Boolean, default=False)
    venue: Mapped[str | None] = mapped_column(Text, nullable=True)
    address: Mapped[str | None] = mapped_column(Text, nullable=True)
    city: Mapped[str | None] = mapped_column(Text, nullable=True)
    lat: Mapped[float | None] = mapped_column(Float, nullable=True)
    lon: Mapped[float | None] = mapped_column(Float, nullable=True)
    attendance: Mapped[str] = mapped_column(String(16), default="in_person")
    status: Mapped[str] = mapped_column(String(16), default="scheduled", index=True)
    url: Mapped[str | None] = mapped_column(Text, nullable=True)
    organizer: Mapped[str | None] = mapped_column(Text, nullable=True)
    group: Mapped[str | None] = mapped_column("group_name", Text, nullable=True)
    tags: Mapped[list] = mapped_column(JSON, default=list)
    is_free: Mapped[bool | None] = mapped_column(Boolean, nullable=True)
    price: Mapped[str | None] = mapped_column(Text, nullable=True)
    source: Mapped[str] = mapped_column(Text, default="", index=True)
    content_hash: Mapped[str] = mapped_column(String(40))
    first_seen: Mapped[datetime] = mapped_column(DateTime)
    last_seen: Mapped[datetime] = mapped_column(DateTime)
    updated_at: Mapped[datetime] = mapped_column(DateTime, index=True)  # last_change() reads its max


# Each migration brings the schema from version N-1 to N; run in order inside one transaction.


def content_hash(ev: Event) -> str:
    """Hash of everything a source says about an event (not when we saw it)."""
    data = ev.to_dict()
    for key in ("first_seen", "last_seen"):
        data.pop(key, None)
    data["start"], data["end"] = ev.start.isoformat(), ev.end.isoformat() if ev.end else None
    return hashlib.sha1(json.dumps(data, sort_keys=True, default=str).encode()).hexdigest()


def fill_row(row: EventRow, ev: Event, digest: str) -> None:
    row.title, row.description = ev.title, ev.description
    row.start_utc = utc_naive(ev.start)
    row.end_utc = utc_naive(ev.end) if ev.end else None
    row.tz, row.all_day = zone_name(ev.start), ev.all_day
    row.venue, row.address, row.city, row.lat, row.lon = ev.venue, ev.address, ev.city, ev.lat, ev.lon
    row.attendance, row.status, row.url = ev.attendance, ev.status, ev.url
    row.organizer, row.group, row.tags = ev.organizer, ev.group, list(ev.tags)
    row.is_free, row.price, row.source = ev.is_free, ev.price, ev.source
    row.content_hash = digest
