"""``kindred export-ics``: the events for your passions as an iCalendar file."""

from __future__ import annotations

from pathlib import Path

import click

from recommender.cli import common
from recommender.core import clock
from recommender.core.wording import plural
from scrapers.errors import KindredError


class ExportError(KindredError):
    """The calendar file cannot be written."""


@click.command("export-ics")
@common.query_filter_options(limit=25)
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="File (default: stdout)."
)
@click.pass_context
def export_ics_command(ctx, passions, output, **filters):
    """Write the events matching what you love as an iCalendar (.ics) file.

    Takes the same passions and options as `kindred query`. Import the file into any calendar app;
    importing a later export updates the same entries instead of duplicating them (each event keeps
    its UID). Matching events that were cancelled are included, marked cancelled, so a calendar that
    imported them earlier shows the cancellation. Events without an end time last 2 hours. When no
    event matches, nothing is written (an existing file is left as it was) and the exit status is 1.

    \b
    Examples:
      kindred export-ics "board games" -o board-games.ics
      kindred export-ics "trail running" --from 2026-12-01 --to 2026-12-31 > december.ics
    """
    from recommender.calendars.feed import revisions_for
    from recommender.calendars.ics import build_calendar, in_calendar_range
    from recommender.ranking.picks import why_line
    from recommender.ranking.query import find

    options = common.query_options(ctx, filters, include_cancelled=True)
    store = common.store(ctx)
    result = find(store, list(passions), options, now=clock.now())
    for note in result.notes:
        click.echo(f"Note: {note}", err=True)
    entries = [(p.event, why_line(p.passion, p.why)) for p in result.picks if in_calendar_range(p.event)]
    if not entries:
        raise ExportError(f"no events to export for {', '.join(result.passions)}, so nothing was written")
    names = ", ".join(result.passions)
    calendar = build_calendar(
        entries,
        stamp=clock.now(),
        revisions=revisions_for(store, [e for e, _ in entries]),
        name=f"Kindred: {names}",
        about=f"Events matching {names} ({result.window}), exported by Kindred.",
    )
    body = calendar.to_ical()
    cancelled = sum(e.cancelled for e, _ in entries)
    if output is None:
        click.echo(body, nl=False)  # bytes go to the binary stdout as they are
        where = "stdout"
    else:
        try:
            output.write_bytes(body)
        except OSError as exc:
            raise ExportError(f"cannot write {output}: {exc.strerror}; choose another file with -o") from exc
        where = str(output)
    extra = f", {cancelled} of them cancelled" if cancelled else ""
    click.echo(f"Wrote {plural(len(entries), 'event')}{extra} to {where} ({result.window}).", err=True)
