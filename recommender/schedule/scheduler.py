"""``kindred schedule``: refresh listings and send each subscriber's digest, unattended.

An APScheduler 3.x scheduler whose jobs live in the store's own database (table
``apscheduler_jobs``), so a restart picks them up instead of adding them twice:

* ``refresh`` — every ``refresh_hours`` (default 6): :func:`refresh_job`; also as soon as the
  scheduler starts when the store is stale (never refreshed, or not for ``refresh_hours``).
* ``digest:<email>`` — each active subscriber's day and hour in their time zone: :func:`digest_job`.
* ``sync-subscribers`` — every few minutes (in memory): adds, changes and removes digest jobs as
  subscribers come, change and go.

Job functions are importable and their stored arguments hold no secret (at most an email): the
database, the secret and the mail settings are read from the settings when a job runs
(``kindred schedule --db URL`` sets ``KINDRED_DB`` for its jobs), so no password is ever pickled
into ``apscheduler_jobs``. A failing job is logged and the scheduler carries on.

Examples
--------
>>> trigger = digest_trigger("sat", 9, "America/Toronto")
>>> from datetime import UTC, datetime
>>> trigger.get_next_fire_time(None, datetime(2026, 11, 23, tzinfo=UTC)).isoformat()
'2026-11-28T09:00:00-05:00'
"""

from __future__ import annotations

import logging
import os
import signal
import threading
from dataclasses import dataclass
from datetime import UTC, datetime

from apscheduler.events import EVENT_JOB_ERROR
from apscheduler.jobstores.memory import MemoryJobStore
from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from recommender.core.config import Settings
from recommender.core.redact import redact_url
from recommender.people.subscribers import list_subscribers
from recommender.store.event_store import Store
from scrapers.errors import KindredError

log = logging.getLogger(__name__)

REFRESH_ID = "refresh"
SYNC_ID = "sync-subscribers"
SYNC_MINUTES = 5
JOB_DEFAULTS = {"coalesce": True, "misfire_grace_time": 3600, "max_instances": 1}
# A digest whose hour passed while the machine was off is still worth sending later that day.
DIGEST_GRACE = 12 * 3600


def _job_store(settings: Settings, db_url: str | None) -> Store:
    from recommender.store.snapshot import open_store

    return open_store(db_url or settings.db)


def refresh_job(db_url: str | None = None) -> None:
    """Refresh every configured source into the store at ``db_url`` (default: the configured one)."""
    from recommender.ingest.refresh import refresh_all

    settings = Settings.load()
    try:
        result = refresh_all(_job_store(settings, db_url), None, settings=settings)
    except KindredError as exc:
        log.error("refresh failed: %s", exc)
        return
    log.info("refresh done: %s", result)


def digest_job(email: str, db_url: str | None = None) -> list:
    """Send this week's digest to ``email`` (once per week, however often this runs); the store is
    ``db_url``, by default the configured one."""
    from recommender.core.clock import now
    from recommender.digest.run import make_sender, run_digest

    settings = Settings.load()
    try:
        store = _job_store(settings, db_url)
        outcomes = run_digest(store, make_sender(settings), settings, now=now(), only=email)
    except KindredError as exc:
        log.error("digest for %s not sent: %s", email, exc)
        return []
    for o in outcomes:
        log.info("digest %s %s: %s %s", o.email, o.week, o.status, o.detail)
    return outcomes


def digest_trigger(day: str, hour: int, timezone: str) -> CronTrigger:
    return CronTrigger(day_of_week=day, hour=hour, minute=0, timezone=timezone)


def build_scheduler(db_url: str | None, *, scheduler_class=BlockingScheduler, **options):
    """A scheduler with the job store in ``db_url`` (None: in memory) and a memory store for the
    sync job."""
    default = SQLAlchemyJobStore(url=db_url) if db_url else MemoryJobStore()
    scheduler = scheduler_class(
        jobstores={"default": default, "memory": MemoryJobStore()},
        job_defaults=JOB_DEFAULTS,
        timezone=UTC,
        **options,
    )
    scheduler.add_listener(_log_error, EVENT_JOB_ERROR)
    return scheduler


def is_stale(store: Store, settings: Settings, now: datetime) -> bool:
    """Whether the store was never refreshed, or not for ``refresh_hours`` (see
    :func:`recommender.ingest.refresh.last_refresh`)."""
    from recommender.ingest.refresh import last_refresh

    last = last_refresh(store)
    return last is None or (now - last).total_seconds() >= settings.refresh_hours * 3600


def sync_jobs(scheduler, store: Store, settings: Settings, *, refresh_now: bool = False) -> set[str]:
    """Make the stored jobs match the settings and the active subscribers; returns the job ids.

    A job whose schedule did not change is left alone, so it keeps its next run time (and a digest
    missed while the machine was off still goes out within its grace time). ``refresh_now`` moves
    the refresh job's next run to now.
    """
    _ensure(scheduler, REFRESH_ID, refresh_job, IntervalTrigger(hours=settings.refresh_hours), [],
            name="refresh listings")  # fmt: skip
    if refresh_now:
        scheduler.modify_job(REFRESH_ID, jobstore="default", next_run_time=datetime.now(UTC))
    wanted = {REFRESH_ID}
    for sub in list_subscribers(store, active_only=True):
        job_id = f"digest:{sub.email}"
        wanted.add(job_id)
        trigger = digest_trigger(sub.day, sub.hour, sub.timezone)
        _ensure(scheduler, job_id, digest_job, trigger, [sub.email],
                name=f"weekly digest for {sub.email}", misfire_grace_time=DIGEST_GRACE)  # fmt: skip
    for job in scheduler.get_jobs(jobstore="default"):
        if job.id not in wanted:
            log.info("removing job %s (subscriber gone or unsubscribed)", job.id)
            scheduler.remove_job(job.id, jobstore="default")
    return wanted


def _ensure(scheduler, job_id, func, trigger, args, **options) -> None:
    job = scheduler.get_job(job_id, jobstore="default")
    if job is not None and job.func is func and list(job.args) == args and _same(job.trigger, trigger):
        return
    scheduler.add_job(func, trigger, args=args, id=job_id, replace_existing=True, **options)


def _same(old, new) -> bool:
    if isinstance(old, IntervalTrigger) and isinstance(new, IntervalTrigger):
        return old.interval == new.interval  # their start dates differ by construction
    return repr(old) == repr(new)


def run_scheduler(store: Store, settings: Settings) -> None:
    """Run until SIGTERM or Ctrl-C; jobs already running are allowed to finish."""
    os.environ["KINDRED_DB"] = store.url  # what the stored jobs open (they hold no URL themselves)
    scheduler = build_scheduler(store.url)

    first = [True]

    def sync() -> None:
        try:
            stale = first[0] and is_stale(store, settings, datetime.now(UTC))
            if stale:
                log.info("the store is stale (refreshed over %g hours ago, or never): refreshing now",
                         settings.refresh_hours)  # fmt: skip
            sync_jobs(scheduler, store, settings, refresh_now=stale)
            first[0] = False
        except KindredError as exc:
            log.error("could not update the digest jobs: %s", exc)

    # The first sync runs as soon as the scheduler starts, when the stored jobs are visible.
    scheduler.add_job(sync, IntervalTrigger(minutes=SYNC_MINUTES), id=SYNC_ID, jobstore="memory",
                      next_run_time=datetime.now(UTC), replace_existing=True)  # fmt: skip

    stopping: list[threading.Thread] = []

    def stop(signum, _frame) -> None:
        # Shut down from another thread: this handler may interrupt the scheduler while it holds
        # its job-store lock, and a running job may be waiting for that lock.
        if stopping:
            return
        log.info("received %s: finishing running jobs and stopping", signal.Signals(signum).name)
        stopping.append(threading.Thread(target=scheduler.shutdown, name="kindred-shutdown"))
        stopping[0].start()

    previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        log.info("scheduler starting (database %s); Ctrl-C or SIGTERM stops it", redact_url(store.url))
        scheduler.start()
        for thread in stopping:
            thread.join()
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    log.info("scheduler stopped")


@dataclass(frozen=True)
class JobInfo:
    """One job as ``kindred schedule --list`` shows it."""

    id: str
    name: str
    next_run: datetime | None
    trigger: str


def list_jobs(store: Store, settings: Settings) -> tuple[list[JobInfo], bool]:
    """``(jobs, stored)``: the jobs stored in ``store``'s database with their next run times, or,
    when none are stored yet, the ones ``kindred schedule`` would add (``stored`` False). Changes
    nothing."""
    stored = _jobs(build_scheduler(store.url, scheduler_class=BackgroundScheduler), None, store, settings)
    if stored:
        return stored, True
    planned = _jobs(build_scheduler(None, scheduler_class=BackgroundScheduler), sync_jobs, store, settings)
    return planned, False


def _jobs(scheduler, fill, store: Store, settings: Settings) -> list[JobInfo]:
    scheduler.start(paused=True)  # job stores open, nothing runs
    try:
        if fill:
            fill(scheduler, store, settings, refresh_now=is_stale(store, settings, datetime.now(UTC)))
        jobs = scheduler.get_jobs(jobstore="default")
        return [JobInfo(j.id, j.name, j.next_run_time, str(j.trigger)) for j in jobs]
    finally:
        scheduler.shutdown(wait=False)


def _log_error(event) -> None:
    log.error("job %s failed (%s); the scheduler carries on", event.job_id, event.exception)
