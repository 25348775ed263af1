"""The plain SQLite reader a warm ``kindred query`` opens answers exactly as the store does, and
steps aside (None) for every file the full store must open."""

from __future__ import annotations

import sqlite3
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from recommender.people.feedback import record
from recommender.people.profile_feedback import read_default
from recommender.ranking.query import QueryOptions, find
from recommender.store.event_store import Store
from recommender.store.sqlite_reader import open_reader
from scrapers.event import Event

T0 = datetime(2026, 4, 1, tzinfo=timezone.utc)
ZONES = [timezone.utc, ZoneInfo("America/Toronto"), ZoneInfo("Asia/Kolkata"), timezone(timedelta(hours=-7))]


def _same(a: Event, b: Event) -> bool:
    """Equal fields, and the times in the same zone (Event equality compares instants only)."""
    return a.to_dict() == b.to_dict() and [str(t.tzinfo) for t in (a.start, a.end) if t] == [
        str(t.tzinfo) for t in (b.start, b.end) if t
    ]


events = st.builds(
    lambda title, day, hour, zone, hours, all_day, free, tags, place, group, price, micro: Event(
        title=title,
        start=datetime(2026, 5, day, hour, tzinfo=zone) + timedelta(microseconds=micro),
        end=None if hours is None else datetime(2026, 5, day, hour, tzinfo=zone) + timedelta(hours=hours),
        all_day=all_day,
        is_free=free,
        tags=tags,
        lat=place[0] if place else None,
        lon=place[1] if place else None,
        group=group,
        price=price,
        source="test",
    ),
    title=st.text(min_size=1, max_size=40).filter(str.strip),  # Event refuses a blank title
    day=st.integers(1, 28),
    hour=st.integers(0, 23),
    zone=st.sampled_from(ZONES),
    hours=st.none() | st.integers(0, 30),
    all_day=st.booleans(),
    free=st.none() | st.booleans(),
    tags=st.lists(st.text(max_size=12), max_size=3),
    place=st.none() | st.tuples(st.floats(-90, 90), st.floats(-180, 180)),
    group=st.none() | st.text(max_size=20),
    price=st.none() | st.text(max_size=8),
    micro=st.sampled_from([0, 1, 999_999]),
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(batch=st.lists(events, min_size=1, max_size=12), edit=st.booleans())
def test_reader_answers_as_the_store_does(tmp_path_factory, batch, edit):
    url = f"sqlite:///{tmp_path_factory.mktemp('r') / 'k.db'}"
    store = Store(url)
    store.upsert(batch, now=T0)
    if edit:  # a later refresh changes one event: the token must move alike in both
        changed = Event.from_dict({**batch[0].to_dict(), "description": "changed"})
        store.upsert([changed], now=T0 + timedelta(days=1, microseconds=0))
    reader = open_reader(url)
    try:
        assert reader is not None
        assert reader.last_change() == store.last_change()
        assert reader.count() == store.count() and reader.sources() == store.sources()
        ids = [e.id for e in store.events()] + ["ev-not-there"]
        mine, theirs = reader.events_by_id(ids), store.events_by_id(ids)
        assert mine.keys() == theirs.keys()
        assert all(_same(mine[i], theirs[i]) for i in theirs)
        streamed = list(reader.iter_events(chunk=5))
        expected = list(store.iter_events())
        assert [e.id for e in streamed] == [e.id for e in expected]
        assert all(_same(a, b) for a, b in zip(streamed, expected, strict=True))
    finally:
        if reader is not None:
            reader.close()
        store.engine.dispose()


def test_a_query_through_the_reader_is_the_stores_query(tmp_path):
    url = f"sqlite:///{tmp_path / 'k.db'}"
    store = Store(url)
    start = datetime(2026, 5, 3, 9, tzinfo=ZoneInfo("America/Toronto"))
    runs = [Event(title=f"Trail running club {i}", start=start + timedelta(days=i)) for i in range(40)]
    store.upsert([*runs, Event(title="Pottery wheel night", start=start, source="t")], now=T0)
    liked = store.events()[3].id
    record(store, liked, "like", now=T0)
    reader = open_reader(url)
    try:
        assert read_default(reader).likes == {liked}
        now = datetime(2026, 5, 1, tzinfo=timezone.utc)
        for text in ("trail running", "pottery", "chess"):
            a = find(store, text, QueryOptions(), now=now, feedback=read_default(reader))
            b = find(reader, text, QueryOptions(), now=now, feedback=read_default(reader))
            assert [p.event.id for p in a.picks] == [p.event.id for p in b.picks]
            assert (a.notes, a.window) == (b.notes, b.window)
    finally:
        reader.close()
        store.engine.dispose()


def test_no_feedback_table_yet_means_no_feedback(tmp_path):
    url = f"sqlite:///{tmp_path / 'k.db'}"
    Store(url).engine.dispose()
    with sqlite3.connect(tmp_path / "k.db") as db:  # as a store made before the people tables existed
        db.execute("DROP TABLE IF EXISTS profile_feedback")
    reader = open_reader(url)
    assert read_default(reader) == read_default(reader).__class__()
    reader.close()


@pytest.mark.parametrize(
    "setup",
    ["missing", "not a database", "empty database", "older schema", "newer schema", "memory", "postgres"],
)
def test_the_full_store_opens_what_the_reader_cannot(tmp_path, setup):
    path = tmp_path / "k.db"
    url = f"sqlite:///{path}"
    if setup == "not a database":
        path.write_bytes(b"root:x:0:0:root:/root:/bin/bash\n" * 100)
    elif setup == "empty database":
        sqlite3.connect(path).close()
    elif setup in ("older schema", "newer schema"):
        Store(url).engine.dispose()
        with sqlite3.connect(path) as db:
            version = "3" if setup == "older schema" else "99"
            db.execute("UPDATE kindred_meta SET value = ? WHERE key = 'schema_version'", (version,))
    elif setup == "memory":
        url = "sqlite://"
    elif setup == "postgres":
        url = "postgresql://kindred@127.0.0.1:9/kindred"
    assert open_reader(url) is None
    if path.exists() and setup != "not a database":
        assert sqlite3.connect(path).execute("PRAGMA integrity_check").fetchone() == ("ok",)
