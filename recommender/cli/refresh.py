"""``kindred refresh``: fetch every source in the sources file into the store, politely."""

from __future__ import annotations

import logging
import sys
from pathlib import Path

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn
from rich.table import Table

from recommender.cli import common
from recommender.core import clock
from recommender.ingest.report import RefreshSummary

COLUMNS = ("fetched", "new", "updated", "cancelled", "skipped", "errors")


@click.command("refresh")
@click.option(
    "--sources",
    "sources_file",
    type=click.Path(path_type=Path),
    help="Sources file (TOML). Default: $KINDRED_SOURCES, `sources` in the config file, "
    "else sources.toml in your user config folder; with none of them, the built-in Toronto source.",
)
@click.option("-v", "--verbose", is_flag=True, help="Log every request (robots.txt, retries, cache hits).")
@click.pass_context
def refresh_command(ctx, sources_file, verbose):
    """Fetch every source listed in the sources file and store its events.

    Obeys robots.txt, waits between requests to a host, and caches what it fetched. A source that
    fails is reported with the reason and the others still refresh; the exit status is non-zero
    only when every source failed. Running it again adds no duplicates. With no sources file at
    all, it refreshes the built-in source: the City of Toronto's festivals and events, republished
    daily by Civic Tech Toronto (the URL is the toronto_feed setting, KINDRED_TORONTO_FEED).

    \b
    Examples:
      kindred refresh
      kindred refresh --sources data/sources.toronto.toml
    """
    from recommender.ingest.builtin import sources_to_refresh
    from recommender.ingest.refresh import refresh_all

    settings = common.settings(ctx)
    sources, path = sources_to_refresh(sources_file, settings)
    if path is None:
        click.echo(
            f"No sources file, so refreshing the built-in Toronto source from {sources[0].url} "
            "(add your own with `kindred sources add URL`).",
            err=True,
        )
    store = common.store(ctx)
    err = Console(stderr=True)
    # Failures are in the summary; the log repeats them only with --verbose (or kindred -v).
    common.log_level(ctx, default=logging.ERROR, more=int(verbose))
    logging.getLogger("extruct").setLevel(logging.CRITICAL)  # it logs broken markup with a traceback
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        console=err,
        disable=not err.is_terminal,
        transient=True,
    ) as bar:
        task = bar.add_task("refreshing", total=len(sources))

        def progress(index, source, report):
            if report is None:
                bar.update(task, description=f"refreshing {source.name}")
            else:
                bar.advance(task)

        summary = refresh_all(store, sources, now=clock.now(), settings=settings, progress=progress)
    out = Console(soft_wrap=True)
    if not out.is_terminal:
        out = Console(soft_wrap=True, width=160)  # piped: wide enough for long source names
    print_summary(summary, out)
    if summary.all_failed:
        sys.exit(1)


def print_summary(summary: RefreshSummary, console: Console) -> None:
    """The per-source table, then each failed source's reason and the skip reasons."""
    table = Table(title="kindred refresh", title_justify="left")
    table.add_column("source")
    for name in COLUMNS:
        table.add_column(name, justify="right")
    for r in summary.reports:
        counts = (r.fetched, r.new, r.updated, r.cancelled, len(r.skipped), r.error_count)
        table.add_row(r.name, *(str(n) for n in counts), style="red" if r.failed else None)
    console.print(table)
    for r in summary.reports:
        if r.error:
            console.print(f"{r.name}: FAILED: {r.error}", markup=False, highlight=False)
        for message in r.errors:
            console.print(f"{r.name}: error: {message}", markup=False, highlight=False)
        for reason in r.skip_reasons():
            console.print(f"{r.name}: skipped {reason}", markup=False, highlight=False)
    console.print(str(summary), markup=False, highlight=False)
    if summary.offline:
        console.print("no source could be reached: are you offline?", markup=False, highlight=False)
