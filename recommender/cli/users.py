"""``kindred users``: who gets the weekly digest."""

from __future__ import annotations

import json

import click

from recommender.cli import common
from recommender.core import clock
from recommender.core.places import place_label
from recommender.people.subscribers import (
    DAYS,
    add_subscriber,
    edit_subscriber,
    get_subscriber,
    list_subscribers,
    remove_subscriber,
)
from recommender.ranking.filters import MODES


def _profile_options(func):
    """Options shared by ``users add`` and ``users edit``."""
    options = [
        click.option("--name", help="How the digest greets them, e.g. Sam (optional)."),
        click.option(
            "--near", type=common.PlaceParam(),
            help='Where they are: a town ("Toronto", "Brighton, UK") or LAT,LON; with --within.',
        ),
        click.option(
            "--within", "within_km", type=click.FloatRange(min=0, min_open=True), metavar="KM",
            help="Only in-person events within KM kilometres of --near.",
        ),
        click.option("--mode", type=click.Choice(MODES), help="in-person, online or any (default any)."),
        click.option("--timezone", metavar="TZ", help="IANA time zone, e.g. America/Toronto (default UTC)."),
        click.option("--day", type=click.Choice(DAYS, case_sensitive=False), help="Digest day (mon)."),
        click.option("--hour", type=click.IntRange(0, 23), help="Digest hour, local time (default 8)."),
        click.option(
            "--friend", "friends", multiple=True, metavar='"NAME: LOVES"',
            help='Someone you know and what they love, e.g. "Sam: pottery, jazz" (repeatable).',
        ),
    ]  # fmt: skip
    for option in reversed(options):
        func = option(func)
    return func


def _changes(name, near, within_km, mode, timezone, day, hour, friends) -> dict:
    changes = {"mode": mode, "timezone": timezone, "day": day, "hour": hour}
    if name is not None:
        changes["name"] = name
    if near is not None or within_km is not None:
        changes.update(near=near.point if near else None, within_km=within_km)
    if friends:
        changes["friends"] = list(friends)
    return changes


@click.group("users")
def users_command():
    """Subscribers of the weekly digest.

    \b
    Example:
      kindred users add sam@example.org --passions "pottery, live jazz" --timezone America/Toronto
    """


@users_command.command("add")
@click.argument("email")
@click.option("--passions", required=True, help="What they love, in their own words.")
@click.option(
    "--resubscribe", is_flag=True, help="Subscribe again someone who unsubscribed (only if they asked)."
)
@_profile_options
@click.pass_context
def add(ctx, email, passions, resubscribe, **options):
    """Subscribe EMAIL to the weekly digest.

    \b
    Example:
      kindred users add sam@example.org --name Sam --passions "board games and long hikes" \\
          --near 43.65,-79.38 --within 15 --day sat --hour 9 --friend "Ana: chess, salsa"
    """
    sub = add_subscriber(
        common.store(ctx),
        email,
        passions=passions,
        now=clock.now(),
        resubscribe=resubscribe,
        **_changes(**options),
    )
    click.echo(f"Subscribed {sub.email} (digest on {sub.day} at {sub.hour}:00 {sub.timezone}).")


@users_command.command("edit")
@click.argument("email")
@click.option("--passions", help="What they love, in their own words.")
@click.option("--clear-location", is_flag=True, help="Forget --near/--within.")
@click.option("--clear-friends", is_flag=True, help="Forget all friends.")
@_profile_options
@click.pass_context
def edit(ctx, email, passions, clear_location, clear_friends, **options):
    """Change a subscriber's passions, place, schedule or friends (only what you pass).

    \b
    Example:
      kindred users edit sam@example.org --passions "choir singing" --day sun
    """
    changes = {k: v for k, v in _changes(**options).items() if v is not None or k in ("near", "within_km")}
    if passions is not None:
        changes["passions"] = passions
    if clear_location:
        changes.update(near=None, within_km=None)
    if clear_friends:
        changes["friends"] = []
    if not changes:
        raise click.UsageError("nothing to change: pass what to change, e.g. --passions TEXT or --day sun")
    before = get_subscriber(common.store(ctx), email).to_dict()
    sub = edit_subscriber(common.store(ctx), email, **changes)
    changed = [k for k, v in sub.to_dict().items() if before.get(k) != v]
    if changed:
        click.echo(f"Updated {sub.email}: {', '.join(changed)}.")
    else:
        click.echo(f"Nothing changed for {sub.email}: it already had those settings.")


@users_command.command("list")
@common.format_option("table", "json")
@click.pass_context
def list_(ctx, fmt):
    """Show subscribers.

    \b
    Example:
      kindred users list --format json
    """
    subs = list_subscribers(common.store(ctx))
    if fmt == "json":
        click.echo(json.dumps([s.to_dict() for s in subs], indent=2, ensure_ascii=False))
        return
    if not subs:
        click.echo("No subscribers yet; add one with `kindred users add EMAIL --passions TEXT`.")
    for s in subs:
        where = f" · within {s.within_km:g} km of {place_label(*s.near)}" if s.near else ""
        state = "" if s.active else " · UNSUBSCRIBED"
        state += "" if s.confirmed else " · WAITING FOR CONFIRMATION"
        who = f"{s.email} ({s.name})" if s.name else s.email
        friends = f" · friends: {', '.join(f['name'] for f in s.friends)}" if s.friends else ""
        when = f"{s.day} {s.hour:02d}:00 {s.timezone}"
        click.echo(f"{who} · {s.passions} · {when} · {s.mode}{where}{friends}{state}")


@users_command.command("remove")
@click.argument("email")
@click.pass_context
def remove(ctx, email):
    """Delete a subscriber and everything recorded about them.

    \b
    Example:
      kindred users remove sam@example.org
    """
    remove_subscriber(common.store(ctx), email)
    click.echo(f"Removed {email}.")


@users_command.command("calendar")
@click.argument("email")
@click.option("--new", "renew", is_flag=True, help="Revoke the current feed URL and make a new one.")
@click.pass_context
def calendar(ctx, email, renew):
    """Print a subscriber's personal calendar feed URL (needs KINDRED_SECRET and KINDRED_BASE_URL).

    The URL stays the same from email to email. With --new, every earlier URL stops working (404) —
    for a feed address that was shared by mistake — and the new one is printed.

    \b
    Examples:
      kindred users calendar sam@example.org
      kindred users calendar sam@example.org --new
    """
    from recommender.calendars.feed import feed_token, feed_url, revoke_feed, webcal_url
    from recommender.core.signing import require_secret

    settings = common.settings(ctx)
    secret = require_secret(settings.secret)
    store = common.store(ctx)
    if renew:
        revoke_feed(store, email, now=clock.now())
    url = feed_url(settings.base_url, feed_token(store, secret, email))
    click.echo(url)
    click.echo(f"Subscribe in a calendar app: {webcal_url(url)}", err=True)
