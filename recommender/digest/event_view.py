"""One event as the weekly email (and the sign-up page's preview) shows it: plain-text fields that the
templates escape.

When, in the reader's zone (a zero-length listing at an odd hour, such as a "concert" from 2:30 am
to 2:30 am, is a source's glitch and shows its date only); where, with the street address; a one-line
description; only http(s) links, with a scheme added to a bare ``www.example.org/e/1``.

>>> from datetime import UTC, datetime
>>> from zoneinfo import ZoneInfo
>>> from scrapers.event import Event
>>> ev = Event(title="Jazz jam", start=datetime(2026, 11, 28, 1, tzinfo=UTC), venue="The Rex",
...            address="194 Queen St W, Toronto", url="www.example.org/e/jazz",
...            description="Bring your horn. Beginners welcome; the house band sits in.")
>>> view = event_view(ev, "You love jazz.", ZoneInfo("America/Toronto"))
>>> view.when, view.place, view.address, view.url, view.blurb
('Fri 27 Nov, 8 pm EST', 'The Rex', '194 Queen St W, Toronto', 'https://www.example.org/e/jazz', \
'Bring your horn.')
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from recommender.calendars.links import event_ics_url, google_calendar_url
from recommender.core.links import linkable_url
from scrapers.event import Event

BLURB_CHARS = 160  # a one-line description: its first sentence, at most this long
ODD_HOURS = range(0, 6)  # a zero-length event starting in these hours is a listing glitch
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9\"'(“])")
# Words whose full stop ends no sentence ("Dr. Who night", "St. Lawrence Market").
_ABBREVIATIONS = {
    "dr",
    "mr",
    "mrs",
    "ms",
    "st",
    "jr",
    "sr",
    "prof",
    "mt",
    "ave",
    "no",
    "vs",
    "approx",
    "e.g",
    "i.e",
}


@dataclass(frozen=True)
class EventView:
    """One event as the templates show it; every field is plain text (templates escape it)."""

    title: str
    url: str | None
    when: str
    place: str
    host: str | None
    price: str | None
    why: str
    note: str | None
    dismiss_url: str | None = None
    more_url: str | None = None
    ics_url: str | None = None
    google_url: str | None = None
    address: str | None = None
    blurb: str | None = None

    @property
    def summary(self) -> str:
        """When, where, who and price on one line."""
        return " · ".join(part for part in (self.when, self.place, self.host, self.price) if part)


def event_view(
    event: Event,
    why: str,
    zone: ZoneInfo,
    dismiss: str | None = None,
    more: str | None = None,
    base: str | None = None,
) -> EventView:
    """``event`` as the email shows it (``dismiss``/``more``: its feedback links; ``base``: Kindred's
    address, for the add-to-calendar links)."""
    if event.attendance == "online":
        place = "Online"
    else:
        place = event.venue or event.address or event.city or "Place to be confirmed"
        if event.attendance == "mixed":
            place += " or online"
    if event.is_free:
        price = "Free"
    elif event.price:
        price = event.price
    else:
        price = None
    note = None if event.status == "scheduled" else event.status.replace("_", " ").capitalize()
    why = " ".join(str(why or "").split())
    return EventView(
        title=event.title,
        url=linkable_url(event.url),
        when=format_when(event, zone),
        place=place,
        host=event.group or event.organizer,
        price=price,
        why=why,
        note=note,
        dismiss_url=dismiss,
        more_url=more,
        ics_url=event_ics_url(base, event) if base else None,
        google_url=google_calendar_url(event, details=why) if base else None,
        address=street_address(event, place),
        blurb=one_line(event.description, event.title),
    )


def format_when(event: Event, zone: ZoneInfo) -> str:
    """When ``event`` happens, in ``zone``, with the zone's abbreviation.

    All-day events keep their own calendar date (no shift across zones) and say "all day". An event
    that ends when it starts, at an hour of :data:`ODD_HOURS`, shows its date only: the source
    gave no real time.

    >>> from datetime import UTC, datetime
    >>> ev = Event(title="Potluck", start=datetime(2026, 3, 8, 22, tzinfo=UTC))
    >>> format_when(ev, ZoneInfo("America/Toronto"))
    'Sun 8 Mar, 6 pm EDT'
    >>> glitch = Event(title="Concert", start=datetime(2026, 3, 8, 7, 30, tzinfo=UTC),
    ...                end=datetime(2026, 3, 8, 7, 30, tzinfo=UTC))
    >>> format_when(glitch, ZoneInfo("America/Toronto"))
    'Sun 8 Mar, time not given (see the listing)'
    """
    if event.all_day:
        return f"{day_label(event.start.date())}, all day"
    start = event.start.astimezone(zone)
    if event.end is not None and event.end == event.start and start.hour in ODD_HOURS:
        return f"{day_label(start.date())}, time not given (see the listing)"
    text = f"{day_label(start.date())}, {_clock(start)}"
    if event.end is not None:
        end = event.end.astimezone(zone)
        if end.date() == start.date() and end > start:
            text += f" – {_clock(end)}"
    abbreviation = start.tzname() or ""
    if abbreviation[:1] in "+-":
        abbreviation = f"UTC{abbreviation}"
    return f"{text} {abbreviation}".rstrip()


def one_line(description: str | None, title: str = "") -> str | None:
    """The first sentence of ``description``, at most :data:`BLURB_CHARS` long (cut at a word, with
    "…"); None when there is none, or it only repeats the title.

    >>> one_line("Throw pots on the wheel. Clay included!  ")
    'Throw pots on the wheel.'
    >>> one_line("Board game night", "Board game night") is None
    True
    """
    text = " ".join(str(description or "").split())
    if not text:
        return None
    for end in _SENTENCE_END.finditer(text):
        last_word = text[: end.start()].rsplit(" ", 1)[-1].rstrip(".").casefold()
        if last_word not in _ABBREVIATIONS:
            text = text[: end.start()]
            break
    if len(text) > BLURB_CHARS:
        text = text[: BLURB_CHARS - 1].rsplit(" ", 1)[0].rstrip(",;:-–— ") + "…"
    if text.casefold().strip(".!…") == " ".join(title.split()).casefold():
        return None
    return text


def street_address(event: Event, place: str) -> str | None:
    """The address to find ``event`` at, when it adds to ``place`` (the venue's name)."""
    if event.attendance == "online":
        return None
    address = " ".join((event.address or "").split())
    city = " ".join((event.city or "").split())
    if city and city.casefold() not in address.casefold():
        address = f"{address}, {city}" if address else city
    if not address or address.casefold() in place.casefold():
        return None
    return address


def day_label(day: date) -> str:
    """``Thu 26 Nov``."""
    return f"{day:%a} {day.day} {day:%b}"


def _clock(moment: datetime) -> str:
    hour = moment.hour % 12 or 12
    minutes = f":{moment.minute:02d}" if moment.minute else ""
    return f"{hour}{minutes} {'am' if moment.hour < 12 else 'pm'}"
