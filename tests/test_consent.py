"""Consent: someone who unsubscribed (on the web or anywhere) is never subscribed again by accident."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from recommender.people.subscribers import SubscriberError, add_subscriber, get_subscriber, unsubscribe
from recommender.store.event_store import Store

NOW = datetime(2026, 11, 24, 9, tzinfo=UTC)


def test_an_unsubscribed_address_is_not_resubscribed_without_asking(tmp_path):
    store = Store(f"sqlite:///{tmp_path / 'k.db'}")
    add_subscriber(store, "sam@example.org", passions="pottery", now=NOW)
    unsubscribe(store, "sam@example.org", now=NOW + timedelta(minutes=1))  # e.g. the web link
    with pytest.raises(SubscriberError, match="unsubscribed on 2026-11-24.*--resubscribe"):
        add_subscriber(store, "sam@example.org", passions="jazz", now=NOW + timedelta(minutes=2))
    sub = get_subscriber(store, "sam@example.org")
    assert not sub.active and sub.passions == "pottery"
    back = add_subscriber(
        store, "sam@example.org", passions="jazz", now=NOW + timedelta(days=3), resubscribe=True
    )
    assert back.active and back.passions == "jazz"
    assert store.get_meta(f"resubscribed:{back.id}") == (NOW + timedelta(days=3)).isoformat()


def test_users_add_says_so_in_one_line_and_changes_nothing(kindred, tmp_path):
    db = f"sqlite:///{tmp_path / 'k.db'}"
    store = Store(db)
    add_subscriber(store, "sam@example.org", passions="pottery", now=NOW)
    unsubscribe(store, "sam@example.org", now=NOW)
    refused = kindred("--db", db, "users", "add", "sam@example.org", "--passions", "jazz")
    assert refused.returncode == 1 and "Traceback" not in refused.stderr
    assert refused.stderr.strip().splitlines() == [
        "kindred: error: sam@example.org unsubscribed on 2026-11-24; subscribe them again only if they "
        "asked to be, with --resubscribe"
    ]
    assert not get_subscriber(store, "sam@example.org").active
    again = kindred("--db", db, "users", "add", "sam@example.org", "--passions", "jazz", "--resubscribe")
    assert again.returncode == 0, again.stderr
    assert get_subscriber(store, "sam@example.org").active
