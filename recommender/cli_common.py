"""What every command needs: settings, the store, "now", and the shared date/format options."""

from __future__ import annotations

import os
from datetime import date, datetime, timezone

import click

from .config import Settings

FORMATS = click.Choice(["table", "json", "csv"])


def settings(ctx: click.Context) -> Settings:
    root = ctx.find_root()
    if "settings" not in root.obj:
        root.obj["settings"] = Settings.load()
    return root.obj["settings"]


def store(ctx: click.Context):
    """The store named by --db / KINDRED_DB / the config file, else the embedded default."""
    from .embedded import open_store

    root = ctx.find_root()
    if "store" not in root.obj:
        root.obj["store"] = open_store(root.obj.get("db") or settings(ctx).db)
    return root.obj["store"]


def now() -> datetime:
    """The current time; ``KINDRED_NOW`` (ISO 8601) fixes it, for tests and reproducible runs."""
    fixed = os.environ.get("KINDRED_NOW")
    if fixed:
        value = datetime.fromisoformat(fixed)
        return value if value.tzinfo else value.replace(tzinfo=timezone.utc)
    return datetime.now(timezone.utc)


class DateParam(click.ParamType):
    name = "DATE"

    def convert(self, value, param, ctx):
        if isinstance(value, date):
            return value
        try:
            return date.fromisoformat(value)
        except ValueError:
            self.fail(f"{value!r} is not a date; write it as YYYY-MM-DD, e.g. 2026-12-01", param, ctx)


class LatLonParam(click.ParamType):
    name = "LAT,LON"

    def convert(self, value, param, ctx):
        if isinstance(value, tuple):
            return value
        try:
            lat, lon = (float(x) for x in value.split(","))
        except ValueError:
            self.fail(f"{value!r} is not LAT,LON; write e.g. 43.65,-79.38", param, ctx)
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            self.fail(f"{value!r} is out of range (latitude -90..90, longitude -180..180)", param, ctx)
        return lat, lon


def date_window_options(func):
    """--from/--to, shared by commands that read a date window."""
    func = click.option("--to", "date_to", type=DateParam(), help="Last day (YYYY-MM-DD), inclusive.")(func)
    return click.option("--from", "date_from", type=DateParam(), help="First day (YYYY-MM-DD), inclusive.")(
        func
    )
