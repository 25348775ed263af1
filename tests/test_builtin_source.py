"""The built-in Toronto source: `kindred refresh` with no sources file refreshes it, from a local
server serving the embedded snapshot as the Toronto open-data feed does."""

from __future__ import annotations

import pytest
from refresh_server import serve

from recommender.core.config import TORONTO_FEED, Settings
from recommender.ingest.builtin import sources_to_refresh, toronto_source
from recommender.ingest.sources import SourcesError, default_sources_path
from recommender.store.event_store import Store
from recommender.store.snapshot import SNAPSHOT_SOURCE


def test_no_sources_file_means_the_built_in_source():
    sources, path = sources_to_refresh(None, Settings(toronto_feed="http://127.0.0.1:1/all.jsonld"))
    assert path is None and [s.name for s in sources] == [SNAPSHOT_SOURCE]
    assert sources[0].url == "http://127.0.0.1:1/all.jsonld" and sources[0].max_pages == 0


def test_a_sources_file_replaces_the_built_in_source(tmp_path):
    default_sources_path().parent.mkdir(parents=True)
    default_sources_path().write_text('[[source]]\nname = "choir"\nurl = "https://example.org/c.ics"\n')
    sources, path = sources_to_refresh(None, Settings())
    assert path == default_sources_path() and [s.name for s in sources] == ["choir"]


def test_the_built_in_source_can_be_turned_off():
    with pytest.raises(SourcesError, match="built-in Toronto source is turned off"):
        sources_to_refresh(None, Settings.load(env={"KINDRED_TORONTO_FEED": "", "KINDRED_CONFIG": "/none"}))


def test_the_feed_defaults_to_civic_tech_torontos_proxy():
    assert Settings.load(env={"KINDRED_CONFIG": "/none"}).toronto_feed == TORONTO_FEED
    assert TORONTO_FEED.startswith("https://civictechto.github.io/") and TORONTO_FEED.endswith("/all.jsonld")
    assert toronto_source(Settings()).url == TORONTO_FEED


@pytest.mark.slow  # parses the whole 3 MB feed twice (about 5 s)
def test_refresh_with_no_sources_file_fetches_the_toronto_feed(tmp_path, kindred):
    with serve(tmp_path / "site") as (server, base):
        env = {
            "KINDRED_DB": f"sqlite:///{tmp_path / 'fresh.db'}",
            "KINDRED_TORONTO_FEED": f"{base}/toronto/all.jsonld",
            "KINDRED_FETCH_DELAY": "0.01",
        }
        first = kindred("refresh", env=env, check=True)
        again = kindred("refresh", env=env, check=True)
    assert "refreshing the built-in Toronto source from http://127.0.0.1:" in first.stderr
    assert "toronto-open-data" in first.stdout and "1 source: 1667 events read, 1667 new" in first.stdout
    assert "0 new, 0 updated" in again.stdout
    assert server.paths().count("/toronto/all.jsonld") == 2
    stored = Store(env["KINDRED_DB"]).events(source=SNAPSHOT_SOURCE)
    assert len(stored) == 1667 and all(e.url is None or not e.url.startswith("file:") for e in stored)


@pytest.mark.slow
@pytest.mark.usefixtures("snapshot_home")
def test_refreshing_the_embedded_store_keeps_its_events_and_ids(tmp_path, kindred):
    from recommender.store.snapshot import default_store_url

    before = {e.id for e in Store(default_store_url()).events()}
    with serve(tmp_path / "site") as (_server, base):
        env = {"KINDRED_TORONTO_FEED": f"{base}/toronto/all.jsonld", "KINDRED_FETCH_DELAY": "0.01"}
        proc = kindred("refresh", env=env, check=True)
    assert "0 new" in proc.stdout
    assert {e.id for e in Store(default_store_url()).events()} == before  # no copies, ids kept
