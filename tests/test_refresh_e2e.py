"""End to end: `refresh` against a real HTTP server on 127.0.0.1 with good and misbehaving sources."""

from __future__ import annotations

import pytest
from conftest import NOW
from refresh_server import serve

from recommender.core.config import Settings
from recommender.ingest.refresh import refresh_all
from recommender.ingest.sources import Source
from recommender.store.event_store import Store
from scrapers.http import PoliteSession

pytestmark = pytest.mark.slow  # end to end: a real HTTP server, real timeouts, console-script runs

GOOD = {
    "birch": "/feeds/birch.ics",
    "meetup-feed": "/feeds/meetup.ics",
    "gcal": "/feeds/gcal.ics",
    "throttled": "/throttled.ics",  # 429 with Retry-After: 1, then an iCloud feed
    "flaky": "/flaky.html",  # 500, then the OutSavvy page
}
BAD = {  # source -> (path, what its reason must say)
    "slow": ("/slow.ics", "no answer in time"),
    "loop": ("/loop-a", "redirect loop"),
    "huge": ("/huge.ics", "too large"),
    "empty": ("/empty.html", "no schema.org Event"),
    "malformed": ("/malformed.html", "no schema.org Event"),
    "broken-ics": ("/broken.ics", "truncated"),
    "private": ("/private/events.ics", "robots.txt disallows"),
    "missing": ("/nope.ics", "404"),
}


def sources(base: str) -> list[Source]:
    out = [Source(name, base + path, kind="auto", tags=("community",)) for name, path in GOOD.items()]
    out.append(Source("birch-mirror", base + "/mirror/birch.ics", kind="ics"))  # same events, other URL
    out.append(
        Source("listing", base + "/listing.html", kind="page", follow=r"/(events|private)/", city="Torquay")
    )
    out += [Source(name, base + path) for name, (path, _) in BAD.items()]
    return out


def session(tmp_path) -> PoliteSession:
    return PoliteSession(
        cache_dir=tmp_path / "cache",
        min_delay=0.01,
        jitter=0,
        backoff=0.01,
        read_timeout=0.3,
        connect_timeout=1,
        max_retries=1,
        max_bytes=2 * 2**20,
    )


@pytest.fixture
def world(tmp_path):
    with serve(tmp_path / "site") as (server, base):
        server.slow_seconds = 1.0
        yield server, base, Store(f"sqlite:///{tmp_path / 'kindred.db'}")


def test_refresh_stores_good_sources_reports_bad_ones_and_is_idempotent(world, tmp_path):
    server, base, store = world
    settings = Settings(timezone="Europe/London")
    with session(tmp_path) as polite:
        first = refresh_all(store, sources(base), now=NOW, settings=settings, session=polite)
    reports = {r.name: r for r in first.reports}

    for name in GOOD:
        assert not reports[name].failed, reports[name].error
        assert reports[name].new > 0 and store.events(source=name)
    for name, (_, reason) in BAD.items():
        assert reports[name].failed and reason in reports[name].error, (name, reports[name].error)
        assert store.events(source=name) == []
    assert not first.all_failed and len(first.failed) == len(BAD)

    # Retry-After was honoured: the second request came at least a second after the 429.
    times = [t for p, t in server.requests if p == "/throttled.ics"]
    assert len(times) == 2 and times[1] - times[0] >= 0.95

    # robots.txt: nothing under /private/ was ever requested (neither the source nor the followed link).
    assert not [p for p in server.paths() if p.startswith("/private/")]
    listing = reports["listing"]
    assert listing.new == 1 and any("robots.txt disallows" in s for s in listing.skipped)
    assert "/about.html" not in server.paths()  # does not match the follow rule
    (heart,) = store.events(source="listing")
    assert heart.city and "community" not in heart.tags

    # The mirror lists the same events as "birch": nothing new stored, each one reported.
    mirror = reports["birch-mirror"]
    assert mirror.new == 0 and mirror.skipped
    assert all(s == "already listed by source 'birch'" for s in mirror.skipped if "already" in s)
    assert all("community" in e.tags for e in store.events(source="birch"))

    count = store.count()
    with session(tmp_path) as polite:
        second = refresh_all(store, sources(base), now=NOW, settings=settings, session=polite)
    assert store.count() == count
    assert all(r.new == 0 and r.updated == 0 for r in second.reports)
    assert {r.name for r in second.failed} == set(BAD)


CHANGING = """BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\n{events}END:VCALENDAR\r\n"""
VEVENT = (
    "BEGIN:VEVENT\r\nUID:{uid}@test\r\nDTSTAMP:20261101T000000Z\r\nDTSTART:2026120{day}T190000Z\r\n"
    "SUMMARY:{title}\r\nSTATUS:{status}\r\nEND:VEVENT\r\n"
)


def feed(*events: tuple[str, int, str, str]) -> str:
    body = "".join(VEVENT.format(uid=u, day=d, title=t, status=s) for u, d, t, s in events)
    return CHANGING.format(events=body)


def test_vanished_events_are_kept_and_cancelled_ones_marked(world, tmp_path):
    server, base, store = world
    src = [Source("club", base + "/changing.ics", kind="ics")]
    server.changing = feed(("a", 1, "Chess club", "CONFIRMED"), ("b", 2, "Pottery", "CONFIRMED"))
    with session(tmp_path) as polite:
        assert refresh_all(store, src, now=NOW, settings=Settings(), session=polite).reports[0].new == 2
    server.changing = feed(("b", 2, "Pottery", "CANCELLED"))
    with session(tmp_path) as polite:
        (report,) = refresh_all(store, src, now=NOW, settings=Settings(), session=polite).reports
    assert (report.fetched, report.updated, report.cancelled) == (1, 1, 1)
    by_title = {e.title: e for e in store.events()}
    assert set(by_title) == {"Chess club", "Pottery"}
    assert by_title["Pottery"].status == "cancelled" and by_title["Chess club"].status == "scheduled"


def test_kindred_refresh_console_script_twice(world, tmp_path, kindred_script):
    kindred = kindred_script
    server, base, _ = world
    toml = tmp_path / "sources.toml"
    toml.write_text(
        f"""
[[source]]
name = "birch"
url = "{base}/feeds/birch.ics"
kind = "ics"
tags = ["community"]

[[source]]
name = "outsavvy"
url = "{base}/pages/outsavvy.html"

[[source]]
name = "private"
url = "{base}/private/events.ics"
""",
        encoding="utf-8",
    )
    env = {"KINDRED_DB": f"sqlite:///{tmp_path / 'cli.db'}", "KINDRED_FETCH_DELAY": "0.01"}
    first = kindred("refresh", "--sources", str(toml), env=env, check=True)
    assert "birch" in first.stdout and "FAILED" in first.stdout and "robots.txt disallows" in first.stdout
    assert "3 sources, 1 failed" in first.stdout
    second = kindred("refresh", "--sources", str(toml), env=env, check=True)
    assert "0 new, 0 updated" in second.stdout
    stored = Store(env["KINDRED_DB"]).events(source="birch")
    assert stored and all("community" in e.tags for e in stored)
    assert "/private/" not in " ".join(server.paths())

    all_bad = tmp_path / "bad.toml"
    all_bad.write_text(f'[[source]]\nname = "gone"\nurl = "{base}/nope.ics"\n', encoding="utf-8")
    failed = kindred("refresh", "--sources", str(all_bad), env=env)
    assert failed.returncode == 1 and "404" in failed.stdout


def test_kindred_refresh_reports_a_bad_sources_file_in_one_line(tmp_path, kindred):
    bad = tmp_path / "sources.toml"
    bad.write_text('[[source]]\nname = "x"\nurl = "ftp://example.org"\nkind = "rss"\n', encoding="utf-8")
    proc = kindred("refresh", "--sources", str(bad))
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    (line,) = proc.stderr.strip().splitlines()
    assert "url must start with http" in line and "kind must be one of" in line
    missing = kindred("refresh", env={"KINDRED_TORONTO_FEED": ""})
    assert (
        missing.returncode == 1
        and "no sources file at" in missing.stderr
        and "sources.toml" in missing.stderr
    )
    assert "built-in Toronto source is turned off" in missing.stderr


def test_scheduled_refresh_job_uses_the_default_sources_file(world, tmp_path, monkeypatch):
    from recommender.ingest.sources import default_sources_path
    from recommender.schedule.scheduler import refresh_job

    server, base, store = world
    default_sources_path().parent.mkdir(parents=True, exist_ok=True)
    default_sources_path().write_text(f'[[source]]\nname = "birch"\nurl = "{base}/feeds/birch.ics"\n')
    monkeypatch.setenv("KINDRED_FETCH_DELAY", "0.01")
    refresh_job(store.url)
    assert store.events(source="birch") and "/feeds/birch.ics" in server.paths()
