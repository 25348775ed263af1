"""Refresh pipeline pieces: normalising, de-duplication, following listing pages, the summary."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from conftest import NOW
from refresh_server import serve

from recommender.core.config import Settings
from recommender.ingest.refresh import dedupe, normalise, refresh_all
from recommender.ingest.report import SourceReport
from recommender.ingest.sources import Source
from recommender.store.event_store import Store
from scrapers import sites
from scrapers.event import Event
from scrapers.http import PoliteSession

SRC = Source("club", "https://example.org/club.ics", tags=("chess",), city="Leeds")


def ev(title="Chess night", hour=19, venue="The Library", url=None, **kw) -> Event:
    return Event(title=title, start=datetime(2026, 12, 1, hour, tzinfo=UTC), venue=venue, url=url, **kw)


def test_normalise_adds_source_name_tags_and_missing_city():
    out = normalise(ev(tags=["games"], city=None), SRC)
    assert (out.source, out.tags, out.city) == ("club", ["games", "chess"], "Leeds")
    assert normalise(ev(city="York", tags=["chess"]), SRC).city == "York"
    assert normalise(ev(tags=["chess"]), SRC).tags == ["chess"]


def test_dedupe_within_a_source():
    report = SourceReport("club", SRC.url)
    same_key_other_url = ev(title="CHESS   night!", url="https://example.org/other")
    reworded = ev(title="The Chess Night", venue="The Library & Cafe", url="https://example.org/3")
    same_again = ev(venue="The Library and Cafe", url="https://example.org/4")
    out = dedupe([ev(), ev(), same_key_other_url, ev(hour=20), reworded, same_again], SRC, {}, report)
    kept = [(e.start.hour, e.venue) for e in out]
    assert kept == [(19, "The Library"), (20, "The Library"), (19, "The Library & Cafe")]
    assert report.skipped == ["listed twice by this source"] * 3


def test_dedupe_across_sources_and_reidentified_events():
    first = ev(url="https://example.org/a")
    known = {("chess night", first.start.isoformat(), "library"): ("ev-stored", "other")}
    report = SourceReport("club", SRC.url)
    assert dedupe([first], SRC, known, report) == []
    assert report.skipped == ["already listed by source 'other'"]
    known = {("chess night", first.start.isoformat(), "library"): ("ev-stored", "club")}
    (kept,) = dedupe([first], SRC, known, SourceReport("club", SRC.url))
    assert kept.id == "ev-stored" and kept.url == "https://example.org/a"


EB_LISTING = """<html><head><script type="application/ld+json">
{"@context": "https://schema.org", "@type": "ItemList", "itemListElement": [
 {"@type": "ListItem", "position": 1, "item": {"@type": "Event", "name": "Pottery taster",
  "startDate": "2026-12-05", "url": "BASE/e/pottery-111"}},
 {"@type": "ListItem", "position": 2, "item": {"@type": "Event", "name": "Chess club",
  "startDate": "2026-12-06", "url": "BASE/e/chess-222"}}]}
</script></head><body><a href="/e/pottery-111">Pottery</a><a href="/e/chess-222">Chess</a></body></html>"""
EB_EVENT = """<html><head><script type="application/ld+json">
{"@context": "https://schema.org", "@type": "Event", "name": "Pottery taster", "url": "BASE/e/pottery-111",
 "startDate": "2026-12-05T14:00:00+00:00", "endDate": "2026-12-05T16:00:00+00:00",
 "location": {"@type": "Place", "name": "Clay Studio"}}
</script></head><body></body></html>"""


@pytest.fixture
def eventbrite_on_localhost(monkeypatch):
    monkeypatch.setattr(sites, "ADAPTERS", dict(sites.ADAPTERS))
    sites.register("127.0.0.1", "scrapers.sites.eventbrite:parse_eventbrite")


def polite(tmp_path):
    return PoliteSession(min_delay=0.01, jitter=0, backoff=0.01, max_retries=0, cache_dir=tmp_path / "c")


@pytest.mark.usefixtures("eventbrite_on_localhost")
def test_date_only_listing_entries_are_completed_from_their_pages_within_max_pages(tmp_path):
    with serve(tmp_path / "site") as (server, base):
        server.extra["/listing"] = EB_LISTING.replace("BASE", base)
        server.extra["/e/pottery-111"] = EB_EVENT.replace("BASE", base)
        store = Store("sqlite://")
        src = Source("eb", base + "/listing", kind="page", max_pages=1)
        with polite(tmp_path) as session:
            (report,) = refresh_all(store, [src], now=NOW, settings=Settings(), session=session).reports
        assert server.paths().count("/e/pottery-111") == 1 and "/e/chess-222" not in server.paths()
        assert report.pages == 2 and report.skipped == ["1 linked pages not followed (max_pages)"]
        pottery, chess = store.events()
        assert (pottery.all_day, pottery.start.hour, pottery.venue) == (False, 14, "Clay Studio")
        assert chess.all_day is True

        never = Source("eb2", base + "/listing", kind="page", max_pages=0)
        with polite(tmp_path) as session:
            refresh_all(Store("sqlite://"), [never], now=NOW, settings=Settings(), session=session)
        assert server.paths().count("/e/pottery-111") == 1


def test_index_page_without_events_of_its_own_is_read_through_its_links(tmp_path):
    with serve(tmp_path / "site") as (server, base):
        server.extra["/index"] = '<a href="/e/1">one</a> <a href="/e/2">two</a>'
        server.extra["/e/1"] = EB_EVENT.replace("BASE", base)
        server.extra["/e/2"] = "<html><body>sold out</body></html>"
        store = Store("sqlite://")
        sources = [Source("idx", base + "/index", kind="page", follow="/e/"), Source("bare", base + "/e/2")]
        with polite(tmp_path) as session:
            summary = refresh_all(store, sources, now=NOW, settings=Settings(), session=session)
        idx, bare = summary.reports
        assert (idx.failed, idx.new, len(idx.errors)) == (
            False,
            1,
            1,
        ) and "no schema.org Event" in idx.errors[0]
        assert bare.failed and not summary.all_failed
        assert "1 failed" in str(summary) and str(summary).endswith("failed: bare")

        server.extra["/e/1"] = "<p>gone</p>"
        with polite(tmp_path) as session:
            (again,) = refresh_all(store, sources[:1], now=NOW, settings=Settings(), session=session).reports
        assert again.failed and "none of the pages it links to" in again.error
        assert store.count() == 1  # what was stored before is kept
