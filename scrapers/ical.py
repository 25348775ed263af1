"""iCalendar (``.ics``) feeds to :class:`~scrapers.event.Event` records: a pure parser, no network.

Rules (RFC 5545, plus what real Google / iCloud / Meetup / WordPress feeds do):

* **Recurring series** (``RRULE``/``RDATE``, with ``EXDATE`` and edited instances via
  ``RECURRENCE-ID``) are expanded with *recurring-ical-events*, but only the occurrences that
  overlap the window ``[window_start, window_end)``. The default window is 30 days before ``now`` to
  365 days after it; a ``date`` bound means local midnight at the start of that day (``window_end``
  is inclusive: the whole day counts). At most :data:`MAX_OCCURRENCES` per series are kept.
* **Single events** (no ``RRULE``/``RDATE``, including edited instances whose series is not in the
  feed) are returned whatever their date.
* **Times**: ``TZID`` times keep their zone; ``Z`` times and floating times are read in the feed's
  ``X-WR-TIMEZONE`` when it has a valid one (as Google Calendar means them), floating times
  otherwise in ``default_tz``; unknown ``TZID`` without a ``VTIMEZONE`` counts as floating.
  ``DATE`` values are all-day events that start at local midnight; their ``end`` is exclusive (the
  day after the last day), as in RFC 5545. A timed event without ``DTEND``/``DURATION`` has
  ``end=None``.
* **Fields**: ``SUMMARY`` -> title, ``DESCRIPTION`` -> plain text (HTML stripped), ``LOCATION`` ->
  venue/address and attendance (see :mod:`scrapers.location`), ``GEO`` -> lat/lon (``0,0`` is
  ignored), ``URL`` -> url, ``ORGANIZER``'s ``CN`` -> organizer (e-mail addresses are never kept),
  ``CATEGORIES`` -> tags, ``STATUS:CANCELLED`` (or ``METHOD:CANCEL``) -> ``"cancelled"``,
  ``X-WR-CALNAME``/``NAME`` -> group.
* **Ids**: ``make_event_id(uid=UID, source=source, start=...)`` with the occurrence's original slot
  (its ``RECURRENCE-ID``, else its start), so re-parsing gives the same ids and an instance that
  the organiser moves keeps its id. ``source`` defaults to the feed ``url``.
* **Errors**: input that is not an iCalendar feed raises :class:`~scrapers.errors.ParseError`; a
  ``VEVENT`` (or series) that cannot be used - no ``DTSTART``, no ``SUMMARY``, an unreadable date or
  rule - is skipped with a logged warning and a line in the result's ``skipped`` list. Lesser
  damage is mended quietly: a property that may appear once but is repeated keeps its first value,
  and an unreadable property that does not say *when* (``GEO``, ``SEQUENCE`` ...) is ignored.

Examples
--------
>>> from datetime import datetime, timezone
>>> feed = '''BEGIN:VCALENDAR
... X-WR-CALNAME:Dice Club
... BEGIN:VEVENT
... UID:games@example.org
... DTSTART;TZID=America/Toronto:20260303T190000
... DTEND;TZID=America/Toronto:20260303T220000
... RRULE:FREQ=WEEKLY;COUNT=3
... SUMMARY:Board game night
... LOCATION:Snakes & Lattes\\\\, 600 Bloor St W\\\\, Toronto
... END:VEVENT
... END:VCALENDAR'''
>>> events = parse_ics(feed, "https://example.org/club.ics", now=datetime(2026, 3, 1, tzinfo=timezone.utc))
>>> [e.start.isoformat() for e in events]
['2026-03-03T19:00:00-05:00', '2026-03-10T19:00:00-04:00', '2026-03-17T19:00:00-04:00']
>>> events[0].venue, events[0].address, events[0].group, events.skipped
('Snakes & Lattes', '600 Bloor St W, Toronto', 'Dice Club', [])
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta, tzinfo

import icalendar
import recurring_ical_events

from .budget import MAX_PER_SERIES, Budget
from .event import Event
from .ical_fields import FeedContext, aware, feed_context, prop, to_event
from .ical_mend import problem, rule_problem
from .ical_read import read_calendars
from .result import ParseResult
from .zones import get_zone

log = logging.getLogger(__name__)

DEFAULT_PAST = timedelta(days=30)
DEFAULT_FUTURE = timedelta(days=365)
MAX_OCCURRENCES = MAX_PER_SERIES


def parse_ics(
    text: str | bytes,
    url: str = "",
    *,
    source: str = "",
    window_start: datetime | date | None = None,
    window_end: datetime | date | None = None,
    default_tz: str = "UTC",
    now: datetime | None = None,
    encoding: str | None = None,
    budget: Budget | None = None,
) -> ParseResult:
    """Parse an iCalendar feed into events (see the module notes for every rule).

    Parameters
    ----------
    text : str or bytes
        The feed. Bytes are decoded by :func:`~scrapers.charset.decode_document`: a BOM, then
        ``encoding``, else UTF-8, falling back to Windows-1252.
    url : str
        Where the feed came from: names it in messages, resolves relative ``URL`` values and is the
        default ``source``.
    source : str
        Name of the source, stored on each event and part of its id.
    window_start, window_end : datetime or date, optional
        Bounds for expanding recurring series; naive values are read in ``default_tz``.
    default_tz : str
        IANA zone for floating times when the feed has no ``X-WR-TIMEZONE``.
    now : datetime, optional
        "Now" for the default window (tests pass a fixed value); defaults to the current time.
    encoding : str, optional
        The HTTP header's charset, when ``text`` is bytes.
    budget : Budget, optional
        Occurrences per series and per feed, and seconds for the whole parse
        (:class:`~scrapers.budget.Budget`: 1,000, 20,000 and 5 s by default). A series or feed over
        budget is cut where the budget ran out (what was read before is kept, in order) and
        reported in ``skipped``.

    Returns
    -------
    ParseResult
        A list of events sorted by start, with ``.skipped``: one line per unusable VEVENT or series.

    Raises
    ------
    ParseError
        When ``text`` is not a readable iCalendar feed.
    """
    fallback_zone = get_zone(default_tz)
    start, end = _window(window_start, window_end, now, fallback_zone)
    where = url or "the iCalendar input"
    budget = budget or Budget()
    result = ParseResult()
    best: dict[str, tuple[int, Event]] = {}
    for calendar in read_calendars(text, where, result.skipped, encoding):
        feed, calendar = feed_context(calendar, url, source or url, fallback_zone, result.skipped)
        for sequence, event in _events_of(calendar, feed, (start, end), budget, result.skipped):
            if event.id not in best or sequence >= best[event.id][0]:
                best[event.id] = (sequence, event)
    result.extend(sorted((e for _, e in best.values()), key=lambda e: (e.start, e.title, e.id)))
    for reason in result.skipped:
        log.warning("%s: %s", where, reason)
    log.info("%s: %d events, %d skipped", where, len(result), len(result.skipped))
    return result


def default_window(now: datetime) -> tuple[datetime, datetime]:
    """The window used when none is given: 30 days before ``now`` to 365 days after it.

    >>> s, e = default_window(datetime(2026, 1, 31, tzinfo=UTC))
    >>> s.date().isoformat(), e.date().isoformat()
    ('2026-01-01', '2027-01-31')
    """
    return now - DEFAULT_PAST, now + DEFAULT_FUTURE


def _window(start, end, now, zone: tzinfo) -> tuple[datetime, datetime]:
    now = now or datetime.now(UTC)
    now = now if now.tzinfo else now.replace(tzinfo=zone)
    dflt_start, dflt_end = default_window(now)
    start = dflt_start if start is None else aware(start, zone)
    if end is None:
        end = dflt_end
    else:
        end = aware(end, zone) + (timedelta(days=1) if not isinstance(end, datetime) else timedelta(0))
    if end <= start:
        raise ValueError(f"window_end ({end.isoformat()}) must be after window_start ({start.isoformat()})")
    return start, end


def _events_of(calendar, feed: FeedContext, window, budget: Budget, skipped) -> Iterable[tuple[int, Event]]:
    """``(SEQUENCE, Event)`` for every usable occurrence of the calendar's VEVENTs, within budget."""
    series: dict[object, list] = {}
    for component in calendar.subcomponents:
        if component.name == "VEVENT":
            uid = str(prop(component, "UID", "")).strip()
            series.setdefault(uid or id(component), []).append(component)
    for done, components in enumerate(series.values()):
        if reason := budget.exhausted():
            skipped.append(f"{len(series) - done} VEVENT series or events not read: {reason}")
            return
        problems = {id(c): problem(c) for c in components}
        for component in components:
            if problems[id(component)]:
                skipped.append(f"{_describe(component)} skipped: {problems[id(component)]}")
        usable = [c for c in components if not problems[id(c)]]
        masters = [c for c in components if "RRULE" in c or "RDATE" in c]
        if not masters:
            for component in usable:
                if budget.take():
                    yield from _convert(component, feed, skipped)
        elif all(not problems[id(m)] for m in masters):
            yield from _expand(usable, feed, window, budget, skipped)
        elif len(usable):
            skipped.append(
                f"{len(usable)} edited instance(s) of {_describe(masters[0])} skipped with their series"
            )


def _describe(component) -> str:
    title = " ".join(str(prop(component, "SUMMARY", "")).split())[:60]
    uid = str(prop(component, "UID", "")).strip()
    return "VEVENT" + (f" {title!r}" if title else "") + (f" (UID {uid})" if uid else "")


def _expand(components, feed: FeedContext, window, budget: Budget, skipped) -> Iterable[tuple[int, Event]]:
    start, end = window
    first = components[0]
    masters = [c for c in components if "RRULE" in c]
    reason = next((r for r in (rule_problem(m, end) for m in masters) if r), None)
    if reason:
        skipped.append(f"{_describe(first)} series skipped: {reason}")
        return
    one = icalendar.Calendar()
    for component in [*feed.timezones, *components]:
        one.add_component(component)
    occurrences: dict[tuple, icalendar.Event] = {}
    cut = None
    try:
        query = recurring_ical_events.of(one)
        # Month-sized slices let a dense rule stop at the cap instead of listing a whole year first.
        for lo in _slices(start, end, timedelta(days=31)):
            for occurrence in query.between(lo, min(lo + timedelta(days=31), end)):
                key = (str(occurrence.get("RECURRENCE-ID", "")), str(occurrence["DTSTART"].dt))
                if key not in occurrences and len(occurrences) < budget.per_series:
                    occurrences[key] = occurrence
            if len(occurrences) >= budget.per_series:
                cut = (
                    f"only the first {budget.per_series} occurrences in the window kept; "
                    "pass a shorter window to see the rest"
                )
                break
            if cut := budget.exhausted():
                break
    except Exception as exc:  # bad rules surface from deep inside the expansion
        skipped.append(
            f"{_describe(first)} series skipped: its recurrence could not be expanded "
            f"({type(exc).__name__}: {exc}); the feed's publisher must fix it"
        )
        return
    kept = list(occurrences.values())
    if not budget.take(len(kept)):
        kept = kept[: max(budget.per_feed - budget.used, 0)]
        budget.take(len(kept))
        cut = budget.exhausted()
    if cut:
        skipped.append(f"{_describe(first)}: {cut}")
    for occurrence in kept:
        yield from _convert(occurrence, feed, skipped)


def _slices(start: datetime, end: datetime, step: timedelta) -> Iterable[datetime]:
    while start < end:
        yield start
        start += step


def _convert(component, feed: FeedContext, skipped) -> Iterable[tuple[int, Event]]:
    try:
        event = to_event(component, feed)
    except Exception as exc:  # one odd VEVENT must not sink the feed
        skipped.append(f"{_describe(component)} skipped: {type(exc).__name__}: {exc}")
        return
    try:
        sequence = int(prop(component, "SEQUENCE", 0))
    except (TypeError, ValueError):
        sequence = 0
    yield sequence, event


__all__ = ["DEFAULT_FUTURE", "DEFAULT_PAST", "MAX_OCCURRENCES", "default_window", "parse_ics"]
