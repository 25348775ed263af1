"""Turning the messy text of web pages and feeds into clean values: plain text and aware datetimes.

Examples
--------
>>> html_to_text("<p>Bring <b>dice</b> &amp; snacks</p><p>Ages 12+</p>")
'Bring dice & snacks\\n\\nAges 12+'
>>> when, all_day = parse_datetime("2026-03-08T18:00+0200")
>>> when.isoformat(), all_day
('2026-03-08T18:00:00+02:00', False)
>>> when, all_day = parse_datetime("2026-03-08", default_tz="America/Toronto")
>>> when.isoformat(), all_day
('2026-03-08T00:00:00-05:00', True)
>>> parse_datetime("9999-12-31T23:59Z")
Traceback (most recent call last):
...
scrapers.text.DateOutOfRange: 9999-12-31 23:59:00+00:00 is outside the years 1900-2200
"""

from __future__ import annotations

import re
import warnings
from datetime import date, datetime, time, timedelta

from bs4 import BeautifulSoup, MarkupResemblesLocatorWarning
from dateutil import parser as dateparser

from .event import SANE_YEARS, in_sane_years
from .zones import get_zone

_BLOCK_TAGS = ("p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "section")
_DATE_ONLY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_MAX_OFFSET = timedelta(hours=18)  # the widest UTC offset ISO 8601 and Python allow


class DateOutOfRange(ValueError):
    """A date that reads but cannot be an event's: outside :data:`SANE_YEARS` or with an impossible offset."""


def check_when(when: datetime) -> datetime:
    """``when`` itself when it can be an event's time, else :class:`DateOutOfRange`.

    >>> from datetime import timezone
    >>> check_when(datetime(1899, 12, 31, tzinfo=timezone.utc))
    Traceback (most recent call last):
    ...
    scrapers.text.DateOutOfRange: 1899-12-31 00:00:00+00:00 is outside the years 1900-2200
    """
    try:
        offset = when.utcoffset()
    except ValueError as exc:  # a tzinfo that answers an offset of a day or more
        raise DateOutOfRange(f"{when.replace(tzinfo=None)} has an impossible UTC offset ({exc})") from exc
    if offset is not None and abs(offset) > _MAX_OFFSET:
        raise DateOutOfRange(f"{when.replace(tzinfo=None)} has an impossible UTC offset ({offset})")
    if not in_sane_years(when.year):
        raise DateOutOfRange(f"{when} is outside the years {SANE_YEARS[0]}-{SANE_YEARS[1]}")
    return when


def html_to_text(value: str | None) -> str:
    """Plain text from an HTML fragment: tags removed, entities decoded, paragraphs kept.

    Text that holds no markup is only whitespace-normalised.
    """
    if not value:
        return ""
    if "<" in value or "&" in value:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", MarkupResemblesLocatorWarning)
            soup = BeautifulSoup(value, "lxml")
        for tag in soup(["script", "style", "noscript"]):
            tag.decompose()
        for tag in soup.find_all(_BLOCK_TAGS):
            tag.insert_before("\n\n" if tag.name != "br" and tag.name != "li" else "\n")
        value = soup.get_text()
    lines = [" ".join(line.split()) for line in value.replace("\r", "\n").split("\n")]
    text = "\n".join(lines)
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def parse_datetime(value: str, default_tz: str = "UTC") -> tuple[datetime, bool]:
    """Parse an ISO 8601 (or loosely written) date-time into an aware ``datetime``.

    Accepts ``Z``, ``+02:00`` and ``+0200`` offsets, missing seconds, fractional seconds. A value
    without an offset is read in ``default_tz``. Returns ``(when, all_day)``: a date-only value is
    local midnight with ``all_day=True``.

    Raises ``ValueError`` when the text is not a date, and :class:`DateOutOfRange` (a
    ``ValueError``) when it is one no event can have (see :func:`check_when`).
    """
    text = str(value).strip()
    if not text:
        raise ValueError("empty date")
    zone = get_zone(default_tz)
    if _DATE_ONLY.match(text):
        return check_when(datetime.combine(date.fromisoformat(text), time(0), zone)), True
    try:
        parsed = dateparser.isoparse(text)
    except (ValueError, OverflowError):
        try:
            parsed = dateparser.parse(text)
        except (ValueError, OverflowError, TypeError, dateparser.ParserError) as exc:
            raise ValueError(f"not a date: {text!r}") from exc
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=zone)
    return check_when(parsed), False
