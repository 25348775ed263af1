"""The built-in source, and which sources a refresh reads.

Kindred ships the City of Toronto's Festivals & Events open data as its embedded snapshot; Civic
Tech Toronto republishes that data daily as schema.org JSON-LD (``all.jsonld``), so the same
listings, current, are Kindred's **built-in source** ``toronto-open-data``. ``kindred refresh``
with no sources file refreshes it; the URL is the ``toronto_feed`` setting (``KINDRED_TORONTO_FEED``;
an empty value turns the built-in source off). A sources file replaces it: list it there too
(``data/sources.toronto.toml`` does) to keep it.

>>> from recommender.core.config import Settings
>>> src = toronto_source(Settings(toronto_feed="http://127.0.0.1:8000/all.jsonld"))
>>> src.name, src.kind, src.max_pages, src.city, src.timezone
('toronto-open-data', 'page', 0, 'Toronto', 'America/Toronto')
"""

from __future__ import annotations

from pathlib import Path

from recommender.core.config import Settings
from recommender.ingest.sources import (
    Source,
    SourcesError,
    default_sources_path,
    load_sources,
    resolve_sources_path,
)
from recommender.store.snapshot import SNAPSHOT_SOURCE, SNAPSHOT_TZ


def toronto_source(settings: Settings) -> Source:
    """The built-in source: the Toronto open data feed at ``settings.toronto_feed``."""
    return Source(
        SNAPSHOT_SOURCE, settings.toronto_feed, kind="page", max_pages=0, city="Toronto", timezone=SNAPSHOT_TZ
    )


def sources_to_refresh(option: str | Path | None, settings: Settings) -> tuple[list[Source], Path | None]:
    """``(sources, the file they came from)``: ``--sources``, else the configured file, else the
    default one when it exists, else only the built-in source (file None).

    Raises :class:`SourcesError` when a named file is missing or invalid, or when there is no file
    and the built-in source is turned off.
    """
    if option or settings.sources or default_sources_path().is_file():
        path = resolve_sources_path(option, settings.sources)
        return load_sources(path), path
    if not settings.toronto_feed:
        raise SourcesError(
            f"no sources file at {default_sources_path()} and the built-in Toronto source is turned off "
            "(toronto_feed is empty); copy data/sources.example.toml there, or pass --sources FILE"
        )
    return [toronto_source(settings)], None
