"""``kindred serve``: the web app for the links in the digest."""

from __future__ import annotations

import click

from recommender.cli import common
from recommender.core import clock


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", type=click.IntRange(1, 65535), default=8080, show_default=True)
@click.pass_context
def serve_command(ctx, host, port):
    """Serve unsubscribe, "not interested", "more like this" and preferences links, each
    subscriber's calendar feed (/calendar/<token>.ics) and one-event .ics files (/event/<id>.ics).

    Put it behind your HTTPS front end and set KINDRED_BASE_URL to its public address; the links
    are checked with KINDRED_SECRET.

    \b
    Example:
      KINDRED_SECRET=... kindred serve --port 8080
    """
    from recommender.web.app import create_app
    from recommender.web.server import serve

    app = create_app(common.store(ctx), common.settings(ctx), clock=clock.now)
    click.echo(f"Serving Kindred links on http://{host}:{port}/ (Ctrl-C to stop)", err=True)
    serve(app, host, port)
