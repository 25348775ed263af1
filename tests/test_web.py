"""The link web app (``kindred serve``) through a real HTTP server on 127.0.0.1."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import requests
from digest_world import SECRET
from web_server import serve

from recommender.core.config import Settings
from recommender.core.signing import SecretMissingError, make_token
from recommender.people.subscribers import feedback_ids, get_subscriber
from recommender.web.app import create_app

NOW = datetime(2026, 11, 24, 9, tzinfo=UTC)
EMAIL = "robin@example.org"
pytestmark = [
    pytest.mark.every_store,
    pytest.mark.store(users={EMAIL: {"passions": "pottery", "day": "mon"}}),
]


@pytest.fixture
def site(store):
    with serve(store, Settings(secret=SECRET), clock=lambda: NOW) as url:
        yield url


def token(action, event_id=None, email=EMAIL, secret=SECRET, issued=NOW - timedelta(days=1)):
    return make_token(secret, email, action, event_id=event_id, issued=issued)


def test_one_click_unsubscribe_works_once_and_is_idempotent(store, site):
    url = f"{site}/unsubscribe/{token('unsubscribe')}"
    page = requests.get(url, timeout=5)
    assert page.status_code == 200 and 'method="post"' in page.text
    assert get_subscriber(store, EMAIL).active  # looking at the page changes nothing
    first = requests.post(url, data={"List-Unsubscribe": "One-Click"}, timeout=5)
    stamp = get_subscriber(store, EMAIL).unsubscribed_at
    again = requests.post(url, data={"List-Unsubscribe": "One-Click"}, timeout=5)
    assert (first.status_code, again.status_code) == (200, 200)
    assert "unsubscribed" in first.text and stamp == datetime(2026, 11, 24, 9)
    assert get_subscriber(store, EMAIL).unsubscribed_at == stamp
    assert first.headers["Referrer-Policy"] == "no-referrer"


@pytest.mark.parametrize(
    "bad",
    [
        token("unsubscribe", secret="someone-else's-secret"),
        token("unsubscribe")[:-2] + "xx",
        token("preferences"),  # a real token, for another action
        token("unsubscribe", issued=NOW - timedelta(days=500)),
        "garbage",
    ],
)
def test_forged_or_wrong_tokens_are_refused_and_change_nothing(store, site, bad):
    response = requests.post(f"{site}/unsubscribe/{bad}", timeout=5)
    assert response.status_code == 403 and "link" in response.text
    assert get_subscriber(store, EMAIL).active


def test_not_interested_and_more_like_this_are_stored_once(store, site):
    [pottery] = [e for e in store.events() if e.title.endswith("Pottery wheel night")]
    sub = get_subscriber(store, EMAIL)
    dismiss = f"{site}/dismiss/{token('dismiss', pottery.id)}"
    asked = requests.get(dismiss, timeout=5)
    assert asked.status_code == 200 and "&lt;script&gt;" in asked.text and "<script>" not in asked.text
    assert feedback_ids(store, sub.id, "dismiss") == set()
    assert requests.post(dismiss, timeout=5).status_code == 200
    assert requests.post(dismiss, timeout=5).status_code == 200
    assert feedback_ids(store, sub.id, "dismiss") == {pottery.id}
    assert requests.post(f"{site}/more/{token('more_like', pottery.id)}", timeout=5).status_code == 200
    # "more like this" after "not interested": the latest word counts
    assert (
        feedback_ids(store, sub.id, "like") == {pottery.id}
        and feedback_ids(store, sub.id, "dismiss") == set()
    )
    # A "more like this" token cannot dismiss, and a forged one does nothing.
    assert requests.post(f"{site}/dismiss/{token('more_like', 'other')}", timeout=5).status_code == 403
    forged = token("dismiss", "other", secret="nope")
    assert requests.post(f"{site}/dismiss/{forged}", timeout=5).status_code == 403
    assert feedback_ids(store, sub.id, "dismiss") == set()


def test_preferences_edit_and_bad_input(store, site):
    url = f"{site}/preferences/{token('preferences')}"
    page = requests.get(url, timeout=5)
    assert (
        page.status_code == 200 and ">pottery</textarea>" in page.text and "<h1>Your interests" in page.text
    )
    form = {"passions": "choir singing", "near": "43.65,-79.38", "within_km": "8", "mode": "in-person",
            "day": "sat", "hour": "10"}  # fmt: skip
    saved = requests.post(url, data=form, timeout=5)
    assert saved.status_code == 200 and "Saved" in saved.text
    sub = get_subscriber(store, EMAIL)
    assert (sub.passions, sub.near, sub.within_km, sub.mode, sub.day, sub.hour) == (
        "choir singing", (43.65, -79.38), 8, "in-person", "sat", 10
    )  # fmt: skip
    for bad in ({"near": "north"}, {"passions": "  "}, {"day": "someday"}, {"hour": "25"}):
        refused = requests.post(url, data=form | bad, timeout=5)
        assert refused.status_code == 400 and 'class="error"' in refused.text
        assert get_subscriber(store, EMAIL).passions == "choir singing"
    other = requests.post(f"{site}/preferences/{token('preferences', secret='x')}", data=form, timeout=5)
    assert other.status_code == 403


def test_preferences_take_a_place_in_words(store, site):
    url = f"{site}/preferences/{token('preferences')}"
    form = {"passions": "choir singing", "near": "Brighton, UK", "within_km": "12", "mode": "any",
            "day": "mon", "hour": "8"}  # fmt: skip
    saved = requests.post(url, data=form, timeout=5)
    assert saved.status_code == 200 and "Saved" in saved.text
    assert get_subscriber(store, EMAIL).near == (50.82838, -0.13947)
    assert (
        'value="Brighton, England, United Kingdom"' in requests.get(url, timeout=5).text
    )  # shown back in words
    ambiguous = requests.post(url, data=form | {"near": "Springfield"}, timeout=5)
    assert ambiguous.status_code == 400 and "could be Springfield, MO, United States" in ambiguous.text
    assert get_subscriber(store, EMAIL).near == (50.82838, -0.13947)


def test_the_home_page_title_names_kindred_once(site):
    page = requests.get(site, timeout=5)
    assert "<title>Events that match what you love · Kindred</title>" in page.text
    assert "Kindred · Kindred" not in page.text


def test_serving_needs_the_secret(store):
    with pytest.raises(SecretMissingError, match="KINDRED_SECRET"):
        create_app(store, Settings(secret=None))


def test_kindred_serve_refuses_to_start_without_secret(kindred, tmp_path):
    proc = kindred("--db", f"sqlite:///{tmp_path / 'x.db'}", "serve", "--port", "1")
    assert proc.returncode == 1 and "set KINDRED_SECRET" in proc.stderr
