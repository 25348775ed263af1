"""``kindred query``: events for your passions."""

from __future__ import annotations

import click

from recommender.cli import common
from recommender.cli.output import PICK_COLUMNS, pick_record, print_picks_table, render_csv, render_json
from recommender.core import clock
from recommender.ranking.query import find


@click.command("query")
@common.query_filter_options(limit=10)
@common.format_option()
@click.option("--explain", is_flag=True, help="Show the score breakdown of each pick.")
@click.option(
    "--user", metavar="EMAIL", help="Apply this subscriber's likes and dismissals (default: your own)."
)
@click.option(
    "--semantic/--no-semantic",
    default=None,
    help="Fuse in sentence embeddings (needs pip install -e '.[semantic]'). Default: $KINDRED_SEMANTIC "
    "or the config file's semantic, else off.",
)
@click.pass_context
def query_command(ctx, passions, fmt, explain, user, semantic, **filters):
    """Events matching what you love, best first, each with why it matched.

    Write passions in your own words; commas, "and" and separate arguments split them. Without
    --from/--to the window is the next 30 days.

    \b
    Examples:
      kindred query "salsa dancing"
      kindred query "board games and long hikes" --near 43.65,-79.38 --within 15 --format json
      kindred query "pottery" --explain
      kindred query "live music, but not networking mixers"
      kindred query --semantic "soldering irons and blinking lights"

    Events you dismissed (`kindred dismiss ID`) never come back; events like the ones you
    liked (`kindred like ID`) rise.
    """
    options = common.query_options(ctx, filters)
    from recommender.people.feedback import load

    store = common.store(ctx)
    semantic = common.settings(ctx).semantic if semantic is None else semantic
    feedback = load(store, user)
    result = find(store, list(passions), options, now=clock.now(), feedback=feedback, semantic=semantic)
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
