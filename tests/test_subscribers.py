"""Subscribers: validation, and ``kindred users`` through its entry point ``main()``."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from recommender.people.subscribers import (
    SubscriberError,
    add_subscriber,
    edit_subscriber,
    get_subscriber,
    list_subscribers,
    parse_friend,
    validate_email,
    validate_timezone,
)
from recommender.store.event_store import Store

pytestmark = pytest.mark.every_store  # store-facing: SQLite and PostgreSQL


@pytest.mark.parametrize(
    "bad",
    ["", "sam", "sam@", "@example.org", "sam@example", "Sam <sam@example.org>", "sam@exa mple.org",
     "sam@@example.org", "sam@example.org\nBcc: x@y.org", "sam@-example.org"],
)  # fmt: skip
def test_bad_addresses_are_refused(bad):
    with pytest.raises(SubscriberError, match="not an email address"):
        validate_email(bad)


@given(st.from_regex(r"[a-z0-9._+-]{1,20}@[a-z0-9]{1,10}\.[a-z]{2,6}", fullmatch=True))
def test_plain_addresses_are_kept(address):
    if ".." not in address:
        assert validate_email(address.upper()) == address


def test_time_zones_and_friends():
    assert validate_timezone("Europe/Berlin") == "Europe/Berlin"
    with pytest.raises(SubscriberError, match="IANA"):
        validate_timezone("Toronto")
    assert parse_friend("  Ana Lu :  chess,  salsa ") == {"name": "Ana Lu", "loves": "chess, salsa"}
    with pytest.raises(SubscriberError, match="NAME: WHAT THEY LOVE"):
        parse_friend("Ana")


def test_a_bad_edit_changes_nothing(db):
    store = Store(db)
    add_subscriber(store, "sam@example.org", passions="pottery", day="sat", hour=9)
    with pytest.raises(SubscriberError, match="unknown time zone"):
        edit_subscriber(store, "sam@example.org", passions="jazz", timezone="Nowhere/Land")
    sub = get_subscriber(store, "sam@example.org")
    assert (sub.passions, sub.day, sub.hour, sub.timezone) == ("pottery", "sat", 9, "UTC")
    with pytest.raises(SubscriberError, match="already subscribed"):
        add_subscriber(store, "SAM@example.org", passions="x")


def test_users_add_list_edit_remove(kindred, db):
    add = kindred(
        "--db", db, "users", "add", "Robin@Example.org", "--passions", "pottery and live jazz",
        "--near", "43.65,-79.38", "--within", "12", "--timezone", "America/Toronto", "--day", "sat",
        "--hour", "9", "--friend", "Ana: chess", "--friend", "Lee: trail running", check=True,
    )  # fmt: skip
    assert "robin@example.org" in add.stdout and "sat at 9:00 America/Toronto" in add.stdout
    [row] = json.loads(kindred("--db", db, "users", "list", "--format", "json", check=True).stdout)
    assert row["near"] == [43.65, -79.38] and row["within_km"] == 12 and row["active"] is True
    assert row["friends"] == [{"name": "Ana", "loves": "chess"}, {"name": "Lee", "loves": "trail running"}]

    kindred("--db", db, "users", "edit", "robin@example.org", "--passions", "choir", "--clear-location",
            "--mode", "online", check=True)  # fmt: skip
    [row] = json.loads(kindred("--db", db, "users", "list", "--format", "json", check=True).stdout)
    assert (row["passions"], row["near"], row["mode"], row["day"]) == ("choir", None, "online", "sat")
    assert "robin@example.org · choir" in kindred("--db", db, "users", "list", check=True).stdout

    kindred("--db", db, "users", "remove", "robin@example.org", check=True)
    assert json.loads(kindred("--db", db, "users", "list", "--format", "json", check=True).stdout) == []


def test_users_have_an_optional_name(kindred, db):
    kindred("--db", db, "users", "add", "sam@example.org", "--name", " Sam  Lee ", "--passions", "chess",
            check=True)  # fmt: skip
    [row] = json.loads(kindred("--db", db, "users", "list", "--format", "json", check=True).stdout)
    assert row["name"] == "Sam Lee" and row["confirmed"] is True  # the operator vouches for them
    assert "sam@example.org (Sam Lee) · chess" in kindred("--db", db, "users", "list", check=True).stdout
    kindred("--db", db, "users", "edit", "sam@example.org", "--name", "", check=True)
    assert get_subscriber(Store(db), "sam@example.org").name is None
    bad = kindred("--db", db, "users", "edit", "sam@example.org", "--name", "x" * 101)
    assert bad.returncode == 1 and "greeted" in bad.stderr and "Traceback" not in bad.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["add", "not-an-address", "--passions", "x"], "is not an email address"),
        (["add", "a@b.org", "--passions", "pottery", "--timezone", "Mars/Base"], "unknown time zone"),
        (["add", "a@b.org", "--passions", "pottery", "--near", "43,-79"], "--near and --within go together"),
        (["add", "a@b.org", "--passions", "pottery", "--friend", "Ana"], "NAME: WHAT THEY LOVE"),
        (["add", "a@b.org", "--passions", "I love and"], "no passion found"),
        (["edit", "nobody@b.org", "--passions", "x"], "no subscriber"),
        (["remove", "nobody@b.org"], "no subscriber"),
    ],
)
def test_bad_input_is_one_clear_line(kindred, db, args, message):
    proc = kindred("--db", db, "users", *args)
    assert proc.returncode == 1
    assert message in proc.stderr and "Traceback" not in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1
    assert list_subscribers(Store(db)) == []
