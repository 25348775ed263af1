"""``kindred sources``: see the sources file, and add a source to it after one look."""

from __future__ import annotations

from pathlib import Path

import click

from recommender.cli import common
from recommender.core import clock
from recommender.core.wording import plural

_FILE_HELP = "Sources file (default: $KINDRED_SOURCES, `sources` in the config file, else the default one)."


def _path(ctx, sources_file: Path | None) -> Path:
    from recommender.ingest.sources import default_sources_path

    return Path(sources_file or common.settings(ctx).sources or default_sources_path()).expanduser()


@click.group("sources")
def sources_command():
    """The sources file: list it, or add a source after one look at it.

    \b
    Example:
      kindred sources add https://www.meetup.com/toronto-board-games/events/ical/
    """


@sources_command.command("add")
@click.argument("url")
@click.option("--name", help="Its name in the sources file (default: from the URL).")
@click.option("--kind", type=click.Choice(["auto", "ics", "page"]), default="auto", show_default=True)
@click.option("--city", help="For its events that name no city, e.g. Toronto.")
@click.option("--timezone", metavar="TZ", help="For times written without a zone, e.g. America/Toronto.")
@click.option("--tag", "tags", multiple=True, help="Added to every event's tags (repeatable).")
@click.option("--sources", "sources_file", type=click.Path(path_type=Path), help=_FILE_HELP)
@click.pass_context
def add(ctx, url, name, kind, city, timezone, tags, sources_file):
    """Fetch URL once, say what kind of source it is and how many events it holds, and append it
    to the sources file (created when missing). Nothing is stored until `kindred refresh`.

    \b
    Examples:
      kindred sources add https://www.meetup.com/toronto-board-games/events/ical/ --city Toronto
      kindred sources add https://example.org/whats-on --name my-club --tag "board games"
    """
    from recommender.ingest.new_source import (
        append_source,
        inspect_source,
        listed_sources,
        source_toml,
        suggest_name,
    )
    from recommender.ingest.sources import Source, SourcesError, parse_sources

    path = _path(ctx, sources_file)
    taken = {s.name for s in listed_sources(path)}
    name = name or suggest_name(url, taken)
    options = {"kind": kind, "tags": tuple(tags), "city": city, "timezone": timezone}
    parse_sources(source_toml(Source(name, url, **options)), where="the new source")  # before fetching
    found = inspect_source(url, name=name, settings=common.settings(ctx), now=clock.now(), **options)
    summary = f"{url}: {found.what} with {plural(found.events, 'event')} ({found.upcoming} upcoming)"
    if not found.events:
        raise SourcesError(f"{summary}; not added (a source with no events is most likely the wrong address)")
    append_source(path, found.source)
    click.echo(f"{summary}.")
    click.echo(f"Added {found.source.name!r} to {path}; `kindred refresh` stores its events.")


@sources_command.command("list")
@click.option("--sources", "sources_file", type=click.Path(path_type=Path), help=_FILE_HELP)
@click.pass_context
def list_(ctx, sources_file):
    """Show the sources `kindred refresh` reads.

    \b
    Example:
      kindred sources list
    """
    from recommender.ingest.builtin import sources_to_refresh

    sources, path = sources_to_refresh(sources_file, common.settings(ctx))
    click.echo(
        f"{plural(len(sources), 'source')} in {path}:" if path else "No sources file; the built-in source:"
    )
    for s in sources:
        extra = " · ".join(x for x in (s.kind, s.city or "", ", ".join(s.tags)) if x)
        click.echo(f"{s.name}  {s.url}  ({extra})")
