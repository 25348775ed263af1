"""Instants as the store keeps them: naive UTC in the database, aware UTC everywhere else.

>>> from datetime import datetime, timedelta, timezone
>>> utc_naive(datetime(2026, 11, 23, 9, tzinfo=timezone(timedelta(hours=-5))))
datetime.datetime(2026, 11, 23, 14, 0)
>>> aware(datetime(2026, 11, 23, 14, 0)).isoformat()
'2026-11-23T14:00:00+00:00'
"""

from __future__ import annotations

from datetime import datetime, timezone


def utc_naive(moment: datetime) -> datetime:
    """``moment`` in UTC without its zone (how every database column stores an instant)."""
    return moment.astimezone(timezone.utc).replace(tzinfo=None)


def aware(value: datetime | None) -> datetime | None:
    """A stored naive-UTC value as an aware UTC ``datetime`` (``None`` stays ``None``)."""
    return None if value is None else value.replace(tzinfo=timezone.utc)
