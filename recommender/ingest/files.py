"""``kindred import``: events from local files (JSON-LD, saved web pages, iCalendar), one file at a time.

A file that cannot be read is reported and the others are still imported; inside a file the parsers
skip bad records with a reason (see :class:`scrapers.result.ParseResult`).

>>> import json, tempfile
>>> from pathlib import Path
>>> folder = Path(tempfile.mkdtemp())
>>> good = folder / "choir.jsonld"
>>> _ = good.write_text(json.dumps({"@context": "https://schema.org", "@type": "Event",
...     "name": "Choir night", "startDate": "2026-12-01T19:00:00-05:00"}))
>>> [e.title for e in read_events_file(good, default_tz="UTC")]
['Choir night']
>>> read_events_file(folder / "missing.ics", default_tz="UTC")
Traceback (most recent call last):
...
scrapers.errors.KindredError: .../missing.ics: no such file; check the path
"""

from __future__ import annotations

import logging
from datetime import date, datetime, time, timedelta
from pathlib import Path

from scrapers import parse
from scrapers.errors import KindredError, ParseError
from scrapers.result import ParseResult
from scrapers.zones import get_zone

log = logging.getLogger(__name__)
SUFFIXES = {".json", ".jsonld", ".html", ".htm", ".ics", ".ical", ".ifb"}
MAX_FILE_BYTES = 50 * 1024 * 1024  # a listing file, not an archive
DEFAULT_SPAN = timedelta(days=365)  # how far recurring events are expanded when only --from is given


def expansion_window(
    date_from: date | None, date_to: date | None, *, zone: str, now: datetime
) -> tuple[datetime, datetime] | None:
    """The instants ``--from``/``--to`` (inclusive local dates) bound recurring events to, or None.

    >>> from datetime import UTC
    >>> now = datetime.now(UTC)
    >>> start, end = expansion_window(date(2026, 12, 1), date(2026, 12, 31), zone="UTC", now=now)
    >>> start.isoformat(), end.isoformat()
    ('2026-12-01T00:00:00+00:00', '2027-01-01T00:00:00+00:00')
    """
    if not (date_from or date_to):
        return None
    tz = get_zone(zone)
    start = datetime.combine(date_from or now.astimezone(tz).date(), time(0), tz)
    end = datetime.combine(date_to, time(0), tz) + timedelta(days=1) if date_to else start + DEFAULT_SPAN
    if end <= start:
        raise KindredError(f"--to {date_to} is before --from {date_from}")
    return start, end


def read_events_file(
    path: Path, *, default_tz: str, window: tuple[datetime, datetime] | None = None
) -> ParseResult:
    """Parse one local file into events; any trouble with the file is one :class:`KindredError`."""
    if not path.is_file():
        raise KindredError(f"{path}: no such file; check the path")
    if path.suffix.lower() not in SUFFIXES:
        raise KindredError(
            f"{path}: unsupported file type {path.suffix or '(none)'}; "
            "import .json/.jsonld, .html or .ics files"
        )
    if path.stat().st_size > MAX_FILE_BYTES:
        raise KindredError(
            f"{path}: {path.stat().st_size:,} bytes is more than a listing file holds; not read"
        )
    options = {"window_start": window[0], "window_end": window[1]} if window else {}
    uri = path.resolve().as_uri()
    try:
        return parse(path.read_bytes(), uri, source=f"file:{path.name}", default_tz=default_tz, **options)
    except ParseError as exc:
        raise KindredError(f"{path}: {exc}".replace(f"{uri}: ", "")) from exc
    except (OSError, RecursionError, MemoryError, ValueError, TypeError, LookupError, ArithmeticError) as exc:
        # A parser that meets something it does not expect must cost this file only, not the run.
        log.debug("reading %s failed", path, exc_info=True)
        raise KindredError(f"{path}: could not be read ({type(exc).__name__}: {exc}); skipped") from None
