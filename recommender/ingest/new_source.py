"""``kindred sources add URL``: fetch a candidate source once, say what it is and how many events it
holds, and append it to the sources file.

Nothing is stored: the next ``kindred refresh`` reads the new source with the others.

>>> suggest_name("https://www.meetup.com/toronto-board-games/events/ical/", set())
'toronto-board-games'
>>> suggest_name("https://www.torontopubliclibrary.ca/events.ics", {"torontopubliclibrary"})
'torontopubliclibrary-2'
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit

from recommender.core.config import Settings
from recommender.ingest.refresh import make_session, read
from recommender.ingest.sources import Source, SourcesError, parse_sources
from recommender.ranking.filters import has_ended
from scrapers.event import canonical_url
from scrapers.http import PoliteSession

HEADER = """# Kindred sources: the public calendars `kindred refresh` reads (see data/sources.example.toml).
# `kindred sources add URL` appends to this file.
"""
_GENERIC = {"events", "event", "calendar", "ical", "ics", "feed", "feeds", "www", "en", "basic", "public"}


@dataclass
class Inspection:
    """What one fetch of a candidate source found."""

    source: Source
    what: str  # "an iCalendar feed", "a Meetup page", "a web page with schema.org events"
    events: int
    upcoming: int


def inspect_source(
    url: str,
    *,
    name: str,
    settings: Settings,
    now: datetime,
    session: PoliteSession | None = None,
    **options,
) -> Inspection:
    """Fetch ``url`` once (politely, as ``kindred refresh`` does) and read it. Raises the fetch's or
    parser's error (a :class:`~scrapers.errors.KindredError`) when it cannot be read."""
    from scrapers.sites import adapter_for

    source = Source(name=name, url=url, **options)
    own = session is None
    session = session or make_session(settings)
    session.trust(url)  # named by the operator, as a sources file names its sources
    try:
        fetched = session.get(url)
    finally:
        if own:
            session.close()
    result, is_feed = read(fetched, source, now=now, tz=source.timezone or settings.timezone)
    events = list(result)
    adapter = adapter_for(fetched.url)
    if is_feed:
        what = "an iCalendar feed"
    elif adapter is not None:
        what = f"a {adapter.__module__.rsplit('.', 1)[-1].replace('_', ' ').title()} page"
    else:
        what = "a web page with schema.org events"
    kind = "ics" if is_feed else "page"
    upcoming = sum(not has_ended(e, now) for e in events)
    return Inspection(replace(source, kind=kind), what, len(events), upcoming)


def suggest_name(url: str, taken: set[str]) -> str:
    """A source name from ``url``'s host and path, not one of ``taken``."""
    parts = urlsplit(url)
    words = [w for w in re.split(r"[/.]+", parts.path.lower()) if w and w not in _GENERIC]
    host = parts.netloc.lower().removeprefix("www.").split(":")[0]
    site = host.split(".")[0] if host.count(".") >= 1 else host
    base = words[0] if "meetup" in host and words else "-".join([site, *words[:2]])  # a Meetup group
    base = re.sub(r"[^a-z0-9]+", "-", base).strip("-")[:60] or "source"
    name, n = base, 1
    while name in taken:
        n += 1
        name = f"{base}-{n}"
    return name


def listed_sources(path: Path) -> list[Source]:
    """The sources in ``path``, or none when the file does not exist yet."""
    if not path.is_file():
        return []
    return parse_sources(path.read_text(encoding="utf-8"), where=str(path))


def append_source(path: Path, source: Source) -> None:
    """Add ``source`` as a ``[[source]]`` table at the end of ``path`` (created when missing), after
    checking that the whole file still reads and that neither its name nor its URL is listed."""
    existing = listed_sources(path)
    for other in existing:
        if other.name == source.name:
            raise SourcesError(f"{path} already has a source named {source.name!r}; pick another with --name")
        if canonical_url(other.url) == canonical_url(source.url):
            raise SourcesError(f"{path} already lists {source.url} (as {other.name!r})")
    text = path.read_text(encoding="utf-8") if path.is_file() else HEADER
    text = text.rstrip("\n") + "\n\n" + source_toml(source)
    parse_sources(text, where=str(path))  # never write a file refresh cannot read
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def source_toml(source: Source) -> str:
    """``source`` as a ``[[source]]`` table (defaults left out).

    >>> choir = Source("choir", "https://example.org/c.ics", kind="ics", tags=("singing",))
    >>> print(source_toml(choir), end="")
    [[source]]
    name = "choir"
    url = "https://example.org/c.ics"
    kind = "ics"
    tags = ["singing"]
    """
    lines = ["[[source]]"]
    defaults = Source(name="", url="")
    for key in ("name", "url", "kind", "follow", "max_pages", "tags", "city", "timezone"):
        value = getattr(source, key)
        if key not in ("name", "url") and value == getattr(defaults, key):
            continue
        if isinstance(value, tuple):
            value = list(value)
        lines.append(f"{key} = {json.dumps(value, ensure_ascii=False)}")
    return "\n".join(lines) + "\n"
