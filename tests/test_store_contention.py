"""The store under overlapping runs and wrong databases: writers wait for each other (bounded) and
nothing is lost; what the database itself refuses is one clear line, never a traceback."""

from __future__ import annotations

import sqlite3
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import pytest
from conftest import FIXTURES, run_kindred

from recommender.store.database import StoreError
from recommender.store.event_store import BATCH, Store
from scrapers.event import Event

SAMPLE = FIXTURES / "pages" / "toronto_sample.jsonld"  # 41 events
NOW = datetime(2026, 11, 22, tzinfo=UTC)


def one_error_line(proc) -> str:
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "Traceback" not in proc.stderr
    [line] = [x for x in proc.stderr.splitlines() if x.strip()]
    assert line.startswith("kindred: error: ")
    return line


def test_a_file_that_is_not_a_database_is_one_clear_line(kindred, tmp_path):
    fake = tmp_path / "passwd"
    fake.write_text("root:x:0:0:root:/root:/bin/bash\n" * 50)
    for args in (("query", "jazz"), ("events",), ("import", str(SAMPLE))):
        line = one_error_line(kindred("--db", f"sqlite:///{fake}", *args))
        assert "cannot be read as a database" in line and "give another --db" in line
    assert fake.read_text().startswith("root:x:0:0")  # and it was not touched


def test_a_read_only_database_refuses_writes_in_one_line(kindred, tmp_path):
    path = tmp_path / "k.db"
    Store(f"sqlite:///{path}")
    readonly = f"sqlite:///file:{path}?mode=ro&uri=true"
    listed = kindred("--db", readonly, "events")
    assert listed.returncode == 0, listed.stderr
    line = one_error_line(kindred("--db", readonly, "import", str(SAMPLE)))
    assert "read-only" in line


def test_two_imports_of_one_file_at_once_both_succeed(tmp_path):
    db = f"sqlite:///{tmp_path / 'k.db'}"
    Store(db)  # the schema exists; the race is on the rows
    with ThreadPoolExecutor(2) as pool:
        procs = list(pool.map(lambda _: run_kindred("--db", db, "import", str(SAMPLE)), range(2)))
    for proc in procs:
        assert proc.returncode == 0 and "Traceback" not in proc.stderr, proc.stderr
    news = sorted(int(p.stdout.split("(")[1].split(" new")[0]) for p in procs)
    assert sum(news) == 41  # each event inserted once, by one or the other
    assert Store(db).count() == 41


def test_a_writer_waits_for_another_transaction_instead_of_failing(kindred, tmp_path):
    path = tmp_path / "k.db"
    Store(f"sqlite:///{path}")
    holder = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    holder.execute("BEGIN IMMEDIATE")  # another run in the middle of a write
    released = threading.Event()

    def release_later():
        time.sleep(0.6)
        holder.execute("COMMIT")
        released.set()

    threading.Thread(target=release_later, daemon=True).start()
    started = time.monotonic()
    proc = kindred("--db", f"sqlite:///{path}", "import", str(SAMPLE))
    assert proc.returncode == 0, proc.stderr
    assert released.is_set() and time.monotonic() - started >= 0.5
    assert Store(f"sqlite:///{path}").count() == 41
    holder.close()


def test_upserts_commit_in_batches_and_count_right(tmp_path):
    store = Store(f"sqlite:///{tmp_path / 'k.db'}")
    start = datetime(2026, 12, 1, tzinfo=UTC)
    events = [
        Event(title=f"Choir {i}", start=start + timedelta(hours=i), source="t") for i in range(BATCH + 7)
    ]
    first = store.upsert(events + events[:3], now=NOW)  # an id twice across batches is an update
    assert (first.new, first.unchanged, store.count()) == (BATCH + 7, 3, BATCH + 7)


def test_store_errors_never_show_the_password():
    with pytest.raises(StoreError) as err:
        Store("postgresql+psycopg://kindred:s3cret-pw@127.0.0.1:1/kindred?connect_timeout=2")
    assert "s3cret-pw" not in str(err.value)


def test_overlapping_refresh_import_digest_and_web_posts_all_succeed(tmp_path):
    import requests
    from digest_world import SECRET, seed
    from web_server import serve

    from recommender.core.config import Settings
    from recommender.core.signing import make_token
    from recommender.digest.run import run_digest
    from recommender.mail.outbox import OutboxSender
    from recommender.people.feedback import record
    from recommender.people.subscribers import add_subscriber, get_subscriber

    url = f"sqlite:///{tmp_path / 'busy.db'}"
    store = seed(url, users={"robin@example.org": {"passions": "pottery and jazz"}})
    start = datetime(2026, 11, 24, tzinfo=UTC)
    listings = [
        Event(title=f"Listing {i}", start=start + timedelta(minutes=i), source="big") for i in range(2500)
    ]
    event_id = store.events()[0].id
    settings = Settings(secret=SECRET, base_url="https://kindred.example", sender="digest@kindred.example")
    errors: list[BaseException] = []

    def guarded(work):
        def run():
            try:
                work()
            except BaseException as exc:  # noqa: BLE001 - collected and asserted below
                errors.append(exc)

        return threading.Thread(target=run)

    with serve(store, settings, clock=lambda: NOW) as site:
        token = make_token(SECRET, "robin@example.org", "preferences", issued=NOW - timedelta(days=1))
        form = {"passions": "choir", "near": "", "within_km": "", "mode": "any", "day": "sat", "hour": "9"}
        work = [
            lambda: Store(url).upsert(listings, now=NOW),  # a big refresh, in batches
            lambda: Store(url).upsert(listings[:600], now=NOW),  # an import of part of it at once
            lambda: add_subscriber(Store(url), "kim@example.org", passions="chess", now=NOW),
            lambda: record(Store(url), event_id, "like", now=NOW),
            lambda: run_digest(
                Store(url), OutboxSender(tmp_path / "out"), settings, now=NOW, week="2026-W48"
            ),
            lambda: requests.post(f"{site}/preferences/{token}", data=form, timeout=30).raise_for_status(),
        ]
        threads = [guarded(w) for w in work]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
    assert not any(t.is_alive() for t in threads) and errors == []
    after = Store(url)
    assert after.sources()["big"] == 2500
    assert get_subscriber(after, "kim@example.org").active
    assert get_subscriber(after, "robin@example.org").passions == "choir"
