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

import uuid
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from sqlalchemy import func, inspect, select
from sqlalchemy.exc import (
    IntegrityError,
    OperationalError,
    ProgrammingError,
)
from sqlalchemy.orm import Session

from recommender.core.times import aware, utc_naive
from recommender.store.database import StoreError, describe_database_error, make_engine
from recommender.store.rows import LISTING_COLUMNS, SCHEMA_VERSION, Listing, row_to_event, row_to_listing
from recommender.store.tables import (
    Base,
    EventRow,
    Meta,
    content_hash,
    fill_row,
)
from scrapers.event import Event

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


BATCH = 500  # events per write transaction: other writers wait at most one batch


@dataclass
class UpsertSummary:
    """What one upsert did. ``changed_ids`` lists new and updated events."""

    new: int = 0
    updated: int = 0
    unchanged: int = 0
    cancelled: int = 0
    changed_ids: list[str] = field(default_factory=list)


def _upgrade(connection, current: int) -> None:
    """Run the Alembic migrations after schema version ``current`` on ``connection`` (in its
    transaction). The version the store records is where Alembic starts: older databases carry no
    Alembic stamp of their own."""
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    command.stamp(config, f"{current:04d}", purge=True)
    command.upgrade(config, f"{SCHEMA_VERSION:04d}")


class Store:
    """Events (and later subscribers) in one SQL database. See the module docstring."""

    def __init__(self, url: str, *, upgrade: bool | None = None):
        """Open the store at ``url``, creating its tables if missing. An older schema is upgraded
        when ``upgrade`` is true; by default only on SQLite (one user's file), while a shared
        database waits for an explicit ``kindred db upgrade`` and refuses to be used until then."""
        self.url = url
        self.engine = make_engine(url)
        if upgrade is None:
            upgrade = self.engine.dialect.name == "sqlite"
        for attempt in range(3):
            try:
                Base.metadata.create_all(self.engine)
                self._migrate(upgrade)
                break
            except (IntegrityError, ProgrammingError):  # another process created the tables meanwhile
                if attempt == 2:
                    raise
            except OperationalError as exc:
                raise StoreError(describe_database_error(self.engine.url, exc.orig)) from None

    def _migrate(self, upgrade: bool) -> None:
        with Session(self.engine) as session, session.begin():
            row = session.get(Meta, "schema_version")
            current = int(row.value) if row else SCHEMA_VERSION
            if current > SCHEMA_VERSION:
                raise StoreError(
                    f"the database {self.url!r} has schema version {current}, newer than this Kindred "
                    f"({SCHEMA_VERSION}); upgrade Kindred"
                )
            if current < SCHEMA_VERSION and not upgrade:
                raise StoreError(
                    f"the database {self.engine.url} has schema version {current}; this Kindred needs "
                    f"{SCHEMA_VERSION}: stop the other Kindred processes using it and run "
                    "`kindred db upgrade` once"
                )
            if current < SCHEMA_VERSION:
                _upgrade(session.connection(), current)
            session.merge(Meta(key="schema_version", value=str(SCHEMA_VERSION)))

    @staticmethod
    def version_of(url: str) -> int | None:
        """The schema version recorded in the database at ``url``, without changing anything
        (None: not a Kindred database yet)."""
        engine = make_engine(url)
        try:
            if not inspect(engine).has_table(Meta.__tablename__):
                return None
            with Session(engine) as session:
                row = session.get(Meta, "schema_version")
                return int(row.value) if row else None
        finally:
            engine.dispose()

    def session(self) -> Session:
        return Session(self.engine, expire_on_commit=False)

    def get_meta(self, key: str) -> str | None:
        with self.session() as session:
            row = session.get(Meta, key)
            return row.value if row else None

    def get_metas(self, keys: Sequence[str]) -> dict[str, str]:
        """The values of those of ``keys`` that are set, in one query per 500 keys."""
        out: dict[str, str] = {}
        with self.session() as session:
            for lo in range(0, len(keys), 500):
                query = select(Meta.key, Meta.value).where(Meta.key.in_(list(keys[lo : lo + 500])))
                out.update(session.execute(query).all())
        return out

    def set_meta(self, key: str, value: str) -> None:
        with self.session() as session, session.begin():
            session.merge(Meta(key=key, value=value))

    @property
    def schema_version(self) -> int:
        return int(self.get_meta("schema_version") or 0)

    def upsert(self, events: Iterable[Event], *, now: datetime, touch: bool = True) -> UpsertSummary:
        """Insert new events, update changed ones, leave identical ones alone, in short transactions of
        :data:`BATCH` events (safe to run beside other writers, on SQLite and PostgreSQL).

        ``touch=True`` (a refresh that really saw the events) moves ``last_seen`` to ``now`` even
        for unchanged events; ``touch=False`` (a one-off import) leaves unchanged rows untouched.
        """
        summary = UpsertSummary()
        stamp = utc_naive(now)
        batch: list[Event] = []
        for ev in events:
            batch.append(ev)
            if len(batch) == BATCH:
                self._upsert_batch(batch, stamp, touch, summary)
                batch = []
        if batch:
            self._upsert_batch(batch, stamp, touch, summary)
        return summary

    def _upsert_batch(
        self, events: list[Event], stamp: datetime, touch: bool, summary: UpsertSummary
    ) -> None:
        """One short write transaction; when another writer inserted one of these ids meanwhile, the
        batch is read again and applied as updates."""
        for attempt in range(3):
            part = UpsertSummary()
            try:
                self._write_batch(events, stamp, touch, part)
            except IntegrityError:
                if attempt == 2:
                    raise
                continue
            for name in ("new", "updated", "unchanged", "cancelled"):
                setattr(summary, name, getattr(summary, name) + getattr(part, name))
            summary.changed_ids += part.changed_ids
            return

    def _write_batch(self, events: list[Event], stamp: datetime, touch: bool, summary: UpsertSummary) -> None:
        with self.session() as session, session.begin():
            for ev in events:  # autoflush makes an id seen twice in one batch an update, not a clash
                digest = content_hash(ev)
                row = session.get(EventRow, ev.id)
                if row is None:
                    row = EventRow(id=ev.id, first_seen=stamp, last_seen=stamp, updated_at=stamp)
                    fill_row(row, ev, digest)
                    session.add(row)
                    summary.new += 1
                    summary.cancelled += int(ev.cancelled)
                    summary.changed_ids.append(ev.id)
                elif row.content_hash != digest:
                    summary.cancelled += int(ev.cancelled and row.status != "cancelled")
                    fill_row(row, ev, digest)
                    row.last_seen, row.updated_at = stamp, stamp
                    summary.updated += 1
                    summary.changed_ids.append(ev.id)
                else:
                    summary.unchanged += 1
                    if touch:
                        row.last_seen = stamp
            if summary.changed_ids:  # caches of fitted indexes key on this (see last_change)
                session.merge(Meta(key="events_generation", value=uuid.uuid4().hex))

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
            query = query.where(EventRow.start_utc >= utc_naive(start_from))
        if start_to is not None:
            query = query.where(EventRow.start_utc < utc_naive(start_to))
        if not include_cancelled:
            query = query.where(EventRow.status != "cancelled")
        with self.session() as session:
            return [row_to_event(row) for row in session.scalars(query)]

    def iter_events(self, *, chunk: int = 2_000) -> Iterator[Event]:
        """Every stored event in :meth:`events`' order, read ``chunk`` rows at a time: a fit over
        a million events never holds them all."""
        query = select(EventRow).order_by(EventRow.start_utc, EventRow.id).execution_options(yield_per=chunk)
        with self.session() as session:
            for row in session.scalars(query):
                yield row_to_event(row)

    def iter_listings(self, *, chunk: int = 2_000) -> Iterator[Listing]:
        """:meth:`iter_events` as :class:`~recommender.store.rows.Listing`, what a fit reads of each
        event: on SQLite with plain SQL (a fit reads every row; the ORM would cost it more than the rest)."""
        if self.engine.dialect.name == "sqlite":
            from recommender.store.sqlite_reader import read_listings

            connection = self.engine.raw_connection()
            try:
                yield from read_listings(connection, chunk=chunk)
            finally:
                connection.close()
            return
        columns = [getattr(EventRow, name) for name in LISTING_COLUMNS]
        query = select(*columns).order_by(EventRow.start_utc, EventRow.id).execution_options(yield_per=chunk)
        with self.session() as session:
            for row in session.execute(query):
                yield row_to_listing(*row)

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
                    out[event_id] = (aware(first), aware(changed))
        return out

    @property
    def in_memory(self) -> bool:
        """True for an in-memory SQLite store: nothing of it outlives this process or is seen by another."""
        url = self.engine.url
        return url.get_backend_name() == "sqlite" and url.database in (None, "", ":memory:")

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
        # one statement of three subqueries: a count, a max that is one step down an index (asked
        # together with the count, it would scan the table) and the generation every write moves
        n = select(func.count()).select_from(EventRow).scalar_subquery()
        latest = select(func.max(EventRow.updated_at)).scalar_subquery()
        generation = select(Meta.value).where(Meta.key == "events_generation").scalar_subquery()
        with self.session() as session:
            count, when, gen = session.execute(select(n, latest, generation)).one()
            return f"{count}:{when}:{gen or ''}"
