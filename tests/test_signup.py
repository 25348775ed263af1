"""The public sign-up (``/subscribe``) and its double opt-in, through a real HTTP server on 127.0.0.1,
on SQLite and PostgreSQL."""

from __future__ import annotations

import email
import email.policy
import re
import tempfile
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import pytest
import requests
from digest_world import SECRET, WEEK, seed
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import create_engine, text
from test_mail import Recorder, smtp_server
from web_server import serve

from recommender.core.config import Settings
from recommender.core.signing import make_token
from recommender.digest.choice import choose_digest
from recommender.digest.run import run_digest
from recommender.mail.outbox import OutboxSender
from recommender.people.signups import PER_ADDRESS, PER_CLIENT, PREVIEWS
from recommender.people.subscribers import (
    add_subscriber,
    find_subscriber,
    get_subscriber,
    list_subscribers,
    remove_subscriber,
    unsubscribe,
)
from recommender.people.tables import SignUp, Subscriber
from recommender.ranking.saved_index import ranking_of
from recommender.store.event_store import Store
from recommender.web.app import create_app

NOW = datetime(2026, 11, 23, 9, tzinfo=UTC)  # Monday of 2026-W48, digest_world's week
ROBIN = "robin@example.org"
FORM = {"action": "subscribe", "name": "Robin", "email": ROBIN, "passions": "pottery and live jazz",
        "near": "", "within_km": "", "mode": "any", "timezone": "America/Toronto"}  # fmt: skip
pytestmark = [pytest.mark.every_store, pytest.mark.store(users={})]


@pytest.fixture
def outbox(tmp_path):
    return tmp_path / "outbox"


@pytest.fixture(name="settings")
def settings_fixture(outbox):
    return Settings(secret=SECRET, outbox=str(outbox), sender="Kindred <k@kindred.example>",
                    base_url="https://kindred.example")  # fmt: skip


@pytest.fixture
def clock():
    moment = SimpleNamespace(now=NOW)
    return moment


@pytest.fixture
def site(store, settings, clock):
    with serve(store, settings, clock=lambda: clock.now) as url:
        yield url


def confirmations(outbox) -> list[email.message.EmailMessage]:
    files = (
        sorted(outbox.glob("confirm-*.eml"), key=lambda p: p.stat().st_mtime_ns) if outbox.exists() else []
    )
    return [email.message_from_bytes(p.read_bytes(), policy=email.policy.default) for p in files]


def link_in(msg) -> str:
    """The confirmation link of ``msg``, pointed at ``site`` instead of the public base URL."""
    text = msg.get_body(("plain",)).get_content()
    [url] = set(re.findall(r"https://kindred\.example(/subscribe/confirm/[\w.-]+)", text))
    return url


def sign_up(site, **changes):
    return requests.post(f"{site}/subscribe", data=FORM | changes, timeout=10)


def digest_recipients(store, outbox, settings, now=NOW) -> list[str]:
    outcomes = run_digest(store, OutboxSender(outbox), settings, now=now, week=WEEK)
    return sorted(o.email for o in outcomes if o.status == "sent")


def test_nobody_is_subscribed_or_gets_a_digest_before_confirming(store, site, outbox, settings):
    form = requests.get(f"{site}/subscribe", timeout=10)
    assert form.status_code == 200 and 'name="passions"' in form.text and 'name="email"' in form.text
    answer = sign_up(site)
    assert answer.status_code == 200 and "Check your inbox" in answer.text
    [msg] = confirmations(outbox)
    assert msg["To"] == ROBIN and msg["Subject"] == "Confirm your Kindred sign-up"
    assert "Hello Robin," in msg.get_body(("plain",)).get_content()
    pending = find_subscriber(store, ROBIN)
    assert pending is not None and not pending.confirmed
    assert list_subscribers(store, active_only=True) == []
    assert digest_recipients(store, outbox, settings) == []  # the digest's selection skips them

    url = site + link_in(msg)
    shown = requests.get(url, timeout=10)  # a link scanner's GET changes nothing
    assert (
        shown.status_code == 200 and 'method="post"' in shown.text and "pottery and live jazz" in shown.text
    )
    assert not get_subscriber(store, ROBIN).confirmed
    done = requests.post(url, timeout=10)
    assert done.status_code == 200 and "You are subscribed" in done.text
    sub = get_subscriber(store, ROBIN)
    assert sub.confirmed and sub.active and sub.name == "Robin" and sub.timezone == "America/Toronto"
    assert requests.post(url, timeout=10).status_code == 200  # confirming again changes nothing
    assert digest_recipients(store, outbox, settings) == [ROBIN]
    [digest] = outbox.glob("2026-W48_*.eml")  # beside the confirmation, which it did not replace
    assert len(confirmations(outbox)) == 1
    digest = email.message_from_bytes(digest.read_bytes(), policy=email.policy.default)
    assert digest.get_body(("plain",)).get_content().startswith("Hello Robin,\n")


def test_the_confirmed_filter_is_the_digest_selection(store):
    add_subscriber(store, "sam@example.org", passions="pottery", now=NOW)
    with store.session() as session, session.begin():
        session.add(Subscriber(email="lee@example.org", passions="jazz", created_at=NOW, friends=[]))
    assert [s.email for s in list_subscribers(store)] == ["lee@example.org", "sam@example.org"]
    assert [s.email for s in list_subscribers(store, active_only=True)] == ["sam@example.org"]


def test_preview_shows_the_digest_choice_and_stores_nothing(store, site, outbox, settings):
    answer = sign_up(site, action="preview")
    assert answer.status_code == 200 and 'id="preview"' in answer.text
    person = SimpleNamespace(passions=FORM["passions"], near=None, within_km=None, mode="any", friends=[])
    expected = choose_digest(ranking_of(store), person, now=NOW).picks
    shown = re.findall(r'<li class="pick"><strong><a href="([^"]+)"', answer.text)
    assert expected and shown == [p.event.url for p in expected]
    assert "&lt;script&gt;" in answer.text and "<script>" not in answer.text  # titles are escaped
    assert (
        'value="pottery and live jazz"' not in answer.text
        and ">pottery and live jazz</textarea>" in answer.text
    )
    assert find_subscriber(store, ROBIN) is None and confirmations(outbox) == []
    with store.session() as session:
        assert session.query(SignUp).count() == 0


def test_the_live_preview_is_the_same_choice_and_never_sees_the_address(store, site):
    asked = {k: FORM[k] for k in ("passions", "near", "within_km", "mode", "timezone")}
    live = requests.get(f"{site}/subscribe/preview", params=asked | {"email": ROBIN}, timeout=10)
    posted = sign_up(site, action="preview")
    pick = r'<li class="pick"><strong><a href="([^"]+)"'
    assert live.status_code == 200 and re.findall(pick, live.text) == re.findall(pick, posted.text) != []
    assert ROBIN not in live.text and "<html" not in live.text  # a fragment for the page's script
    bad = requests.get(
        f"{site}/subscribe/preview", params=asked | {"near": "north", "within_km": "3"}, timeout=10
    )
    assert bad.status_code == 400 and "no town called" in bad.text
    page = requests.get(f"{site}/subscribe", timeout=10)
    assert "script-src 'self'" in page.headers["Content-Security-Policy"]
    assert '<script src="/subscribe/preview.js"></script>' in page.text
    script = requests.get(f"{site}/subscribe/preview.js", timeout=10)
    assert (
        script.headers["Content-Type"].startswith("text/javascript") and "/subscribe/preview?" in script.text
    )
    assert "script-src" not in requests.get(site, timeout=10).headers["Content-Security-Policy"]
    assert find_subscriber(store, ROBIN) is None


def test_preview_respects_place_and_mode(store, site):
    online = sign_up(site, action="preview", mode="online")
    assert online.status_code == 200 and "Nothing in the next two weeks" in online.text
    far = sign_up(site, action="preview", near="51.5,-0.12", within_km="5")
    assert far.status_code == 200 and "Nothing in the next two weeks" in far.text


@pytest.mark.parametrize(
    ("changes", "says"),
    [
        ({"email": "not an address"}, "not an email address"),
        ({"passions": ""}, "passions cannot be empty"),
        ({"passions": "x" * 2001}, "at most 2000"),
        ({"near": "north", "within_km": "5"}, "no town called"),
        ({"near": "43.65,-79.38"}, "how far"),
        ({"within_km": "ten"}, "distance in km"),
        ({"near": "43.65,-79.38", "within_km": "-3"}, "more than 0"),
        ({"near": "43.65,-79.38", "within_km": "nan"}, "more than 0"),
        ({"mode": "telepathy"}, "unknown mode"),
        ({"timezone": "Mars/Olympus"}, "unknown time zone"),
        ({"name": "<b>Robin</b>"}, "greeted"),
    ],
)
def test_bad_answers_are_explained_and_store_nothing(store, site, outbox, changes, says):
    answer = sign_up(site, **changes)
    assert answer.status_code == 400 and says in answer.text and 'name="passions"' in answer.text
    assert confirmations(outbox) == [] and list_subscribers(store) == []


def test_only_a_same_site_post_within_64_kib_signs_up(store, site, outbox):
    cross = requests.post(
        f"{site}/subscribe", data=FORM, headers={"Sec-Fetch-Site": "cross-site"}, timeout=10
    )
    assert cross.status_code == 403
    huge = requests.post(f"{site}/subscribe", data=FORM | {"passions": "x" * 70_000}, timeout=10)
    assert huge.status_code == 413
    assert requests.get(f"{site}/subscribe", params=FORM, timeout=10).status_code == 200  # GET never acts
    assert confirmations(outbox) == [] and list_subscribers(store) == []


def test_an_expired_or_forged_link_offers_a_new_one_without_telling_who_is_subscribed(
    store, site, outbox, clock
):
    sign_up(site)
    [first] = confirmations(outbox)
    clock.now = NOW + timedelta(hours=49)
    expired = requests.post(site + link_in(first), timeout=10)
    assert (
        expired.status_code == 403
        and "expired" in expired.text
        and 'action="/subscribe/resend"' in expired.text
    )
    assert not get_subscriber(store, ROBIN).confirmed
    forged = requests.get(f"{site}/subscribe/confirm/{make_token('other', 1, 'confirm', issued=clock.now)}",
                          timeout=10)  # fmt: skip
    assert forged.status_code == 403 and 'action="/subscribe/resend"' in forged.text

    add_subscriber(store, "sam@example.org", passions="chess", now=NOW)
    answers = {
        who: requests.post(f"{site}/subscribe/resend", data={"email": who}, timeout=10)
        for who in (ROBIN, "sam@example.org", "nobody@example.org", "garbage")
    }
    assert {a.status_code for a in answers.values()} == {200}
    assert len({a.text for a in answers.values()}) == 1  # the same answer for everyone
    new = confirmations(outbox)
    assert len(new) == 2 and new[-1]["To"] == ROBIN  # only the waiting sign-up got a new link
    assert requests.post(site + link_in(new[-1]), timeout=10).status_code == 200
    assert get_subscriber(store, ROBIN).confirmed


def test_sign_ups_are_limited_per_address_across_servers(store, settings, outbox):
    with serve(store, settings, clock=lambda: NOW) as one, serve(store, settings, clock=lambda: NOW) as two:
        answers = [sign_up(site).text for site in (one, two, one, two, one)]
    assert len(set(answers)) == 1  # past the limit the page says the same, and sends nothing
    daily, weekly = PER_ADDRESS
    assert len(confirmations(outbox)) == daily.limit
    for day in (1, 2):  # more the next days, up to the week's limit (Mon 23 to Wed 25 Nov: one period)
        with serve(store, settings, clock=lambda moment=NOW + timedelta(days=day): moment) as site:
            assert {sign_up(site).status_code for _ in range(daily.limit)} == {200}
    assert len(confirmations(outbox)) == weekly.limit


def test_sign_ups_are_limited_per_client_even_at_once(store, settings, outbox):
    asks = PER_CLIENT.limit + 6
    with serve(store, settings, clock=lambda: NOW) as one, serve(store, settings, clock=lambda: NOW) as two:
        with ThreadPoolExecutor(4) as pool:
            codes = list(pool.map(lambda i: sign_up((one, two)[i % 2], email=f"p{i}@example.org").status_code,
                                  range(asks)))  # fmt: skip
        assert sorted(codes) == [200] * PER_CLIENT.limit + [429] * (asks - PER_CLIENT.limit)
        assert len(confirmations(outbox)) == PER_CLIENT.limit
        later = NOW + PER_CLIENT.period
    with serve(store, settings, clock=lambda: later) as site:
        assert sign_up(site, email="late@example.org").status_code == 200


def test_an_unsubscribed_address_is_subscribed_again_only_by_its_own_confirmation(store, site, outbox, clock):
    sign_up(site)
    [old] = confirmations(outbox)
    add_subscriber(store, ROBIN, passions="chess", now=NOW)  # the operator added them meanwhile
    unsubscribe(store, ROBIN, now=NOW + timedelta(minutes=1))
    replay = requests.post(site + link_in(old), timeout=10)  # a link from before the unsubscribe
    assert replay.status_code == 410 and not get_subscriber(store, ROBIN).active

    clock.now = NOW + timedelta(hours=1)
    sign_up(site, passions="choir singing")
    assert not get_subscriber(store, ROBIN).active and get_subscriber(store, ROBIN).passions == "chess"
    new = confirmations(outbox)[-1]
    assert requests.post(site + link_in(new), timeout=10).status_code == 200
    sub = get_subscriber(store, ROBIN)
    assert sub.active and sub.passions == "choir singing"
    assert store.get_meta(f"resubscribed:{sub.id}") is not None


def test_a_sign_up_for_a_subscribed_address_changes_nothing_until_confirmed(store, site, outbox):
    add_subscriber(store, "sam@example.org", passions="chess", now=NOW)
    known = sign_up(site, email="sam@example.org", passions="karaoke")
    unknown = sign_up(site, email="new@example.org", passions="karaoke")
    assert known.text.replace("sam@example.org", "X") == unknown.text.replace("new@example.org", "X")
    assert get_subscriber(store, "sam@example.org").passions == "chess"
    [for_sam] = [m for m in confirmations(outbox) if m["To"] == "sam@example.org"]
    assert requests.post(site + link_in(for_sam), timeout=10).status_code == 200
    assert get_subscriber(store, "sam@example.org").passions == "karaoke"


def test_the_confirmation_goes_through_smtp_too(store, tmp_path):
    handler = Recorder()
    with smtp_server(handler) as server:
        settings = Settings(secret=SECRET, smtp_url=f"smtp://127.0.0.1:{server.port}",
                            sender="k@kindred.example", base_url="https://kindred.example")  # fmt: skip
        with serve(store, settings, clock=lambda: NOW) as site:
            assert sign_up(site).status_code == 200
    [delivered] = handler.delivered
    assert delivered["to"] == [ROBIN] and "/subscribe/confirm/" in delivered["message"].as_string()


def test_without_a_mail_sender_nobody_is_signed_up(store):
    with serve(store, Settings(secret=SECRET), clock=lambda: NOW) as site:
        answer = sign_up(site)
        assert answer.status_code == 503 and "nothing was subscribed" in answer.text
        assert "Signing up is not open here yet" in requests.get(f"{site}/subscribe", timeout=10).text
        assert "Sign up" in requests.get(site, timeout=10).text
    assert list_subscribers(store) == []


def test_an_old_schema_gains_names_and_confirmations(db):
    store = Store(db)
    add_subscriber(store, "sam@example.org", passions="pottery", now=NOW)
    store.engine.dispose()
    engine = create_engine(db)  # back to the schema as version 2 left it
    with engine.begin() as conn:
        for column in ("name", "confirmed_at"):
            conn.execute(text(f"ALTER TABLE subscribers DROP COLUMN {column}"))
        conn.execute(text("DROP TABLE signups"))
        conn.execute(text("DROP TABLE rate_slots"))
        conn.execute(text("UPDATE kindred_meta SET value = '2' WHERE key = 'schema_version'"))
    engine.dispose()
    upgraded = Store(db, upgrade=True)
    sub = get_subscriber(upgraded, "sam@example.org")
    assert sub.confirmed and sub.confirmed_at == sub.created_at and sub.name is None
    assert [s.email for s in list_subscribers(upgraded, active_only=True)] == ["sam@example.org"]


TRICKY = ["nan", "inf", "-0", "1e308", "../../etc/passwd", "43.65,-79.38", "any", "UTC", ROBIN, "preview"]


@pytest.mark.sqlite_only
@settings(max_examples=60)
@given(
    st.fixed_dictionaries(
        {key: st.one_of(st.text(max_size=80), st.sampled_from(TRICKY))
         for key in ("action", "name", "email", "passions", "near", "within_km", "mode", "timezone")}
    )
)  # fmt: skip
def test_no_answer_to_the_form_breaks_it(form):
    store = seed("sqlite://")  # events to preview
    app = create_app(store, Settings(secret=SECRET, outbox=tempfile.mkdtemp()), clock=lambda: NOW)
    client = app.test_client()
    for answer in (client.post("/subscribe", data=form), client.get("/subscribe/preview", query_string=form),
                   client.post("/subscribe/resend", data=form)):  # fmt: skip
        assert answer.status_code in (200, 400), answer.data[:300]
        assert b"Traceback" not in answer.data


def test_the_same_new_address_signing_up_twice_at_once_gets_two_links(store, settings, outbox):
    with (
        serve(store, settings, clock=lambda: NOW) as one,
        serve(store, settings, clock=lambda: NOW) as two,
        ThreadPoolExecutor(2) as pool,
    ):
        codes = list(pool.map(lambda site: sign_up(site).status_code, (one, two)))
    assert codes == [200, 200] and len(confirmations(outbox)) == 2
    assert [s.email for s in list_subscribers(store)] == [ROBIN]


def test_addresses_that_never_confirm_are_forgotten_after_30_days(store, site, outbox, clock):
    sign_up(site)
    add_subscriber(store, "sam@example.org", passions="chess", now=NOW)
    sign_up(site, email="sam@example.org")  # a confirmed subscriber's own sign-up, never confirmed
    clock.now = NOW + timedelta(days=31)
    sign_up(site, email="new@example.org")
    assert find_subscriber(store, ROBIN) is None  # never said yes: nothing of theirs is kept
    assert get_subscriber(store, "sam@example.org").confirmed
    with store.session() as session:
        assert [s.email for s in session.query(SignUp)] == ["new@example.org"]
    remove_subscriber(store, "new@example.org")  # removing someone removes their sign-ups too
    with store.session() as session:
        assert session.query(SignUp).count() == 0


def test_previews_are_limited_per_client(store, site):
    for _ in range(PREVIEWS.limit - 1):
        assert PREVIEWS.take(store, "127.0.0.1", NOW)
    assert (
        requests.get(f"{site}/subscribe/preview", params={"passions": "jazz"}, timeout=10).status_code == 200
    )
    live = requests.get(f"{site}/subscribe/preview", params={"passions": "jazz"}, timeout=10)
    button = sign_up(site, action="preview")
    assert (live.status_code, button.status_code) == (429, 429) and "Too many previews" in live.text
    assert sign_up(site).status_code == 200  # signing up is counted apart


def test_the_form_takes_a_town_by_name(store, site):
    by_name = sign_up(site, action="preview", near="Toronto", within_km="10")
    by_point = sign_up(site, action="preview", near="43.70643,-79.39864", within_km="10")
    pick = r'<li class="pick"><strong><a href="([^"]+)"'
    assert by_name.status_code == by_point.status_code == 200
    assert 'class="error"' not in by_name.text
    assert re.findall(pick, by_name.text) == re.findall(pick, by_point.text)
    unknown = sign_up(site, action="preview", near="Nowheresville Flats", within_km="10")
    assert unknown.status_code == 400 and "no town called" in unknown.text
