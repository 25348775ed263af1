"""What `kindred query` and friends say: past markers, why a window is empty and what to try, the
order of the list, plurals, and the small commands (event, dismissed, undismiss, users edit)."""

from __future__ import annotations

import json

import pytest

pytestmark = pytest.mark.every_store

# conftest's NOW is 2026-11-22 12:00 UTC
EVENTS = [
    {"@type": "Event", "name": "Pottery wheel class", "startDate": "2026-10-01T18:00Z",
     "isAccessibleForFree": False,
     "location": {"@type": "Place", "name": "Clay studio",
                  "geo": {"@type": "GeoCoordinates", "latitude": 43.65, "longitude": -79.38}}},
    {"@type": "Event", "name": "Pottery open studio", "startDate": "2026-09-15T18:00Z",
     "location": {"@type": "Place", "name": "Clay studio",
                  "geo": {"@type": "GeoCoordinates", "latitude": 43.65, "longitude": -79.38}}},
    {"@type": "Event", "name": "Trail running club", "startDate": "2027-03-01T09:00Z",
     "location": {"@type": "Place", "name": "Ravine",
                  "geo": {"@type": "GeoCoordinates", "latitude": 43.70, "longitude": -79.40}}},
    {"@type": "Event", "name": "Chess in the park", "startDate": "2026-11-25T17:00Z",
     "location": {"@type": "Place", "name": "Park",
                  "geo": {"@type": "GeoCoordinates", "latitude": 43.80, "longitude": -79.40}}},
]  # fmt: skip


@pytest.fixture
def world(db, kindred, tmp_path):
    (tmp_path / "events.json").write_text(json.dumps(EVENTS), encoding="utf-8")
    kindred("--db", db, "import", str(tmp_path / "events.json"), check=True)
    return db


def query(kindred, db, *args, fmt="json"):
    proc = kindred("--db", db, "query", *args, "--format", fmt, check=True)
    return (json.loads(proc.stdout) if fmt == "json" else proc.stdout), proc.stderr


def test_past_events_are_shown_only_when_nothing_upcoming_matches_and_are_marked(world, kindred):
    picks, notes = query(kindred, world, "pottery")
    assert {p["title"] for p in picks} == {"Pottery wheel class", "Pottery open studio"}
    assert all(p["past"] is True for p in picks)
    assert "Showing past events because nothing upcoming matches pottery; each is marked past." in notes
    table, _ = query(kindred, world, "pottery", fmt="table")
    assert "window: any date" in table and table.count("past") >= 2
    soon, notes = query(kindred, world, "chess")
    assert [p["past"] for p in soon] == [False] and "Showing past" not in notes


def test_later_events_come_before_past_ones(world, kindred):
    picks, notes = query(kindred, world, "trail running")
    assert [p["title"] for p in picks] == ["Trail running club"] and picks[0]["past"] is False
    assert "Nothing matches trail running in the next 30 days; these are later." in notes


def test_an_empty_window_says_which_filter_left_the_matches_out(world, kindred):
    _, dates = query(kindred, world, "pottery", "--from", "2026-12-01", "--to", "2026-12-31")
    assert "Nothing matched pottery in 2026-12-01 – 2026-12-31." in dates
    assert "2 on other dates (2026-09-15 to 2026-10-01; try --any-date or other --from/--to)" in dates
    _, far = query(kindred, world, "chess", "--near", "43.65,-79.38", "--within", "5")
    assert (
        "within 5 km of 43.65,-79.38" in far and "1 farther away (the nearest 17 km; try --within 20" in far
    )
    _, online = query(kindred, world, "chess", "--mode", "online")
    assert "1 not online (try --mode any)" in online and "Related hobbies" not in online
    _, free = query(kindred, world, "pottery", "--any-date", "--free")
    assert "not known to be free (try without --free)" in free
    _, nothing = query(kindred, world, "knitting")
    assert "No stored event matches knitting, at any date or place." in nothing
    table, _ = query(kindred, world, "chess", "--mode", "online", fmt="table")
    assert "No events to show" in table


def test_explain_hides_parts_that_are_zero_and_the_order_is_said(world, kindred):
    table, _ = query(kindred, world, "pottery", "--explain", "--limit", "1", fmt="table")
    assert "your words +" in table and "-0.000" not in table and "+0.000" not in table
    two, _ = query(kindred, world, "pottery and chess", fmt="table")
    assert "Ordered by score summed over your passions" in two
    one, _ = query(kindred, world, "pottery", fmt="table")
    assert "Ordered by" not in one


def test_export_with_nothing_to_export_writes_nothing(world, kindred, tmp_path):
    out = tmp_path / "cal.ics"
    out.write_bytes(b"keep me")
    proc = kindred("--db", world, "export-ics", "chess", "--mode", "online", "-o", str(out))
    assert proc.returncode == 1 and "no events to export for chess, so nothing was written" in proc.stderr
    assert out.read_bytes() == b"keep me"
    one = kindred("--db", world, "export-ics", "chess", "-o", str(out), check=True)
    assert "Wrote 1 event to " in one.stderr


def test_event_details_dismissals_and_plurals(world, kindred):
    (chess,) = json.loads(kindred("--db", world, "query", "chess", "--format", "json", check=True).stdout)
    shown = kindred("--db", world, "event", chess["id"], check=True).stdout
    assert shown.startswith("Chess in the park\n") and "Where:" in shown and chess["id"] in shown
    assert (
        json.loads(kindred("--db", world, "event", chess["id"], "--format", "json").stdout)[0]["past"]
        is False
    )
    missing = kindred("--db", world, "event", "ev-nope")
    assert missing.returncode == 1 and "no event 'ev-nope' in the store" in missing.stderr
    assert "Nothing dismissed for your profile." in kindred("--db", world, "dismissed", check=True).stdout
    kindred("--db", world, "dismiss", chess["id"], check=True)
    listed = kindred("--db", world, "dismissed", check=True).stdout
    assert "1 event dismissed for your profile:" in listed and "Chess in the park" in listed
    assert "Undone" in kindred("--db", world, "undismiss", chess["id"], check=True).stdout
    again = kindred("--db", world, "undismiss", chess["id"])
    assert again.returncode == 1 and "was not dismissed" in again.stderr
    assert "4 events" in kindred("--db", world, "events", check=True).stdout


def test_users_edit_says_what_changed(world, kindred):
    kindred("--db", world, "users", "add", "sam@example.org", "--passions", "chess", check=True)
    nothing = kindred("--db", world, "users", "edit", "sam@example.org")
    assert nothing.returncode == 2 and "nothing to change" in nothing.stderr
    same = kindred("--db", world, "users", "edit", "sam@example.org", "--day", "mon", check=True)
    assert "Nothing changed for sam@example.org" in same.stdout
    changed = kindred(
        "--db", world, "users", "edit", "sam@example.org", "--day", "sun", "--hour", "9", check=True
    )
    assert "Updated sam@example.org: day, hour." in changed.stdout
