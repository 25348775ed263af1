"""``kindred schedule``: refresh and digest jobs, unattended."""

from __future__ import annotations

import logging

import click

from recommender.cli import common


@click.command("schedule")
@click.pass_context
def schedule_command(ctx):
    """Run refresh (every refresh_hours, default 6) and each subscriber's weekly digest until stopped.

    Jobs are kept in the store's database, so restarting does not duplicate them. Mail goes to
    KINDRED_SMTP_URL (or KINDRED_OUTBOX); links are signed with KINDRED_SECRET; sources come from
    KINDRED_SOURCES. Stop with Ctrl-C or SIGTERM.

    \b
    Example:
      KINDRED_SECRET=... KINDRED_SMTP_URL=smtps://mail.example.org kindred schedule
    """
    from recommender.core.signing import require_secret
    from recommender.digest.run import make_sender
    from recommender.schedule.scheduler import run_scheduler

    settings = common.settings(ctx)
    require_secret(settings.secret)
    make_sender(settings)  # fail now, not at the first digest, when there is nowhere to send
    common.log_level(ctx, default=logging.INFO)  # an unattended process: its jobs are its output
    run_scheduler(common.store(ctx), settings)
