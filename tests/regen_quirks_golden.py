"""Regenerate the golden files of the quirk corpus: ``tests/fixtures/quirks/<file>.expected.json``.

Each file in ``tests/fixtures/quirks/`` is small, written for Kindred's tests, and reproduces one
way a real publisher's feed or page goes wrong (:data:`QUIRKS` says which publisher, and what must
happen). The expected file holds the events the parser returns (``Event.to_dict()`` without
``first_seen``/``last_seen``) and its skip reasons. ``tests/test_quirks_golden.py`` compares.

Run it only when the parsers' output is *meant* to change, and review ``git diff tests/fixtures/quirks``::

    .venv/bin/python tests/regen_quirks_golden.py
"""

from __future__ import annotations

import json
import sys
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
QUIRKS_DIR = ROOT / "tests" / "fixtures" / "quirks"
sys.path.insert(0, str(ROOT))

from scrapers import parse  # noqa: E402

NOW = datetime(2026, 3, 1, 12, tzinfo=timezone.utc)

#: file -> (who publishes this, what must happen)
QUIRKS = {
    "icloud_vtimezone_bad_offset.ics": (
        "iCloud shared calendars: a VTIMEZONE part with TZOFFSETFROM:+5328, an impossible offset",
        "the VTIMEZONE is skipped with a reason; both events are read (the TZID is an IANA name)",
    ),
    "outlook_freebusy_inverted.ics": (
        "Outlook free/busy publishing: a FREEBUSY period that ends before it starts",
        "the VFREEBUSY is skipped with a reason; the event beside it is read",
    ),
    "zero_duration_series.ics": (
        "booking and club tools that write DURATION:P0S on every occurrence",
        "the series is kept: three zero-length occurrences",
    ),
    "google_rdate_utc_date.ics": (
        "Google Calendar: RDATE:20260319Z, a date with a UTC designator",
        "the RDATE is read as that day at the series' time; the series keeps its two RRULE dates",
    ),
    "exchange_allday_exdate_tzid.ics": (
        "Exchange: an all-day series excluded with EXDATE;TZID=…:20260407T000000 (a midnight datetime)",
        "the excluded day is dropped: three of the four days remain",
    ),
    "interval_zero_series.ics": (
        "hand-edited feeds: RRULE:FREQ=DAILY;INTERVAL=0, a rule that never moves on",
        "that series is skipped with a reason (no hang); the other event is read",
    ),
    "every_second_series.ics": (
        "generated feeds: FREQ=HOURLY with every BYMINUTE and BYSECOND, 3,600 occurrences an hour",
        "that series is skipped within the parse budget; the other event is read",
    ),
    "wordpress_php_escapes_and_empty_blocks.html": (
        "WordPress event plugins and Yoast: PHP-style \\' escapes, an empty block, a truncated block",
        "the escaped block is mended and read, the empty and broken blocks skipped, the last read",
    ),
    "jsonld_and_microdata_same_event.html": (
        "theme templates that print an event as JSON-LD and as microdata (only one copy has a url)",
        "one event, with the url and description of the microdata copy",
    ),
    "latin1_meta_charset.html": (
        "older venue sites in ISO-8859-1, declared only in <meta charset>",
        "accents read right (Café, Crêperie), not as replacement characters",
    ),
    "utf16_bom.html": (
        "pages saved by Windows tools as UTF-16 with a byte-order mark",
        "the page is read (Gàidhlig, Òran Mór)",
    ),
    "xhtml_xml_declaration.html": (
        'XHTML pages that start with <?xml version="1.0" encoding="utf-8"?>',
        "the page is read",
    ),
}


def parse_quirk(name: str):
    return parse((QUIRKS_DIR / name).read_bytes(), f"https://example.org/{name}", source="quirks", now=NOW)


def golden(name: str) -> dict:
    result = parse_quirk(name)
    events = [e.to_dict() for e in result]
    for row in events:
        del row["first_seen"], row["last_seen"]
    return {"events": events, "skipped": list(result.skipped)}


def expected_path(name: str) -> Path:
    return QUIRKS_DIR / f"{name}.expected.json"


def render(data: dict) -> str:
    return json.dumps(data, indent=1, ensure_ascii=False, sort_keys=True) + "\n"


def main() -> int:
    for name in QUIRKS:
        data = golden(name)
        expected_path(name).write_text(render(data), "utf-8")
        print(f"{name}: {len(data['events'])} events, {len(data['skipped'])} skipped")
        for row in data["events"]:
            print(f"    {row['start']}  {row['title']!r}  venue={row['venue']!r}")
        for reason in data["skipped"]:
            print(f"    skipped: {reason}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
