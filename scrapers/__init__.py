"""Scrapers: turn public event listings (iCal feeds, schema.org pages) into :class:`Event` records.

``parse(content, url)`` picks the parser from the content itself; it never touches the network.

>>> events = parse('{"@type": "Event", "name": "Choir", "startDate": "2026-05-01T19:00Z"}', "file.json")
>>> [(e.title, e.start.isoformat()) for e in events]
[('Choir', '2026-05-01T19:00:00+00:00')]
"""

from __future__ import annotations

from .charset import decode_document
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
    """Whether ``content`` starts like an iCalendar feed (after a BOM, in any Unicode encoding).

    >>> looks_like_ics("BEGIN:VCALENDAR".encode("utf-16")), looks_like_ics(b"<html>")
    (True, False)
    """
    head = decode_document(content[:2048]) if isinstance(content, bytes) else content[:2048]
    return head.lstrip("\ufeff \r\n\t")[:15].upper() == "BEGIN:VCALENDAR"


def parse(
    content: str | bytes,
    url: str = "",
    *,
    source: str = "",
    default_tz: str = "UTC",
    encoding: str | None = None,
    **options,
) -> ParseResult:
    """Events in ``content`` (iCalendar, JSON-LD or an HTML page) fetched from ``url``.

    Pages from hosts with a site adapter (:mod:`scrapers.sites`: Meetup, Eventbrite) go to it;
    other pages to the generic schema.org parser. Bytes are decoded as a browser would
    (:mod:`scrapers.charset`); ``encoding`` is the HTTP header's charset, if any. Extra keyword
    ``options`` go to the iCalendar parser (``window_start``, ``window_end``, ``budget``).
    Raises :class:`ParseError` when nothing can be read; unusable records are listed in the
    result's ``skipped``.
    """
    if looks_like_ics(content):
        from .ical import parse_ics

        return parse_ics(content, url, source=source, default_tz=default_tz, encoding=encoding, **options)
    return parse_page(content, url, source=source, default_tz=default_tz, encoding=encoding)


def parse_page(
    content: str | bytes,
    url: str = "",
    *,
    source: str = "",
    default_tz: str = "UTC",
    encoding: str | None = None,
) -> ParseResult:
    """Events in a web page or JSON-LD document: the site adapter for ``url``'s host, else schema.org.

    Bytes are decoded here, once (``encoding`` is the HTTP header's charset, if any).
    """
    from .sites import adapter_for

    text = decode_document(content, encoding)
    adapter = adapter_for(url)
    if adapter is None:
        from .schemaorg import parse_schemaorg

        adapter = parse_schemaorg
    return adapter(text, url, source=source, default_tz=default_tz)
