"""One bad record costs only itself: whatever a stranger puts in one record of a page or feed, the
other records of the same file are still read (property checks, with a hard time limit each)."""

from __future__ import annotations

import json

from deadline import within
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_ical import PROPERTY_LINES

from scrapers.ical import parse_ics
from scrapers.schemaorg import parse_schemaorg

GOOD_TITLES = ["Pottery wheel taster", "Trail run club", "Choir open rehearsal", "Chess night", "Ceilidh"]


def good_record(n: int) -> dict:
    return {
        "@context": "https://schema.org",
        "@type": "Event",
        "name": GOOD_TITLES[n],
        "startDate": f"2026-05-0{n + 1}T19:00:00Z",
        "location": {"@type": "Place", "name": f"Hall {n}", "address": "1 High St"},
    }


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=30),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4),
    max_leaves=20,
)
FIELDS = ["@type", "name", "startDate", "endDate", "description", "location", "url", "offers", "image",
          "eventStatus", "eventAttendanceMode", "organizer", "performer", "@id", "keywords"]  # fmt: skip
hostile_dates = st.sampled_from(
    [
        "9999-12-31T23:59:59Z",
        "0001-01-01T00:00:00Z",
        "2026-05-01T19:00:00+99:00",
        "2026-13-45",
        "",
        "P1D",
        "2026-05-01T19:00:00-23:59",
        "1e400",
        "2026-05-01T19:00:00Z/2026-05-01",
    ]  # fmt: skip
)
bad_records = st.one_of(
    json_values,
    st.fixed_dictionaries(
        {
            "@type": st.sampled_from(["Event", 5, ["Event", None], {"x": 1}, "MusicEvent"]),
            "startDate": hostile_dates | json_values,
        },  # fmt: skip
        optional={name: json_values for name in FIELDS if name not in ("@type", "startDate")},
    ),
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(bad=bad_records, at=st.integers(0, 5), wrap_graph=st.booleans())
def test_a_hostile_json_ld_record_costs_only_itself(bad, at, wrap_graph):
    records = [good_record(n) for n in range(5)]
    records.insert(at, bad)
    doc = {"@context": "https://schema.org", "@graph": records} if wrap_graph else records
    with within(10):
        result = parse_schemaorg(json.dumps(doc), "https://example.org/events", source="t")
    titles = {ev.title for ev in result}
    assert set(GOOD_TITLES) <= titles, result.skipped
    assert all(isinstance(reason, str) for reason in result.skipped)


def vevent(uid: str, lines: list[str]) -> str:
    return "\r\n".join(["BEGIN:VEVENT", f"UID:{uid}", "DTSTAMP:20260301T000000Z", *lines, "END:VEVENT"])


GOOD_VEVENTS = [
    vevent(f"good-{n}", [f"DTSTART:2026031{n}T180000Z", f"SUMMARY:{title}", "LOCATION:The Hall"])
    for n, title in enumerate(GOOD_TITLES[:3])
]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    lines=st.lists(st.sampled_from(PROPERTY_LINES), max_size=10),
    start=st.sampled_from(
        [
            "DTSTART:20260315T180000Z",
            "DTSTART:99991231T000000Z",
            "DTSTART:00010101",
            "DTSTART;TZID=Nowhere/Zone:20260315T180000",
            "DTSTART:garbage",
            "",
        ]
    ),  # fmt: skip
    rule=st.sampled_from(
        [
            "",
            "RRULE:FREQ=DAILY;INTERVAL=0",
            "RRULE:FREQ=SECONDLY",
            "RRULE:FREQ=HOURLY;BYMINUTE=0,15,30,45;BYSECOND=0,10,20,30,40,50",
        ]
    ),  # fmt: skip
    at=st.integers(0, 3),
)
def test_a_hostile_vevent_costs_only_itself(lines, start, rule, at):
    bad = vevent("bad", [line for line in (start, rule, *lines) if line])
    parts = list(GOOD_VEVENTS)
    parts.insert(at, bad)
    text = "\r\n".join(["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//t//EN", *parts, "END:VCALENDAR", ""])
    with within(20):
        result = parse_ics(text, "https://example.org/feed.ics", source="t")
    titles = {ev.title for ev in result}
    assert set(GOOD_TITLES[:3]) <= titles, result.skipped


def test_events_with_impossible_dates_already_in_a_store_break_no_later_command(kindred, tmp_path):
    """Stores written before dates were checked may hold year 1 or 9999: every command still works."""
    from datetime import datetime, timezone

    from recommender.calendars.ics import build_calendar
    from recommender.store.event_store import Store
    from scrapers.event import Event

    db = f"sqlite:///{tmp_path / 'old.db'}"
    utc = timezone.utc
    events = [
        Event(title="Board games far future", start=datetime(9999, 12, 31, 23, tzinfo=utc)),
        Event(title="Board games long ago", start=datetime(1, 1, 1, tzinfo=utc)),
        Event(title="Board games night", start=datetime(2026, 12, 10, 19, tzinfo=utc)),
    ]
    Store(db).upsert(events, now=datetime(2026, 12, 1, tzinfo=utc))
    env = {"KINDRED_NOW": "2026-12-07T09:00:00+00:00", "KINDRED_SECRET": "s" * 40}
    with within(60):
        exported = kindred(
            "--db", db, "export-ics", "board games", "--any-date", "-o", str(tmp_path / "x.ics")
        )
        far = kindred(
            "--db", db, "query", "board games", "--from", "2026-01-01", "--to", "9999-12-31", env=env
        )
        week = kindred("--db", db, "digest", "--week", "9999-W52", "--outbox", str(tmp_path / "out"), env=env)
        listed = kindred("--db", db, "events", env=env)
    assert exported.returncode == 0 and "Wrote 1 event to" in exported.stderr, exported.stderr
    assert (tmp_path / "x.ics").read_bytes().count(b"BEGIN:VEVENT") == 1
    assert far.returncode == 2 and "outside the years 1900-2200" in far.stderr
    assert week.returncode != 0 and "bad week '9999-W52'" in week.stderr
    assert listed.returncode == 0
    for proc in (exported, far, week, listed):
        assert "Traceback" not in proc.stdout + proc.stderr
    calendar = build_calendar(
        [(events[0], "why"), (events[1], "why")], stamp=datetime(2026, 12, 7, tzinfo=utc)
    )
    assert b"BEGIN:VEVENT" not in calendar.to_ical()
