"""``kindred like``, ``kindred dismiss``, ``kindred dismissed`` and ``kindred undismiss``: tell
Kindred what you think of an event, see what you dismissed, and take a dismissal back."""

from __future__ import annotations

import click

from recommender.cli import common
from recommender.cli.output import when
from recommender.core import clock
from recommender.core.wording import plural
from scrapers.errors import KindredError


class FeedbackCommandError(KindredError):
    """Feedback to take back that was never given."""


def _feedback_command(kind: str, summary: str):
    @click.command(kind, help=summary)
    @click.argument("event_id")
    @click.option("--user", metavar="EMAIL", help="A subscriber's feedback (default: your own profile).")
    @click.pass_context
    def command(ctx, event_id, user):
        from recommender.people.feedback import record

        store = common.store(ctx)
        event = store.get(event_id)
        new = record(store, event_id, kind, user=user, now=clock.now())
        who = user or "your profile"
        title = event.title if event else event_id
        if kind == "like":
            verb = "Noted" if new else "Already noted"
            click.echo(f"{verb}: more like “{title}” for {who}.")
        else:
            verb = "Dismissed" if new else "Already dismissed"
            click.echo(f"{verb}: “{title}” will not be suggested to {who} again.")

    return command


like_command = _feedback_command(
    "like",
    "More like this: later queries and digests lean toward events like EVENT_ID.\n\n"
    "\b\nExample:\n  kindred like 3f2a9c0e1b7d4a56",
)
dismiss_command = _feedback_command(
    "dismiss",
    "Not interested: EVENT_ID is never suggested again, and events like it sink.\n\n"
    "\b\nExample:\n  kindred dismiss 3f2a9c0e1b7d4a56 --user sam@example.org",
)


@click.command("dismissed")
@click.option("--user", metavar="EMAIL", help="A subscriber's dismissals (default: your own profile).")
@click.pass_context
def dismissed_command(ctx, user):
    """List the events you dismissed, newest first (undo one with `kindred undismiss ID`).

    \b
    Example:
      kindred dismissed --user sam@example.org
    """
    from recommender.people.feedback import listed

    store = common.store(ctx)
    rows = listed(store, "dismiss", user=user)
    who = user or "your profile"
    if not rows:
        click.echo(f"Nothing dismissed for {who}.")
        return
    events = store.events_by_id([event_id for event_id, _ in rows])
    click.echo(f"{plural(len(rows), 'event')} dismissed for {who}:")
    for event_id, at in rows:
        event = events.get(event_id)
        what = f"{event.title} ({when(event)})" if event else "(no longer in the store)"
        click.echo(f"{event_id}  {what} · dismissed {at:%Y-%m-%d}")


@click.command("undismiss")
@click.argument("event_id")
@click.option("--user", metavar="EMAIL", help="A subscriber's dismissal (default: your own profile).")
@click.pass_context
def undismiss_command(ctx, event_id, user):
    """Take back a dismissal: EVENT_ID may be suggested again.

    \b
    Example:
      kindred undismiss ev-0ab370194cbff42c
    """
    from recommender.people.feedback import undo

    store = common.store(ctx)
    who = user or "your profile"
    if not undo(store, event_id, "dismiss", user=user):
        raise FeedbackCommandError(
            f"{event_id} was not dismissed for {who}; `kindred dismissed` lists what was"
        )
    event = store.get(event_id)
    click.echo(f"Undone: “{event.title if event else event_id}” may be suggested to {who} again.")
