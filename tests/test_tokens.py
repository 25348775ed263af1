"""Signed link tokens: round trip, tampering, wrong action, expiry, garbage in."""

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from recommender.core.signing import (
    ACTIONS,
    SecretMissingError,
    TokenError,
    make_token,
    verify_token,
)
from scrapers.errors import KindredError

SECRET = "test-secret-not-for-production"
ISSUED = datetime(2026, 11, 23, 7, 30, 15, tzinfo=UTC)
B64_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"


@pytest.mark.parametrize("action", ACTIONS)
def test_round_trip_for_every_action(action):
    token = make_token(SECRET, "sam@example.org", action, event_id="ev-0123456789abcdef", issued=ISSUED)
    data = verify_token(SECRET, token, action=action, now=ISSUED + timedelta(hours=1))
    assert data.email == "sam@example.org"
    assert data.action == action
    assert data.event_id == "ev-0123456789abcdef"
    assert data.issued == ISSUED


def test_round_trip_without_event_and_with_unicode_email():
    token = make_token(SECRET, "zoë+digest@exämple.org", "preferences", issued=ISSUED)
    data = verify_token(SECRET, token, action="preferences", now=ISSUED)
    assert (data.email, data.event_id) == ("zoë+digest@exämple.org", None)


def test_token_is_url_safe_and_differs_per_subscriber_and_event():
    tokens = {
        make_token(SECRET, email, "dismiss", event_id=ev, issued=ISSUED)
        for email in ("a@example.org", "b@example.org")
        for ev in ("ev-1", "ev-2")
    }
    assert len(tokens) == 4
    for token in tokens:
        assert set(token) <= set(B64_ALPHABET + ".")


def test_tampering_with_any_character_fails():
    token = make_token(SECRET, "sam@example.org", "unsubscribe", event_id="ev-9", issued=ISSUED)
    for i, char in enumerate(token):
        for replacement in {B64_ALPHABET[(B64_ALPHABET.find(char) + 1) % 64], "A", "w"} - {char}:
            tampered = token[:i] + replacement + token[i + 1 :]
            with pytest.raises(TokenError, match="not valid"):
                verify_token(SECRET, tampered, action="unsubscribe", now=ISSUED)


def test_truncated_or_extended_token_fails():
    token = make_token(SECRET, "sam@example.org", "unsubscribe", issued=ISSUED)
    for bad in (token[:-1], token + "A", token[1:], token.replace(".", ""), token + ".x", ""):
        with pytest.raises(TokenError):
            verify_token(SECRET, bad, action="unsubscribe", now=ISSUED)


def test_another_secret_cannot_verify():
    token = make_token(SECRET, "sam@example.org", "unsubscribe", issued=ISSUED)
    with pytest.raises(TokenError, match="not valid"):
        verify_token(SECRET + "x", token, action="unsubscribe", now=ISSUED)


def test_swapping_payload_between_tokens_fails():
    mine = make_token(SECRET, "me@example.org", "unsubscribe", issued=ISSUED)
    theirs = make_token(SECRET, "victim@example.org", "unsubscribe", issued=ISSUED)
    spliced = theirs.split(".")[0] + "." + mine.split(".")[1]
    with pytest.raises(TokenError):
        verify_token(SECRET, spliced, action="unsubscribe", now=ISSUED)


def test_wrong_action_fails_and_says_which():
    token = make_token(SECRET, "sam@example.org", "dismiss", event_id="ev-1", issued=ISSUED)
    with pytest.raises(TokenError, match="for 'dismiss', not 'unsubscribe'"):
        verify_token(SECRET, token, action="unsubscribe", now=ISSUED)


def test_expiry_uses_injected_now():
    token = make_token(SECRET, "sam@example.org", "more_like", event_id="ev-1", issued=ISSUED)
    limit = ISSUED + timedelta(days=60)
    assert verify_token(SECRET, token, action="more_like", now=limit).email == "sam@example.org"
    with pytest.raises(TokenError, match="expired"):
        verify_token(SECRET, token, action="more_like", now=limit + timedelta(seconds=1))
    short = timedelta(days=1)
    with pytest.raises(TokenError, match="expired"):
        verify_token(SECRET, token, action="more_like", now=ISSUED + timedelta(days=2), max_age=short)


@pytest.mark.parametrize("secret", ["", "   ", None])
def test_missing_secret_says_to_set_kindred_secret(secret):
    with pytest.raises(SecretMissingError, match="KINDRED_SECRET"):
        make_token(secret, "sam@example.org", "unsubscribe", issued=ISSUED)
    token = make_token(SECRET, "sam@example.org", "unsubscribe", issued=ISSUED)
    with pytest.raises(SecretMissingError, match="KINDRED_SECRET"):
        verify_token(secret, token, action="unsubscribe", now=ISSUED)
    assert issubclass(SecretMissingError, KindredError)


def test_programming_errors_are_value_errors():
    with pytest.raises(ValueError, match="unknown token action"):
        make_token(SECRET, "sam@example.org", "delete_everything", issued=ISSUED)
    with pytest.raises(ValueError, match="timezone-aware"):
        make_token(SECRET, "sam@example.org", "unsubscribe", issued=datetime(2026, 1, 1))


def test_token_error_is_a_kindred_error():
    assert issubclass(TokenError, KindredError)


@given(st.text(max_size=300))
def test_random_strings_raise_token_error_only(garbage):
    with pytest.raises(TokenError):
        verify_token(SECRET, garbage, action="unsubscribe", now=ISSUED)


@given(st.text(alphabet=B64_ALPHABET, max_size=120), st.text(alphabet=B64_ALPHABET, max_size=60))
def test_random_token_shaped_strings_raise_token_error_only(body, signature):
    with pytest.raises(TokenError):
        verify_token(SECRET, f"{body}.{signature}", action="unsubscribe", now=ISSUED)


@given(st.emails(), st.sampled_from(ACTIONS), st.one_of(st.none(), st.text(max_size=40)))
def test_round_trip_property(email, action, event_id):
    token = make_token(SECRET, email, action, event_id=event_id, issued=ISSUED)
    data = verify_token(SECRET, token, action=action, now=ISSUED)
    assert (data.email, data.action, data.event_id) == (email, action, event_id)
