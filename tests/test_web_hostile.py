"""The link web app against what link scanners, other sites and oversized forms send: only a POST
from one of our own pages (or a client that is no browser) changes anything."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import requests
from digest_world import SECRET
from web_server import serve

from recommender.core.config import Settings
from recommender.core.signing import make_token
from recommender.people.subscribers import MAX_PASSIONS, feedback_ids, get_subscriber

NOW = datetime(2026, 11, 24, 9, tzinfo=UTC)
EMAIL = "robin@example.org"
BASE = "https://kindred.example"
TIMEOUT = 5  # seconds per request: a hang fails the test instead of stalling the run
# digest_world's events and one subscriber, on SQLite and PostgreSQL
pytestmark = [
    pytest.mark.every_store,
    pytest.mark.store(users={EMAIL: {"passions": "pottery", "day": "mon"}}),
]
FORM = {"passions": "choir singing", "near": "", "within_km": "", "mode": "any", "day": "sat", "hour": "10"}


@pytest.fixture
def site(store):
    with serve(store, Settings(secret=SECRET, base_url=BASE), clock=lambda: NOW) as url:
        yield url


def token(action, event_id=None):
    return make_token(SECRET, EMAIL, action, event_id=event_id, issued=NOW - timedelta(days=1))


def a_pottery_event(store):
    return next(e for e in store.events() if "pottery" in e.title.lower())


def test_head_requests_change_nothing(store, site):
    event = a_pottery_event(store)
    sub = get_subscriber(store, EMAIL)
    urls = [
        f"{site}/unsubscribe/{token('unsubscribe')}",
        f"{site}/dismiss/{token('dismiss', event.id)}",
        f"{site}/more/{token('more_like', event.id)}",
        f"{site}/preferences/{token('preferences')}",
    ]
    for url in urls:
        assert requests.head(url, timeout=TIMEOUT).status_code == 200
        assert requests.get(url, timeout=TIMEOUT).status_code == 200
    after = get_subscriber(store, EMAIL)
    assert after.active and after.passions == "pottery"
    assert feedback_ids(store, sub.id, "dismiss") == feedback_ids(store, sub.id, "like") == set()


@pytest.mark.parametrize(
    "headers",
    [
        {"Origin": "https://evil.example"},
        {"Origin": "https://evil.example", "Referer": f"{BASE}/preferences/x"},
        {"Referer": "https://evil.example/page.html"},
        {"Sec-Fetch-Site": "cross-site", "Origin": "null"},
        {"Sec-Fetch-Site": "same-site", "Origin": "https://other.kindred.example"},
    ],
)
def test_cross_site_posts_are_refused_and_change_nothing(store, site, headers):
    event = a_pottery_event(store)
    sub = get_subscriber(store, EMAIL)
    prefs = requests.post(f"{site}/preferences/{token('preferences')}", data=FORM, headers=headers,
                          timeout=TIMEOUT)  # fmt: skip
    dismiss = requests.post(f"{site}/dismiss/{token('dismiss', event.id)}", headers=headers, timeout=TIMEOUT)
    assert (prefs.status_code, dismiss.status_code) == (403, 403)
    assert "another site" in prefs.text
    assert get_subscriber(store, EMAIL).passions == "pottery"
    assert feedback_ids(store, sub.id, "dismiss") == set()


@pytest.mark.parametrize(
    "headers",
    [
        {"Sec-Fetch-Site": "same-origin", "Origin": "null"},  # a browser on our page (no-referrer policy)
        {"Origin": BASE},  # an older browser, behind the public address
        {},  # not a browser at all
    ],
)
def test_posts_from_our_own_pages_still_work(store, site, headers):
    saved = requests.post(f"{site}/preferences/{token('preferences')}", data=FORM, headers=headers,
                          timeout=TIMEOUT)  # fmt: skip
    assert saved.status_code == 200 and "Saved" in saved.text
    assert get_subscriber(store, EMAIL).passions == "choir singing"


def test_one_click_unsubscribe_stays_a_bare_post_from_anywhere(store, site):
    # RFC 8058: the mail provider posts it from its own servers; it carries no page origin.
    url = f"{site}/unsubscribe/{token('unsubscribe')}"
    done = requests.post(url, data={"List-Unsubscribe": "One-Click"},
                         headers={"Origin": "https://mail.provider.example"}, timeout=TIMEOUT)  # fmt: skip
    assert done.status_code == 200
    assert not get_subscriber(store, EMAIL).active


def test_an_oversized_form_is_refused_before_it_is_read(store, site):
    huge = dict(FORM, passions="jazz " * 4_000_000)  # ~20 MB
    refused = requests.post(f"{site}/preferences/{token('preferences')}", data=huge, timeout=30)
    assert refused.status_code == 413
    assert get_subscriber(store, EMAIL).passions == "pottery"


def test_passions_longer_than_a_statement_are_refused(store, site):
    long = dict(FORM, passions="board games and jazz " * (MAX_PASSIONS // 10))
    refused = requests.post(f"{site}/preferences/{token('preferences')}", data=long, timeout=TIMEOUT)
    assert refused.status_code == 400 and f"at most {MAX_PASSIONS}" in refused.text
    assert get_subscriber(store, EMAIL).passions == "pottery"


def test_the_zero_argument_factory_reads_the_settings(store, db, monkeypatch):
    from recommender.web.server import wsgi_app

    monkeypatch.setenv("KINDRED_DB", db)
    monkeypatch.setenv("KINDRED_SECRET", SECRET)
    client = wsgi_app().test_client()
    url = f"/unsubscribe/{token('unsubscribe')}"
    assert client.head(url).status_code == 200 and get_subscriber(store, EMAIL).active
    assert client.post(url).status_code == 200 and not get_subscriber(store, EMAIL).active


def test_feed_and_link_tokens_name_no_one(store, site):
    from base64 import urlsafe_b64decode

    from recommender.calendars.feed import feed_token

    sub = get_subscriber(store, EMAIL)
    feed = feed_token(store, SECRET, EMAIL)
    assert "robin" not in urlsafe_b64decode(feed.split(".")[0] + "==").decode()
    assert requests.get(f"{site}/calendar/{feed}.ics", timeout=TIMEOUT).status_code == 200
    opaque = make_token(SECRET, sub.id, "preferences", issued=NOW - timedelta(days=1))
    page = requests.get(f"{site}/preferences/{opaque}", timeout=TIMEOUT)
    assert page.status_code == 200 and ">pottery</textarea>" in page.text
