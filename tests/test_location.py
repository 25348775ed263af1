"""Venue/address splitting and the online heuristics of scrapers.location."""

import pytest

from scrapers.location import attendance_mode, clean_location, is_meeting_link, split_location


@pytest.mark.parametrize(
    ("text", "venue", "address"),
    [
        ("Z-arts, 335 Stretford Rd, Manchester M15 5ZA", "Z-arts", "335 Stretford Rd, Manchester M15 5ZA"),
        ("180 Russell St, Manchester M16 7JL", None, "180 Russell St, Manchester M16 7JL"),
        ("Guildhall Cl, Manchester M16 7BA", None, "Guildhall Cl, Manchester M16 7BA"),
        ("Alexandra Park", "Alexandra Park", None),
        (
            "Old Abbey Taphouse Guildhall Cl Manchester M16 7BA",
            None,
            "Old Abbey Taphouse Guildhall Cl Manchester M16 7BA",
        ),
        ("#_LOCATIONNAME, #_LOCATIONFULLLINE, #_LOCATIONCOUNTRY", None, None),
        ("Online via Zoom", None, None),
        ("Central Library, https://zoom.us/j/1", "Central Library", None),
        ("", None, None),
        (None, None, None),
    ],
)
def test_split_location(text, venue, address):
    assert split_location(text) == (venue, address)


@pytest.mark.parametrize(
    ("location", "url", "mode"),
    [
        ("Online", None, "online"),
        ("Virtual event - Google Meet", None, "online"),
        ("Live stream on YouTube", None, "online"),
        ("https://teams.microsoft.com/l/meetup-join/abc", None, "online"),
        (None, "https://whereby.com/club", "online"),
        (None, "https://example.org/e/1", "in_person"),
        ("Hybrid: Library & Zoom", None, "mixed"),
        ("Central Library and online", None, "mixed"),
        ("Central Library, https://zoom.us/j/1", None, "mixed"),
        ("Zoom Room, Leisure Centre", None, "in_person"),
        ("Teams Room, Central Library", None, "in_person"),
        ("Meet at the gate", None, "in_person"),
        ("https://example.org/venue", None, "in_person"),
    ],
)
def test_attendance_mode(location, url, mode):
    assert attendance_mode(location, url) == mode


def test_meeting_link_needs_a_meeting_host_not_a_lookalike():
    assert is_meeting_link("https://us02web.zoom.us/j/1")
    assert not is_meeting_link("https://notzoom.us.example.org/j/1")
    assert not is_meeting_link("not a url at all")
    assert clean_location("  ,  ") is None
