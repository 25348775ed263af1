"""The directly written iCalendar text against icalendar's own: the same bytes, parsed the same."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st
from icalendar import Calendar

from recommender.calendars.ics import Revision, build_calendar, calendar_bytes, fold
from scrapers.event import Event

STAMP = datetime(2026, 11, 22, 12, 30, 15, tzinfo=UTC)
ZONES = [UTC, ZoneInfo("America/Toronto"), ZoneInfo("Europe/Berlin"), ZoneInfo("Asia/Kolkata"),
         ZoneInfo("Africa/Abidjan"), timezone(timedelta(hours=-3, minutes=-30))]  # fmt: skip

# hostile text: iCalendar's specials, backslash escapes (\N too), line breaks of every kind,
# characters of two to four octets and lines far longer than one folded line
_PIECES = st.sampled_from([",", ";", ":", "\\", "\\N", "\\n", "\n", "\r\n", "\r", "^", '"', " ", "é", "—",
                           "日本", "🎲", "\ufeff", "x" * 73, "y" * 150, "\\" * 3])  # fmt: skip
TEXT = st.lists(st.one_of(_PIECES, st.text(max_size=12)), max_size=12).map("".join)


@st.composite
def events(draw) -> Event:
    years = {"min_value": datetime(2025, 1, 1), "max_value": datetime(2027, 12, 31)}
    start = draw(st.datetimes(**years, timezones=st.sampled_from(ZONES)))
    end = draw(st.one_of(st.none(), st.just(start + timedelta(minutes=draw(st.integers(-60, 3000))))))
    return Event(
        title=draw(TEXT) + " night",
        start=start,
        end=end,
        all_day=draw(st.booleans()),
        description=draw(TEXT),
        venue=draw(TEXT),
        address=draw(st.one_of(st.none(), TEXT)),
        city=draw(st.sampled_from(["", "Toronto", "Montréal, QC"])),
        tags=draw(st.lists(TEXT, max_size=3)),
        url=draw(st.sampled_from(["", "https://example.org/e/1?a=1,2;3", "javascript:x", "https://x.org/é"])),
        lat=draw(st.one_of(st.none(), st.floats(-90, 90))),
        lon=draw(st.floats(-180, 180)),
        status=draw(st.sampled_from(["scheduled", "cancelled", "postponed", "moved_online"])),
        attendance=draw(st.sampled_from(["in_person", "online", "mixed"])),
        id=draw(st.sampled_from(["ev-1", "a,b;c", "ev\\N2", "é" * 40])),
    )


def _one_zone(entries) -> bool:
    """True when the calendar needs at most one VTIMEZONE (icalendar orders several as a set does)."""
    keys = {getattr(t.tzinfo, "key", "UTC") for e, _ in entries for t in (e.start, e.end) if t is not None}
    return len(keys - {"UTC"}) <= 1


@settings(max_examples=300, deadline=None)
@given(
    entries=st.lists(st.tuples(events(), TEXT), max_size=4),
    name=st.sampled_from(["Kindred: this week's picks", "Kindred"]),
    about=st.sampled_from(["", "Picks, for you; weekly\nand more"]),
    refresh=st.sampled_from([None, timedelta(hours=6), timedelta(days=1, minutes=5)]),
    revised=st.booleans(),
)
def test_same_bytes_as_icalendar(entries, name, about, refresh, revised):
    revisions = {e.id: Revision(STAMP - timedelta(days=3), STAMP - timedelta(seconds=7)) for e, _ in entries}
    kw = {"stamp": STAMP, "name": name, "about": about, "refresh": refresh}
    kw["revisions"] = revisions if revised else None
    ours = calendar_bytes(entries, **kw)
    theirs = build_calendar(entries, **kw).to_ical()
    if _one_zone(entries):
        assert ours == theirs
    else:
        assert _parts(ours) == _parts(theirs)
    mine, icalendars = (Calendar.from_ical(ics).walk("VEVENT") for ics in (ours, theirs))
    assert [v.to_ical() for v in mine] == [v.to_ical() for v in icalendars]


def _parts(ics: bytes) -> list[bytes]:
    """The calendar's components, sorted: the same parts, in any order."""
    return sorted(ics.split(b"BEGIN:"))


@given(line=TEXT.map(lambda t: t.replace("\r", "").replace("\n", "")))
def test_folding_is_icalendars(line):
    from icalendar.parser.string import _foldline

    assert fold(line) == _foldline(line)
    assert all(len(part.encode()) <= 75 for part in fold(line).split("\r\n"))


def test_events_in_several_zones_get_one_vtimezone_each():
    toronto, berlin = ZoneInfo("America/Toronto"), ZoneInfo("Europe/Berlin")
    evs = [Event(title="Jazz", start=datetime(2026, 11, 3, 20, tzinfo=toronto)),
           Event(title="Choir", start=datetime(2026, 11, 4, 19, tzinfo=berlin))]  # fmt: skip
    cal = Calendar.from_ical(calendar_bytes([(e, "") for e in evs], stamp=STAMP))
    assert sorted(str(tz["tzid"]) for tz in cal.walk("VTIMEZONE")) == ["America/Toronto", "Europe/Berlin"]
    starts = {str(v["summary"]): v["dtstart"].dt for v in cal.walk("VEVENT")}
    assert starts == {"Jazz": evs[0].start, "Choir": evs[1].start}
