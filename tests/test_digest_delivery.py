"""``kindred digest`` through its entry point ``main()``, delivering to aiosmtpd on 127.0.0.1."""

from __future__ import annotations

import base64
import contextlib
import html
import re
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

import pytest
from digest_world import SECRET, WEEK, seed
from sqlalchemy import select
from test_mail import Recorder, Sleeps, free_port, smtp_server

from recommender.core.config import Settings
from recommender.core.signing import verify_token
from recommender.digest.compose import DigestError
from recommender.digest.run import run_digest
from recommender.mail.outbox import OutboxSender
from recommender.mail.smtp import SmtpSender
from recommender.people.subscribers import get_subscriber, record_feedback
from recommender.people.tables import Send, SentEvent
from recommender.store.event_store import Store

pytestmark = pytest.mark.every_store  # store-facing: SQLite and PostgreSQL

BASE = "https://kindred.example"
ENV = {"KINDRED_SECRET": SECRET, "KINDRED_BASE_URL": BASE, "KINDRED_FROM": "Kindred <digest@kindred.example>"}
ROBIN = {"passions": "pottery and live jazz", "friends": ["Ana: chess"]}
LATER = datetime(2026, 11, 25, tzinfo=UTC)


def digest(kindred, db, server, *args, env=ENV):
    return kindred("--db", db, "digest", "--smtp", f"smtp://127.0.0.1:{server.port}", *args, env=env)


def sends(db) -> dict[str, str]:
    with Store(db).session() as session:
        return {f"{s.subscriber_id}:{s.week}": s.status for s in session.scalars(select(Send))}


def test_delivers_a_correct_digest_once_per_week(kindred, db):
    seed(db, users={"robin@example.org": ROBIN})
    handler = Recorder()
    with smtp_server(handler) as server:
        first = digest(kindred, db, server, "--week", WEEK)
        second = digest(kindred, db, server, "--week", WEEK)
    assert first.returncode == 0, first.stderr
    assert "robin@example.org 2026-W48: sent (4 events)" in first.stdout
    assert "skipped" in second.stdout and second.returncode == 0
    [got] = handler.delivered  # the second run sent nothing
    assert got["to"] == ["robin@example.org"] and got["from"] == "digest@kindred.example"
    msg = got["message"]
    assert [p.get_content_type() for p in msg.walk()] == [
        "multipart/mixed", "multipart/alternative", "text/plain", "text/html", "text/calendar"
    ]  # fmt: skip
    assert msg["To"] == "robin@example.org" and msg["X-Kindred-Week"] == "2026-W48"
    assert msg["Subject"] == "Jazz jam session (Fri 27 Nov) and 2 more picks for your week"
    assert msg["Date"].datetime == datetime(2026, 11, 23, 5, tzinfo=UTC)  # Monday 00:00 in Toronto
    assert re.fullmatch(r"<.+@kindred\.example>", msg["Message-ID"])
    unsubscribe, mailto = re.findall(r"<([^>]+)>", str(msg["List-Unsubscribe"]))
    assert unsubscribe.startswith(f"{BASE}/unsubscribe/") and mailto.startswith(
        "mailto:digest@kindred.example"
    )
    assert msg["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"

    text = msg.get_body(("plain",)).get_content()
    body = msg.get_body(("html",)).get_content()
    assert "<script>alert(1)</script> Pottery wheel night" in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Pottery wheel night" in body and "<script" not in body
    for title in (
        "Pottery wheel night",
        "Raku pottery firing",
        "Jazz jam session",
        "Chess club open evening",
    ):
        assert title in text
    assert "For Ana, who loves chess: Chess club open evening" in text
    assert "You love pottery" in text and "Speed networking" not in text and "Jazz brunch" not in text

    hrefs = [html.unescape(h) for h in re.findall(r'href="([^"]+)"', body)]
    # only web links, the calendar feed's webcal:// link to Kindred itself, and pass-it-on emails
    webcal = "webcal://" + BASE.split("://", 1)[1] + "/calendar/"
    forward = "mailto:?subject=Thought%20of%20you"
    assert all(urlsplit(h).scheme in ("http", "https") or h.startswith((webcal, forward)) for h in hrefs)
    actions = {
        "unsubscribe": "unsubscribe",
        "preferences": "preferences",
        "dismiss": "dismiss",
        "more": "more_like",
    }
    seen = {}
    assert f"{BASE}/subscribe" in hrefs  # pass it on: the public sign-up, no token
    for href in (h for h in hrefs if h.startswith(BASE) and h != f"{BASE}/subscribe"):
        path, token = urlsplit(href).path.strip("/").split("/")
        if path == "event":  # add-to-calendar links: tested in test_calendar_email
            seen[path] = seen.get(path, 0) + 1
            continue
        data = verify_token(SECRET, token, action=actions[path], now=LATER)
        # the link acts for robin, and names them only by number: the address is not in the URL
        assert data.email is None and data.subscriber_id == get_subscriber(Store(db), "robin@example.org").id
        assert (
            "robin" not in token
            and "robin" not in base64.urlsafe_b64decode(token.split(".")[0] + "==").decode()
        )
        seen[path] = seen.get(path, 0) + 1
    assert seen == {"dismiss": 3, "more": 3, "preferences": 1, "unsubscribe": 1, "event": 3}
    assert sum(h.startswith(webcal) for h in hrefs) == 1
    assert unsubscribe in hrefs

    with Store(db).session() as session:
        assert sorted(session.scalars(select(SentEvent.role))) == ["pass_on", "pick", "pick", "pick"]
    assert list(sends(db).values()) == ["ok"]


def settings():
    return Settings(secret=SECRET, base_url=BASE, sender="digest@kindred.example")


def smtp_to(server):
    return SmtpSender.from_url(f"smtp://127.0.0.1:{server.port}", env={}, sleep=Sleeps(), backoff=0.01)


def test_events_already_sent_or_dismissed_are_not_sent_again(db):
    store = seed(db, users={"robin@example.org": {"passions": "pottery and live jazz"},
                            "kim@example.org": {"passions": "pottery"}})  # fmt: skip
    [raku] = [e for e in store.events() if e.title == "Raku pottery firing"]
    record_feedback(store, "kim@example.org", raku.id, "dismiss", now=LATER)
    handler = Recorder()
    sunday = datetime(2026, 11, 22, 12, tzinfo=UTC)  # week 47
    with smtp_to_server(handler) as sender:
        this_week = run_digest(store, sender, settings(), now=sunday)
        next_week = run_digest(store, sender, settings(), now=sunday, week=WEEK)
    assert [(o.email, o.week, o.status, o.events) for o in this_week] == [
        ("kim@example.org", "2026-W47", "sent", 1), ("robin@example.org", "2026-W47", "sent", 3)
    ]  # fmt: skip
    # Week 48 looks at the same events, and every one was sent already (or dismissed).
    assert [o.status for o in next_week] == ["nothing", "nothing"]
    kim = next(d for d in handler.delivered if d["to"] == ["kim@example.org"])
    text = kim["message"].get_body(("plain",)).get_content()
    assert "Pottery wheel night" in text and "Raku" not in text
    assert len(handler.delivered) == 2


def test_451_once_then_accepted_is_one_delivery(db):
    store = seed(db, users={"robin@example.org": ROBIN})
    handler = Recorder(data_replies=["451 4.3.0 try again later"])
    with smtp_to_server(handler) as sender:
        [outcome] = run_digest(store, sender, settings(), now=LATER, week=WEEK)
    assert outcome.status == "sent"
    assert handler.data_calls == 2 and len(handler.delivered) == 1
    assert list(sends(db).values()) == ["ok"]


@contextlib.contextmanager
def smtp_to_server(handler):
    with smtp_server(handler) as server:
        yield smtp_to(server)


def test_550_for_one_address_others_still_served_and_rerun_resends_nothing(kindred, db):
    seed(db, users={"gone@example.org": ROBIN, "robin@example.org": ROBIN, "zoe@example.org": ROBIN})
    handler = Recorder(rcpt_replies={"gone@example.org": ["550 5.1.1 no such user"] * 5})
    with smtp_server(handler) as server:
        first = digest(kindred, db, server, "--week", WEEK)
        rerun = digest(kindred, db, server, "--week", WEEK)
    assert first.returncode == 1  # refused for good: not 75, a retry will not help
    assert "gone@example.org 2026-W48: refused" in first.stdout and "550 5.1.1" in first.stdout
    assert sorted(d["to"][0] for d in handler.delivered) == ["robin@example.org", "zoe@example.org"]
    assert rerun.returncode == 0 and rerun.stdout.count("skipped") == 3
    assert sorted(sends(db).values()) == ["ok", "ok", "refused"]


def test_transient_failure_is_recorded_and_the_next_run_delivers(db):
    store = seed(db, users={"robin@example.org": ROBIN})
    now = datetime(2026, 11, 23, 13, tzinfo=UTC)
    down = SmtpSender.from_url(f"smtp://127.0.0.1:{free_port()}", env={}, sleep=Sleeps(), timeout=2)
    [failed] = run_digest(store, down, settings(), now=now)
    assert failed.status == "failed" and "run the digest again" in failed.detail
    handler = Recorder()
    with smtp_server(handler) as server:
        up = smtp_to(server)
        [sent] = run_digest(store, up, settings(), now=now + timedelta(hours=1))
        [again] = run_digest(store, up, settings(), now=now + timedelta(hours=2))
    assert (sent.status, again.status) == ("sent", "skipped")
    assert len(handler.delivered) == 1


def test_without_secret_nothing_is_sent_and_the_error_says_what_to_do(kindred, db, tmp_path):
    seed(db, users={"robin@example.org": ROBIN})
    proc = kindred("--db", db, "digest", "--outbox", str(tmp_path / "out"), env={"KINDRED_SECRET": ""})
    assert proc.returncode == 1 and "set KINDRED_SECRET" in proc.stderr and "Traceback" not in proc.stderr
    assert not (tmp_path / "out").exists() and sends(db) == {}


def test_outbox_gets_one_eml_per_subscriber(kindred, db, tmp_path):
    seed(db, users={"robin@example.org": ROBIN, "kim@example.org": {"passions": "chess"},
                    "nobody@example.org": {"passions": "underwater basket weaving"}})  # fmt: skip
    proc = kindred("--db", db, "digest", "--outbox", str(tmp_path / "out"), "--week", WEEK, env=ENV)
    assert proc.returncode == 0, proc.stderr
    assert "nobody@example.org 2026-W48: nothing" in proc.stdout
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [
        "2026-W48_kim@example.org.eml", "2026-W48_robin@example.org.eml"
    ]  # fmt: skip


def test_bad_settings_stop_the_run_and_record_nothing(db, tmp_path):
    store = seed(db, users={"robin@example.org": ROBIN, "zoe@example.org": ROBIN})
    bad = Settings(secret=SECRET, base_url="javascript:alert(1)", sender="digest@kindred.example")
    with pytest.raises(DigestError, match="KINDRED_BASE_URL"):
        run_digest(store, OutboxSender(tmp_path / "out"), bad, now=LATER, week=WEEK)
    assert sends(db) == {} and not (tmp_path / "out").exists()


def test_a_store_with_subscribers_but_no_events_sends_nothing_and_says_so(kindred, tmp_path):
    db = f"sqlite:///{tmp_path / 'empty.db'}"
    env = {"KINDRED_SECRET": "s" * 40, "KINDRED_NOW": "2026-11-23T09:00:00+00:00"}
    assert (
        kindred("--db", db, "users", "add", "robin@example.org", "--passions", "chess", env=env).returncode
        == 0
    )
    run = kindred("--db", db, "digest", "--outbox", str(tmp_path / "out"), env=env)
    assert run.returncode == 0 and "Traceback" not in run.stderr + run.stdout, run.stderr
    assert "robin@example.org 2026-W48: nothing" in run.stdout
    assert not list((tmp_path / "out").glob("*.eml"))


def test_a_run_commits_once_per_message_and_a_few_times_per_batch(db, tmp_path):
    """Claims, and then the outcomes with the events they carried, are one transaction per batch;
    only the "handing over" mark right before each message is its own."""
    from sqlalchemy import event

    people = {f"p{i}@example.org": {"passions": "pottery" if i % 3 else "underwater basket weaving"}
              for i in range(30)}  # fmt: skip
    store = seed(db, users=people)
    commits = []
    event.listen(store.engine, "commit", lambda _conn: commits.append(1))
    outcomes = run_digest(store, OutboxSender(tmp_path), settings(), now=LATER, week=WEEK)
    sent = [o for o in outcomes if o.status == "sent"]
    assert len(sent) == 20 and {o.status for o in outcomes} == {"sent", "nothing"}
    assert len(commits) <= len(sent) + 4  # was three per person
    assert len(list(tmp_path.glob("*.eml"))) == 20
    with store.session() as session:
        assert {s.status for s in session.scalars(select(Send))} == {"ok"}  # "nothing" gives the claim back
        assert len(session.scalars(select(SentEvent)).all()) == sum(o.events for o in sent) > 20
