"""Places in words: the gazetteer, resolve_place, the config's place, and --near/--user in queries."""

from __future__ import annotations

import json
import time

import pytest
from conftest import NOW

from recommender.core.config import ConfigError, Settings
from recommender.core.places import PlaceError, locate, place_label, resolve_place
from recommender.ranking.event_columns import EventColumns
from recommender.ranking.filters import EventFilter, event_point
from scrapers.event import Event

TORONTO = (43.70643, -79.39864)


@pytest.mark.parametrize(
    "text,label",
    [
        ("Toronto", "Toronto, ON, Canada"),
        ("toronto", "Toronto, ON, Canada"),
        ("Toronto, ON", "Toronto, ON, Canada"),
        ("Toronto, Ontario, Canada", "Toronto, ON, Canada"),
        ("Brighton, UK", "Brighton, England, United Kingdom"),
        ("Brighton UK", "Brighton, England, United Kingdom"),
        ("Brighton, MA", "Brighton, MA, United States"),
        ("London, ON", "London, ON, Canada"),
        ("St. Louis, MO", "St. Louis, MO, United States"),
        ("Montreal", "Montréal, QC, Canada"),
        ("New York", "New York City, NY, United States"),
        ("Glasgow, Scotland", "Glasgow, Scotland, United Kingdom"),
        (" 43.65 , -79.38 ", "43.65,-79.38"),
    ],
)
def test_places_people_write_resolve(text, label):
    place = resolve_place(text)
    assert place.label == label
    assert resolve_place(place.label).point == place.point  # the label reads back as the same place


def test_the_biggest_place_wins_only_when_it_dominates():
    brighton = resolve_place("Brighton")
    assert brighton.label == "Brighton, England, United Kingdom" and brighton.others == 4
    assert resolve_place("Toronto").others == 0
    with pytest.raises(PlaceError) as ambiguous:
        resolve_place("Springfield")
    assert ambiguous.value.candidates[:3] == [
        "Springfield, MO, United States", "Springfield, MA, United States", "Springfield, IL, United States"
    ]  # fmt: skip
    message = str(ambiguous.value)
    assert "(170,188 people)" in message and 'e.g. "Springfield, MO"' in message and "\n" not in message


@pytest.mark.parametrize(
    "text,says",
    [
        ("Torontoo", "did you mean Toronto, ON, Canada?"),
        ("Toronto, Narnia", "'Narnia' in 'Toronto, Narnia' is not a country or region"),
        ("Toronto, UK", "no Toronto in UK; places called Toronto: Toronto, ON, Canada"),
        ("Xqzzy", "no town called 'Xqzzy'"),
        ("north", "no town called 'north'"),
        ("91,0", "out of range"),
        ("43.65", "is not LAT,LON"),
        ("", "no place given"),
        ("x" * 500, "a place is a few words"),
        ("<script>alert(1)</script>", "no town called"),
        ("\x00\u202e, , ,", "no town called"),
    ],
)
def test_bad_places_say_why_in_one_line(text, says):
    started = time.monotonic()
    with pytest.raises(PlaceError, match=None) as exc:
        resolve_place(text)
    assert says in str(exc.value) and "\n" not in str(exc.value)
    assert time.monotonic() - started < 10


def test_a_stored_point_is_shown_back_as_its_town():
    assert place_label(*TORONTO) == "Toronto, ON, Canada"
    assert place_label(43.0, -30.0) == "43,-30"  # the middle of the Atlantic


def test_events_without_coordinates_are_placed_at_their_town():
    start = NOW
    city_only = Event(title="Choir", start=start, city="Toronto")
    by_address = Event(title="Chess", start=start, address="100 Queen St W, Toronto, ON M5H 2N2")
    ambiguous = Event(title="Quiz", start=start, city="Springfield")
    nowhere = Event(title="Walk", start=start)
    assert event_point(city_only) == event_point(by_address) == TORONTO
    assert event_point(ambiguous) is None and event_point(nowhere) is None
    assert locate("Springfield", "1 Main St, Springfield, IL") == resolve_place("Springfield, IL").point
    near = EventFilter(near=(43.65, -79.38), within_km=10)
    events = [city_only, by_address, ambiguous, nowhere]
    columns = EventColumns.from_events(events)
    assert columns.mask(near).tolist() == [near(e) for e in events] == [True, True, False, False]
    assert columns.unplaced().tolist() == [False, False, True, True]


def test_the_config_names_a_default_place_and_distance(tmp_path):
    config = tmp_path / "config.toml"
    config.write_text('place = "Brighton, UK"\nwithin_km = 12\n', encoding="utf-8")
    settings = Settings.load(env={"KINDRED_CONFIG": str(config)})
    assert settings.home().label == "Brighton, England, United Kingdom" and settings.within_km == 12
    assert (
        Settings.load(env={"KINDRED_CONFIG": str(config), "KINDRED_PLACE": "Toronto"}).home().point == TORONTO
    )
    with pytest.raises(
        ConfigError, match="the place in the config file or KINDRED_PLACE: 'Cambridge' could be"
    ):
        Settings.load(env={"KINDRED_CONFIG": "/none", "KINDRED_PLACE": "Cambridge"}).home()
    config.write_text("within_km = -3\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="within_km must be more than 0"):
        Settings.load(env={"KINDRED_CONFIG": str(config)})
    config.write_text("place = 43.6\n", encoding="utf-8")
    with pytest.raises(ConfigError, match='place must be a string, e.g. place = "Toronto, ON"'):
        Settings.load(env={"KINDRED_CONFIG": str(config)})


# --- in queries -------------------------------------------------------------------------------------

EVENTS = [
    {"@type": "Event", "name": "Board game night downtown", "startDate": "2026-11-28T19:00-05:00",
     "location": {"@type": "Place", "name": "Snakes & Lattes",
                  "geo": {"@type": "GeoCoordinates", "latitude": 43.665, "longitude": -79.41}}},
    {"@type": "Event", "name": "Board game night in Brighton", "startDate": "2026-11-28T19:00Z",
     "location": {"@type": "Place", "name": "The Pub",
                  "geo": {"@type": "GeoCoordinates", "latitude": 50.82, "longitude": -0.14}}},
    {"@type": "Event", "name": "Board game night, city only", "startDate": "2026-11-29T19:00-05:00",
     "location": {"@type": "Place", "name": "Community hall",
                  "address": {"@type": "PostalAddress", "addressLocality": "Toronto"}}},
    {"@type": "Event", "name": "Board game night, no place at all", "startDate": "2026-11-30T19:00-05:00"},
    {"@type": "Event", "name": "Online board game night", "startDate": "2026-11-30T20:00Z",
     "eventAttendanceMode": "https://schema.org/OnlineEventAttendanceMode",
     "location": {"@type": "VirtualLocation", "url": "https://example.org/meet"}},
]  # fmt: skip


@pytest.fixture
def world(db, kindred, tmp_path):
    (tmp_path / "games.json").write_text(json.dumps(EVENTS), encoding="utf-8")
    kindred("--db", db, "import", str(tmp_path / "games.json"), check=True)
    return db


def titles(kindred, db, *args, env=None):
    proc = kindred("--db", db, "query", *args, "--format", "json", env=env, check=True)
    return sorted(p["title"] for p in json.loads(proc.stdout)), proc.stderr


@pytest.mark.every_store
def test_near_a_town_in_words(world, kindred):
    found, notes = titles(kindred, world, "board games", "--near", "Toronto", "--within", "10")
    assert found == ["Board game night downtown", "Board game night, city only", "Online board game night"]
    assert "1 in-person event in 2026-11-22 – 2026-12-21 names no place Kindred can find" in notes
    assert titles(kindred, world, "board games", "--near", "Brighton, UK", "--within", "5")[0] == [
        "Board game night in Brighton", "Online board game night"
    ]  # fmt: skip
    biggest, notes = titles(kindred, world, "board games", "--near", "Brighton", "--within", "5")
    assert "Brighton, England, United Kingdom is the biggest of 5 places of that name" in notes
    bad = kindred("--db", world, "query", "board games", "--near", "Springfield")
    assert bad.returncode == 2 and "could be Springfield, MO" in bad.stderr and "Traceback" not in bad.stderr


@pytest.mark.every_store
def test_the_configured_place_applies_unless_anywhere(world, kindred):
    env = {"KINDRED_PLACE": "Brighton, UK", "KINDRED_WITHIN_KM": "5"}
    assert titles(kindred, world, "board games", env=env)[0] == [
        "Board game night in Brighton", "Online board game night"
    ]  # fmt: skip
    assert len(titles(kindred, world, "board games", "--anywhere", env=env)[0]) == 5
    header = kindred("--db", world, "query", "board games", env=env, check=True).stdout
    assert "within 5 km of Brighton, England, United Kingdom" in header


@pytest.mark.every_store
def test_query_as_a_subscriber_uses_their_place_distance_mode_and_passions(world, kindred):
    kindred("--db", world, "users", "add", "sam@example.org", "--passions", "board games", "--near",
            "Toronto", "--within", "10", "--mode", "in-person", check=True)  # fmt: skip
    found, _ = titles(kindred, world, "--user", "sam@example.org")
    assert found == ["Board game night downtown", "Board game night, city only"]
    online, _ = titles(kindred, world, "--user", "sam@example.org", "--mode", "any")
    assert "Online board game night" in online
    listed = kindred("--db", world, "users", "list", check=True).stdout
    assert "within 10 km of Toronto, ON, Canada" in listed
