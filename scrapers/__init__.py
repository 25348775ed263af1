"""Scrapers: turn public event listings (iCal feeds, schema.org pages) into :class:`Event` records.

``parse(content, url)`` picks the parser from the content itself; it never touches the network.

>>> events = parse('{"@type": "Event", "name": "Choir", "startDate": "2026-05-01T19:00Z"}', "file.json")
>>> [(e.title, e.start.isoformat()) for e in events]
[('Choir', '2026-05-01T19:00:00+00:00')]
"""

from __future__ import annotations

from .errors import FetchError, KindredError, ParseError, RecordError
from .event import Event
from .result import ParseResult

__all__ = [
    "Event",
    "FetchError",
    "KindredError",
    "ParseError",
    "ParseResult",
    "RecordError",
    "parse",
    "parse_page",
]


def looks_like_ics(content: str | bytes) -> bool:
    head = content[:2048].lstrip(b"\xef\xbb\xbf \r\n\t" if isinstance(content, bytes) else "\ufeff \r\n\t")
    marker = b"BEGIN:VCALENDAR" if isinstance(content, bytes) else "BEGIN:VCALENDAR"
    return head[: len(marker)].upper() == marker


def parse(
    content: str | bytes, url: str = "", *, source: str = "", default_tz: str = "UTC", **options
) -> ParseResult:
    """Events in ``content`` (iCalendar, JSON-LD or an HTML page) fetched from ``url``.

    Pages from hosts with a site adapter (:mod:`scrapers.sites`: Meetup, Eventbrite) go to it;
    other pages to the generic schema.org parser. Extra keyword ``options`` go to the iCalendar
    parser (``window_start``, ``window_end``).
    Raises :class:`ParseError` when nothing can be read.
    """
    if looks_like_ics(content):
        from .ical import parse_ics

        return parse_ics(content, url, source=source, default_tz=default_tz, **options)
    return parse_page(content, url, source=source, default_tz=default_tz)


def parse_page(
    content: str | bytes, url: str = "", *, source: str = "", default_tz: str = "UTC"
) -> ParseResult:
    """Events in a web page or JSON-LD document: the site adapter for ``url``'s host, else schema.org."""
    from .sites import adapter_for

    adapter = adapter_for(url)
    if adapter is None:
        from .schemaorg import parse_schemaorg

        adapter = parse_schemaorg
    return adapter(content, url, source=source, default_tz=default_tz)
