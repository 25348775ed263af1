"""Regenerate the iCalendar golden files: ``tests/fixtures/ics/<feed>.ics.expected.json``.

Each expected file is the list of ``Event.to_dict()`` (without ``first_seen``/``last_seen``) that
``parse_ics`` returns for the feed, called with the fixed ``url``/``now``/window of
``tests/fixtures/ics/golden_params.json``. ``tests/test_ical_golden.py`` compares against them.

Run it only when the parser's output is *meant* to change, then read the diff by eye before
committing (``git diff tests/fixtures/ics``): the golden files are only as right as that review.

Usage::

    .venv/bin/python tests/regen_golden.py            # rewrite every expected file, print a summary
    .venv/bin/python tests/regen_golden.py --check    # exit 1 if any expected file is out of date
"""

from __future__ import annotations

import json
import sys
from datetime import date, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures" / "ics"
PARAMS = FIXTURES / "golden_params.json"
sys.path.insert(0, str(ROOT))

from scrapers.ical import parse_ics  # noqa: E402


def feeds() -> list[Path]:
    """Every saved feed that has a golden file (all ``.ics`` files in the fixtures folder)."""
    return sorted(FIXTURES.glob("*.ics"))


def expected_path(feed: Path) -> Path:
    return feed.with_name(feed.name + ".expected.json")


def parse_feed(feed: Path):
    """``parse_ics`` on a saved feed with its golden parameters (source = the file's stem)."""
    params = json.loads(PARAMS.read_text("utf-8"))[feed.name]
    bound = {k: date.fromisoformat(params[k]) if params[k] else None for k in ("window_start", "window_end")}
    return parse_ics(
        feed.read_bytes(),
        params["url"],
        source=feed.stem,
        now=datetime.fromisoformat(params["now"]),
        **bound,
    )


def golden_dicts(events) -> list[dict]:
    rows = [e.to_dict() for e in events]
    for row in rows:
        del row["first_seen"], row["last_seen"]
    return rows


def render(rows: list[dict]) -> str:
    return json.dumps(rows, indent=1, ensure_ascii=False, sort_keys=True) + "\n"


def main(argv: list[str]) -> int:
    check = "--check" in argv
    stale = []
    for feed in feeds():
        result = parse_feed(feed)
        text = render(golden_dicts(result))
        target = expected_path(feed)
        if check:
            if not target.exists() or target.read_text("utf-8") != text:
                stale.append(target.name)
            continue
        target.write_text(text, "utf-8")
        print(f"{feed.name}: {len(result)} events, {len(result.skipped)} skipped -> {target.name}")
        for event in result[:3]:
            print(f"    {event.start.isoformat()}  {event.title[:50]!r}  venue={event.venue!r}")
        for reason in result.skipped:
            print(f"    skipped: {reason}")
    if stale:
        print("out of date: " + ", ".join(stale) + " (run tests/regen_golden.py and review the diff)")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
