"""Hand-written iCalendar cases: time zones, DST, recurrence edits, bad input."""

import logging
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scrapers.errors import ParseError
from scrapers.event import Event
from scrapers.ical import MAX_OCCURRENCES, parse_ics

NOW = datetime(2026, 2, 1, 12, tzinfo=UTC)
TORONTO = ZoneInfo("America/Toronto")
FIXTURES = Path(__file__).parent / "fixtures" / "ics"


def feed(*events: str, header: str = "") -> str:
    """A VCALENDAR around VEVENT bodies (each given without BEGIN/END lines)."""
    body = "".join(f"BEGIN:VEVENT\n{e.strip()}\nEND:VEVENT\n" for e in events)
    return f"BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:-//test//EN\n{header.strip()}\n{body}END:VCALENDAR\n"


def parse(text, **kwargs):
    kwargs.setdefault("now", NOW)
    return parse_ics(text, "https://example.org/feed.ics", source="test", **kwargs)


WEEKLY_TORONTO = """
UID:club@example.org
DTSTART;TZID=America/Toronto:20260226T190000
DTEND;TZID=America/Toronto:20260226T210000
RRULE:FREQ=WEEKLY;COUNT=4
SUMMARY:Chess club
"""


def test_weekly_rule_keeps_local_wall_time_across_march_dst_change():
    events = parse(feed(WEEKLY_TORONTO))
    assert [e.start.date() for e in events] == [date(2026, 2, 26), date(2026, 3, 5), date(2026, 3, 12),
                                                date(2026, 3, 19)]  # fmt: skip
    assert {(e.start.astimezone(TORONTO).hour, e.end.astimezone(TORONTO).hour) for e in events} == {(19, 21)}
    offsets = [e.start.utcoffset() for e in events]
    assert offsets == [timedelta(hours=-5)] * 2 + [timedelta(hours=-4)] * 2  # DST began 2026-03-08
    assert events[1].start.astimezone(UTC).hour == 0 and events[2].start.astimezone(UTC).hour == 23


def test_weekly_rule_keeps_local_wall_time_across_november_dst_change():
    text = feed(WEEKLY_TORONTO.replace("20260226T", "20261022T"))
    events = parse(text)
    assert [e.start.isoformat() for e in events] == [
        "2026-10-22T19:00:00-04:00",
        "2026-10-29T19:00:00-04:00",
        "2026-11-05T19:00:00-05:00",  # DST ended 2026-11-01
        "2026-11-12T19:00:00-05:00",
    ]


def test_floating_time_uses_default_tz_without_x_wr_timezone():
    text = feed("UID:f\nDTSTART:20260310T180000\nDTEND:20260310T200000\nSUMMARY:Sketching")
    (event,) = parse(text, default_tz="Europe/Berlin")
    assert event.start == datetime(2026, 3, 10, 18, tzinfo=ZoneInfo("Europe/Berlin"))
    assert event.start.utcoffset() == timedelta(hours=1)


def test_floating_and_utc_times_use_x_wr_timezone_when_present():
    text = feed(
        "UID:f\nDTSTART:20260310T180000\nSUMMARY:Floating",
        "UID:u\nDTSTART:20260310T230000Z\nSUMMARY:In UTC",
        header="X-WR-TIMEZONE:America/Toronto",
    )
    floating, utc = parse(text, default_tz="Europe/Berlin")
    assert floating.start.isoformat() == "2026-03-10T18:00:00-04:00"
    assert utc.start == datetime(2026, 3, 10, 23, tzinfo=UTC)  # same instant ...
    assert utc.start.isoformat() == "2026-03-10T19:00:00-04:00"  # ... shown in the feed's zone


def test_unknown_x_wr_timezone_is_reported_and_ignored():
    text = feed("UID:f\nDTSTART:20260310T180000\nSUMMARY:Floating", header="X-WR-TIMEZONE:Mars/Olympus")
    result = parse(text, default_tz="Europe/Berlin")
    assert result[0].start.utcoffset() == timedelta(hours=1)
    assert any("Mars/Olympus" in reason for reason in result.skipped)


def test_all_day_event_starts_at_local_midnight_and_ends_exclusively():
    text = feed(
        "UID:a\nDTSTART;VALUE=DATE:20260704\nDTEND;VALUE=DATE:20260706\nSUMMARY:Folk festival",
        "UID:b\nDTSTART;VALUE=DATE:20260710\nSUMMARY:One day, no DTEND",
    )
    two_days, one_day = parse(text, default_tz="America/Toronto")
    assert two_days.all_day and one_day.all_day
    assert two_days.start == datetime(2026, 7, 4, tzinfo=TORONTO)
    assert two_days.end == datetime(2026, 7, 6, tzinfo=TORONTO)
    assert one_day.end == datetime(2026, 7, 11, tzinfo=TORONTO)
    assert two_days.to_dict()["start"] == "2026-07-04" and two_days.to_dict()["end"] == "2026-07-06"


def test_timed_event_without_end_has_no_end_and_duration_gives_one():
    text = feed(
        "UID:a\nDTSTART:20260310T180000Z\nSUMMARY:No end",
        "UID:b\nDTSTART:20260311T180000Z\nDURATION:PT90M\nSUMMARY:Ninety minutes",
    )
    no_end, ninety = parse(text)
    assert no_end.end is None
    assert ninety.end - ninety.start == timedelta(minutes=90)


def test_exdate_removes_exactly_that_occurrence():
    text = feed(WEEKLY_TORONTO + "EXDATE;TZID=America/Toronto:20260305T190000\n")
    events = parse(text)
    assert [e.start.date() for e in events] == [date(2026, 2, 26), date(2026, 3, 12), date(2026, 3, 19)]


def test_rdate_adds_an_occurrence():
    text = feed(WEEKLY_TORONTO + "RDATE;TZID=America/Toronto:20260401T180000\n")
    events = parse(text)
    assert events[-1].start == datetime(2026, 4, 1, 18, tzinfo=TORONTO)
    assert len(events) == 5


EDITED = """
UID:club@example.org
RECURRENCE-ID;TZID=America/Toronto:20260305T190000
DTSTART;TZID=America/Toronto:20260305T200000
DTEND;TZID=America/Toronto:20260305T220000
SUMMARY:Chess club (late start, blitz night)
LOCATION:Annex Library\\, 123 Fake St\\, Toronto
"""


def test_edited_instance_replaces_its_occurrence_and_keeps_its_id():
    plain = parse(feed(WEEKLY_TORONTO))
    edited = parse(feed(WEEKLY_TORONTO, EDITED))
    assert len(edited) == 4
    moved = edited[1]
    assert moved.title == "Chess club (late start, blitz night)"
    assert moved.start == datetime(2026, 3, 5, 20, tzinfo=TORONTO)
    assert moved.venue == "Annex Library"
    assert moved.id == plain[1].id  # same slot of the series -> same record in the store
    assert [e.id for e in edited[::2]] == [e.id for e in plain[::2]]


def test_cancelled_instance_is_kept_and_marked():
    cancelled = EDITED.replace(
        "SUMMARY:Chess club (late start, blitz night)", "SUMMARY:Chess club\nSTATUS:CANCELLED"
    )
    events = parse(feed(WEEKLY_TORONTO, cancelled))
    assert [e.status for e in events] == ["scheduled", "cancelled", "scheduled", "scheduled"]
    assert events[1].cancelled


def test_method_cancel_marks_every_event_cancelled():
    text = feed("UID:a\nDTSTART:20260310T180000Z\nSUMMARY:Gone", header="METHOD:CANCEL")
    assert [e.status for e in parse(text)] == ["cancelled"]


def test_recurring_events_are_windowed_but_single_events_are_not():
    text = feed(
        "UID:old\nDTSTART:20190101T180000Z\nSUMMARY:Long ago",
        "UID:far\nDTSTART:20300101T180000Z\nSUMMARY:Far ahead",
        "UID:daily\nDTSTART:20200101T180000Z\nRRULE:FREQ=DAILY\nSUMMARY:Daily walk",
    )
    events = parse(text, window_start=date(2026, 3, 1), window_end=date(2026, 3, 3))
    assert [e.title for e in events] == ["Long ago", "Daily walk", "Daily walk", "Daily walk", "Far ahead"]
    assert [e.start.day for e in events if e.title == "Daily walk"] == [1, 2, 3]  # window_end inclusive


def test_default_window_is_30_days_back_to_a_year_ahead_of_now():
    text = feed("UID:daily\nDTSTART:20200101T180000Z\nRRULE:FREQ=DAILY\nSUMMARY:Daily walk")
    events = parse(text, now=datetime(2026, 2, 1, 12, tzinfo=UTC))
    assert events[0].start == datetime(2026, 1, 2, 18, tzinfo=UTC)
    assert events[-1].start == datetime(2027, 1, 31, 18, tzinfo=UTC)
    assert len(events) == 395


def test_dense_series_is_capped_and_the_cap_reported():
    text = feed("UID:h\nDTSTART:20260101T000000Z\nRRULE:FREQ=HOURLY\nSUMMARY:Hourly bell")
    result = parse(text)
    assert len(result) == MAX_OCCURRENCES
    assert any("only the first" in r for r in result.skipped)


def test_secondly_series_is_skipped_with_a_reason():
    text = feed(
        "UID:s\nDTSTART:20260201T000000Z\nRRULE:FREQ=SECONDLY\nSUMMARY:Ticker",
        "UID:ok\nDTSTART:20260301T100000Z\nSUMMARY:Fine",
    )
    result = parse(text)
    assert [e.title for e in result] == ["Fine"]
    assert "Ticker" in result.skipped[0]


def test_fields_are_mapped():
    text = feed(
        """
UID:f@example.org
DTSTART:20260310T180000Z
SUMMARY:Pottery taster
DESCRIPTION:<p>Bring an <b>apron</b> &amp; old clothes.</p><p>All welcome</p>
CATEGORIES:Crafts,Pottery
CATEGORIES:crafts
GEO:53.4668;-2.2339
ORGANIZER;CN="Clay Studio CIC":mailto:hello@example.org
URL:/events/pottery
LOCATION:Community Clay Studio\\, 61 Old Birley St\\, Manchester M15 5RF
""",
        header="X-WR-CALNAME:Hulme \\& Moss Side",
    )
    (event,) = parse(text)
    assert event.description == "Bring an apron & old clothes.\n\nAll welcome"
    assert event.tags == ["Crafts", "Pottery"]
    assert (event.lat, event.lon) == (53.4668, -2.2339)
    assert event.organizer == "Clay Studio CIC"
    assert event.url == "https://example.org/events/pottery"
    assert (event.venue, event.address) == ("Community Clay Studio", "61 Old Birley St, Manchester M15 5RF")
    assert event.attendance == "in_person" and event.status == "scheduled"
    assert event.source == "test"


@pytest.mark.parametrize(
    ("location", "url", "mode"),
    [
        ("Online via Zoom", None, "online"),
        ("https://us02web.zoom.us/j/8123", None, "online"),
        ("", "https://meet.google.com/abc-defg-hij", "online"),
        ("Central Library\\, Toronto / online", None, "mixed"),
        ("Central Library\\, Toronto", "https://example.org/e/1", "in_person"),
    ],
)
def test_attendance_mode_from_location_and_url(location, url, mode):
    lines = f"UID:o\nDTSTART:20260310T180000Z\nSUMMARY:Talk\nLOCATION:{location}\n" + (
        f"URL:{url}\n" if url else ""
    )
    (event,) = parse(feed(lines))
    assert event.attendance == mode


def test_ids_are_stable_distinct_per_occurrence_and_per_source():
    first = parse(feed(WEEKLY_TORONTO))
    again = parse(feed(WEEKLY_TORONTO))
    assert [e.id for e in first] == [e.id for e in again]
    assert len({e.id for e in first}) == 4
    other = parse_ics(feed(WEEKLY_TORONTO), "https://example.org/feed.ics", source="other", now=NOW)
    assert not {e.id for e in first} & {e.id for e in other}


def test_source_defaults_to_the_feed_url():
    (event,) = parse_ics(
        feed("UID:a\nDTSTART:20260310T180000Z\nSUMMARY:x"), "https://example.org/a.ics", now=NOW
    )
    assert event.source == "https://example.org/a.ics"


@pytest.mark.parametrize(
    ("bad", "reason"),
    [
        ("UID:nostart@example.org\nSUMMARY:Missing start", "no DTSTART"),
        ("UID:notitle@example.org\nDTSTART:20260310T180000Z", "no SUMMARY"),
        ("UID:badstart\nDTSTART:tomorrow evening\nSUMMARY:Bad start", "unreadable DTSTART"),
        ("UID:badrule\nDTSTART:20260310T180000Z\nRRULE:FREQ=SOMETIMES\nSUMMARY:Bad rule", "unreadable RRULE"),
    ],
)
def test_one_bad_vevent_is_skipped_with_a_logged_reason(bad, reason, caplog):
    good = "UID:good@example.org\nDTSTART:20260310T180000Z\nSUMMARY:Good one"
    with caplog.at_level(logging.WARNING, logger="scrapers.ical"):
        result = parse(feed(good, bad))
    assert [e.title for e in result] == ["Good one"]
    assert len(result.skipped) == 1 and reason in result.skipped[0]
    assert reason in caplog.text


def test_unreadable_minor_properties_and_repeats_do_not_cost_the_event():
    text = feed(
        WEEKLY_TORONTO + "GEO:north-ish\nSEQUENCE:x\n",
        "UID:dup\nDTSTART:20260310T180000Z\nDTSTART:20260311T180000Z\nSUMMARY:First\nSUMMARY:Second\n"
        "DESCRIPTION:one\nDESCRIPTION:two\nUID:other",
        header="X-WR-TIMEZONE:Europe/London",  # the converted copy of the calendar must behave the same
    )
    result = parse(text)
    assert result.skipped == []
    assert [e.title for e in result].count("Chess club") == 4 and all(e.lat is None for e in result)
    (dup,) = [e for e in result if e.title == "First"]
    assert dup.start == datetime(2026, 3, 10, 18, tzinfo=UTC) and dup.description == "one"


def test_edited_instances_are_skipped_with_their_broken_series():
    broken_master = WEEKLY_TORONTO.replace("FREQ=WEEKLY", "FREQ=FORTNIGHTLY")
    result = parse(feed(broken_master, EDITED))
    assert list(result) == []
    assert len(result.skipped) == 2 and "edited instance" in result.skipped[1]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "is empty"),
        ("hello world", "not an iCalendar feed"),
        ("<!DOCTYPE html><html><body>Events</body></html>", "web page"),
        (b"\xff\xfe\x00\x01garbage", "not an iCalendar feed"),
        ("BEGIN:VCALENDAR\nBEGIN:VEVENT\nDTSTART:20260310T180000Z\nSUMMARY:x\n", "truncated"),
        ("BEGIN:VCALENDAR\nthis line has no colon\nEND:VCALENDAR\n", "not valid iCalendar"),
    ],
)
def test_malformed_input_raises_one_clear_parse_error(text, message):
    with pytest.raises(ParseError, match=message) as info:
        parse(text)
    assert "https://example.org/feed.ics" in str(info.value)


def test_bytes_with_bom_and_windows_1252_are_read():
    text = feed("UID:a\nDTSTART:20260310T180000Z\nSUMMARY:Caf\u00e9 night")
    assert parse(b"\xef\xbb\xbf" + text.encode("utf-8"))[0].title == "Caf\u00e9 night"
    assert parse(text.encode("cp1252"))[0].title == "Caf\u00e9 night"


def test_empty_calendar_gives_an_empty_result():
    result = parse("BEGIN:VCALENDAR\nVERSION:2.0\nEND:VCALENDAR\n")
    assert list(result) == [] and result.skipped == []


def test_window_end_before_start_is_a_value_error():
    with pytest.raises(ValueError, match="window_end"):
        parse(feed(WEEKLY_TORONTO), window_start=date(2026, 3, 1), window_end=date(2026, 2, 1))


def _assert_list_of_events_or_parse_error(data):
    try:
        result = parse(data)
    except ParseError:
        return
    assert isinstance(result, list)
    assert all(isinstance(e, Event) for e in result)
    assert all(isinstance(r, str) for r in result.skipped)


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=400))
def test_random_bytes_give_events_or_parse_error(data):
    _assert_list_of_events_or_parse_error(data)


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("BEGIN:VCALENDAREVTSUMRYZ0123456789T;=,\\\n ")), max_size=300))
def test_ical_looking_text_gives_events_or_parse_error(text):
    _assert_list_of_events_or_parse_error("BEGIN:VCALENDAR\n" + text)


SMALL_FEEDS = [
    FIXTURES / name
    for name in (
        "google_calendar_import_test.ics",
        "icloud_yellowbird_webcal.ics",
        "icloud_generic_webcal.ics",
        "meetup_london-bisexual-women-games-wine-group.ics",
    )
]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(SMALL_FEEDS), st.floats(0, 1), st.sets(st.integers(0, 400), max_size=8))
def test_truncated_or_damaged_real_feeds_give_events_or_parse_error(path, cut, dropped_lines):
    data = path.read_bytes()
    lines = data[: int(len(data) * cut)].split(b"\n")
    damaged = b"\n".join(line for i, line in enumerate(lines) if i not in dropped_lines)
    _assert_list_of_events_or_parse_error(damaged)


PROPERTY_LINES = [
    "DTSTART:20260310T180000Z",
    "DTSTART;VALUE=DATE:20260310",
    "DTSTART;TZID=America/Toronto:20260310T180000",
    "DTSTART;TZID=Nowhere/Zone:20260310T180000",
    "DTSTART:20260310T180000",
    "DTSTART:garbage",
    "DTEND:20260310T170000Z",
    "DTEND;VALUE=DATE:20260309",
    "DURATION:PT1H",
    "DURATION:-PT1H",
    "DURATION:P1D",
    "DURATION:garbage",
    "RRULE:FREQ=WEEKLY;COUNT=3",
    "RRULE:FREQ=DAILY",
    "RRULE:FREQ=MONTHLY;BYDAY=1TH",
    "RRULE:FREQ=YEARLY;BYMONTH=13",
    "RRULE:FREQ=WEEKLY;UNTIL=20200101",
    "RRULE:garbage",
    "RDATE:20260401T100000Z",
    "RDATE;VALUE=PERIOD:20260401T100000Z/PT1H",
    "RDATE:garbage",
    "EXDATE:20260317T180000Z",
    "EXDATE:garbage",
    "RECURRENCE-ID:20260317T180000Z",
    "RECURRENCE-ID;VALUE=DATE:20260317",
    "SUMMARY:Chess night",
    "SUMMARY:",
    "SUMMARY:Second title",
    "UID:a",
    "UID:b",
    "LOCATION:Online",
    "LOCATION:Z-arts\\, 335 Stretford Rd",
    "LOCATION:",
    "GEO:53.4;-2.2",
    "GEO:91;200",
    "GEO:garbage",
    "URL:javascript:alert(1)",
    "URL:/relative/page",
    "URL:https://zoom.us/j/1",
    "CATEGORIES:a,b",
    "STATUS:CANCELLED",
    "STATUS:???",
    "ORGANIZER;CN=Jo:mailto:jo@example.org",
    "ORGANIZER:garbage",
    "SEQUENCE:x",
    "SEQUENCE:2",
    "DESCRIPTION:<b>bold</b> &amp; text",
    "DESCRIPTION:second description",
]
HEADER_LINES = [
    "X-WR-TIMEZONE:Europe/London",
    "X-WR-TIMEZONE:Mars/Base",
    "X-WR-CALNAME:Club",
    "METHOD:CANCEL",
    "",
]


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.sampled_from(HEADER_LINES),
    st.lists(st.lists(st.sampled_from(PROPERTY_LINES), max_size=8), max_size=4),
)
def test_random_vevents_from_plausible_and_broken_lines_give_events_or_parse_error(header, vevents):
    text = feed(*("\n".join(lines) for lines in vevents), header=header)
    result = parse(text)  # every line here is well-formed iCalendar syntax, so no ParseError either
    assert all(isinstance(e, Event) for e in result)
    assert all(isinstance(r, str) for r in result.skipped)
