"""Events as iCalendar (RFC 5545): the ``export-ics`` file, the personal feed and one-event files.

Each event becomes one ``VEVENT`` whose ``UID`` is ``<event id>@kindred``: the event id is stable
across re-scrapes, so importing a later export (or refreshing the feed) updates the entry instead of
duplicating it. Times keep the listing's own zone (``DTSTART;TZID=America/Toronto:…``) and the
calendar carries a ``VTIMEZONE`` for every zone used, built by icalendar's
``Calendar.add_missing_timezones``. All-day events stay all-day (``VALUE=DATE``, end exclusive).
An event without an end gets :data:`DEFAULT_DURATION` (2 hours). ``STATUS`` is ``CANCELLED`` for a
cancelled listing (kept, so calendars that imported it show the cancellation), ``TENTATIVE`` for a
postponed one and ``CONFIRMED`` otherwise. Suggestions do not block time: ``TRANSP:TRANSPARENT``.

:func:`calendar_bytes` writes the same text as ``build_calendar(...).to_ical()`` directly, for
the digest's attachment, where building icalendar's components cost more than the rest of the message.

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
from functools import lru_cache

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


# The same text written directly (calendar_bytes): no component tree, which costs more than the
# rest of a digest's message. Only the zone pieces come from icalendar: a time's TZID and each
# VTIMEZONE (kept per zone and date range); several VTIMEZONEs come in zone order, where
# icalendar's is a set's.

_LIMIT = 75  # octets a line may reach before icalendar folds it


def calendar_bytes(entries: Iterable[tuple[Event, str]], *, stamp: datetime, revisions=None, **head) -> bytes:
    """``build_calendar(entries, ...).to_ical()`` written directly (``revisions`` and ``head``,
    i.e. ``name``, ``about`` and ``refresh``, as it takes them): the same properties in the same
    order, escaped and folded the same way (the tests hold it to that).

    >>> ev = Event(title="Games, snacks; fun", start=datetime(2026, 11, 26, 23, tzinfo=UTC), id="e1")
    >>> calendar_bytes([(ev, "")], stamp=ev.start).decode().splitlines()[7]
    'SUMMARY:Games\\\\, snacks\\\\; fun'
    """
    dtstamp = _utc(stamp)
    body: list[str] = []
    spans: list[date] = []
    zones: set[str] = set()
    for event, why in entries:
        if not in_calendar_range(event):
            continue
        span = event_span(event)
        body += _event_lines(event, why, span, dtstamp, (revisions or {}).get(event.id), zones)
        spans.extend(_as_date(t) for t in span)
    parts = [_lines(_head(**head))]
    if zones:
        first, last = min(spans) - timedelta(days=1), max(spans) + timedelta(days=1)
        parts += [_vtimezone(tzid, first, last) for tzid in sorted(zones)]
    parts += [_lines(body), b"END:VCALENDAR\r\n"]
    return b"".join(parts)


def _head(name: str = "Kindred", about: str = "", refresh: timedelta | None = None) -> list[str]:
    """The calendar's own properties."""
    head = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{_text(PRODID)}", "CALSCALE:GREGORIAN"]
    if about:
        head += [f"DESCRIPTION:{_bare(_text(about))}", f"X-WR-CALDESC:{_bare(_text(about))}"]
    head += [f"NAME:{_bare(name)}", f"X-WR-CALNAME:{_bare(_text(name))}"]
    if refresh is not None:
        every = _duration(refresh)
        head += [f"REFRESH-INTERVAL;VALUE=DURATION:{every}", f"X-PUBLISHED-TTL:{every}"]
    return head


def _event_lines(
    event: Event, why: str, span, dtstamp: str, revision: Revision | None, zones: set[str]
) -> list[str]:
    start, end = span
    lines = [
        "BEGIN:VEVENT",
        f"SUMMARY:{_bare(_text(event.title))}",
        f"DTSTART{_when(start, zones)}",
        f"DTEND{_when(end, zones)}",
        f"DTSTAMP:{dtstamp}",
        f"UID:{_bare(_text(uid(event)))}",
    ]
    if revision is not None:
        lines.append(f"SEQUENCE:{revision.sequence}")
    if event.tags:
        lines.append("CATEGORIES:" + _bare(",".join(_text(tag) for tag in event.tags)))
    lines.append(f"DESCRIPTION:{_bare(_text(description(event, why)))}")
    if event.lat is not None and event.lon is not None:
        lines.append(f"GEO:{float(event.lat)};{float(event.lon)}")
    if revision is not None:
        lines.append(f"LAST-MODIFIED:{_utc(revision.changed)}")
    where = place(event)
    if where:
        lines.append(f"LOCATION:{_bare(_text(where))}")
    lines.append(f"STATUS:{_STATUS.get(event.status, 'CONFIRMED')}")
    lines.append("TRANSP:TRANSPARENT")
    url = web_url(event.url)
    if url:
        lines.append(f"URL:{url}")
    lines.append("END:VEVENT")
    return lines


def _text(value: str) -> str:
    """A TEXT value escaped as icalendar escapes it (its ``\\N`` quirk included)."""
    return (
        value.replace(r"\N", "\n")
        .replace("\\", "\\\\")
        .replace(";", r"\;")
        .replace(",", r"\,")
        .replace("\r\n", r"\n")
        .replace("\n", r"\n")
        .replace("\r", r"\n")
    )


def _bare(value: str) -> str:
    """``value`` without a leading byte order mark, which icalendar's UTF-8-SIG decoding of each
    value drops."""
    return value.removeprefix("\ufeff")


def _when(value: date | datetime, zones: set[str]) -> str:
    """A DTSTART/DTEND line after its name: parameters, then the value."""
    if not isinstance(value, datetime):
        return f";VALUE=DATE:{value.year:04}{value.month:02}{value.day:02}"
    text = f"{value.year:04}{value.month:02}{value.day:02}T{value.hour:02}{value.minute:02}{value.second:02}"
    tzid = _tzid(value.tzinfo) or value.tzname()
    if tzid == "UTC":
        return f":{text}Z"
    zones.add(tzid)
    return f";{_tzid_param(tzid)}:{text}"


@lru_cache(maxsize=512)
def _tzid(tzinfo) -> str | None:
    from icalendar.timezone.tzid import tzid_from_tzinfo

    return tzid_from_tzinfo(tzinfo)


@lru_cache(maxsize=512)
def _tzid_param(tzid: str) -> str:
    from icalendar.parser import Parameters

    return Parameters({"TZID": tzid}).to_ical().decode()


@lru_cache(maxsize=256)
def _vtimezone(tzid: str, first: date, last: date) -> bytes:
    """The ``VTIMEZONE`` icalendar's ``add_missing_timezones`` adds for ``tzid`` (empty when it
    knows no such zone)."""
    from icalendar import Timezone

    try:
        return Timezone.from_tzid(tzid, first_date=first, last_date=last).to_ical()
    except ValueError:
        return b""


def _utc(moment: datetime) -> str:
    t = moment.astimezone(UTC)
    return f"{t.year:04}{t.month:02}{t.day:02}T{t.hour:02}{t.minute:02}{t.second:02}Z"


def _duration(every: timedelta) -> str:
    from icalendar import vDuration

    return vDuration(every).to_ical().decode()


def _lines(lines: list[str]) -> bytes:
    return "".join(fold(line) + "\r\n" for line in lines).encode("utf-8")


def fold(line: str) -> str:
    """``line`` folded as icalendar folds it: at most 74 octets, then CRLF and a space before
    each further 74, never breaking a character and never leaving a line on a ``\\`` or ``^``
    (so an escape stays whole).

    >>> fold("x" * 80) == "x" * 74 + "\\r\\n " + "x" * 6
    True
    """
    if len(line) < _LIMIT and (line.isascii() or len(line.encode("utf-8")) < _LIMIT):
        return line
    if not line.isascii():
        return _fold_octets(line)
    parts, start, width = [], 0, _LIMIT - 1
    while len(line) - start > width:
        end = start + width
        if line[end - 1] in "\\^":
            end -= 1
        parts.append(line[start:end])
        start = end
    parts.append(line[start:])
    return "\r\n ".join(parts)


def _fold_octets(line: str) -> str:
    """:func:`fold` for a line with characters of more than one octet."""
    parts: list[str] = []
    current: list[str] = []
    count = 0
    for char in line:
        size = len(char.encode("utf-8"))
        if current and count + size >= _LIMIT:
            if len(current) > 1 and current[-1] in "\\^":
                carried = current.pop()
                parts.append("".join(current))
                current, count = [carried], len(carried.encode("utf-8"))
            else:
                parts.append("".join(current))
                current, count = [], 0
        current.append(char)
        count += size
    if current:
        parts.append("".join(current))
    return "\r\n ".join(parts)
