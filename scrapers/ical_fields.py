"""How one iCalendar ``VEVENT`` (or one occurrence of a series) becomes an :class:`Event`.

The mapping of each property is listed in :mod:`scrapers.ical`; this module holds the code, plus
what every event of one ``VCALENDAR`` shares (:class:`FeedContext`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo
from urllib.parse import urljoin, urlsplit

import icalendar
import x_wr_timezone

from .event import Event, make_event_id
from .location import attendance_mode, split_location
from .text import DateOutOfRange, check_when, html_to_text
from .zones import get_zone

_ESCAPED = re.compile(r"\\([\\;,nN])")


@dataclass
class FeedContext:
    """What every event of one VCALENDAR shares."""

    url: str
    source: str
    zone: tzinfo
    group: str | None
    cancelled: bool
    timezones: list


def aware(value: date | datetime, zone: tzinfo) -> datetime:
    """An aware datetime: a date becomes local midnight, a naive (floating) time is read in ``zone``.

    >>> from zoneinfo import ZoneInfo
    >>> aware(date(2026, 3, 8), ZoneInfo("America/Toronto")).isoformat()
    '2026-03-08T00:00:00-05:00'
    """
    if not isinstance(value, datetime):
        return datetime.combine(value, time(0), zone)
    return value if value.tzinfo is not None else value.replace(tzinfo=zone)


def feed_context(calendar, url, source, fallback_zone, skipped) -> tuple[FeedContext, icalendar.Calendar]:
    """Read the calendar-wide settings and bring ``X-WR-TIMEZONE`` calendars into RFC 5545 form.

    Returns the context and the (possibly converted) calendar; problems go to ``skipped``.
    """
    zone = fallback_zone
    x_wr = str(calendar.get("X-WR-TIMEZONE", "")).strip()
    if x_wr:
        try:
            zone = get_zone(x_wr)
            calendar = x_wr_timezone.to_standard(calendar, timezone=zone)
        except Exception as exc:  # unknown zone name, or a value the converter cannot handle
            skipped.append(f"X-WR-TIMEZONE {x_wr!r} ignored ({exc}); floating times read as {fallback_zone}")
            zone = fallback_zone
    group = _calendar_text(calendar, "X-WR-CALNAME") or _calendar_text(calendar, "NAME")
    cancelled = str(calendar.get("METHOD", "")).upper() == "CANCEL"
    timezones = [c for c in calendar.subcomponents if c.name == "VTIMEZONE"]
    return FeedContext(url, source, zone, group, cancelled, timezones), calendar


def _calendar_text(calendar, name: str) -> str | None:
    """First non-empty value of a calendar property that may repeat; ``X-`` values arrive escaped."""
    values = calendar.get(name)
    for value in values if isinstance(values, list) else [values]:
        text = str(value or "")
        if not isinstance(value, icalendar.vText):
            text = _ESCAPED.sub(lambda m: "\n" if m.group(1) in "nN" else m.group(1), text)
        text = " ".join(text.split())
        if text:
            return text
    return None


def prop(component, name: str, default=None):
    """A property's value; the first one when a sloppy feed repeats a single-valued property.

    >>> prop(icalendar.Event.from_ical("BEGIN:VEVENT\\nSUMMARY:a\\nSUMMARY:b\\nEND:VEVENT"), "SUMMARY")
    vText(b'a')
    """
    value = component.get(name, default)
    if isinstance(value, list):
        return value[0] if value else default
    return value


def to_event(component, feed: FeedContext) -> Event:
    """The :class:`Event` for one ``VEVENT`` or occurrence (it must have DTSTART and SUMMARY).

    Raises :class:`~scrapers.text.DateOutOfRange` for a start no event can have (outside the
    years 1900-2200); an end like that is dropped.
    """
    value = prop(component, "DTSTART").dt
    all_day = not isinstance(value, datetime)
    start = check_when(aware(value, feed.zone))
    end = _end(component, start, all_day, feed.zone)
    try:
        end = end and check_when(end)
    except DateOutOfRange:
        end = None
    slot = prop(component, "RECURRENCE-ID")
    slot = aware(slot.dt, feed.zone) if slot is not None else start
    title = str(prop(component, "SUMMARY"))
    uid = str(prop(component, "UID", "")).strip()
    url = _url(prop(component, "URL"), feed.url)
    location = str(prop(component, "LOCATION", "") or "")
    venue, address = split_location(location)
    lat, lon = _geo(prop(component, "GEO"))
    status = str(prop(component, "STATUS", "")).strip().upper()
    if uid:
        event_id = make_event_id(uid=uid, source=feed.source, start=slot)
    else:
        event_id = make_event_id(url=url or feed.url, start=slot, title=title, source=feed.source)
    return Event(
        id=event_id,
        title=title,
        start=start,
        end=end,
        all_day=all_day,
        description=html_to_text(str(prop(component, "DESCRIPTION", "") or "")),
        venue=venue,
        address=address,
        lat=lat,
        lon=lon,
        attendance=attendance_mode(location, url),
        status="cancelled" if status == "CANCELLED" or feed.cancelled else "scheduled",
        url=url,
        organizer=_organizer(prop(component, "ORGANIZER")),
        group=feed.group,
        tags=_tags(component.get("CATEGORIES")),
        source=feed.source,
    )


def _end(component, start: datetime, all_day: bool, zone: tzinfo) -> datetime | None:
    end, duration = None, getattr(prop(component, "DURATION"), "dt", None)
    if "DTEND" in component:
        end = aware(prop(component, "DTEND").dt, zone)
    elif isinstance(duration, timedelta):
        end = start + duration
    if all_day and (end is None or end <= start):
        return datetime.combine(start.date() + timedelta(days=1), time(0), start.tzinfo)
    return end if end is not None and end > start else None


def _url(value, base: str) -> str | None:
    text = str(value or "").strip()
    if not text:
        return None
    try:
        text = urljoin(base, text) if base else text
        return text if urlsplit(text).scheme in ("http", "https") else None
    except ValueError:  # a malformed address ("https://[host") is no address
        return None


def _geo(value) -> tuple[float | None, float | None]:
    lat, lon = getattr(value, "latitude", None), getattr(value, "longitude", None)
    if lat is None or lon is None or (lat == 0 and lon == 0) or abs(lat) > 90 or abs(lon) > 180:
        return None, None
    return float(lat), float(lon)


def _organizer(value) -> str | None:
    name = getattr(value, "params", {}).get("CN") if value is not None else None
    name = " ".join(str(name or "").split()).strip('"').strip()
    return name or None


def _tags(value) -> list[str]:
    values = value if isinstance(value, list) else [value] if value is not None else []
    tags: list[str] = []
    for item in values:
        for cat in getattr(item, "cats", None) or [item]:
            tag = " ".join(str(cat).split())
            if tag and tag.casefold() not in {t.casefold() for t in tags}:
                tags.append(tag)
    return tags
