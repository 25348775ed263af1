"""``kindred schedule``: refresh and digest jobs, unattended."""

from __future__ import annotations

import logging

import click

from recommender.cli import common


@click.command("schedule")
@click.option("--list", "list_only", is_flag=True, help="Show the jobs and their next run times, and exit.")
@click.pass_context
def schedule_command(ctx, list_only):
    """Run refresh (every refresh_hours, default 6) and each subscriber's weekly digest until stopped.

    Jobs are kept in the store's database, so restarting does not duplicate them. When the store is
    stale (never refreshed, or not for refresh_hours) the first refresh runs at start. Mail goes to
    KINDRED_SMTP_URL (or KINDRED_OUTBOX); links are signed with KINDRED_SECRET; sources come from
    KINDRED_SOURCES (else the built-in Toronto source). Stop with Ctrl-C or SIGTERM.

    \b
    Examples:
      KINDRED_SECRET=... KINDRED_SMTP_URL=smtps://mail.example.org kindred schedule
      kindred schedule --list
    """
    if list_only:
        _print_jobs(ctx)
        return
    from recommender.core.signing import require_secret
    from recommender.digest.run import make_sender
    from recommender.schedule.scheduler import run_scheduler

    settings = common.settings(ctx)
    require_secret(settings.secret)
    make_sender(settings)  # fail now, not at the first digest, when there is nowhere to send
    common.log_level(ctx, default=logging.INFO)  # an unattended process: its jobs are its output
    run_scheduler(common.store(ctx), settings)


def _print_jobs(ctx) -> None:
    from datetime import UTC, datetime

    from recommender.core.wording import plural
    from recommender.schedule.scheduler import list_jobs

    jobs, stored = list_jobs(common.store(ctx), common.settings(ctx))
    if stored:
        click.echo(f"{plural(len(jobs), 'job')} stored in the database:")
    else:
        click.echo(f"No jobs stored yet; `kindred schedule` will add {plural(len(jobs), 'job')}:")
    moment = datetime.now(UTC)  # the scheduler runs on the real clock
    for job in sorted(jobs, key=lambda j: (j.next_run is None, j.next_run or moment, j.id)):
        when = "paused" if job.next_run is None else f"{job.next_run:%Y-%m-%d %H:%M %Z}"
        if job.next_run is not None and job.next_run <= moment:
            when += " (due: runs as soon as the scheduler starts)"
        click.echo(f"{job.id}  next: {when}  ({job.trigger})")
