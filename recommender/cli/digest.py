"""``kindred digest``: send (or write) this week's digest to each subscriber."""

from __future__ import annotations

import contextlib
import sys

import click

from recommender.cli import common
from recommender.core import clock
from recommender.core.wording import plural
from scrapers.errors import KindredError

TEMPFAIL = 75  # EX_TEMPFAIL: some deliveries failed for now; the next run retries them


@click.command("digest")
@click.option("--user", "only", metavar="EMAIL", help="Only this subscriber.")
@click.option("--outbox", metavar="DIR", help="Write one .eml per subscriber into DIR instead of sending.")
@click.option("--smtp", metavar="URL", help="Send via smtp://host:587 (STARTTLS) or smtps://host:465.")
@click.option("--week", metavar="YYYY-Www", help="Compose as if sent at the start of that ISO week.")
@click.option(
    "--retry-uncertain",
    is_flag=True,
    help="Send again the digests the mail server took but never confirmed (they may arrive twice).",
)
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    metavar="N",
    help="Choose the picks on a local Dask cluster of N processes (the dask extra).",
)
@click.option(
    "--scheduler",
    metavar="ADDRESS",
    help="Choose the picks on an existing Dask cluster, e.g. tcp://10.0.0.5:8786 (the dask extra).",
)
@click.pass_context
def digest_command(ctx, only, outbox, smtp, week, retry_uncertain, workers, scheduler):
    """Send this week's digest to every subscriber, exactly once per week.

    A rerun sends only what was not sent. Login for --smtp comes from the URL or
    KINDRED_SMTP_USER / KINDRED_SMTP_PASSWORD; links are signed with KINDRED_SECRET.
    Exit status: 0 all done, 75 some deliveries failed (the next run retries them), 1 some were
    refused for good or are uncertain (the server took them but never confirmed).

    \b
    Examples:
      kindred digest --outbox outbox/
      kindred digest --smtp smtp://127.0.0.1:1025 --week 2026-W48
      kindred digest --outbox outbox/ --workers 2
    """
    from recommender.core.signing import require_secret
    from recommender.digest.compose import week_start

    settings = common.settings(ctx)
    require_secret(settings.secret)  # before the slow imports: a missing secret is reported at once
    if week:
        week_start(week)  # one clear error for a malformed week
    from recommender.digest.run import make_sender, run_digest
    from recommender.people.subscribers import find_subscriber

    sender = make_sender(settings, outbox=outbox, smtp=smtp)
    store = common.store(ctx)
    if only and find_subscriber(store, only) is None:
        raise KindredError(f"no subscriber {only!r}; see `kindred users list`")
    with contextlib.ExitStack() as stack:
        chooser = stack.enter_context(_cluster(store, workers, scheduler)) if workers or scheduler else None
        outcomes = run_digest(
            store,
            sender,
            settings,
            now=clock.now(),
            week=week,
            only=only and only.strip().lower(),
            retry_uncertain=retry_uncertain,
            chooser=chooser,
        )
    if not outcomes:
        click.echo("No active subscribers; add one with `kindred users add EMAIL --passions TEXT`.")
    for o in outcomes:
        line = f"{o.email} {o.week}: {o.status}"
        if o.status == "sent":
            line += f" ({plural(o.events, 'event')})"
        elif o.detail:
            line += f" - {o.detail}"
        click.echo(line)
    uncertain = sum(o.status == "uncertain" for o in outcomes)
    if uncertain:
        click.echo(
            f"{plural(uncertain, 'digest')} may have been delivered: the mail server took "
            f"{'it' if uncertain == 1 else 'them'} but never confirmed. Such digests are not sent "
            "again; check the server's log, or send them again with --retry-uncertain.",
            err=True,
        )
    statuses = {o.status for o in outcomes}
    if "failed" in statuses:
        sys.exit(TEMPFAIL)
    if statuses & {"refused", "uncertain"}:
        sys.exit(1)


def _cluster(store, workers, scheduler):
    """The Dask chooser asked for, after the saved index is built here (workers only load it)."""
    from recommender.digest.distributed import ClusterChooser
    from recommender.ranking.saved_index import load_or_fit

    if workers and scheduler:
        raise KindredError("give either --workers or --scheduler, not both")
    if store.in_memory:
        raise KindredError(
            "--workers/--scheduler need a store other processes can open (a file or PostgreSQL)"
        )
    if store.count():
        load_or_fit(store)
    return ClusterChooser(store.url, workers=workers, address=scheduler)
