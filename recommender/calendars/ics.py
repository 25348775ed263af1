"""Events as iCalendar (RFC 5545): the ``export-ics`` file, the personal feed and one-event files.

Each event becomes one ``VEVENT`` whose ``UID`` is ``<event id>@kindred``: the event id is stable
across re-scrapes, so importing a later export (or refreshing the feed) updates the entry instead of
duplicating it. Times keep the listing's own zone (``DTSTART;TZID=America/Toronto:…``) and the
calendar carries a ``VTIMEZONE`` for every zone used, built by icalendar's
``Calendar.add_missing_timezones``. All-day events stay all-day (``VALUE=DATE``, end exclusive).
An event without an end gets :data:`DEFAULT_DURATION` (2 hours). ``STATUS`` is ``CANCELLED`` for a
cancelled listing (kept, so calendars that imported it show the cancellation), ``TENTATIVE`` for a
postponed one and ``CONFIRMED`` otherwise. Suggestions do not block time: ``TRANSP:TRANSPARENT``.

``LAST-MODIFIED`` is when Kindred last saw the listing change; ``SEQUENCE`` is the number of seconds
between first seeing the listing and its last change (see :class:`Revision`), so it is 0 for an
unchanged listing and grows with every change, which is all RFC 5545 asks of it.

Examples
--------
>>> from datetime import UTC, datetime
>>> from icalendar import Calendar
>>> from scrapers.event import Event
>>> ev = Event(title="Board game night", start=datetime(2026, 11, 26, 23, tzinfo=UTC), tags=["games"])
>>> cal = Calendar.from_ical(build_calendar([(ev, "You love board games.")], stamp=ev.start).to_ical())
>>> [(str(v["summary"]), v["dtend"].dt - v["dtstart"].dt, str(v["status"])) for v in cal.walk("VEVENT")]
[('Board game night', datetime.timedelta(seconds=7200), 'CONFIRMED')]
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from icalendar import Calendar, vDuration, vText
from icalendar import Event as VEvent

from recommender.core.links import web_url
from scrapers.event import Event, in_sane_years

DEFAULT_DURATION = timedelta(hours=2)
PRODID = "-//Kindred//Kindred events//EN"
_STATUS = {"cancelled": "CANCELLED", "postponed": "TENTATIVE"}
_MAX_DESCRIPTION = 1500


@dataclass(frozen=True)
class Revision:
    """When Kindred first saw a listing and when it last changed (both timezone-aware).

    >>> r = Revision(datetime(2026, 1, 1, tzinfo=UTC), datetime(2026, 1, 1, 0, 5, tzinfo=UTC))
    >>> r.sequence
    300
    """

    first_seen: datetime
    changed: datetime

    @property
    def sequence(self) -> int:
        return max(0, int((self.changed - self.first_seen).total_seconds()))


def uid(event: Event) -> str:
    """The stable ``UID`` of ``event``'s ``VEVENT``.

    >>> uid(Event(title="x", start=datetime(2026, 1, 1, tzinfo=UTC), id="ev-1"))
    'ev-1@kindred'
    """
    return f"{event.id}@kindred"


def event_span(event: Event) -> tuple[date | datetime, date | datetime]:
    """``(start, end)`` as written to the calendar: dates for all-day events (end exclusive),
    otherwise aware datetimes, with :data:`DEFAULT_DURATION` when the listing has no usable end.

    >>> from zoneinfo import ZoneInfo
    >>> toronto = ZoneInfo("America/Toronto")
    >>> day = Event(title="Fair", start=datetime(2026, 7, 1, tzinfo=toronto), all_day=True)
    >>> event_span(day)
    (datetime.date(2026, 7, 1), datetime.date(2026, 7, 2))
    """
    start = _calendar_time(event.start)
    if event.all_day:
        first = event.start.date()
        last = event.end.astimezone(event.start.tzinfo).date() if event.end else first
        return first, last if last > first else first + timedelta(days=1)
    end = event.end if event.end is not None and event.end > event.start else event.start + DEFAULT_DURATION
    return start, _calendar_time(end.astimezone(event.start.tzinfo))


def place(event: Event) -> str:
    """Where ``event`` is, on one line ("Online" for online events)."""
    if event.attendance == "online" or event.status == "moved_online":
        return "Online"
    return ", ".join(dict.fromkeys(x for x in (event.venue, event.address, event.city) if x))


def description(event: Event, why: str = "") -> str:
    """The why-line, the listing's own text (shortened) and the listing URL."""
    text = " ".join(event.description.split())
    if len(text) > _MAX_DESCRIPTION:
        text = text[: _MAX_DESCRIPTION - 1].rstrip() + "…"
    listing = f"Listing: {web_url(event.url)}" if web_url(event.url) else ""
    return "\n\n".join(part for part in (why.strip(), text, listing) if part)


def event_component(
    event: Event, *, why: str = "", stamp: datetime, revision: Revision | None = None
) -> VEvent:
    """One ``VEVENT`` for ``event``; ``stamp`` is its ``DTSTAMP`` (inject "now")."""
    item = VEvent()
    start, end = event_span(event)
    item.add("uid", uid(event))
    item.add("dtstamp", stamp.astimezone(UTC))
    item.add("dtstart", start)
    item.add("dtend", end)
    item.add("summary", event.title)
    item.add("description", description(event, why))
    if place(event):
        item.add("location", place(event))
    if event.lat is not None and event.lon is not None:
        item.add("geo", (event.lat, event.lon))
    if web_url(event.url):
        item.add("url", web_url(event.url))
    item.add("status", _STATUS.get(event.status, "CONFIRMED"))
    if event.tags:
        item.add("categories", list(event.tags))
    item.add("transp", "TRANSPARENT")
    if revision is not None:
        item.add("last-modified", revision.changed.astimezone(UTC))
        item.add("sequence", revision.sequence)
    return item


def build_calendar(
    entries: Iterable[tuple[Event, str]],
    *,
    stamp: datetime,
    revisions: Mapping[str, Revision] | None = None,
    name: str = "Kindred",
    about: str = "",
    refresh: timedelta | None = None,
) -> Calendar:
    """A calendar of ``(event, why)`` entries.

    Parameters
    ----------
    entries : iterable of (Event, str)
        The events and the line saying why each is there (may be empty).
    stamp : datetime
        ``DTSTAMP`` of every event: "now" for an export.
    revisions : mapping, optional
        Event id -> :class:`Revision`, for ``LAST-MODIFIED`` and ``SEQUENCE``.
    name, about : str
        The calendar's name and description (``NAME``/``X-WR-CALNAME``, ``DESCRIPTION``/``X-WR-CALDESC``).
    refresh : timedelta, optional
        How often subscribers should re-fetch (``REFRESH-INTERVAL`` and ``X-PUBLISHED-TTL``).

    Returns
    -------
    icalendar.Calendar
    """
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("name", name)
    cal.add("x-wr-calname", vText(name))
    if about:
        cal.add("description", about)
        cal.add("x-wr-caldesc", vText(about))
    if refresh is not None:
        cal.add("refresh-interval", refresh, parameters={"VALUE": "DURATION"})
        cal.add("x-published-ttl", vDuration(refresh))
    spans = []
    for event, why in entries:
        if not in_calendar_range(event):
            continue
        revision = (revisions or {}).get(event.id)
        cal.add_component(event_component(event, why=why, stamp=stamp, revision=revision))
        spans.extend(_as_date(t) for t in event_span(event))
    if spans:
        cal.add_missing_timezones(
            first_date=min(spans) - timedelta(days=1), last_date=max(spans) + timedelta(days=1)
        )
    return cal


def in_calendar_range(event: Event) -> bool:
    """False for an event whose dates are outside :data:`~scrapers.event.SANE_YEARS` (one stored
    before dates were checked): calendars leave it out, as no calendar app could use it."""
    return all(in_sane_years(t.year) for t in (event.start, event.end) if t is not None)


def _calendar_time(moment: datetime) -> datetime:
    """Keep IANA zones (written with TZID and a VTIMEZONE); anything else is written in UTC, and so
    is a wall time that a DST change makes ambiguous or skips (it would not read back exactly)."""
    key = getattr(moment.tzinfo, "key", None)
    ambiguous = moment.replace(fold=1 - moment.fold).utcoffset() != moment.utcoffset()
    if not key or key in ("UTC", "Etc/UTC") or ambiguous:
        return moment.astimezone(UTC)
    return moment


def _as_date(value: date | datetime) -> date:
    return value.date() if isinstance(value, datetime) else value
