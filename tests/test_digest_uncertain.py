"""A mail server that takes the message but whose answer is lost: at most one digest per person and
week, across reruns and a kill -9 mid-send; one SMTP connection per run."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from digest_world import SECRET, WEEK, seed
from test_digest_delivery import ROBIN, sends, settings, smtp_to
from test_mail import Recorder, digest, smtp_server

from recommender.digest.run import run_digest
from recommender.mail.message import UncertainDeliveryError
from recommender.mail.smtp import SmtpSender

pytestmark = pytest.mark.every_store  # store-facing: SQLite and PostgreSQL

NOW = datetime(2026, 11, 23, 13, tzinfo=UTC)
PEOPLE = ("robin@example.org", "zoe@example.org", "kim@example.org")


class TakesThenDrops(Recorder):
    """Stores the message, then hangs up before saying 250 (or, with ``hold``, says nothing for a
    long time: a slow server)."""

    def __init__(self, hold: float = 0.0):
        super().__init__()
        self.hold = hold
        self.sessions: set[int] = set()

    async def handle_DATA(self, server, session, envelope):
        self.sessions.add(id(session))
        await super().handle_DATA(server, session, envelope)
        if self.hold:
            await asyncio.sleep(self.hold)
        server.transport.close()
        return "250 never heard"


class Counting(Recorder):
    def __init__(self):
        super().__init__()
        self.sessions: set[int] = set()

    async def handle_DATA(self, server, session, envelope):
        self.sessions.add(id(session))
        return await super().handle_DATA(server, session, envelope)


@pytest.fixture
def db(tmp_path):
    return f"sqlite:///{tmp_path / 'digest.db'}"


def test_a_lost_answer_after_data_is_uncertain_and_not_retried():
    handler = TakesThenDrops()
    with smtp_server(handler) as server:
        sender = SmtpSender.from_url(f"smtp://127.0.0.1:{server.port}", env={}, timeout=5, retries=3)
        with pytest.raises(UncertainDeliveryError, match="may have been delivered"):
            sender.send(digest())
    assert handler.data_calls == 1 and len(handler.delivered) == 1


def test_three_runs_against_a_dropping_server_send_each_person_one_copy(db):
    store = seed(db, users=dict.fromkeys(PEOPLE, ROBIN))
    handler = TakesThenDrops()
    with smtp_server(handler) as server:
        outcomes = [
            run_digest(store, smtp_to(server), settings(), now=NOW + timedelta(hours=h)) for h in (0, 2, 4)
        ]
    assert [o.status for o in outcomes[0]] == ["uncertain"] * 3
    assert [o.status for run in outcomes[1:] for o in run] == ["skipped"] * 6
    assert sorted(d["to"][0] for d in handler.delivered) == sorted(PEOPLE)
    assert sorted(sends(db).values()) == ["uncertain"] * 3


def test_retry_uncertain_sends_again_only_when_asked(db):
    store = seed(db, users={"robin@example.org": ROBIN})
    with smtp_server(TakesThenDrops()) as server:
        [first] = run_digest(store, smtp_to(server), settings(), now=NOW)
    good = Counting()
    with smtp_server(good) as server:
        [plain] = run_digest(store, smtp_to(server), settings(), now=NOW + timedelta(hours=1))
        [forced] = run_digest(
            store, smtp_to(server), settings(), now=NOW + timedelta(hours=2), retry_uncertain=True
        )
    assert (first.status, plain.status, forced.status) == ("uncertain", "skipped", "sent")
    assert len(good.delivered) == 1


def test_one_connection_carries_the_whole_run(db):
    store = seed(db, users=dict.fromkeys(PEOPLE, ROBIN))
    handler = Counting()
    with smtp_server(handler) as server:
        outcomes = run_digest(store, smtp_to(server), settings(), now=NOW)
    assert [o.status for o in outcomes] == ["sent"] * 3
    assert len(handler.delivered) == 3 and len(handler.sessions) == 1


def test_kill_9_while_the_server_holds_the_message_never_sends_it_twice(db, kindred, tmp_path):
    seed(db, users={"robin@example.org": ROBIN})
    handler = TakesThenDrops(hold=30)
    env = {
        "KINDRED_SECRET": SECRET,
        "KINDRED_BASE_URL": "https://kindred.example",
        "KINDRED_FROM": "digest@kindred.example",
        "KINDRED_NOW": NOW.isoformat(),
    }
    with smtp_server(handler) as server:
        exe = Path(sys.executable).parent / "kindred"
        args = [str(exe), "--db", db, "digest", "--smtp", f"smtp://127.0.0.1:{server.port}", "--week", WEEK]
        proc = subprocess.Popen(
            args, env=dict(os.environ, **env), stdout=subprocess.PIPE, stderr=subprocess.PIPE
        )
        deadline = time.monotonic() + 60
        while not handler.delivered and time.monotonic() < deadline and proc.poll() is None:
            time.sleep(0.05)
        assert handler.delivered, proc.communicate(timeout=5)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)
    later = {**env, "KINDRED_NOW": (NOW + timedelta(hours=3)).isoformat()}  # past the stale-claim age
    good = Counting()
    with smtp_server(good) as server:
        rerun = kindred(
            "--db", db, "digest", "--smtp", f"smtp://127.0.0.1:{server.port}", "--week", WEEK, env=later
        )
    assert rerun.returncode == 0, rerun.stderr
    assert "skipped" in rerun.stdout and good.delivered == []
    assert list(sends(db).values()) == ["handing_over"]
