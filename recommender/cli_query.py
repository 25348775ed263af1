"""``kindred query``: events for your passions."""

from __future__ import annotations

import click

from . import cli_common as common
from .filters import MODES
from .output import PICK_COLUMNS, pick_record, print_picks_table, render_csv, render_json
from .query import QueryOptions, find


@click.command("query")
@click.argument("passions", nargs=-1, required=True)
@click.option("--near", type=common.LatLonParam(), help="Centre for --within, e.g. 43.65,-79.38.")
@click.option(
    "--within",
    "within_km",
    type=click.FloatRange(min=0, min_open=True),
    metavar="KM",
    help="Only in-person events within KM kilometres of --near (online events always pass).",
)
@common.date_window_options
@click.option("--any-date", is_flag=True, help="Ignore dates (past events included).")
@click.option("--mode", type=click.Choice(MODES), default="any", show_default=True)
@click.option("--free", "free_only", is_flag=True, help="Only events known to be free.")
@click.option("--limit", type=click.IntRange(min=1), default=10, show_default=True)
@click.option("--format", "fmt", type=common.FORMATS, default="table", show_default=True)
@click.option("--explain", is_flag=True, help="Show the score breakdown of each pick.")
@click.option(
    "--user", metavar="EMAIL", help="Apply this subscriber's likes and dismissals (default: your own)."
)
@click.pass_context
def query_command(
    ctx, passions, near, within_km, date_from, date_to, any_date, mode, free_only, limit, fmt, explain, user
):
    """Events matching what you love, best first, each with why it matched.

    Write passions in your own words; commas, "and" and separate arguments split them. Without
    --from/--to the window is the next 30 days.

    \b
    Examples:
      kindred query "salsa dancing"
      kindred query "board games and long hikes" --near 43.65,-79.38 --within 15 --format json
      kindred query "pottery" --explain
      kindred query "live music, but not networking mixers"

    Events you dismissed (`kindred dismiss ID`) never come back; events like the ones you
    liked (`kindred like ID`) rise.
    """
    settings = common.settings(ctx)
    options = QueryOptions(
        date_from=date_from,
        date_to=date_to,
        any_date=any_date,
        near=near,
        within_km=within_km,
        mode=mode,
        free_only=free_only,
        limit=limit,
        timezone=settings.timezone,
    )
    from .feedback import load

    store = common.store(ctx)
    result = find(store, list(passions), options, now=common.now(), feedback=load(store, user))
    for note in result.notes:
        click.echo(f"Note: {note}", err=True)
    records = [pick_record(p, explain=explain) for p in result.picks]
    if fmt == "json":
        click.echo(render_json(records))
    elif fmt == "csv":
        click.echo(render_csv(records, PICK_COLUMNS + (["breakdown"] if explain else [])), nl=False)
    else:
        avoiding = f" · avoiding: {', '.join(result.avoid)}" if result.avoid else ""
        click.echo(f"Passions: {', '.join(result.passions)}{avoiding} · window: {result.window}")
        if result.picks:
            print_picks_table(result.picks, explain=explain)
