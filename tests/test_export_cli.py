"""``kindred export-ics`` through the command line's entry point."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from digest_world import SEEDED, make_events
from icalendar import Calendar

from recommender.store.event_store import Store


def uids(body: bytes) -> list[str]:
    return sorted(str(v["uid"]) for v in Calendar.from_ical(body).walk("VEVENT"))


@pytest.mark.usefixtures("snapshot_home")
def test_board_games_on_the_embedded_data_imports_cleanly_and_uids_are_stable(kindred, tmp_path):
    out = tmp_path / "board-games.ics"
    first = kindred("export-ics", "board games", "-o", str(out), check=True)
    body = out.read_bytes()
    cal = Calendar.from_ical(body)
    events = cal.walk("VEVENT")
    assert events and f"Wrote {len(events)} events to {out}" in first.stderr
    assert all(str(v["uid"]).endswith("@kindred") and "dtstart" in v and "dtend" in v for v in events)
    assert not cal.get_missing_tzids()  # every TZID used has its VTIMEZONE
    again = kindred("export-ics", "board games", check=True)  # to stdout, same fixed "now"
    assert again.stdout == body.decode().replace("\r\n", "\n")  # the runner reads stdout as text


def test_matching_cancelled_events_are_exported_as_cancelled(kindred, tmp_path):
    db = f"sqlite:///{tmp_path / 'k.db'}"
    Store(db).upsert(make_events(), now=SEEDED)
    window = ("--from", "2026-11-23", "--to", "2026-11-30")
    query = kindred("--db", db, "query", "jazz", *window, "--format", "json", check=True)
    assert "Jazz brunch" not in query.stdout  # the query leaves cancelled events out
    out = tmp_path / "jazz.ics"
    kindred("--db", db, "export-ics", "jazz", *window, "-o", str(out), check=True)
    status = {
        str(v["summary"]): str(v["status"]) for v in Calendar.from_ical(out.read_bytes()).walk("VEVENT")
    }
    assert status == {"Jazz jam session": "CONFIRMED", "Jazz brunch": "CANCELLED"}
    brunch = next(
        v for v in Calendar.from_ical(out.read_bytes()).walk("VEVENT") if v["status"] == "CANCELLED"
    )
    assert brunch["dtstamp"].dt == datetime(2026, 11, 22, 12, tzinfo=UTC)  # KINDRED_NOW


@pytest.mark.usefixtures("snapshot_home")
def test_unwritable_output_is_one_clear_error(kindred, tmp_path):
    result = kindred("export-ics", "board games", "-o", str(tmp_path / "missing" / "x.ics"))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr.strip().splitlines()[-1].startswith("kindred: error: cannot write")
    assert "-o" in result.stderr
