"""Time zones by IANA name, with an error that says what a valid name looks like.

Kept apart from :mod:`scrapers.text` so that a zone lookup does not import an HTML parser.

>>> get_zone("America/Toronto").key
'America/Toronto'
>>> get_zone("Mars/Olympus")
Traceback (most recent call last):
...
ValueError: unknown time zone 'Mars/Olympus': use an IANA name such as 'Europe/London'
"""

from __future__ import annotations

from zoneinfo import ZoneInfo, ZoneInfoNotFoundError


def get_zone(name: str) -> ZoneInfo:
    """``ZoneInfo`` for an IANA name, with an error that says what a valid name looks like."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, TypeError) as exc:
        raise ValueError(f"unknown time zone {name!r}: use an IANA name such as 'Europe/London'") from exc
