"""A SQLite store read with the standard library's ``sqlite3``: what a warm ``kindred query`` reads
(the change token, counts, events by id, every event for a fit), without importing SQLAlchemy,
which costs a query process more than its answer.

It reads only: :func:`open_reader` gives one only for a SQLite file that is already a Kindred store
at this schema version, and None for anything the full :class:`~recommender.store.event_store.Store`
must open (a new file, an older schema to upgrade, PostgreSQL). Its answers are the Store's own
(tests/test_sqlite_reader.py compares them).

>>> import tempfile
>>> from datetime import datetime, timezone
>>> from recommender.store.event_store import Store
>>> from scrapers.event import Event
>>> url = f"sqlite:///{tempfile.mkdtemp()}/k.db"
>>> open_reader(url) is None  # no store there yet
True
>>> store = Store(url)
>>> _ = store.upsert([Event(title="Choir", start=datetime(2026, 5, 1, tzinfo=timezone.utc), id="a")],
...                  now=datetime(2026, 4, 1, tzinfo=timezone.utc))
>>> reader = open_reader(url)
>>> reader.count(), reader.last_change() == store.last_change(), reader.events_by_id(["a"])["a"].title
(1, True, 'Choir')
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator, Sequence
from datetime import datetime
from pathlib import Path
from types import SimpleNamespace

from recommender.store.rows import SCHEMA_VERSION, Listing, row_to_event, row_to_listing
from scrapers.event import Event

_PREFIX = "sqlite:///"
_CHUNK = 500  # ids per IN (...) list, under SQLite's limit on bound parameters
_COLUMNS = (
    "id, title, description, start_utc, end_utc, tz, all_day, venue, address, city, lat, lon, attendance, "
    "status, url, organizer, group_name, tags, is_free, price, source, first_seen, last_seen"
)


def open_reader(url: str) -> SqliteReader | None:
    """A reader of the SQLite file at ``url`` when it is a Kindred store at this schema version;
    None when the full Store must open it (or it cannot be read)."""
    if not url.startswith(_PREFIX) or "?" in url:
        return None
    path = Path(url[len(_PREFIX) :])
    if not path.is_file():
        return None
    try:
        connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=10)
    except sqlite3.Error:
        return None
    reader = SqliteReader(url, connection)
    try:
        current = reader.meta("schema_version")
    except sqlite3.Error:  # not a Kindred store, or not a database at all
        current = None
    if current != str(SCHEMA_VERSION):
        connection.close()
        return None
    return reader


class SqliteReader:
    """Read-only answers of :class:`~recommender.store.event_store.Store` for a SQLite file."""

    in_memory = False

    def __init__(self, url: str, connection: sqlite3.Connection):
        self.url, self.connection = url, connection

    def close(self) -> None:
        self.connection.close()

    def meta(self, key: str) -> str | None:
        row = self.connection.execute("SELECT value FROM kindred_meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def count(self) -> int:
        return self.connection.execute("SELECT count(*) FROM events").fetchone()[0]

    def sources(self) -> dict[str, int]:
        """Event count per source name."""
        return dict(self.connection.execute("SELECT source, count(*) FROM events GROUP BY source"))

    def last_change(self) -> str:
        """:meth:`Store.last_change <recommender.store.event_store.Store.last_change>`, the same token."""
        count, latest, generation = self.connection.execute(
            "SELECT (SELECT count(*) FROM events), (SELECT max(updated_at) FROM events), "
            "(SELECT value FROM kindred_meta WHERE key = 'events_generation')"
        ).fetchone()
        return f"{count}:{_datetime(latest)}:{generation or ''}"

    def events_by_id(self, ids: Sequence[str]) -> dict[str, Event]:
        """The stored events among ``ids``, by id (ids not in the store are left out)."""
        wanted, out = list(dict.fromkeys(ids)), {}
        for lo in range(0, len(wanted), _CHUNK):
            part = wanted[lo : lo + _CHUNK]
            marks = ", ".join("?" * len(part))
            rows = self.connection.execute(f"SELECT {_COLUMNS} FROM events WHERE id IN ({marks})", part)  # noqa: S608 - only placeholders
            out.update((row[0], _event(row)) for row in rows)
        return out

    def iter_events(self, *, chunk: int = 2_000) -> Iterator[Event]:
        """Every stored event, ordered by start then id (as the Store's), ``chunk`` rows at a time."""
        cursor = self.connection.execute(f"SELECT {_COLUMNS} FROM events ORDER BY start_utc, id")  # noqa: S608
        while rows := cursor.fetchmany(chunk):
            yield from (_event(row) for row in rows)

    def iter_listings(self, *, chunk: int = 2_000) -> Iterator[Listing]:
        """:meth:`iter_events` as :class:`~recommender.store.rows.Listing` (what a fit reads)."""
        return read_listings(self.connection, chunk=chunk)


def read_listings(connection, *, chunk: int = 2_000) -> Iterator[Listing]:
    """Every stored event of the ``sqlite3`` ``connection`` as a :class:`~recommender.store.rows.Listing`
    (what a fit reads), ordered by start then id, ``chunk`` rows at a time."""
    cursor = connection.cursor()
    try:
        cursor.execute(_LISTINGS)
        while rows := cursor.fetchmany(chunk):
            for *row, tags, is_free in rows:
                row[3] = _datetime(row[3])
                yield row_to_listing(
                    *row, json.loads(tags) if tags else [], None if is_free is None else bool(is_free)
                )
    finally:
        cursor.close()


_LISTINGS = (
    "SELECT id, title, description, start_utc, venue, address, city, lat, lon, attendance, status, "
    "organizer, group_name, tags, is_free FROM events ORDER BY start_utc, id"
)


def _datetime(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


def _event(row: tuple) -> Event:
    (id_, title, description, start, end, tz, all_day, venue, address, city, lat, lon, attendance,
     status, url, organizer, group, tags, is_free, price, source, first_seen, last_seen) = row  # fmt: skip
    return row_to_event(
        SimpleNamespace(
            id=id_, title=title, description=description, start_utc=_datetime(start), end_utc=_datetime(end),
            tz=tz, all_day=bool(all_day), venue=venue, address=address, city=city, lat=lat, lon=lon,
            attendance=attendance, status=status, url=url, organizer=organizer, group=group,
            tags=json.loads(tags) if tags else [], is_free=None if is_free is None else bool(is_free),
            price=price, source=source, first_seen=_datetime(first_seen), last_seen=_datetime(last_seen),
        )
    )  # fmt: skip
