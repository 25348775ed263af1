"""The embedded default store: built on first use from the Toronto snapshot shipped in ``data/``.

With no ``--db`` and no ``KINDRED_DB`` Kindred opens ``<user data dir>/kindred.db`` and, if the
snapshot was never loaded there, imports it — no network needed.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import TYPE_CHECKING

from recommender.core.paths import user_data_dir
from recommender.core.resources import data_file
from scrapers.event import Event
from scrapers.zones import get_zone

if TYPE_CHECKING:  # a warm query reads the store without SQLAlchemy (store/sqlite_reader.py)
    from recommender.store.event_store import Store

SNAPSHOT_FILE = "toronto_festivals_events.jsonld"
SNAPSHOT_SOURCE = "toronto-open-data"
SNAPSHOT_TZ = "America/Toronto"
# The address the snapshot is parsed at, the same wherever Kindred is installed: the ids of its events
# without a URL of their own, or with one written without a scheme ("www.gladstonehouse.ca"), are made
# from it. A file: URL, so such events are never linked (core.links) as they never were.
SNAPSHOT_URL = f"file:///kindred/data/{SNAPSHOT_FILE}"
ATTRIBUTION = "Contains information licensed under the Open Government Licence – Toronto."


def default_store_url() -> str:
    return f"sqlite:///{user_data_dir() / 'kindred.db'}"


def load_snapshot(store: Store, *, now: datetime | None = None) -> int:
    """Import the embedded snapshot into ``store`` once; returns how many events were added."""
    if store.get_meta("embedded_snapshot") == SNAPSHOT_FILE:
        return 0
    from scrapers.schemaorg import parse_schemaorg  # only the first run needs the parser

    content = data_file(SNAPSHOT_FILE).read_bytes()
    events = parse_schemaorg(content, SNAPSHOT_URL, source=SNAPSHOT_SOURCE, default_tz=SNAPSHOT_TZ)
    for ev in events:
        in_toronto_time(ev)
    summary = store.upsert(events, now=now or datetime.now(timezone.utc), touch=False)
    store.set_meta("embedded_snapshot", SNAPSHOT_FILE)
    return summary.new


def in_toronto_time(ev: Event) -> Event:
    """The same instants, shown in Toronto time (some listings of the Toronto data are written in
    UTC): for the snapshot and the built-in source that refreshes it."""
    zone = get_zone(SNAPSHOT_TZ)
    ev.start = ev.start.astimezone(zone)
    ev.end = ev.end.astimezone(zone) if ev.end else None
    return ev


def open_store(url: str | None) -> Store:
    """The store at ``url``, or the embedded default store (created on first use)."""
    from recommender.store.event_store import Store

    if url:
        return Store(url)
    user_data_dir().mkdir(parents=True, exist_ok=True)
    store = Store(default_store_url())
    load_snapshot(store)
    return store


def only_snapshot(store: Store) -> bool:
    """True when every stored event comes from the embedded snapshot."""
    sources = store.sources()
    return bool(sources) and set(sources) == {SNAPSHOT_SOURCE}
