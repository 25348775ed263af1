"""The schema.org parser on the shapes JSON-LD takes in the wild."""

from __future__ import annotations

import contextlib
import json
from datetime import datetime, timedelta, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scrapers import parse
from scrapers.errors import ParseError
from scrapers.schemaorg import parse_schemaorg


def ev(**fields):
    return {
        "@context": "https://schema.org",
        "@type": "Event",
        "name": "Quiz night",
        "startDate": "2026-05-01T19:00:00Z",
        **fields,
    }


def one(doc, **kw):
    result = parse_schemaorg(json.dumps(doc), "https://example.org/list", **kw)
    assert len(result) == 1, result.skipped
    return result[0]


@pytest.mark.parametrize(
    "raw,expected",
    [
        ("2026-05-01T19:00:00Z", datetime(2026, 5, 1, 19, tzinfo=timezone.utc)),
        ("2026-05-01T19:00:00.000Z", datetime(2026, 5, 1, 19, tzinfo=timezone.utc)),
        ("2026-05-01T21:00:00+02:00", datetime(2026, 5, 1, 19, tzinfo=timezone.utc)),
        ("2026-05-01T21:00:00+0200", datetime(2026, 5, 1, 19, tzinfo=timezone.utc)),
        ("2026-05-01T21:00+0200", datetime(2026, 5, 1, 19, tzinfo=timezone.utc)),
        (
            "2026-05-01T15:00",
            datetime(2026, 5, 1, 19, tzinfo=timezone.utc),
        ),  # naive: default_tz (Toronto, EDT)
    ],
)
def test_date_forms(raw, expected):
    got = one(ev(startDate=raw), default_tz="America/Toronto")
    assert got.start == expected and not got.all_day


def test_date_only_is_all_day_with_exclusive_end():
    got = one(ev(startDate="2026-07-01", endDate="2026-07-03"), default_tz="America/Toronto")
    assert got.all_day
    assert got.start.isoformat() == "2026-07-01T00:00:00-04:00"
    assert got.end - got.start == timedelta(days=3)
    assert got.to_dict()["start"] == "2026-07-01"


@pytest.mark.parametrize(
    "wrapper",
    [
        lambda e: e,
        lambda e: [e],
        lambda e: {"@context": "https://schema.org", "@graph": [{"@type": "WebPage"}, e]},
        lambda e: {"@type": "ItemList", "itemListElement": [{"@type": "ListItem", "position": 1, "item": e}]},
    ],
    ids=["object", "list", "graph", "itemlist"],
)
def test_container_shapes(wrapper):
    assert one(wrapper(ev())).title == "Quiz night"


@pytest.mark.parametrize("subtype", ["SocialEvent", "MusicEvent", "SportsEvent", "EducationEvent"])
def test_event_subtypes(subtype):
    assert one(ev(**{"@type": subtype})).title == "Quiz night"


def test_place_address_and_geo():
    got = one(
        ev(
            location={
                "@type": "Place",
                "name": "Hall",
                "address": {
                    "@type": "PostalAddress",
                    "streetAddress": "1 Main St",
                    "addressLocality": "Leeds",
                    "addressCountry": "GB",
                },
                "geo": {"@type": "GeoCoordinates", "latitude": "53.8", "longitude": "-1.55"},
            }
        )
    )
    assert (got.venue, got.address, got.city, got.lat, got.lon) == (
        "Hall",
        "1 Main St, Leeds, GB",
        "Leeds",
        53.8,
        -1.55,
    )
    assert got.attendance == "in_person"


def test_virtual_and_mixed_locations():
    online = one(ev(location={"@type": "VirtualLocation", "url": "https://meet.example/x"}))
    mixed = one(
        ev(location=[{"@type": "Place", "name": "Hall"}, {"@type": "VirtualLocation", "url": "https://x"}])
    )
    assert online.attendance == "online" and online.venue is None
    assert mixed.attendance == "mixed" and mixed.venue == "Hall"


def test_postal_address_as_location_and_plain_string():
    assert one(ev(location={"@type": "PostalAddress", "addressLocality": "Oslo"})).city == "Oslo"
    assert one(ev(location="The Pub, High St")).venue == "The Pub, High St"


@pytest.mark.parametrize(
    "value,status",
    [
        ("https://schema.org/EventCancelled", "cancelled"),
        ("EventPostponed", "postponed"),
        ("http://schema.org/EventRescheduled", "rescheduled"),
        ("EventMovedOnline", "moved_online"),
        ("EventScheduled", "scheduled"),
    ],
)
def test_status(value, status):
    assert one(ev(eventStatus=value)).status == status


def test_attendance_mode_wins_over_location():
    got = one(
        ev(
            eventAttendanceMode="https://schema.org/OnlineEventAttendanceMode",
            location={"@type": "Place", "name": "Studio"},
        )
    )
    assert got.attendance == "online"


def test_offers_organizer_free_and_html_description():
    got = one(
        ev(
            offers=[{"@type": "Offer", "price": "12.50", "priceCurrency": "EUR"}],
            organizer=[{"@type": "Organization", "name": "Dice &amp; Co"}],
            description="<p>Bring <b>snacks</b></p><p>All welcome&nbsp;!</p>",
        )
    )
    assert got.price == "12.5 EUR" and got.is_free is None
    assert got.organizer == "Dice & Co"
    assert got.description == "Bring snacks\n\nAll welcome\xa0!".replace("\xa0", " ")
    free = one(ev(offers={"price": 0}))
    assert free.is_free is True and free.price is None
    assert one(ev(isAccessibleForFree=False)).is_free is False


def test_relative_url_is_resolved_and_tracking_removed():
    assert one(ev(url="/e/42?utm_source=x")).url == "https://example.org/e/42"


def test_bad_records_are_skipped_with_reasons():
    doc = [ev(), ev(name=""), ev(startDate=None), ev(startDate="next tuesday-ish"), ev(name="Choir")]
    result = parse_schemaorg(json.dumps(doc), "x.json")
    assert [e.title for e in result] == ["Quiz night", "Choir"]
    assert len(result.skipped) == 3
    assert any("no startDate" in s for s in result.skipped)
    assert any("without a name" in s for s in result.skipped)


@pytest.mark.parametrize(
    "content,message",
    [
        ("{not json", "malformed JSON"),
        ("just some words", "neither JSON nor HTML"),
        ('{"@type": "Person", "name": "Ann"}', "no schema.org Event"),
        ("<html><body><p>No data here</p></body></html>", "no schema.org Event"),
    ],
)
def test_unreadable_input_raises_parse_error(content, message):
    with pytest.raises(ParseError, match=message):
        parse_schemaorg(content, "in.json")


def test_same_event_keeps_its_id():
    assert one(ev(url="https://x.org/e/1?aff=a")).id == one(ev(url="https://x.org/e/1")).id
    assert one(ev(url="https://x.org/e/1")).id != one(ev(url="https://x.org/e/1", startDate="2026-05-08")).id


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=400) | st.binary(max_size=400))
def test_random_input_gives_events_or_parse_error(content):
    try:
        result = parse(content, "fuzz")
    except ParseError:
        return
    assert all(e.title and e.start.tzinfo for e in result)


@settings(max_examples=60, deadline=None)
@given(st.integers(min_value=0, max_value=4000))
def test_truncated_real_page_gives_events_or_parse_error(cut):
    from conftest import FIXTURES

    page = (FIXTURES / "pages" / "meetup-with-json.html").read_bytes()[: cut * 20]
    with contextlib.suppress(ParseError):
        parse(page, "https://www.meetup.com/x")
