"""The personal calendar feed and one-event .ics files, through a real HTTP server on 127.0.0.1."""

from __future__ import annotations

import html
import re
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
import recurring_ical_events
import requests
from digest_world import SECRET, at, make_events
from icalendar import Calendar
from sqlalchemy import event as sqla_event
from web_server import serve

from recommender.calendars.feed import (
    FeedNotFoundError,
    feed_entries,
    feed_token,
    feed_url,
    revoke_feed,
    subscriber_for_token,
)
from recommender.core.config import Settings
from recommender.core.signing import make_token
from recommender.people.subscribers import (
    add_subscriber,
    edit_subscriber,
    get_subscriber,
    record_feedback,
    remove_subscriber,
    unsubscribe,
)
from scrapers.event import Event

NOW = datetime(2026, 11, 24, 9, tzinfo=UTC)
EMAIL = "robin@example.org"
pytestmark = [
    pytest.mark.every_store,
    pytest.mark.store(users={EMAIL: {"passions": "pottery"}}),
]


@pytest.fixture
def clock():
    return {"now": NOW}


@pytest.fixture
def site(store, clock):
    with serve(
        store, Settings(secret=SECRET, base_url="https://kindred.example"), clock=lambda: clock["now"]
    ) as url:
        yield url


def feed(site, store, email=EMAIL):
    return feed_url(site, feed_token(store, SECRET, email))


def summaries(body: bytes) -> dict[str, str]:
    return {str(v["summary"]): str(v["status"]) for v in Calendar.from_ical(body).walk("VEVENT")}


def test_feed_200_then_304_then_200_with_new_etag_after_the_store_changes(store, site, clock):
    url = feed(site, store)
    first = requests.get(url, timeout=10)
    assert first.status_code == 200 and first.headers["Content-Type"].startswith("text/calendar")
    assert first.headers["Cache-Control"] == "private, max-age=900"
    etag, modified = first.headers["ETag"], first.headers["Last-Modified"]
    assert summaries(first.content) == {
        "<script>alert(1)</script> Pottery wheel night": "CONFIRMED",
        "Raku pottery firing": "CONFIRMED",
        "Pottery market next month": "CONFIRMED",
    }
    assert modified == "Tue, 24 Nov 2026 09:00:00 GMT"
    assert b"\r\nREFRESH-INTERVAL;VALUE=DURATION:PT6H\r\n" in first.content
    assert b"\r\nX-PUBLISHED-TTL:PT6H\r\n" in first.content

    clock["now"] = NOW + timedelta(minutes=30)
    same = requests.get(url, headers={"If-None-Match": etag}, timeout=10)
    assert same.status_code == 304 and same.content == b"" and same.headers["ETag"] == etag
    since = requests.get(url, headers={"If-Modified-Since": modified}, timeout=10)
    assert since.status_code == 304

    # The raku firing gets cancelled: the feed changes, and keeps the event marked as cancelled.
    raku = next(e for e in make_events() if e.title == "Raku pottery firing")
    store.upsert([replace(raku, status="cancelled")], now=NOW + timedelta(hours=1))
    clock["now"] = NOW + timedelta(hours=2)
    changed = requests.get(url, headers={"If-None-Match": etag, "If-Modified-Since": modified}, timeout=10)
    assert changed.status_code == 200 and changed.headers["ETag"] != etag
    assert changed.headers["Last-Modified"] == "Tue, 24 Nov 2026 11:00:00 GMT"
    assert summaries(changed.content)["Raku pottery firing"] == "CANCELLED"
    [item] = [v for v in Calendar.from_ical(changed.content).walk("VEVENT") if "Raku" in str(v["summary"])]
    assert item["sequence"] > 0 and item["last-modified"].dt == NOW + timedelta(hours=1)


def test_the_etag_changes_exactly_when_the_store_the_subscriber_or_the_windows_events_change(
    store, site, clock
):
    url = feed(site, store)

    def fetch() -> tuple[str, bytes]:
        response = requests.get(url, timeout=10)
        assert response.status_code == 200
        return response.headers["ETag"], response.content

    def event(title: str) -> Event:
        return next(e for e in store.events() if e.title == title)

    first = fetch()
    seen = {first[0]}

    def changed() -> tuple[str, bytes]:
        now = fetch()
        assert now[0] not in seen
        seen.add(now[0])
        return now

    clock["now"] = NOW + timedelta(days=3)  # the window slides, holding the same events
    assert fetch() == first
    add_subscriber(store, "ana@example.org", passions="live jazz", now=NOW)
    record_feedback(store, "ana@example.org", event("Jazz jam session").id, "like", now=NOW)
    edit_subscriber(store, "ana@example.org", passions="jazz and chess")
    assert fetch() == first  # someone else's profile and feedback are not in this feed
    record_feedback(store, EMAIL, event("Raku pottery firing").id, "like", now=NOW)
    changed()
    edit_subscriber(store, EMAIL, passions="pottery and chess")
    assert "Chess club open evening" in summaries(changed()[1])
    store.upsert([Event(title="Watercolour evening", start=at(30, 18), source="t")], now=NOW)
    unrelated = changed()  # the store changed (even if not this feed's events)
    assert fetch() == unrelated
    clock["now"] = NOW + timedelta(days=9)  # the wheel night of Nov 25 leaves the window
    assert "<script>alert(1)</script> Pottery wheel night" not in summaries(changed()[1])


def test_a_304_loads_no_event(store, site):
    url = feed(site, store)
    etag = requests.get(url, timeout=10).headers["ETag"]
    statements: list[str] = []

    def seen(_conn, _cursor, statement, *_args):
        statements.append(statement)

    sqla_event.listen(store.engine, "before_cursor_execute", seen)
    try:
        answer = requests.get(url, headers={"If-None-Match": etag}, timeout=10)
    finally:
        sqla_event.remove(store.engine, "before_cursor_execute", seen)
    assert answer.status_code == 304 and answer.content == b""
    assert statements and not [s for s in statements if "events.title" in s or "events.id" in s]
    assert requests.get(url, timeout=10).content.count(b"BEGIN:VEVENT") == 3  # events are loaded for a 200


def test_feed_reads_back_with_recurring_ical_events_and_drops_dismissed_events(store, site):
    url = feed(site, store)
    cal = Calendar.from_ical(requests.get(url, timeout=10).content)
    found = recurring_ical_events.of(cal).between(NOW - timedelta(days=7), NOW + timedelta(days=28))
    assert sorted(str(v["uid"]) for v in found) == sorted(str(v["uid"]) for v in cal.walk("VEVENT"))
    assert len(found) == 3 and not cal.get_missing_tzids()
    market = next(e for e in store.events() if e.title == "Pottery market next month")
    record_feedback(store, EMAIL, market.id, "dismiss", now=NOW)
    assert "Pottery market next month" not in summaries(requests.get(url, timeout=10).content)


def test_forged_wrong_action_and_revoked_tokens_get_404_and_no_data(store, site, clock):
    good = feed_token(store, SECRET, EMAIL)
    issued = NOW - timedelta(days=3)  # the feed epoch is the subscription time, SEEDED
    bad = [
        feed_token(store, "someone-else's-secret", EMAIL),
        good[:-2] + ("xx" if not good.endswith("xx") else "yy"),
        make_token(SECRET, EMAIL, "unsubscribe", issued=NOW),  # a digest link's token
        make_token(SECRET, EMAIL, "calendar", issued=issued),  # right action, not the current epoch
        "garbage",
    ]
    for token in bad:
        response = requests.get(f"{site}/calendar/{token}.ics", timeout=10)
        assert (
            response.status_code == 404
            and b"Pottery" not in response.content
            and b"VEVENT" not in response.content
        )
    assert requests.get(feed_url(site, good), timeout=10).status_code == 200
    revoke_feed(store, EMAIL, now=NOW)
    assert requests.get(feed_url(site, good), timeout=10).status_code == 404
    fresh = feed_token(store, SECRET, EMAIL)
    assert fresh != good and requests.get(feed_url(site, fresh), timeout=10).status_code == 200
    remove_subscriber(store, EMAIL)
    assert requests.get(feed_url(site, fresh), timeout=10).status_code == 404


def test_unsubscribed_feed_is_a_valid_empty_calendar_that_says_so(store, site):
    url = feed(site, store)
    unsubscribe(store, EMAIL, now=NOW)
    response = requests.get(url, timeout=10)
    assert response.status_code == 200
    cal = Calendar.from_ical(response.content)
    assert cal.walk("VEVENT") == [] and "unsubscribed" in str(cal["x-wr-calname"])
    assert "unsubscribed from Kindred on 2026-11-24" in str(cal["x-wr-caldesc"])
    add_subscriber(store, EMAIL, passions="pottery", now=NOW, resubscribe=True)  # back: the URL works again
    assert len(Calendar.from_ical(requests.get(url, timeout=10).content).walk("VEVENT")) == 3


def test_one_event_ics_and_unknown_event_404(store, site):
    chess = next(e for e in store.events() if e.title.startswith("Chess"))
    response = requests.get(f"{site}/event/{chess.id}.ics", timeout=10)
    assert response.status_code == 200 and response.headers["Content-Type"].startswith("text/calendar")
    [item] = Calendar.from_ical(response.content).walk("VEVENT")
    assert str(item["uid"]) == f"{chess.id}@kindred" and item["dtstart"].dt == chess.start
    assert requests.get(f"{site}/event/ev-nope.ics", timeout=10).status_code == 404


def test_preferences_page_shows_the_feed_and_a_webcal_link(store, site):
    token = make_token(SECRET, EMAIL, "preferences", issued=NOW)
    page = requests.get(f"{site}/preferences/{token}", timeout=10).text
    expected = feed("https://kindred.example", store)
    assert f'value="{expected}"' in page
    [webcal] = re.findall(r'href="(webcal://[^"]+)"', page)
    assert html.unescape(webcal) == expected.replace("https://", "webcal://")
    assert requests.get(feed(site, store), timeout=10).status_code == 200


def test_users_calendar_prints_the_feed_url_and_new_revokes_it(kindred, store, clock):
    env = {"KINDRED_SECRET": SECRET, "KINDRED_BASE_URL": "https://kindred.example"}
    args = ("--db", store.url, "users", "calendar", EMAIL)
    first = kindred(*args, env=env, check=True)
    url = first.stdout.strip()
    assert url == feed("https://kindred.example", store)
    assert "webcal://kindred.example/calendar/" in first.stderr
    assert kindred(*args, env=env, check=True).stdout.strip() == url  # stable
    renewed = kindred(*args, "--new", env=env, check=True).stdout.strip()
    assert renewed != url and renewed == feed("https://kindred.example", store)
    old_token = url.rsplit("/", 1)[1]
    with pytest.raises(FeedNotFoundError):
        subscriber_for_token(store, SECRET, old_token, now=NOW)
    missing = kindred(*args, env={"KINDRED_BASE_URL": "https://kindred.example"})
    assert missing.returncode == 1 and "KINDRED_SECRET" in missing.stderr


def test_feed_leans_toward_what_the_subscriber_liked(store):
    before = [e.title for e, _ in feed_entries(store, get_subscriber(store, EMAIL), now=NOW)]
    liked = next(e for e in store.events() if e.title == before[-1])
    record_feedback(store, EMAIL, liked.id, "like", now=NOW)
    after = [e.title for e, _ in feed_entries(store, get_subscriber(store, EMAIL), now=NOW)]
    assert sorted(after) == sorted(before)
    assert after.index(liked.title) < before.index(liked.title)
