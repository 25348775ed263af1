"""What every command needs: settings, the store, "now", and the shared date/format options."""

from __future__ import annotations

from datetime import date

import click

from recommender.core.config import Settings
from recommender.core.places import Place, PlaceError, resolve_place
from scrapers.event import SANE_YEARS, in_sane_years

OUTPUT_FORMATS = ("table", "json", "csv")  # the one --format vocabulary; a command offers those it can


def format_option(*formats: str):
    """``--format`` with ``formats`` (default: all of :data:`OUTPUT_FORMATS`), ``table`` first."""
    formats = formats or OUTPUT_FORMATS
    assert set(formats) <= set(OUTPUT_FORMATS) and formats[0] == "table", formats
    return click.option(
        "--format", "fmt", type=click.Choice(list(formats)), default="table", show_default=True,
        help="table for people; json and csv for other programs.",
    )  # fmt: skip


def settings(ctx: click.Context) -> Settings:
    root = ctx.find_root()
    if "settings" not in root.obj:
        root.obj["settings"] = Settings.load()
    return root.obj["settings"]


def log_level(ctx: click.Context, default: int, more: int = 0) -> None:
    """This command's log level: ``default`` unless ``kindred -v``/``-q`` (plus ``more``) say otherwise."""
    from recommender.core import logs

    logs.configure(logs.level_for(ctx.find_root().obj.get("verbosity", 0) + more, default=default))


def store(ctx: click.Context):
    """The store named by --db / KINDRED_DB / the config file, else the embedded default."""
    from recommender.store.snapshot import open_store

    root = ctx.find_root()
    if "store" not in root.obj:
        root.obj["store"] = open_store(root.obj.get("db") or settings(ctx).db)
    return root.obj["store"]


def reading_store(ctx: click.Context):
    """For a command that only reads events (``kindred query``): a plain SQLite reader of the store
    when it can answer (see :mod:`recommender.store.sqlite_reader`), else :func:`store`."""
    from recommender.store.snapshot import SNAPSHOT_FILE, default_store_url
    from recommender.store.sqlite_reader import open_reader

    root = ctx.find_root()
    if "store" not in root.obj:
        url = root.obj.get("db") or settings(ctx).db
        reader = open_reader(url or default_store_url())
        if reader is not None and (url or reader.meta("embedded_snapshot") == SNAPSHOT_FILE):
            ctx.call_on_close(reader.close)
            return reader
        if reader is not None:
            reader.close()  # the default store still has to import the embedded snapshot
    return store(ctx)


class DateParam(click.ParamType):
    name = "DATE"

    def convert(self, value, param, ctx):
        if isinstance(value, date):
            return value
        try:
            day = date.fromisoformat(value)
        except ValueError:
            self.fail(f"{value!r} is not a date; write it as YYYY-MM-DD, e.g. 2026-12-01", param, ctx)
        if not in_sane_years(day.year):
            low, high = SANE_YEARS
            self.fail(f"{value} is outside the years {low}-{high} that events are kept for", param, ctx)
        return day


class PlaceParam(click.ParamType):
    """A town ("Toronto", "Brighton, UK") or LAT,LON, read by :func:`resolve_place` into a ``Place``."""

    name = "PLACE"

    def convert(self, value, param, ctx):
        if isinstance(value, Place):
            return value
        try:
            return resolve_place(value)
        except PlaceError as exc:
            self.fail(str(exc), param, ctx)


def date_window_options(func):
    """--from/--to, shared by commands that read a date window."""
    func = click.option("--to", "date_to", type=DateParam(), help="Last day (YYYY-MM-DD), inclusive.")(func)
    return click.option("--from", "date_from", type=DateParam(), help="First day (YYYY-MM-DD), inclusive.")(
        func
    )


def query_filter_options(*, limit: int, required: bool = True):
    """PASSIONS (``required`` unless the command can take them from elsewhere) plus the filters
    shared by ``query`` and ``export-ics`` (read back with :func:`query_options`)."""
    from recommender.ranking.filters import MODES

    decorators = [
        click.argument("passions", nargs=-1, required=required),
        click.option(
            "--near",
            type=PlaceParam(),
            help='Only in-person events near this town or point: "Toronto", "Brighton, UK" or LAT,LON. '
            "Default: `place` in the config file (KINDRED_PLACE), else anywhere.",
        ),
        click.option(
            "--within",
            "within_km",
            type=click.FloatRange(min=0, min_open=True),
            metavar="KM",
            help="How far from --near, in km (online events always pass). Default: `within_km` in the "
            "config file, else 25.",
        ),
        click.option("--anywhere", is_flag=True, help="Ignore the configured place: any distance."),
        date_window_options,
        click.option("--any-date", is_flag=True, help="Ignore dates (past events included)."),
        click.option("--mode", type=click.Choice(MODES), default="any", show_default=True),
        click.option("--free", "free_only", is_flag=True, help="Only events known to be free."),
        click.option("--limit", type=click.IntRange(min=1), default=limit, show_default=True),
    ]

    def decorate(func):
        for decorator in reversed(decorators):
            func = decorator(func)
        return func

    return decorate


FILTER_PARAMS = ("date_from", "date_to", "any_date", "within_km", "mode", "free_only", "limit")


def query_options(ctx: click.Context, filters: dict, *, subscriber=None, **extra):
    """The ``QueryOptions`` for the filters a command received (see :func:`query_filter_options`).

    Where to look: ``--near`` (``--within``, else the configured ``within_km``), else
    ``subscriber``'s place and distance, else the configured ``place``; ``--anywhere`` drops the
    last two. ``subscriber``'s mode applies unless ``--mode`` was given.
    """
    from recommender.core.places import place_label
    from recommender.ranking.query import QueryError, QueryOptions

    values = {name: filters[name] for name in FILTER_PARAMS}
    config = settings(ctx)
    place: Place | None = filters["near"]
    if place is None and not filters["anywhere"]:
        if subscriber is not None and subscriber.near:
            place = Place(*subscriber.near, place_label(*subscriber.near))
            values["within_km"] = values["within_km"] or subscriber.within_km
        else:
            place = config.home()
    if place is None and values["within_km"] is not None:
        raise QueryError('--within needs a place: add --near, e.g. --near "Toronto" --within 10')
    if place is not None and values["within_km"] is None:
        values["within_km"] = config.within_km
    if subscriber is not None and _default(ctx, "mode"):
        values["mode"] = subscriber.mode or "any"
    near = place.point if place else None
    return QueryOptions(**values, near=near, place=place, timezone=config.timezone, **extra)


def _default(ctx: click.Context, name: str) -> bool:
    """Whether option ``name`` was left at its default (not given on the command line)."""
    return ctx.get_parameter_source(name) in (click.core.ParameterSource.DEFAULT, None)
