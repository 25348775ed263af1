"""Golden tests: each saved real page / JSON-LD file beside the events we expect from it."""

from __future__ import annotations

import json

import pytest
from regen_pages_golden import expected_for, fixtures


@pytest.mark.parametrize("path", fixtures(), ids=lambda p: p.name)
def test_page_matches_golden(path):
    expected = json.loads(path.with_name(path.name + ".expected.json").read_text(encoding="utf-8"))
    assert expected_for(path) == expected


# Independent of the golden files: counts known from the sources (SOURCES.md / extruct's own
# expected output), so a regenerated golden file cannot quietly drop events.
KNOWN_COUNTS = {
    "Years_Years_Tickets_Tour_Dates_2015_Concerts.html": 13,
    "Maximo_Park_Gigography_Tour_History_Past_Concerts.html": 49,
    "elysianfields.html": 4,
    "elysianfields_1.html": 4,
    "tovestyrke.html": 1,
    "meetup-homepage-with-json.html": 4,
    "meetup-homepage-without-json.html": 4,
    "meetup-with-json.html": 1,
    "eventbrite_organizer_queer-lit-social-refuge.html": 24,
    "outsavvy_organiser_sappho-events.html": 4,
    "toronto_sample.jsonld": 41,
    "eventbrite_api_organizer_48062165483_events_page1.json": 50,
    "eventbrite_api_organizer_48062165483_events_page2.json": 22,
    "eventbrite_api_organizer_72020528223_events.json": 1,
}


@pytest.mark.parametrize("name,count", sorted(KNOWN_COUNTS.items()))
def test_event_counts_match_sources(name, count):
    path = next(p for p in fixtures() if p.name == name)
    assert len(expected_for(path)["events"]) == count


def test_meetup_event_page_matches_upstream_facts():
    """SpokaneTech's own test asserts these values for this page."""
    path = next(p for p in fixtures() if p.name == "meetup-with-json.html")
    (ev,) = expected_for(path)["events"]
    assert ev["title"] == "Dagger with Spokane Tech 🚀"
    assert ev["start"] == "2024-03-19T18:00:00-07:00"
    assert ev["end"] == "2024-03-19T19:30:00-07:00"
    assert ev["address"].startswith("1720 W 4th Ave Unit B, Spokane, WA")
