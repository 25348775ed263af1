""" "Add to calendar" links for one event: Kindred's own ``.ics`` URL and a Google Calendar template link.

Google's template link takes UTC times (``YYYYMMDDTHHMMSSZ/YYYYMMDDTHHMMSSZ``), or for an all-day event
plain dates with the end exclusive (``YYYYMMDD/YYYYMMDD``); the times are the same as in the ``.ics``
file (:func:`recommender.calendars.ics.event_span`, so an event without an end lasts 2 hours there too).

Examples
--------
>>> from datetime import datetime
>>> from zoneinfo import ZoneInfo
>>> from scrapers.event import Event
>>> ev = Event(title="Jazz jam", start=datetime(2026, 11, 27, 20, tzinfo=ZoneInfo("America/Toronto")),
...            venue="The Rex", id="ev-1")
>>> google_calendar_url(ev, details="You love jazz.")  # doctest: +NORMALIZE_WHITESPACE
'https://calendar.google.com/calendar/render?action=TEMPLATE&text=Jazz%20jam&dates=20261128T010000Z%2F20261128T030000Z&details=You%20love%20jazz.&location=The%20Rex'
>>> event_ics_url("https://kindred.example/", ev)
'https://kindred.example/event/ev-1.ics'
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from urllib.parse import quote, urlencode

from recommender.calendars.ics import event_span, place
from recommender.core.links import web_url
from scrapers.event import Event

GOOGLE_TEMPLATE = "https://calendar.google.com/calendar/render"


def google_dates(event: Event) -> str:
    """The ``dates`` value of a Google Calendar template link.

    >>> from datetime import timezone
    >>> google_dates(Event(title="Fair", start=datetime(2026, 7, 1, tzinfo=timezone.utc), all_day=True))
    '20260701/20260702'
    """
    start, end = event_span(event)
    return f"{_google_time(start)}/{_google_time(end)}"


def google_calendar_url(event: Event, *, details: str = "") -> str:
    """A link that opens Google Calendar's "new event" form filled in with ``event``."""
    text = "\n\n".join(part for part in (details.strip(), web_url(event.url) or "") if part)
    params = {"action": "TEMPLATE", "text": event.title, "dates": google_dates(event)}
    if text:
        params["details"] = text
    if place(event):
        params["location"] = place(event)
    return f"{GOOGLE_TEMPLATE}?{urlencode(params, quote_via=quote)}"


def event_ics_url(base_url: str, event: Event) -> str:
    """Where ``kindred serve`` hands out ``event`` as a one-event ``.ics`` file."""
    return f"{base_url.strip().rstrip('/')}/event/{quote(event.id, safe='')}.ics"


def _google_time(value: date | datetime) -> str:
    if isinstance(value, datetime):
        return value.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    return value.strftime("%Y%m%d")
