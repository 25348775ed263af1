"""What is wrong with one ``VEVENT`` before it is used, and the damage that can be mended in place.

* A repeated single-valued property keeps its first value.
* An unreadable property that does not decide *when* (``GEO``, ``SEQUENCE`` …) is dropped; so is an
  unreadable ``DURATION`` (``P0S``: the event then has no end) and an unreadable ``RDATE`` value,
  except Google's date-with-``Z`` (``RDATE:20131210Z``), which is read as that date (at the series'
  time of day when its ``DTSTART`` has one).
* On a series whose ``DTSTART`` is a date, a datetime ``EXDATE`` (Exchange writes
  ``EXDATE;TZID=…:20210409T000000``) excludes its date.
* A rule that cannot be expanded within the budget - ``INTERVAL=0``, a repeat every second or
  minute, or one whose expansion from ``DTSTART`` to the window's end takes more than
  :data:`MAX_STEPS` steps - is a problem of the series.

Examples
--------
>>> import icalendar
>>> ev = icalendar.Event.from_ical('''BEGIN:VEVENT
... SUMMARY:Fair
... DTSTART;VALUE=DATE:20260301
... RRULE:FREQ=DAILY;COUNT=3
... DURATION:P0S
... RDATE:20260310Z
... EXDATE;TZID=Europe/London:20260302T000000
... END:VEVENT''')
>>> problem(ev) is None, "DURATION" in ev, ev["RDATE"].dts[0].dt, ev["EXDATE"].dts[0].dt
(True, False, datetime.date(2026, 3, 10), datetime.date(2026, 3, 2))
>>> rule_problem(icalendar.Event.from_ical("BEGIN:VEVENT\\nRRULE:FREQ=DAILY;INTERVAL=0\\nEND:VEVENT"), None)
'INTERVAL=0 repeats without ever moving on'
"""

from __future__ import annotations

import math
import re
from datetime import UTC, date, datetime

from icalendar.prop import vBroken, vDDDLists

from .ical_fields import aware, prop

MAX_STEPS = 200_000
TIME_PROPS = ("DTSTART", "DTEND", "RECURRENCE-ID", "RRULE", "EXDATE")
SINGLE_VALUED = frozenset(  # properties RFC 5545 allows once per VEVENT
    "UID DTSTART DTEND DURATION RECURRENCE-ID SUMMARY DESCRIPTION LOCATION GEO URL STATUS ORGANIZER "  # noqa: SIM905
    "SEQUENCE CLASS DTSTAMP CREATED LAST-MODIFIED".split()
)
_DATE_WITH_Z = re.compile(r"(\d{8})Z")
_PERIOD_SECONDS = {"HOURLY": 3600, "DAILY": 86400, "WEEKLY": 604800, "MONTHLY": 2629746, "YEARLY": 31556952}
_FINER = {  # the BY parts that multiply the occurrences of one period, per FREQ
    "HOURLY": ("BYMINUTE", "BYSECOND"),
    "DAILY": ("BYHOUR", "BYMINUTE", "BYSECOND"),
    "WEEKLY": ("BYDAY", "BYHOUR", "BYMINUTE", "BYSECOND"),
    "MONTHLY": ("BYMONTHDAY", "BYDAY", "BYHOUR", "BYMINUTE", "BYSECOND"),
    "YEARLY": ("BYMONTH", "BYWEEKNO", "BYYEARDAY", "BYMONTHDAY", "BYDAY", "BYHOUR", "BYMINUTE", "BYSECOND"),
}


def problem(component) -> str | None:
    """Why ``component`` cannot be used, or ``None``; mends what it can (see the module notes)."""
    broken_times = []
    for name in list(component.keys()):
        values = component[name] if isinstance(component[name], list) else [component[name]]
        if name in SINGLE_VALUED and len(values) > 1:
            values = values[:1]
        if name == "RDATE":
            values = [_mended_rdate(v, _start_of(component)) for v in values]
        good = [v for v in values if v is not None and not isinstance(v, vBroken)]
        if len(good) < len(values) and name in TIME_PROPS:
            bad = next(v for v in values if isinstance(v, vBroken))
            broken_times.append(f"unreadable {name} ({bad.parse_error})")
        elif not good:
            del component[name]
        else:
            component[name] = good if len(good) > 1 else good[0]
    if broken_times:
        return "; ".join(broken_times) + ": the feed's publisher must fix it"
    if "DTSTART" not in component:
        return "no DTSTART (start time): the feed's publisher must add one"
    if not str(prop(component, "SUMMARY", "")).strip():
        return "no SUMMARY (title): the feed's publisher must add one"
    _exdates_as_dates(component)
    return None


def _start_of(component):
    start = component.get("DTSTART")
    start = start[0] if isinstance(start, list) and start else start
    return None if start is None or isinstance(start, vBroken) else getattr(start, "dt", None)


def _mended_rdate(value, start):
    if not isinstance(value, vBroken):
        return value
    match = _DATE_WITH_Z.fullmatch(str(value).strip())
    if not match:
        return None
    day = date.fromisoformat(match.group(1))
    if isinstance(start, datetime):
        return vDDDLists([datetime.combine(day, start.time(), tzinfo=start.tzinfo)])
    return vDDDLists([day])


def _exdates_as_dates(component) -> None:
    if isinstance(prop(component, "DTSTART").dt, datetime) or "EXDATE" not in component:
        return
    values = component["EXDATE"] if isinstance(component["EXDATE"], list) else [component["EXDATE"]]
    days = [d.dt.date() if isinstance(d.dt, datetime) else d.dt for v in values for d in v.dts]
    component["EXDATE"] = vDDDLists(days)


def rule_problem(component, window_end: datetime | None) -> str | None:
    """Why the series' ``RRULE`` cannot be expanded within the budget, or ``None``."""
    rules = component.get("RRULE")
    for rule in rules if isinstance(rules, list) else [rules] if rules is not None else []:
        freq = str((rule.get("FREQ") or [""])[0]).upper()
        if freq in ("SECONDLY", "MINUTELY"):
            return "it repeats every second or minute, which is not an event listing"
        try:
            interval = int((rule.get("INTERVAL") or [1])[0])
        except (TypeError, ValueError):
            return f"INTERVAL {rule.get('INTERVAL')!r} is not a number"
        if interval < 1:
            return f"INTERVAL={interval} repeats without ever moving on"
        steps = _steps(component, rule, freq, interval, window_end)
        if steps > MAX_STEPS:
            return f"expanding it would take about {steps:,} steps (more than {MAX_STEPS:,})"
    return None


def _steps(component, rule, freq: str, interval: int, window_end: datetime | None) -> int:
    """Rough count of the candidate times the expansion visits from DTSTART to the window's end."""
    start = getattr(prop(component, "DTSTART"), "dt", None)
    if freq not in _PERIOD_SECONDS or not isinstance(start, date) or window_end is None:
        return 0
    end = window_end
    until = (rule.get("UNTIL") or [None])[0]
    if isinstance(until, date):
        end = min(end, aware(until, UTC))
    periods = max((end - aware(start, UTC)).total_seconds(), 0) / _PERIOD_SECONDS[freq] / interval
    per_period = math.prod(len(rule.get(part) or [0]) for part in _FINER[freq])
    return int(periods * per_period)
