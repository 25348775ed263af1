"""The store, subscribers, feedback, the sends ledger and the digest on a real PostgreSQL server on
127.0.0.1 (see tests/postgres_server.py): what SQLite lets pass and PostgreSQL does not."""

from __future__ import annotations

import itertools
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import pytest
from conftest import FIXTURES, run_kindred
from digest_world import WEEK, seed
from postgres_server import fresh_database
from sqlalchemy import create_engine, text
from test_digest_delivery import ROBIN, settings
from test_mail import Recorder, smtp_server

from recommender.digest.run import run_digest
from recommender.mail.smtp import SmtpSender
from recommender.people.feedback import load, record
from recommender.people.sends import claim_week, finish_week
from recommender.people.subscribers import add_subscriber, get_subscriber, unsubscribe
from recommender.store.event_store import SCHEMA_VERSION, Store
from scrapers.event import Event

pytestmark = [pytest.mark.postgres, pytest.mark.slow]
NOW = datetime(2026, 11, 22, tzinfo=UTC)
_names = (f"kindred_t{i}" for i in itertools.count())


@pytest.fixture
def pg(pg_server):
    """A URL of a new, empty database on the test server."""
    return fresh_database(pg_server, next(_names))


def test_upserts_and_events_round_trip(pg):
    store = Store(pg)
    long_source = "community-calendar-" + "x" * 300  # longer than any varchar(200)
    ev = Event(title="Choir rehearsal", start=datetime(2026, 12, 1, 18, tzinfo=UTC), source=long_source)
    assert store.upsert([ev], now=NOW).new == 1
    assert store.upsert([ev], now=NOW + timedelta(days=1)).unchanged == 1
    [back] = store.events()
    assert (back.title, back.start, back.source) == (ev.title, ev.start, long_source)
    assert store.schema_version == SCHEMA_VERSION


def test_a_fit_reads_the_listings_of_the_stored_events(pg):
    from test_sqlite_reader import listing_of

    store = Store(pg)
    when = datetime(2026, 12, 1, 18, tzinfo=UTC)
    events = [
        Event(title="Choir  rehearsal", start=when, tags=["music", "ça"], is_free=True, lat=43.6, lon=-79.4),
        Event(title="Chess", start=when - timedelta(days=1), group="Club", status="cancelled", city="Paris"),
        Event(title="Online talk", start=when, attendance="online", description="", organizer="Org"),
    ]
    store.upsert(events, now=NOW)
    assert list(store.iter_listings(chunk=2)) == [listing_of(e) for e in store.events()]


def test_two_processes_opening_a_fresh_database_at_once_both_succeed(pg):
    code = f"from recommender.store.event_store import Store; Store({pg!r}).count(); print('ok')"
    procs = [subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              text=True) for _ in range(4)]  # fmt: skip
    results = [p.communicate(timeout=60) for p in procs]
    assert [p.returncode for p in procs] == [0] * 4, [err for _, err in results]
    assert Store(pg).count() == 0


def test_two_imports_of_one_file_at_once(pg):
    Store(pg)
    sample = str(FIXTURES / "pages" / "toronto_sample.jsonld")
    with ThreadPoolExecutor(2) as pool:
        procs = list(pool.map(lambda _: run_kindred("--db", pg, "import", sample), range(2)))
    assert [p.returncode for p in procs] == [0, 0], [p.stderr for p in procs]
    assert Store(pg).count() == 41


def test_subscribers_feedback_and_consent(pg):
    store = Store(pg)
    store.upsert([Event(title="Pottery night", start=NOW + timedelta(days=2), source="t")], now=NOW)
    event_id = store.events()[0].id
    add_subscriber(store, "sam@example.org", passions="pottery", now=NOW)
    assert record(store, event_id, "like", user="sam@example.org", now=NOW)
    assert not record(store, event_id, "like", user="sam@example.org", now=NOW)
    assert load(store, "sam@example.org").likes == {event_id}
    unsubscribe(store, "sam@example.org", now=NOW)
    assert not get_subscriber(store, "sam@example.org").active


def test_send_statuses_fit_the_column(pg):
    store = Store(pg)
    sub = add_subscriber(store, "sam@example.org", passions="pottery", now=NOW)
    for week, status in (("2026-W48", "uncertain"), ("2026-W49", "handing_over")):
        assert claim_week(store, sub.id, week, NOW)
        finish_week(store, sub.id, week, NOW, status)
        assert not claim_week(store, sub.id, week, NOW + timedelta(hours=5))


def test_two_digest_runs_at_once_send_each_person_once(pg):
    store = seed(pg, users={f"p{i}@example.org": ROBIN for i in range(6)})
    handler = Recorder()
    with smtp_server(handler) as server:

        def one_run(_):
            sender = SmtpSender.from_url(f"smtp://127.0.0.1:{server.port}", env={})
            return run_digest(Store(pg), sender, settings(), now=NOW, week=WEEK)

        with ThreadPoolExecutor(2) as pool:
            runs = list(pool.map(one_run, range(2)))
    statuses = sorted(o.status for run in runs for o in run)
    assert statuses.count("sent") == 6 and len(handler.delivered) == 6
    assert sorted(d["to"][0] for d in handler.delivered) == sorted(f"p{i}@example.org" for i in range(6))
    assert store.count() > 0


def test_an_old_shared_schema_waits_for_kindred_db_upgrade(pg, kindred):
    Store(pg)
    engine = create_engine(pg)
    with engine.begin() as conn:  # what a version-1 database looked like
        conn.execute(text("ALTER TABLE events ALTER COLUMN source TYPE VARCHAR(200)"))
        conn.execute(text("UPDATE kindred_meta SET value = '1' WHERE key = 'schema_version'"))
    engine.dispose()
    refused = kindred("--db", pg, "events")
    assert refused.returncode == 1 and "run `kindred db upgrade` once" in refused.stderr
    assert Store.version_of(pg) == 1  # nothing was changed by the refusal
    done = kindred("--db", pg, "db", "upgrade")
    assert done.returncode == 0 and f"from schema version 1 to {SCHEMA_VERSION}" in done.stdout
    assert "nothing to do" in kindred("--db", pg, "db", "upgrade").stdout
    store = Store(pg)
    assert store.schema_version == SCHEMA_VERSION
    long = Event(title="Choir", start=NOW, source="s" * 300)
    assert store.upsert([long], now=NOW).new == 1
