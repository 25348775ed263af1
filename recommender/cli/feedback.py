"""``kindred like`` and ``kindred dismiss``: tell Kindred what you think of an event."""

from __future__ import annotations

import click

from recommender.cli import common
from recommender.core import clock


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
