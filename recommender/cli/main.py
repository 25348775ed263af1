"""The ``kindred`` command line: a thin layer over the Python API.

Commands live in small modules and are imported only when run, so ``kindred --help`` and
``kindred query`` start fast. Expected errors (:class:`~scrapers.errors.KindredError`) become one
line on stderr and exit status 1, never a traceback.
"""

from __future__ import annotations

import importlib
import os
import sys
from typing import NoReturn

import click

from recommender.core import logs
from recommender.core.config import read_secret_files
from scrapers.errors import KindredError
from scrapers.version import VERSION

# command name -> "module:attribute" of a click command
COMMANDS = {
    "import": "recommender.cli.events:import_command",
    "events": "recommender.cli.events:events_command",
    "event": "recommender.cli.events:event_command",
    "dismissed": "recommender.cli.feedback:dismissed_command",
    "undismiss": "recommender.cli.feedback:undismiss_command",
    "query": "recommender.cli.query:query_command",
    "like": "recommender.cli.feedback:like_command",
    "dismiss": "recommender.cli.feedback:dismiss_command",
    "eval": "recommender.cli.eval:eval_command",
    "users": "recommender.cli.users:users_command",
    "digest": "recommender.cli.digest:digest_command",
    "serve": "recommender.cli.serve:serve_command",
    "schedule": "recommender.cli.schedule:schedule_command",
    "export-ics": "recommender.cli.export:export_ics_command",
    "refresh": "recommender.cli.refresh:refresh_command",
    "sources": "recommender.cli.sources:sources_command",
    "db": "recommender.cli.db:db_command",
}

# what `kindred --help` lists, so listing imports no command (tests check these match the commands)
SUMMARIES = {
    "digest": "Send this week's digest to every subscriber, exactly once per week.",
    "eval": "Score Kindred, plain TF-IDF and BM25 side by side: nDCG@10, P@5, R@50, leak@10.",
    "dismiss": "Not interested: EVENT_ID is never suggested again, and events like it sink.",
    "events": "List what is stored, ordered by start (cancelled events included, and marked).",
    "event": "Show everything stored about one event (ids are in `kindred query` and `kindred events`).",
    "dismissed": "List the events you dismissed, newest first (undo one with `kindred undismiss ID`).",
    "undismiss": "Take back a dismissal: EVENT_ID may be suggested again.",
    "export-ics": "Write the events matching what you love as an iCalendar (.ics) file.",
    "import": "Import events from JSON-LD files, saved web pages or iCalendar files.",
    "like": "More like this: later queries and digests lean toward events like EVENT_ID.",
    "query": "Events matching what you love, best first, each with why it matched.",
    "refresh": "Fetch every source listed in the sources file and store its events.",
    "schedule": (
        "Run refresh (every refresh_hours, default 6) and each subscriber's weekly digest until stopped."
    ),
    "serve": (
        'Serve unsubscribe, "not interested", "more like this" and preferences links, each '
        "subscriber's calendar feed (/calendar/<token>.ics) and one-event .ics files (/event/<id>.ics)."
    ),
    "users": "Subscribers of the weekly digest.",
    "sources": "The sources file: list it, or add a source after one look at it.",
    "db": "The database itself: its schema version, and upgrading it.",
}


class LazyGroup(click.Group):
    """A group whose subcommands are imported on first use (``--help`` lists them from SUMMARIES)."""

    def list_commands(self, ctx):
        return sorted(COMMANDS)

    def format_commands(self, ctx, formatter):
        rows = [(name, SUMMARIES.get(name, "")) for name in self.list_commands(ctx)]
        limit = formatter.width - 6 - max(len(name) for name, _ in rows)
        with formatter.section("Commands"):
            formatter.write_dl(
                [(name, click.Command(name, help=text).get_short_help_str(limit)) for name, text in rows]
            )

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
            fail(str(exc))


def fail(message: str, *, status: int = 1, hint: str = "") -> NoReturn:
    """The one way a command reports an expected error: ``kindred: error: …`` on stderr (and a hint
    line, for bad options), then exit ``status`` (1, or 2 for bad options)."""
    click.echo(f"kindred: error: {' '.join(message.split())}", err=True)
    if hint:
        click.echo(hint, err=True)
    sys.exit(status)


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--db",
    metavar="URL",
    envvar="KINDRED_DB",
    help="Store URL (any SQLAlchemy URL, e.g. sqlite:///kindred.db). Default: $KINDRED_DB, the config "
    "file, else the embedded Toronto data in your user data folder.",
)
@click.option("-v", "--verbose", count=True, help="Log more to stderr (-v: info, -vv: debug).")
@click.option("-q", "--quiet", count=True, help="Log less (-q: errors only, -qq: nothing but critical).")
@click.version_option(VERSION, prog_name="kindred")
@click.pass_context
def cli(ctx: click.Context, db: str | None, verbose: int, quiet: int) -> None:
    """Kindred: events that match what you genuinely love.

    Settings come from KINDRED_* variables (each secret one also as KINDRED_*_FILE, a file holding
    it: systemd credentials, Docker secrets) and the config file.

    \b
    Example:
      kindred query "board games, trail running and live jazz"
      kindred -v refresh
    """
    ctx.obj = {"db": db, "verbosity": verbose - quiet}
    logs.configure(logs.level_for(verbose - quiet))
    ctx.call_on_close(logs.reset)


def main() -> None:
    """The console script: click's own error output goes through :func:`fail` too."""
    try:
        read_secret_files(os.environ)  # before click reads --db's KINDRED_DB
    except KindredError as exc:
        fail(str(exc))
    try:
        status = cli.main(prog_name="kindred", standalone_mode=False)
    except click.exceptions.NoArgsIsHelpError as exc:  # `kindred` or `kindred users` alone: the help
        exc.show()
        sys.exit(exc.exit_code)
    except click.UsageError as exc:  # bad options or arguments
        command = exc.ctx.command_path if exc.ctx else "kindred"
        fail(exc.format_message(), status=exc.exit_code, hint=f"Try '{command} --help' for help.")
    except click.ClickException as exc:
        fail(exc.format_message(), status=exc.exit_code)
    except click.Abort:
        fail("aborted", status=1)
    sys.exit(status if isinstance(status, int) else 0)


if __name__ == "__main__":
    main()
