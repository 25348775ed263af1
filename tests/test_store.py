"""The store: upserts, seen-times, cancellations, schema version, bad URLs."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy

from recommender.store.database import StoreError
from recommender.store.event_store import SCHEMA_VERSION, Store
from scrapers.event import Event

pytestmark = pytest.mark.every_store  # store-facing: SQLite and PostgreSQL

T0 = datetime(2026, 4, 1, tzinfo=timezone.utc)


def make(title="Choir", **kw):
    kw.setdefault("start", datetime(2026, 5, 1, 18, tzinfo=ZoneInfo("Europe/Berlin")))
    kw.setdefault("source", "test")
    return Event(title=title, **kw)


def test_upsert_is_idempotent_and_tracks_seen_times(store):
    first = store.upsert([make(), make("Hike")], now=T0)
    assert (first.new, first.updated, first.unchanged) == (2, 0, 0)
    again = store.upsert([make(), make("Hike")], now=T0 + timedelta(days=1))
    assert (again.new, again.updated, again.unchanged) == (0, 0, 2)
    (choir,) = [e for e in store.events() if e.title == "Choir"]
    assert choir.first_seen == T0 and choir.last_seen == T0 + timedelta(days=1)


def test_untouched_import_changes_nothing(store):
    store.upsert([make()], now=T0, touch=False)
    before = [e.to_dict() for e in store.events()]
    store.upsert([make()], now=T0 + timedelta(days=3), touch=False)
    assert [e.to_dict() for e in store.events()] == before


def test_changed_event_is_updated_and_cancellation_kept(store):
    store.upsert([make(description="old")], now=T0)
    summary = store.upsert([make(description="new", status="cancelled")], now=T0 + timedelta(hours=1))
    assert (summary.updated, summary.cancelled) == (1, 1)
    (ev,) = store.events()
    assert ev.description == "new" and ev.cancelled
    assert store.events(include_cancelled=False) == []


def test_time_zone_and_fields_round_trip(store):
    original = make(
        end=datetime(2026, 5, 1, 20, tzinfo=ZoneInfo("Europe/Berlin")),
        tags=["Choir", "Music"],
        lat=52.5,
        lon=13.4,
        is_free=True,
        attendance="mixed",
        group="Berlin Singers",
    )
    store.upsert([original], now=T0)
    (back,) = store.events()
    assert back.start == original.start and back.start.utcoffset() == timedelta(hours=2)
    assert str(back.start.tzinfo) == "Europe/Berlin"
    for name in ("end", "tags", "lat", "lon", "is_free", "attendance", "group", "id"):
        assert getattr(back, name) == getattr(original, name)


def test_fixed_offset_zone_round_trips(store):
    start = datetime(2026, 5, 1, 18, tzinfo=timezone(timedelta(hours=-7)))
    store.upsert([make(start=start)], now=T0)
    assert store.events()[0].start.isoformat() == "2026-05-01T18:00:00-07:00"


def test_filters_by_source_and_window(store):
    store.upsert(
        [make(source="a"), make("Late", source="b", start=datetime(2026, 9, 1, tzinfo=timezone.utc))], now=T0
    )
    assert [e.title for e in store.events(source="b")] == ["Late"]
    assert [e.title for e in store.events(start_from=datetime(2026, 6, 1, tzinfo=timezone.utc))] == ["Late"]
    assert store.sources() == {"a": 1, "b": 1}


@pytest.mark.sqlite_only
def test_sqlite_uses_wal_and_records_schema_version(store):
    with store.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
    assert store.schema_version == SCHEMA_VERSION


def test_newer_schema_is_refused_without_touching_data(tmp_path):
    url = f"sqlite:///{tmp_path / 'k.db'}"
    Store(url).upsert([make()], now=T0)
    Store(url).set_meta("schema_version", str(SCHEMA_VERSION + 1))
    with pytest.raises(StoreError, match="upgrade Kindred"):
        Store(url)
    engine = sqlalchemy.create_engine(url)
    with engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT count(*) FROM events").scalar() == 1


@pytest.mark.parametrize("url", ["nosuchdb://x", "not a url at all"])
def test_bad_url_is_a_clear_error(url):
    with pytest.raises(StoreError, match="sqlite:///"):
        Store(url)


def test_an_old_sqlite_file_is_upgraded_when_opened(tmp_path, kindred):
    url = f"sqlite:///{tmp_path / 'old.db'}"
    Store(url).set_meta("schema_version", "1")
    assert Store.version_of(url) == 1
    assert Store(url).schema_version == SCHEMA_VERSION  # one user's file: upgraded at once
    assert "nothing to do" in kindred("--db", url, "db", "upgrade", check=True).stdout
    assert Store.version_of(f"sqlite:///{tmp_path / 'new.db'}") is None
