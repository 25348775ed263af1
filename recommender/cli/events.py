"""``kindred import`` and ``kindred events``: getting listings in, and seeing what is stored."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from recommender.cli import common
from recommender.cli.output import (
    EVENT_COLUMNS,
    print_event_details,
    print_events_table,
    render_csv,
    render_json,
)
from recommender.core import clock
from recommender.core.wording import plural
from scrapers.errors import KindredError


class EventNotFound(KindredError):
    """No stored event has that id."""


@click.command("import")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@common.date_window_options
@click.pass_context
def import_command(ctx, files, date_from, date_to):
    """Import events from JSON-LD files, saved web pages or iCalendar files.

    Re-importing the same file changes nothing. --from/--to (inclusive dates) bound the expansion of
    recurring iCalendar events; single events are imported whatever their date. A file that cannot be
    read is reported and skipped; the others are still imported.

    \b
    Example:
      kindred import events.jsonld saved-page.html club.ics --from 2026-12-01 --to 2026-12-31
    """
    from recommender.ingest.files import expansion_window, read_events_file

    settings = common.settings(ctx)
    window = expansion_window(date_from, date_to, zone=settings.timezone, now=clock.now())
    store = common.store(ctx)
    failed = 0
    for path in files:
        try:
            events = read_events_file(path, default_tz=settings.timezone, window=window)
        except KindredError as exc:
            click.echo(f"kindred: error: {exc}", err=True)
            failed += 1
            continue
        summary = store.upsert(events, now=clock.now(), touch=False)
        counts = f"{summary.new} new, {summary.updated} updated, {summary.unchanged} unchanged"
        line = f"{path}: {plural(len(events), 'event')} ({counts})"
        if events.skipped:
            line += f", {len(events.skipped)} skipped"
        click.echo(line)
        for reason in events.skipped:
            click.echo(f"  skipped: {reason}", err=True)
    if failed:
        sys.exit(1)


@click.command("events")
@click.option("--source", help="Only events from this source name.")
@common.format_option()
@click.pass_context
def events_command(ctx, source, fmt):
    """List what is stored, ordered by start (cancelled events included, and marked).

    \b
    Example:
      kindred events --source toronto-open-data --format csv > events.csv
    """
    from recommender.ranking.filters import has_ended

    events = common.store(ctx).events(source=source)
    now = clock.now()
    if fmt == "json":
        click.echo(render_json([e.to_dict() | {"past": has_ended(e, now)} for e in events]))
    elif fmt == "csv":
        click.echo(render_csv([e.to_dict() for e in events], EVENT_COLUMNS), nl=False)
    else:
        print_events_table(events, now=now)


@click.command("event")
@click.argument("event_id")
@common.format_option("table", "json")
@click.pass_context
def event_command(ctx, event_id, fmt):
    """Show everything stored about one event (ids are in `kindred query` and `kindred events`).

    \b
    Example:
      kindred event ev-0ab370194cbff42c
    """
    from recommender.ranking.filters import has_ended

    event = common.store(ctx).get(event_id)
    if event is None:
        raise EventNotFound(
            f"no event {event_id!r} in the store; `kindred query` and `kindred events` show ids"
        )
    record = event.to_dict() | {"past": has_ended(event, clock.now())}
    if fmt == "json":
        click.echo(render_json([record]))
        return
    print_event_details(event, past=record["past"])
