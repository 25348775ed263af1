"""Regenerate the expected JSON beside each saved page in tests/fixtures/pages/.

Run ``python tests/regen_pages_golden.py`` after a deliberate parser change, then read the diff:
every changed value must be one you meant to change.
"""

from __future__ import annotations

import json
from pathlib import Path

from scrapers import parse
from scrapers.errors import ParseError

PAGES = Path(__file__).parent / "fixtures" / "pages"
SUFFIXES = (".html", ".jsonld", ".json")


# Where a saved page came from, for pages whose site has an adapter (chosen by the URL's host);
# the others are read as if served from a neutral test host.
ORIGINAL_URLS = {
    "meetup-with-json.html": "https://www.meetup.com/python-spokane/events/298213205/",
    "meetup-without-json.html": "https://www.meetup.com/python-spokane/events/298213205/",
    "meetup-homepage-with-json.html": "https://www.meetup.com/python-spokane/",
    "meetup-homepage-without-json.html": "https://www.meetup.com/python-spokane/",
    "eventbrite_organizer_queer-lit-social-refuge.html": (
        "https://www.eventbrite.co.uk/o/queer-lit-social-refuge-48062165483"
    ),
    "eventbrite_api_organizer_48062165483_events_page1.json": (
        "https://www.eventbriteapi.com/v3/organizers/48062165483/events/?expand=venue&page=1"
    ),
    "eventbrite_api_organizer_48062165483_events_page2.json": (
        "https://www.eventbriteapi.com/v3/organizers/48062165483/events/?expand=venue&page=2"
    ),
    "eventbrite_api_organizer_72020528223_events.json": (
        "https://www.eventbriteapi.com/v3/organizers/72020528223/events/"
    ),
}


def page_url(path: Path) -> str:
    return ORIGINAL_URLS.get(path.name, f"https://fixtures.test/{path.name}")


def expected_for(path: Path) -> dict:
    """What the parser makes of one fixture: events (without seen-times) and skip reasons, or the error."""
    try:
        result = parse(path.read_bytes(), page_url(path), source="fixture", default_tz="Europe/London")
    except ParseError as exc:
        return {"error": str(exc)}
    events = []
    for ev in result:
        record = ev.to_dict()
        record.pop("first_seen"), record.pop("last_seen")
        events.append(record)
    out = {"events": events, "skipped": result.skipped}
    if result.follow:
        out["follow"] = result.follow
    return out


def fixtures() -> list[Path]:
    return sorted(
        p for p in PAGES.iterdir() if p.suffix in SUFFIXES and not p.name.endswith(".expected.json")
    )


if __name__ == "__main__":
    for path in fixtures():
        out = path.with_name(path.name + ".expected.json")
        out.write_text(json.dumps(expected_for(path), indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        print(out.name)
