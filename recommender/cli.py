"""The ``kindred`` command line: a thin layer over the Python API.

Commands live in small modules and are imported only when run, so ``kindred --help`` and
``kindred query`` start fast. Expected errors (:class:`~scrapers.errors.KindredError`) become one
line on stderr and exit status 1, never a traceback.
"""

from __future__ import annotations

import importlib
import sys

import click

from scrapers.errors import KindredError

# command name -> "module:attribute" of a click command
COMMANDS = {
    "import": "recommender.cli_events:import_command",
    "events": "recommender.cli_events:events_command",
    "query": "recommender.cli_query:query_command",
    "like": "recommender.cli_feedback:like_command",
    "dismiss": "recommender.cli_feedback:dismiss_command",
    "eval": "recommender.cli_eval:eval_command",
    "users": "recommender.cli_users:users_command",
    "digest": "recommender.cli_digest:digest_command",
    "serve": "recommender.cli_serve:serve_command",
    "schedule": "recommender.cli_schedule:schedule_command",
    "export-ics": "recommender.cli_export:export_ics_command",
    "refresh": "recommender.cli_refresh:refresh_command",
}


class LazyGroup(click.Group):
    """A group whose subcommands are imported on first use."""

    def list_commands(self, ctx):
        return sorted(COMMANDS)

    def get_command(self, ctx, name):
        target = COMMANDS.get(name)
        if target is None:
            return None
        module, attr = target.split(":")
        return getattr(importlib.import_module(module), attr)

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except KindredError as exc:
            click.echo(f"kindred: error: {exc}", err=True)
            sys.exit(1)


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--db",
    metavar="URL",
    envvar="KINDRED_DB",
    help="Store URL (any SQLAlchemy URL, e.g. sqlite:///kindred.db). Default: $KINDRED_DB, the config "
    "file, else the embedded Toronto data in your user data folder.",
)
@click.version_option(package_name="kindred")
@click.pass_context
def cli(ctx: click.Context, db: str | None) -> None:
    """Kindred: events that match what you genuinely love.

    \b
    Example:
      kindred query "board games, trail running and live jazz"
    """
    ctx.obj = {"db": db}


def main() -> None:
    cli(prog_name="kindred")


if __name__ == "__main__":
    main()
