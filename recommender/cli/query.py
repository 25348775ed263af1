"""``kindred query``: events for your passions."""

from __future__ import annotations

import click

from recommender.cli import common
from recommender.cli.output import PICK_COLUMNS, pick_record, print_picks_table, render_csv, render_json
from recommender.core import clock
from recommender.ranking.query import find
from recommender.ranking.ranker import COVER


@click.command("query")
@common.query_filter_options(limit=10, required=False)
@common.format_option()
@click.option("--explain", is_flag=True, help="Show the score breakdown of each pick.")
@click.option(
    "--user",
    metavar="EMAIL",
    help="As this subscriber: their likes and dismissals, their place, distance and mode (unless "
    "given here), and their passions when you name none.",
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
    --from/--to the window is the next 30 days; when nothing there matches, later events are
    shown, else past ones (marked past), and a note says so.

    \b
    Examples:
      kindred query "salsa dancing"
      kindred query "board games and long hikes" --near Toronto --within 15 --format json
      kindred query "pottery" --explain
      kindred query "live music, but not networking mixers"
      kindred query --user sam@example.org
      kindred query --semantic "soldering irons and blinking lights"

    Events you dismissed (`kindred dismiss ID`) never come back; events like the ones you
    liked (`kindred like ID`) rise.
    """
    if user:
        from recommender.people.feedback import load
        from recommender.people.subscribers import get_subscriber

        store = common.store(ctx)
        subscriber, feedback = get_subscriber(store, user), load(store, user)
    else:
        from recommender.people.profile_feedback import read_default
        from recommender.store.sqlite_reader import SqliteReader

        store = common.reading_store(ctx)
        subscriber = None
        if isinstance(store, SqliteReader):
            feedback = read_default(store)
        else:
            from recommender.people.feedback import load

            feedback = load(store)
    if not passions and subscriber is None:
        raise click.UsageError('say what you love, e.g. kindred query "board games" (or pass --user EMAIL)')
    passions = list(passions) or [subscriber.passions]
    options = common.query_options(ctx, filters, subscriber=subscriber)
    semantic = common.settings(ctx).semantic if semantic is None else semantic
    result = find(store, passions, options, now=clock.now(), feedback=feedback, semantic=semantic)
    for note in result.notes:
        click.echo(f"Note: {note}", err=True)
    records = [pick_record(p, explain=explain, past=result.is_past(p)) for p in result.picks]
    if fmt == "json":
        click.echo(render_json(records))
    elif fmt == "csv":
        click.echo(render_csv(records, PICK_COLUMNS + (["breakdown"] if explain else [])), nl=False)
    else:
        avoiding = f" · avoiding: {', '.join(result.avoid)}" if result.avoid else ""
        where = f" · {options.where}" if options.where else ""
        click.echo(f"Passions: {', '.join(result.passions)}{avoiding} · window: {result.window}{where}")
        if result.picks:
            print_picks_table(result.picks, explain=explain, past=result.is_past)
            if len(result.passions) > 1:
                click.echo(
                    "Ordered by score summed over your passions, each passion given a place in the first "
                    f"{COVER}; Score is the pick's score for the passion it is listed under."
                )
        else:
            click.echo("No events to show (the note says why).")
