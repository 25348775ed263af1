"""`kindred sources add URL` against a real HTTP server on 127.0.0.1, and `kindred sources list`."""

from __future__ import annotations

import pytest
from refresh_server import serve

from recommender.ingest.sources import default_sources_path, load_sources

FAST = {"KINDRED_FETCH_DELAY": "0.01"}


@pytest.fixture
def site(tmp_path):
    with serve(tmp_path / "site") as (server, base):
        yield server, base


def test_add_a_feed_says_what_it_is_and_appends_it(site, kindred):
    server, base = site
    proc = kindred("sources", "add", f"{base}/feeds/birch.ics", "--city", "Manchester", env=FAST, check=True)
    assert f"{base}/feeds/birch.ics: an iCalendar feed with " in proc.stdout
    assert "upcoming)" in proc.stdout and f"to {default_sources_path()}" in proc.stdout
    (added,) = load_sources(default_sources_path())
    assert (added.url, added.kind, added.city) == (f"{base}/feeds/birch.ics", "ics", "Manchester")
    assert server.paths().count("/feeds/birch.ics") == 1  # fetched once

    page = kindred("sources", "add", f"{base}/pages/outsavvy.html", "--name", "sappho", env=FAST, check=True)
    assert "a web page with schema.org events with " in page.stdout
    names = [s.name for s in load_sources(default_sources_path())]
    assert names == [added.name, "sappho"]
    listing = kindred("sources", "list", check=True).stdout
    assert "2 sources in" in listing and "sappho" in listing and added.name in listing


def test_add_refuses_what_would_not_work_and_leaves_the_file_alone(site, kindred, tmp_path):
    server, base = site
    path = tmp_path / "mine.toml"
    first = kindred(
        "sources", "add", f"{base}/feeds/meetup.ics", "--sources", str(path), env=FAST, check=True
    )
    assert "an iCalendar feed" in first.stdout
    before = path.read_text(encoding="utf-8")
    cases = {
        f"{base}/feeds/meetup.ics": "already lists",
        f"{base}/empty.html": "no schema.org Event",
        f"{base}/nope.ics": "404",
        "ftp://example.org/feed.ics": "url must start with http",
    }
    for url, reason in cases.items():
        proc = kindred("sources", "add", url, "--sources", str(path), env=FAST)
        assert proc.returncode == 1 and reason in proc.stderr, (url, proc.stderr)
        assert "Traceback" not in proc.stderr and len(proc.stderr.strip().splitlines()) == 1
    assert path.read_text(encoding="utf-8") == before
    assert "ftp" not in " ".join(server.paths())


def test_sources_list_without_a_file_names_the_built_in_source(kindred):
    proc = kindred("sources", "list", check=True)
    assert "built-in source" in proc.stdout and "toronto-open-data" in proc.stdout
