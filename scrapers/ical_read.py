"""iCalendar text to ``icalendar.Calendar`` objects, so that one bad component costs only itself.

The feed is first read whole. When *icalendar* refuses it (a VTIMEZONE with ``TZOFFSETFROM:+5328``,
a VFREEBUSY whose period ends before it starts …), each top-level component is tried on its own and
the feed is read again without the ones that fail; each is one line in ``skipped``. Before any of
that, a VTIMEZONE with more than :data:`MAX_TZ_PARTS` STANDARD/DAYLIGHT parts is dropped: resolving
a time in it costs work in proportion to its parts, for every event that uses it.

Examples
--------
>>> feed = '''BEGIN:VCALENDAR
... BEGIN:VFREEBUSY
... FREEBUSY:20260101T120000Z/20260101T100000Z
... END:VFREEBUSY
... BEGIN:VEVENT
... SUMMARY:Choir
... DTSTART:20260301T190000Z
... END:VEVENT
... END:VCALENDAR'''
>>> skipped = []
>>> [c.name for c in read_calendars(feed, "feed.ics", skipped)[0].subcomponents]
['VEVENT']
>>> skipped
['VFREEBUSY (line 2) skipped: Start time is greater than end time']
"""

from __future__ import annotations

import re

import icalendar

from .charset import decode_document
from .errors import ParseError

MAX_TZ_PARTS = 64
_MARK = re.compile(r"^(BEGIN|END):([A-Za-z0-9-]+)\s*$")


def _calendar_text(text: str, where: str) -> str:
    if not isinstance(text, str):
        raise ParseError(f"{where}: expected iCalendar text or bytes, got {type(text).__name__}")
    head = text.lstrip("\ufeff \t\r\n")[:2000]
    if not head:
        raise ParseError(f"{where} is empty: expected an iCalendar feed; check the URL or file")
    if not head.upper().startswith("BEGIN:VCALENDAR"):
        looks_html = "<html" in head.lower() or "<!doctype" in head.lower()
        hint = (
            "it looks like a web page; use the calendar's .ics export link"
            if looks_html
            else "check that the URL or file is the .ics export"
        )
        raise ParseError(f"{where} is not an iCalendar feed (it does not start with BEGIN:VCALENDAR): {hint}")
    return text


def read_calendars(
    text: str | bytes, where: str, skipped: list[str], encoding: str | None = None
) -> list[icalendar.Calendar]:
    """Every VCALENDAR in ``text`` (bytes are decoded by :func:`~scrapers.charset.decode_document`).

    Raises :class:`~scrapers.errors.ParseError` when the text is not an iCalendar feed, is
    truncated, or is broken outside any one component.
    """
    if isinstance(text, bytes | bytearray):
        text = decode_document(bytes(text), encoding)
    lines = _calendar_text(text, where).splitlines()
    lines = _without_huge_timezones(lines, skipped)
    try:
        calendars = icalendar.Calendar.from_ical("\n".join(lines), multiple=True)
    except Exception as exc:  # icalendar raises assorted types for broken input
        calendars = _component_by_component(lines, where, exc, skipped)
    calendars = [c for c in calendars if c.name == "VCALENDAR"]
    if not calendars:
        raise ParseError(f"{where} ends before END:VCALENDAR: the feed looks truncated; download it again")
    return calendars


def _components(lines: list[str]):
    """``(name, first line, last line)`` of each component directly inside a VCALENDAR."""
    depth, name, first = 0, None, 0
    for number, line in enumerate(lines):
        mark = _MARK.match(line)
        if not mark:
            continue
        if mark.group(1).upper() == "BEGIN":
            depth += 1
            if depth == 2:
                name, first = mark.group(2).upper(), number
        else:
            if depth == 2 and name is not None:
                yield name, first, number
                name = None
            depth = max(depth - 1, 0)


def _without_huge_timezones(lines: list[str], skipped: list[str]) -> list[str]:
    drop = set()
    for name, first, last in _components(lines):
        if name != "VTIMEZONE":
            continue
        body = lines[first:last]
        parts = sum(1 for line in body if line.strip().upper() in ("BEGIN:STANDARD", "BEGIN:DAYLIGHT"))
        if parts > MAX_TZ_PARTS:
            tzid = next((ln.split(":", 1)[-1].strip() for ln in body if ln.upper().startswith("TZID")), "")
            skipped.append(
                f"VTIMEZONE {tzid!r} ignored: {parts} STANDARD/DAYLIGHT parts (more than {MAX_TZ_PARTS}); "
                "times in it are read as an IANA zone of that name, else as floating"
            )
            drop.update(range(first, last + 1))
    return [line for number, line in enumerate(lines) if number not in drop] if drop else lines


def _component_by_component(lines: list[str], where: str, error: Exception, skipped: list[str]):
    parts = list(_components(lines))
    inside = {n for _, first, last in parts for n in range(first, last + 1)}
    header = [
        line for number, line in enumerate(lines) if number not in inside and not _is_calendar_mark(line)
    ]
    broken = ParseError(f"{where} is not valid iCalendar ({error}); fix or re-download the feed")
    if not parts or _error_of(header, []) is not None:
        raise broken from error
    keep = []
    for name, first, last in parts:
        problem = _error_of(header, lines[first : last + 1])
        if problem is None:
            keep.append((first, last))
        else:
            skipped.append(f"{name} (line {first + 1}) skipped: {problem}")
    if not keep:
        raise broken from error
    text = "\n".join(
        ["BEGIN:VCALENDAR", *header, *(ln for f, la in keep for ln in lines[f : la + 1]), "END:VCALENDAR"]
    )
    try:
        return icalendar.Calendar.from_ical(text, multiple=True)
    except Exception as exc:  # the parts are fine alone but not together: give up as before
        raise broken from exc


def _is_calendar_mark(line: str) -> bool:
    mark = _MARK.match(line)
    return bool(mark) and mark.group(2).upper() == "VCALENDAR"


def _error_of(header: list[str], component: list[str]) -> str | None:
    try:
        icalendar.Calendar.from_ical("\n".join(["BEGIN:VCALENDAR", *header, *component, "END:VCALENDAR"]))
    except Exception as exc:  # icalendar raises assorted types for broken input
        return str(exc) or type(exc).__name__
    return None
