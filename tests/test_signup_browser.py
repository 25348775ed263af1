"""The sign-up as a person goes through it: headless Chromium against the real ``kindred serve``.

Home page → sign-up form → preview of the picks → sign up → the confirmation email in the outbox →
its link → confirmed; ``kindred digest`` sends nothing before the confirmation and the first digest
after it; a confirmation link opened too late is refused and a new one can be asked for.
Screenshots go to tests/artifacts/. Needs Debian's ``chromium`` (skipped locally without it, a
failure under CI).
"""

from __future__ import annotations

import email
import email.policy
import re
import time
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from chromium_driver import Browser
from deadline import within
from digest_world import SECRET, WEEK, seed
from test_browser import chromium  # noqa: F401 - the fixture
from test_signup import NOW
from web_server import kindred_serve

from recommender.people.subscribers import find_subscriber
from recommender.store.event_store import Store

pytestmark = [pytest.mark.browser, pytest.mark.slow]
ARTIFACTS = Path(__file__).parent / "artifacts"


def mails(folder, pattern):
    found = sorted(folder.glob(pattern), key=lambda p: p.stat().st_mtime_ns) if folder.exists() else []
    return [email.message_from_bytes(p.read_bytes(), policy=email.policy.default) for p in found]


def confirm_link(msg) -> str:
    [link] = set(
        re.findall(
            r"http://127\.0\.0\.1:\d+/subscribe/confirm/[\w.-]+", msg.get_body(("plain",)).get_content()
        )
    )
    return link


def live_preview(tab) -> str:
    """The preview the page's script shows as the person types (no button pressed)."""
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if shown := tab.text("#preview"):
            return shown
        time.sleep(0.1)
    return ""


def sign_up_in(tab, site, *, name, address, passions):
    tab.open(site)
    tab.click('a[href="/subscribe"]')
    tab.fill("#timezone", "America/Toronto")
    tab.fill("#passions", passions)
    live = live_preview(tab)
    tab.click('button[value="preview"]')  # the same without the script
    preview = tab.text("#preview")
    assert live == preview
    tab.fill("#name", name)
    tab.fill("#email", address)
    tab.click('button[value="subscribe"]')
    return preview


def test_sign_up_confirm_and_get_the_first_digest_in_chromium(chromium, tmp_path, kindred_script):  # noqa: F811
    db = f"sqlite:///{tmp_path / 'city.db'}"
    seed(db).engine.dispose()
    outbox, digests = tmp_path / "outbox", tmp_path / "digests"
    env = {"KINDRED_DB": db, "KINDRED_SECRET": SECRET, "KINDRED_OUTBOX": str(outbox),
           "KINDRED_FROM": "Kindred <kindred@kindred.example>", "KINDRED_NOW": NOW.isoformat()}  # fmt: skip

    def digest():
        run = kindred_script("digest", "--outbox", str(digests), "--week", WEEK, env=env, check=True)
        return run.stdout, mails(digests, f"{WEEK}_*.eml")

    with within(240), Browser(chromium, tmp_path / "profile") as tab:
        with kindred_serve(env) as site:
            preview = sign_up_in(tab, site, name="Robin", address="robin@example.org",
                                 passions="pottery and live jazz")  # fmt: skip
            assert "Jazz jam session" in preview and "Raku pottery firing" in preview
            assert "Speed networking" not in preview
            assert "Check your inbox" in tab.text("h1") and "robin@example.org" in tab.text()
            tab.screenshot(ARTIFACTS / "signup-sent.png")
            [confirmation] = mails(outbox, "confirm-*.eml")
            assert confirmation["To"] == "robin@example.org"

            assert digest()[1] == []  # not confirmed yet: no digest

            tab.open(confirm_link(confirmation))
            assert "Confirm your sign-up" in tab.text("h1") and "pottery and live jazz" in tab.text()
            tab.click("form button")
            assert "You are subscribed" in tab.text("h1")

            sign_up_in(tab, site, name="Lee", address="lee@example.org", passions="chess")
            late = urlsplit(confirm_link(mails(outbox, "confirm-*.eml")[-1])).path

        out, [first] = digest()
        assert first["To"] == "robin@example.org" and "robin@example.org 2026-W48: sent" in out
        assert first.get_body(("plain",)).get_content().startswith("Hello Robin,")
        assert "Jazz jam session" in first["Subject"]

        later = env | {"KINDRED_NOW": (NOW + timedelta(days=3)).isoformat()}
        with kindred_serve(later) as site:  # three days on, on another port
            tab.open(site + late)
            assert "expired" in tab.text() and "Confirm" not in tab.text("h1")
            tab.screenshot(ARTIFACTS / "signup-expired.png")
            tab.fill("#resend_email", "lee@example.org")
            tab.click("form[action='/subscribe/resend'] button")
            assert "a new confirmation link is on its way" in tab.text()
    assert len(mails(outbox, "confirm-*.eml")) == 3  # Robin's, Lee's, and Lee's new link
    store = Store(db)
    lee = find_subscriber(store, "lee@example.org")
    assert lee is not None and not lee.confirmed
    assert find_subscriber(store, "robin@example.org").confirmed
