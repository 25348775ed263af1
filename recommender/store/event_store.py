"""The event store: SQLite by default, any SQLAlchemy URL otherwise.

Events are upserted by id, so importing or refreshing the same listing twice changes nothing;
``first_seen`` and ``last_seen`` record when a source first and last showed an event. Cancelled
events are kept and marked, never dropped. The schema carries a version so later releases migrate.

Examples
--------
>>> from datetime import datetime, timezone
>>> from scrapers.event import Event
>>> store = Store("sqlite://")
>>> ev = Event(title="Choir rehearsal", start=datetime(2026, 5, 1, 18, tzinfo=timezone.utc), source="demo")
>>> store.upsert([ev], now=datetime(2026, 4, 1, tzinfo=timezone.utc)).new
1
>>> store.upsert([ev], now=datetime(2026, 4, 2, tzinfo=timezone.utc)).unchanged
1
>>> [e.title for e in store.events()]
['Choir rehearsal']
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
    Float,
    String,
    Text,
    create_engine,
    event,
    func,
    select,
)
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError, OperationalError
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column

from scrapers.errors import KindredError
from scrapers.event import Event

SCHEMA_VERSION = 1


class StoreError(KindredError):
    """The store cannot be opened or used (bad URL, unreachable database, newer schema)."""


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
    source: Mapped[str] = mapped_column(String(200), default="", index=True)
    content_hash: Mapped[str] = mapped_column(String(40))
    first_seen: Mapped[datetime] = mapped_column(DateTime)
    last_seen: Mapped[datetime] = mapped_column(DateTime)
    updated_at: Mapped[datetime] = mapped_column(DateTime)


# Each migration brings the schema from version N-1 to N; run in order inside one transaction.
MIGRATIONS: dict[int, object] = {}


@dataclass
class UpsertSummary:
    """What one upsert did. ``changed_ids`` lists new and updated events."""

    new: int = 0
    updated: int = 0
    unchanged: int = 0
    cancelled: int = 0
    changed_ids: list[str] = field(default_factory=list)


def _utc_naive(value: datetime) -> datetime:
    return value.astimezone(timezone.utc).replace(tzinfo=None)


def _aware(value: datetime | None) -> datetime | None:
    return None if value is None else value.replace(tzinfo=timezone.utc)


def _zone_name(value: datetime) -> str:
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
    return ZoneInfo(name)


def content_hash(ev: Event) -> str:
    """Hash of everything a source says about an event (not when we saw it)."""
    data = ev.to_dict()
    for key in ("first_seen", "last_seen"):
        data.pop(key, None)
    data["start"], data["end"] = ev.start.isoformat(), ev.end.isoformat() if ev.end else None
    return hashlib.sha1(json.dumps(data, sort_keys=True, default=str).encode()).hexdigest()


def row_to_event(row: EventRow) -> Event:
    zone = _zone(row.tz)
    start = _aware(row.start_utc).astimezone(zone)
    end = _aware(row.end_utc)
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
        first_seen=_aware(row.first_seen),
        last_seen=_aware(row.last_seen),
    )


def _fill_row(row: EventRow, ev: Event, digest: str) -> None:
    row.title, row.description = ev.title, ev.description
    row.start_utc = _utc_naive(ev.start)
    row.end_utc = _utc_naive(ev.end) if ev.end else None
    row.tz, row.all_day = _zone_name(ev.start), ev.all_day
    row.venue, row.address, row.city, row.lat, row.lon = ev.venue, ev.address, ev.city, ev.lat, ev.lon
    row.attendance, row.status, row.url = ev.attendance, ev.status, ev.url
    row.organizer, row.group, row.tags = ev.organizer, ev.group, list(ev.tags)
    row.is_free, row.price, row.source = ev.is_free, ev.price, ev.source
    row.content_hash = digest


def _sqlite_pragmas(dbapi_conn, _record) -> None:
    cursor = dbapi_conn.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.close()


def make_engine(url: str) -> Engine:
    """An engine for ``url``; SQLite gets WAL mode. Errors say which URL and what to try."""
    try:
        parsed = make_url(url)
        engine = create_engine(parsed)
    except (ArgumentError, NoSuchModuleError, ValueError) as exc:
        raise StoreError(
            f"cannot use database URL {url!r} ({exc}); use e.g. sqlite:///path/to/kindred.db "
            "or postgresql://user@host/dbname"
        ) from exc
    except ImportError as exc:
        raise StoreError(f"database URL {url!r} needs a driver that is not installed ({exc})") from exc
    if parsed.get_backend_name() == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    return engine


class Store:
    """Events (and later subscribers) in one SQL database. See the module docstring."""

    def __init__(self, url: str):
        self.url = url
        self.engine = make_engine(url)
        try:
            Base.metadata.create_all(self.engine)
            self._migrate()
        except OperationalError as exc:
            raise StoreError(f"cannot open the database {url!r}: {exc.orig}") from exc

    def _migrate(self) -> None:
        with Session(self.engine) as session, session.begin():
            row = session.get(Meta, "schema_version")
            current = int(row.value) if row else SCHEMA_VERSION
            if current > SCHEMA_VERSION:
                raise StoreError(
                    f"the database {self.url!r} has schema version {current}, newer than this Kindred "
                    f"({SCHEMA_VERSION}); upgrade Kindred"
                )
            for version in range(current + 1, SCHEMA_VERSION + 1):
                MIGRATIONS[version](session)
            session.merge(Meta(key="schema_version", value=str(SCHEMA_VERSION)))

    def session(self) -> Session:
        return Session(self.engine, expire_on_commit=False)

    def get_meta(self, key: str) -> str | None:
        with self.session() as session:
            row = session.get(Meta, key)
            return row.value if row else None

    def set_meta(self, key: str, value: str) -> None:
        with self.session() as session, session.begin():
            session.merge(Meta(key=key, value=value))

    @property
    def schema_version(self) -> int:
        return int(self.get_meta("schema_version") or 0)

    def upsert(self, events: Iterable[Event], *, now: datetime, touch: bool = True) -> UpsertSummary:
        """Insert new events, update changed ones, leave identical ones alone — in one transaction.

        ``touch=True`` (a refresh that really saw the events) moves ``last_seen`` to ``now`` even
        for unchanged events; ``touch=False`` (a one-off import) leaves unchanged rows untouched.
        """
        summary = UpsertSummary()
        stamp = _utc_naive(now)
        with self.session() as session, session.begin():
            for ev in events:  # autoflush makes an id seen twice in one batch an update, not a clash
                digest = content_hash(ev)
                row = session.get(EventRow, ev.id)
                if row is None:
                    row = EventRow(id=ev.id, first_seen=stamp, last_seen=stamp, updated_at=stamp)
                    _fill_row(row, ev, digest)
                    session.add(row)
                    summary.new += 1
                    summary.cancelled += int(ev.cancelled)
                    summary.changed_ids.append(ev.id)
                elif row.content_hash != digest:
                    summary.cancelled += int(ev.cancelled and row.status != "cancelled")
                    _fill_row(row, ev, digest)
                    row.last_seen, row.updated_at = stamp, stamp
                    summary.updated += 1
                    summary.changed_ids.append(ev.id)
                else:
                    summary.unchanged += 1
                    if touch:
                        row.last_seen = stamp
            if summary.changed_ids:  # caches of fitted indexes key on this (see last_change)
                session.merge(Meta(key="events_generation", value=uuid.uuid4().hex))
        return summary

    def get(self, event_id: str) -> Event | None:
        with self.session() as session:
            row = session.get(EventRow, event_id)
            return row_to_event(row) if row else None

    def events(
        self,
        *,
        source: str | None = None,
        start_from: datetime | None = None,
        start_to: datetime | None = None,
        include_cancelled: bool = True,
    ) -> list[Event]:
        """Stored events ordered by start; filters are optional and combine."""
        query = select(EventRow).order_by(EventRow.start_utc, EventRow.id)
        if source is not None:
            query = query.where(EventRow.source == source)
        if start_from is not None:
            query = query.where(EventRow.start_utc >= _utc_naive(start_from))
        if start_to is not None:
            query = query.where(EventRow.start_utc < _utc_naive(start_to))
        if not include_cancelled:
            query = query.where(EventRow.status != "cancelled")
        with self.session() as session:
            return [row_to_event(row) for row in session.scalars(query)]

    def events_by_id(self, ids: Sequence[str]) -> dict[str, Event]:
        """The stored events among ``ids``, by id (ids not in the store are left out)."""
        with self.session() as session:
            rows = session.scalars(select(EventRow).where(EventRow.id.in_(list(ids))))
            return {row.id: row_to_event(row) for row in rows}

    def revisions(self, ids: Iterable[str]) -> dict[str, tuple[datetime, datetime]]:
        """Event id -> ``(first_seen, last changed)`` (aware UTC) for the stored ids among ``ids``."""
        wanted, out = list(dict.fromkeys(ids)), {}
        with self.session() as session:
            for chunk in range(0, len(wanted), 500):
                query = select(EventRow.id, EventRow.first_seen, EventRow.updated_at).where(
                    EventRow.id.in_(wanted[chunk : chunk + 500])
                )
                for event_id, first, changed in session.execute(query):
                    out[event_id] = (_aware(first), _aware(changed))
        return out

    def count(self) -> int:
        with self.session() as session:
            return session.scalar(select(func.count()).select_from(EventRow)) or 0

    def sources(self) -> dict[str, int]:
        """Event count per source name."""
        with self.session() as session:
            rows = session.execute(select(EventRow.source, func.count()).group_by(EventRow.source))
            return {name: n for name, n in rows}

    def last_change(self) -> str:
        """A token that changes whenever any event changes (for caches of fitted indexes)."""
        with self.session() as session:
            n, latest = session.execute(select(func.count(), func.max(EventRow.updated_at))).one()
            generation = session.get(Meta, "events_generation")
            return f"{n}:{latest}:{generation.value if generation else ''}"
