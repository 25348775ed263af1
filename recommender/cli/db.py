"""``kindred db``: the database itself (its schema version, and upgrading it)."""

from __future__ import annotations

import click

from recommender.cli import common


@click.group("db")
def db_command():
    """The database itself: its schema version, and upgrading it.

    \b
    Example:
      kindred --db postgresql+psycopg://kindred@db.example/kindred db upgrade
    """


@db_command.command("upgrade")
@click.pass_context
def upgrade(ctx):
    """Bring the database's schema up to this Kindred's (SQLite files are upgraded when opened).

    Stop the other Kindred processes that use the database first.

    \b
    Example:
      kindred --db postgresql+psycopg://kindred@db.example/kindred db upgrade
    """
    from recommender.store.event_store import SCHEMA_VERSION, Store

    url = ctx.find_root().obj.get("db") or common.settings(ctx).db
    if url is None:
        from recommender.store.snapshot import default_store_url

        url = default_store_url()
    before = Store.version_of(url)
    store = Store(url, upgrade=True)
    if before == SCHEMA_VERSION:
        click.echo(f"The database is at schema version {SCHEMA_VERSION}; nothing to do.")
    else:
        click.echo(f"Upgraded the database from schema version {before} to {store.schema_version}.")
