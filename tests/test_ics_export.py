"""Events as iCalendar: parse-back with icalendar and recurring-ical-events, DST, all-day, revisions."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import recurring_ical_events
from hypothesis import given, settings
from hypothesis import strategies as st
from icalendar import Calendar

from recommender.calendars.feed import revisions_for
from recommender.calendars.ics import DEFAULT_DURATION, build_calendar
from recommender.store.event_store import Store
from scrapers.event import Event

TORONTO = ZoneInfo("America/Toronto")
STAMP = datetime(2026, 11, 22, 12, tzinfo=UTC)


def utc(moment: datetime) -> datetime:
    return moment.astimezone(UTC)


def parse(cal) -> Calendar:
    return Calendar.from_ical(cal.to_ical())


def vevents(cal) -> dict[str, object]:
    return {str(v["uid"]): v for v in parse(cal).walk("VEVENT")}


def sample_events() -> list[Event]:
    return [
        # across the spring-forward night: 8 real hours, 9 on the wall clock
        Event(title="Overnight board game marathon", start=datetime(2026, 3, 7, 20, tzinfo=TORONTO),
              end=datetime(2026, 3, 8, 5, tzinfo=TORONTO), tags=["games", "social"], lat=43.65, lon=-79.38,
              venue="Snakes & Lattes", address="600 Bloor St W", url="https://example.org/e/1"),
        # across the fall-back night; starts at the second 01:30 (EST), an ambiguous wall time
        Event(title="Late chess blitz", start=datetime(2026, 11, 1, 1, 30, fold=1, tzinfo=TORONTO),
              end=datetime(2026, 11, 1, 3, tzinfo=TORONTO)),
        Event(title="Evening pottery", start=datetime(2026, 10, 31, 22, tzinfo=TORONTO),
              end=datetime(2026, 11, 1, 1, 15, tzinfo=TORONTO), status="cancelled"),
        Event(title="Harvest fair", start=datetime(2026, 10, 3, tzinfo=TORONTO), all_day=True,
              end=datetime(2026, 10, 5, tzinfo=TORONTO)),
        Event(title="Choir open rehearsal", start=datetime(2026, 6, 1, 19, tzinfo=ZoneInfo("Europe/Berlin"))),
        Event(title="Online Go night", start=datetime(2026, 6, 2, 23, tzinfo=UTC), attendance="online"),
    ]  # fmt: skip


def test_times_round_trip_exactly_across_dst_changes():
    events = sample_events()
    parsed = vevents(build_calendar([(e, "") for e in events], stamp=STAMP))
    for ev in events[:3]:
        item = parsed[f"{ev.id}@kindred"]
        start, end = item["dtstart"].dt, item["dtend"].dt
        # compare in UTC: Python compares an ambiguous wall time in another zone as never equal
        assert utc(start) == utc(ev.start) and utc(end) == utc(ev.end)
    marathon = parsed[f"{events[0].id}@kindred"]
    assert marathon["dtstart"].params["TZID"] == marathon["dtend"].params["TZID"] == "America/Toronto"
    assert marathon["dtend"].dt.utcoffset() == timedelta(hours=-4)  # EDT after the change
    # The second 01:30 of 1 November exists twice on the wall clock: it is written in UTC instead.
    chess = parsed[f"{events[1].id}@kindred"].to_ical().decode()
    assert "DTSTART:20261101T063000Z" in chess and "DTEND;TZID=America/Toronto:20261101T030000" in chess
    assert utc(marathon["dtend"].dt) - utc(marathon["dtstart"].dt) == timedelta(hours=8)


def test_every_zone_used_gets_a_vtimezone_and_dst_transitions_inside_the_span():
    cal = parse(build_calendar([(e, "") for e in sample_events()], stamp=STAMP))
    zones = {str(tz["tzid"]): tz for tz in cal.walk("VTIMEZONE")}
    assert set(zones) == {"America/Toronto", "Europe/Berlin"}
    toronto = zones["America/Toronto"].to_tz()
    assert datetime(2026, 3, 8, 12, tzinfo=toronto).utcoffset() == timedelta(hours=-4)
    assert datetime(2026, 11, 2, 12, tzinfo=toronto).utcoffset() == timedelta(hours=-5)


def test_all_day_stays_all_day_and_missing_end_gets_default_duration():
    events = sample_events()
    parsed = vevents(build_calendar([(e, "") for e in events], stamp=STAMP))
    fair = parsed[f"{events[3].id}@kindred"]
    assert fair["dtstart"].dt == date(2026, 10, 3) and fair["dtend"].dt == date(2026, 10, 5)
    assert "VALUE=DATE" in fair.to_ical().decode() and "TZID" not in fair.to_ical().decode()
    choir = parsed[f"{events[4].id}@kindred"]
    assert choir["dtend"].dt - choir["dtstart"].dt == DEFAULT_DURATION == timedelta(hours=2)
    assert choir["dtstart"].params["TZID"] == "Europe/Berlin"


def test_fields_status_categories_geo_and_description():
    events = sample_events()
    parsed = vevents(build_calendar([(events[0], "You love board games."), (events[2], ""),
                                     (events[5], "")], stamp=STAMP))  # fmt: skip
    marathon = parsed[f"{events[0].id}@kindred"]
    assert str(marathon["summary"]) == "Overnight board game marathon"
    assert str(marathon["status"]) == "CONFIRMED" and str(marathon["url"]) == "https://example.org/e/1"
    assert str(marathon["description"]).startswith("You love board games.")
    assert "Listing: https://example.org/e/1" in str(marathon["description"])
    assert str(marathon["location"]) == "Snakes & Lattes, 600 Bloor St W"
    assert (marathon["geo"].latitude, marathon["geo"].longitude) == (43.65, -79.38)
    assert list(marathon["categories"].cats) == ["games", "social"]
    assert marathon["dtstamp"].dt == STAMP
    assert str(parsed[f"{events[2].id}@kindred"]["status"]) == "CANCELLED"
    assert str(parsed[f"{events[5].id}@kindred"]["location"]) == "Online"


def test_recurring_ical_events_finds_every_event_in_the_window():
    events = sample_events()
    cal = parse(build_calendar([(e, "") for e in events], stamp=STAMP))
    found = recurring_ical_events.of(cal).between(
        datetime(2026, 1, 1, tzinfo=UTC), datetime(2027, 1, 1, tzinfo=UTC)
    )
    assert sorted(str(v["uid"]) for v in found) == sorted(f"{e.id}@kindred" for e in events)


def test_uids_are_stable_and_sequence_and_last_modified_advance_when_a_listing_changes():
    store = Store("sqlite://")
    ev = sample_events()[0]
    store.upsert([ev], now=datetime(2026, 2, 1, tzinfo=UTC))
    first = vevents(build_calendar([(ev, "")], stamp=STAMP, revisions=revisions_for(store, [ev])))
    store.upsert([ev], now=datetime(2026, 2, 2, tzinfo=UTC))  # seen again, unchanged
    again = vevents(build_calendar([(ev, "")], stamp=STAMP + timedelta(days=1),
                                   revisions=revisions_for(store, [ev])))  # fmt: skip
    assert list(first) == list(again) == [f"{ev.id}@kindred"]
    [a], [b] = first.values(), again.values()
    assert (a["sequence"], a["last-modified"].dt) == (b["sequence"], b["last-modified"].dt)
    assert a["sequence"] == 0 and a["last-modified"].dt == datetime(2026, 2, 1, tzinfo=UTC)
    moved = Event(**{**ev.__dict__, "venue": "Bonfire Games", "id": ev.id})
    store.upsert([moved], now=datetime(2026, 2, 3, 9, tzinfo=UTC))
    [c] = vevents(
        build_calendar([(moved, "")], stamp=STAMP, revisions=revisions_for(store, [moved]))
    ).values()
    assert str(c["uid"]) == str(a["uid"]) and c["sequence"] > a["sequence"]
    assert c["last-modified"].dt == datetime(2026, 2, 3, 9, tzinfo=UTC)


ZONES = [ZoneInfo(name) for name in ("America/Toronto", "Europe/Berlin", "Australia/Lord_Howe", "UTC")] + [
    timezone(timedelta(hours=5, minutes=30))  # a listing with only an offset: written in UTC
]


@settings(max_examples=60, deadline=None)
@given(
    start=st.datetimes(
        min_value=datetime(2025, 1, 1), max_value=datetime(2027, 12, 31), timezones=st.sampled_from(ZONES)
    ),
    minutes=st.integers(min_value=1, max_value=36 * 60),
)
def test_any_zoned_time_reads_back_as_the_same_instant(start, minutes):
    start = start.replace(microsecond=0)  # iCalendar has whole seconds, as listings do
    end = (start.astimezone(UTC) + timedelta(minutes=minutes)).astimezone(start.tzinfo)
    ev = Event(title="Meetup", start=start, end=end)
    [item] = vevents(build_calendar([(ev, "")], stamp=STAMP)).values()
    assert utc(item["dtstart"].dt) == utc(start) and utc(item["dtend"].dt) == utc(end)
    assert utc(item["dtend"].dt) - utc(item["dtstart"].dt) == timedelta(minutes=minutes)


def test_revisions_of_many_events_at_once():
    store = Store("sqlite://")
    events = [Event(title=f"Club night {i}", start=STAMP + timedelta(hours=i)) for i in range(1200)]
    store.upsert(events, now=STAMP)
    revisions = revisions_for(store, events + [Event(title="Not stored", start=STAMP)])
    assert len(revisions) == 1200 and {r.sequence for r in revisions.values()} == {0}
