"""Rotating KINDRED_SECRET: new links are signed with the new secret; links already sent keep working
while their old secret is listed in KINDRED_OLD_SECRETS, and stop when it is dropped."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import requests
from digest_world import seed
from web_server import serve

from recommender.calendars.feed import feed_token
from recommender.core.config import ConfigError, Settings
from recommender.core.signing import TokenError, make_token, verify_token
from recommender.people.subscribers import get_subscriber

NOW = datetime(2026, 11, 24, 9, tzinfo=UTC)
EMAIL = "robin@example.org"


def test_verify_accepts_listed_old_secrets_only():
    old = make_token("old-secret", EMAIL, "unsubscribe", issued=NOW)
    assert verify_token(("new-secret", "old-secret"), old, action="unsubscribe", now=NOW).email == EMAIL
    with pytest.raises(TokenError, match="not valid"):
        verify_token("new-secret", old, action="unsubscribe", now=NOW)
    with pytest.raises(TokenError, match="not valid"):
        verify_token(("new-secret", "other"), old, action="unsubscribe", now=NOW)


def test_old_secrets_from_the_environment_and_the_config_file(tmp_path):
    env = {"KINDRED_CONFIG": str(tmp_path / "none.toml"), "KINDRED_OLD_SECRETS": "a, b ,,c"}
    assert Settings.load(env).old_secrets == ("a", "b", "c")
    path = tmp_path / "config.toml"
    path.write_text('old_secrets = ["x", "y"]\n')
    assert Settings.load({"KINDRED_CONFIG": str(path)}).old_secrets == ("x", "y")
    path.write_text("old_secrets = 5\n")
    with pytest.raises(ConfigError, match="old_secrets"):
        Settings.load({"KINDRED_CONFIG": str(path)})


def test_links_sent_before_a_rotation_keep_working_through_the_web_app(tmp_path):
    store = seed(f"sqlite:///{tmp_path / 'k.db'}", users={EMAIL: {"passions": "pottery"}})
    sent = make_token("old-secret", EMAIL, "unsubscribe", issued=NOW - timedelta(days=30))
    feed = feed_token(store, "old-secret", EMAIL)
    rotated = Settings(secret="new-secret", old_secrets=("old-secret",))
    with serve(store, rotated, clock=lambda: NOW) as site:
        assert requests.get(f"{site}/calendar/{feed}.ics", timeout=5).status_code == 200
        assert requests.post(f"{site}/unsubscribe/{sent}", timeout=5).status_code == 200
    assert not get_subscriber(store, EMAIL).active
    with serve(store, Settings(secret="new-secret"), clock=lambda: NOW) as site:  # old secret dropped
        assert requests.get(f"{site}/calendar/{feed}.ics", timeout=5).status_code == 404
        assert requests.get(f"{site}/unsubscribe/{sent}", timeout=5).status_code == 403
