"""``kindred schedule``: stored jobs, injected time, restarts, errors and clean shutdown."""

from __future__ import annotations

import logging
import signal
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest
from apscheduler.schedulers.background import BackgroundScheduler
from digest_world import SECRET, seed
from sqlalchemy import create_engine, text

from recommender.core.config import Settings
from recommender.people.subscribers import edit_subscriber, unsubscribe
from recommender.schedule.scheduler import build_scheduler, digest_job, digest_trigger, refresh_job, sync_jobs

pytestmark = pytest.mark.every_store  # store-facing: SQLite and PostgreSQL

SUNDAY = datetime(2026, 11, 22, 12, tzinfo=UTC)


def stored_jobs(db) -> dict[str, float]:
    with create_engine(db).connect() as conn:
        return dict(conn.execute(text("SELECT id, next_run_time FROM apscheduler_jobs")).all())


def synced(store, settings=None):
    scheduler = build_scheduler(store.url, scheduler_class=BackgroundScheduler)
    scheduler.start(paused=True)
    try:
        return sync_jobs(scheduler, store, settings or Settings())
    finally:
        scheduler.shutdown(wait=False)


def test_restarting_does_not_duplicate_jobs_and_follows_subscribers(db):
    store = seed(db, users={"robin@example.org": {"passions": "pottery", "day": "sat", "hour": 9},
                            "kim@example.org": {"passions": "chess"}})  # fmt: skip
    ids = synced(store)
    first = stored_jobs(db)
    assert ids == set(first) == {"refresh", "digest:robin@example.org", "digest:kim@example.org"}
    synced(store)
    assert stored_jobs(db) == first  # same rows, same next run times

    unsubscribe(store, "kim@example.org", now=SUNDAY)
    edit_subscriber(store, "robin@example.org", day="sun")
    synced(store)
    after = stored_jobs(db)
    assert set(after) == {"refresh", "digest:robin@example.org"}
    assert after["digest:robin@example.org"] != first["digest:robin@example.org"]


@pytest.mark.parametrize(
    ("day", "hour", "zone", "now", "expected"),
    [
        ("sat", 9, "America/Toronto", SUNDAY, "2026-11-28T09:00:00-05:00"),
        ("mon", 8, "Europe/Berlin", datetime(2026, 3, 28, tzinfo=UTC), "2026-03-30T08:00:00+02:00"),  # DST
        ("sun", 7, "Asia/Tokyo", SUNDAY, "2026-11-29T07:00:00+09:00"),  # 21:00 Sunday UTC is Monday there
    ],
)
def test_digest_fires_at_the_local_day_and_hour(day, hour, zone, now, expected):
    assert digest_trigger(day, hour, zone).get_next_fire_time(None, now).isoformat() == expected


def test_stored_digest_job_fires_with_injected_time(db, tmp_path, monkeypatch):
    store = seed(db, users={"robin@example.org": {"passions": "pottery and jazz", "day": "mon", "hour": 8}})
    synced(store)
    scheduler = build_scheduler(db, scheduler_class=BackgroundScheduler)
    scheduler.start(paused=True)
    job = scheduler.get_job("digest:robin@example.org")
    fire = job.trigger.get_next_fire_time(None, SUNDAY)
    scheduler.shutdown(wait=False)
    assert fire.isoformat() == "2026-11-23T08:00:00-05:00"

    outbox = tmp_path / "outbox"
    for key, value in {"KINDRED_NOW": fire.isoformat(), "KINDRED_SECRET": SECRET, "KINDRED_DB": db,
                       "KINDRED_OUTBOX": str(outbox)}.items():  # fmt: skip
        monkeypatch.setenv(key, value)
    [first] = job.func(*job.args)
    [second] = job.func(*job.args)  # a misfire replay or a second scheduler: nothing twice
    assert (first.week, first.status, second.status) == ("2026-W48", "sent", "skipped")
    assert [p.name for p in outbox.iterdir()] == ["2026-W48_robin@example.org.eml"]


def test_digest_job_logs_config_errors_instead_of_crashing(db, tmp_path, monkeypatch, caplog):
    seed(db, users={"robin@example.org": {"passions": "pottery"}})
    with caplog.at_level(logging.ERROR):
        assert digest_job("robin@example.org", db) == []
    assert "nowhere to send the digest" in caplog.text
    monkeypatch.setenv("KINDRED_OUTBOX", str(tmp_path / "out"))
    caplog.clear()
    with caplog.at_level(logging.ERROR):
        assert digest_job("robin@example.org", db) == []
    assert "set KINDRED_SECRET" in caplog.text and not (tmp_path / "out").exists()


def test_refresh_job_says_what_is_missing(db, caplog, monkeypatch):
    seed(db)
    monkeypatch.setenv("KINDRED_TORONTO_FEED", "")
    with caplog.at_level(logging.WARNING):
        refresh_job(db)
    assert "no sources file at" in caplog.text and "built-in Toronto source is turned off" in caplog.text


def test_a_failing_job_is_logged_and_the_scheduler_keeps_going(db, caplog):
    scheduler = build_scheduler(db, scheduler_class=BackgroundScheduler)
    ran = threading.Event()

    def broken():
        raise RuntimeError("boom")

    now = datetime.now(UTC)
    scheduler.add_job(broken, id="broken", jobstore="memory", next_run_time=now)
    scheduler.add_job(ran.set, id="fine", jobstore="memory", next_run_time=now)
    with caplog.at_level(logging.ERROR):
        scheduler.start()
        try:
            assert ran.wait(5)
            deadline = time.monotonic() + 5
            while "job broken failed" not in caplog.text and time.monotonic() < deadline:
                time.sleep(0.02)
            assert scheduler.running
        finally:
            scheduler.shutdown()
    assert "job broken failed (boom); the scheduler carries on" in caplog.text


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_kindred_schedule_runs_unattended_and_stops_cleanly(db, tmp_path, sig):
    seed(db, users={"robin@example.org": {"passions": "pottery"}})
    exe = Path(sys.executable).parent / "kindred"
    env = {"KINDRED_SECRET": SECRET, "KINDRED_OUTBOX": str(tmp_path / "out"), "PATH": "/usr/bin:/bin"}
    proc = subprocess.Popen([str(exe), "--db", db, "schedule"], stderr=subprocess.PIPE, text=True, env=env)
    lines = []
    try:
        for line in proc.stderr:
            lines.append(line)
            if 'Added job "weekly digest for robin@example.org"' in line:
                break
        proc.send_signal(sig)
        _, rest = proc.communicate(timeout=20)
    finally:
        proc.kill()
    output = "".join(lines) + rest
    assert proc.returncode == 0, output
    assert "scheduler stopped" in output and "Traceback" not in output
    assert set(stored_jobs(db)) == {"refresh", "digest:robin@example.org"}


def test_kindred_schedule_refuses_without_a_secret_or_a_mail_route(kindred, db):
    no_secret = kindred("--db", db, "schedule")
    assert no_secret.returncode == 1 and "set KINDRED_SECRET" in no_secret.stderr
    no_route = kindred("--db", db, "schedule", env={"KINDRED_SECRET": SECRET})
    assert no_route.returncode == 1 and "KINDRED_SMTP_URL" in no_route.stderr


def test_stored_jobs_hold_no_database_password(tmp_path):
    from recommender.store.event_store import Store

    url = f"sqlite:///{tmp_path / 'jobs.db'}"
    store = seed(url, users={"robin@example.org": {"passions": "pottery"}})
    scheduler = build_scheduler(store.url, scheduler_class=BackgroundScheduler)
    scheduler.start(paused=True)
    try:
        sync_jobs(scheduler, store, Settings())
        jobs = {job.id: list(job.args) for job in scheduler.get_jobs(jobstore="default")}
    finally:
        scheduler.shutdown(wait=False)
    assert jobs == {"refresh": [], "digest:robin@example.org": ["robin@example.org"]}
    with create_engine(url).connect() as conn:
        states = b"".join(conn.execute(text("SELECT job_state FROM apscheduler_jobs")).scalars())
    assert str(tmp_path).encode() not in states and b"sqlite" not in states
    assert Store(url).count() > 0


def test_a_stale_store_is_refreshed_as_soon_as_the_scheduler_starts(db):
    from recommender.ingest.refresh import REFRESHED_AT
    from recommender.schedule.scheduler import is_stale

    store = seed(db)
    settings = Settings(refresh_hours=6)
    assert is_stale(store, settings, SUNDAY)  # never refreshed
    store.set_meta(REFRESHED_AT, SUNDAY.isoformat())
    assert not is_stale(store, settings, SUNDAY.replace(hour=17))
    assert is_stale(store, settings, SUNDAY.replace(hour=18))

    scheduler = build_scheduler(store.url, scheduler_class=BackgroundScheduler)
    scheduler.start(paused=True)
    try:
        sync_jobs(scheduler, store, settings)
        later = scheduler.get_job("refresh").next_run_time
        sync_jobs(scheduler, store, settings, refresh_now=True)
        soon = scheduler.get_job("refresh").next_run_time
    finally:
        scheduler.shutdown(wait=False)
    assert (later - datetime.now(UTC)).total_seconds() > 5 * 3600
    assert abs((soon - datetime.now(UTC)).total_seconds()) < 60


def test_schedule_list_shows_the_jobs_and_their_next_run_times(db, kindred):
    store = seed(db, users={"robin@example.org": {"passions": "pottery", "day": "sat", "hour": 9,
                                                  "timezone": "America/Toronto"}})  # fmt: skip
    planned = kindred("--db", db, "schedule", "--list", check=True).stdout
    assert "No jobs stored yet; `kindred schedule` will add 2 jobs:" in planned
    assert "refresh  next: " in planned and "(due: runs as soon as the scheduler starts)" in planned
    assert "digest:robin@example.org  next: " in planned and "09:00 EST" in planned
    assert "day_of_week='sat'" in planned
    assert stored_jobs(db) == {}  # --list stored nothing
    synced(store)
    stored = kindred("--db", db, "schedule", "--list", check=True).stdout
    assert "2 jobs stored in the database:" in stored and "digest:robin@example.org" in stored
