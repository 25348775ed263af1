"""The sources file: which public calendars and pages ``kindred refresh`` reads.

A TOML file with one ``[[source]]`` table per source::

    [[source]]
    name = "birch-community-centre"                 # required, unique; stored on each event
    url = "https://www.birchcommunitycentre.co.uk/events.ics"   # required, http(s)
    kind = "ics"                                    # ics | page | auto (default: by content type)
    tags = ["community"]                            # optional: added to every event's tags
    city = "Manchester"                             # optional: for events that name no city
    timezone = "Europe/London"                      # optional: for times written without a zone

    [[source]]
    name = "queer-lit-eventbrite"
    url = "https://www.eventbrite.co.uk/o/queer-lit-social-refuge-48062165483"
    kind = "page"
    follow = "/e/"        # optional regex: links on the same host to follow from this listing page
    max_pages = 10        # optional: at most this many followed pages per refresh (0: never follow)

Where it is looked for: ``kindred refresh --sources FILE``, else ``$KINDRED_SOURCES`` / ``sources``
in the config file, else ``<user config dir>/sources.toml`` (e.g. ``~/.config/kindred/sources.toml``).

>>> doc = 'source = [{name = "choir", url = "https://example.org/choir.ics", tags = ["singing"]}]'
>>> (src,) = parse_sources(doc)
>>> src.name, src.kind, src.tags, src.max_pages
('choir', 'auto', ('singing',), 10)
>>> try:
...     parse_sources('source = [{name = "x", url = "ftp://example.org/x"}]')
... except SourcesError as exc:
...     print(exc)
sources: source 1 ('x'): url must start with http:// or https://, got 'ftp://example.org/x'
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, fields
from pathlib import Path
from urllib.parse import urlsplit

from recommender.core.config import ConfigError
from recommender.core.paths import user_config_dir

KINDS = ("auto", "ics", "page")


class SourcesError(ConfigError):
    """The sources file is missing or holds something unusable; the message names the source."""


@dataclass(frozen=True)
class Source:
    """One source: where to fetch, how to read it, and what to add to its events."""

    name: str
    url: str
    kind: str = "auto"
    follow: str | None = None
    max_pages: int = 10
    tags: tuple[str, ...] = ()
    city: str | None = None
    timezone: str | None = None

    def follows(self, url: str) -> bool:
        """True when ``url`` is on this source's host and matches its ``follow`` pattern."""
        if not self.follow or urlsplit(url).netloc.lower() != urlsplit(self.url).netloc.lower():
            return False
        return re.search(self.follow, url) is not None


def default_sources_path() -> Path:
    """``<user config dir>/sources.toml``."""
    return user_config_dir() / "sources.toml"


def resolve_sources_path(option: str | Path | None, configured: str | Path | None) -> Path:
    """The file to read: ``--sources``, else the configured path, else the default location."""
    path = Path(option or configured or default_sources_path()).expanduser()
    if not path.is_file():
        raise SourcesError(
            f"no sources file at {path}; copy data/sources.example.toml there and edit it, "
            "or pass --sources FILE"
        )
    return path


def load_sources(path: str | Path) -> list[Source]:
    """Read and check a sources file (see the module notes). Raises :class:`SourcesError`."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise SourcesError(f"cannot read the sources file {path} ({exc}); check the path") from exc
    return parse_sources(text, where=str(path))


def parse_sources(text: str, *, where: str = "sources") -> list[Source]:
    """Sources from TOML text; every problem is listed in one :class:`SourcesError`."""
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise SourcesError(f"{where}: not valid TOML ({exc}); fix the file") from exc
    extra = sorted(set(doc) - {"source"})
    tables = doc.get("source", [])
    if extra or not isinstance(tables, list):
        raise SourcesError(
            f"{where}: expected only [[source]] tables, found {', '.join(extra) or 'source = …'}; "
            "see data/sources.example.toml"
        )
    if not tables:
        raise SourcesError(f"{where}: no [[source]] listed; add at least one (see data/sources.example.toml)")
    problems: list[str] = []
    sources: list[Source] = []
    seen: set[str] = set()
    for number, table in enumerate(tables, start=1):
        label = f"source {number}" + (f" ({table.get('name')!r})" if isinstance(table, dict) else "")
        found = _check(table, problems, label)
        if found is None:
            continue
        if found.name in seen:
            problems.append(f"{label}: the name {found.name!r} is used twice; names must be unique")
        seen.add(found.name)
        sources.append(found)
    if problems:
        raise SourcesError(f"{where}: " + "; ".join(problems))
    return sources


def _check(table: object, problems: list[str], label: str) -> Source | None:
    start = len(problems)
    if not isinstance(table, dict):
        problems.append(f"{label}: expected a table with name and url")
        return None
    known = {f.name for f in fields(Source)}
    unknown = sorted(set(table) - known)
    if unknown:
        problems.append(f"{label}: unknown key(s) {', '.join(unknown)}; known: {', '.join(sorted(known))}")
    for key in ("name", "url"):
        if not isinstance(table.get(key), str) or not table[key].strip():
            problems.append(f"{label}: {key} is required (a non-empty string)")
    url = str(table.get("url") or "")
    if url and urlsplit(url).scheme not in ("http", "https"):
        problems.append(f"{label}: url must start with http:// or https://, got {url!r}")
    if table.get("kind", "auto") not in KINDS:
        problems.append(f"{label}: kind must be one of {', '.join(KINDS)}, got {table.get('kind')!r}")
    follow = table.get("follow")
    if follow is not None:
        try:
            re.compile(str(follow))
        except re.error as exc:
            problems.append(f"{label}: follow {follow!r} is not a regular expression ({exc})")
    pages = table.get("max_pages", 10)
    if not isinstance(pages, int) or isinstance(pages, bool) or pages < 0:
        problems.append(f"{label}: max_pages must be a whole number 0 or more, got {pages!r}")
    tags = table.get("tags", [])
    if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
        problems.append(f'{label}: tags must be a list of strings, e.g. ["hiking"]')
    for key in ("city", "timezone"):
        if key in table and not isinstance(table[key], str):
            problems.append(f"{label}: {key} must be a string")
    if "timezone" in table and isinstance(table["timezone"], str):
        from scrapers.zones import get_zone

        try:
            get_zone(table["timezone"])
        except ValueError as exc:
            problems.append(f"{label}: {exc}")
    if len(problems) > start:
        return None
    values = {k: v for k, v in table.items() if k in known}
    values["tags"] = tuple(tags)
    values["name"], values["url"] = values["name"].strip(), values["url"].strip()
    return Source(**values)
