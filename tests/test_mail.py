"""Delivery against real SMTP servers (aiosmtpd on 127.0.0.1) and into an outbox directory."""

import contextlib
import email
import email.policy
import shutil
import socket
import socketserver
import ssl
import subprocess
import threading
from dataclasses import dataclass
from datetime import UTC, datetime
from email.message import EmailMessage

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult

from recommender.digest.compose import compose_digest
from recommender.mail.message import MailConfigError, PermanentDeliveryError, TransientDeliveryError
from recommender.mail.outbox import OutboxSender
from recommender.mail.smtp import SmtpSender
from scrapers.errors import KindredError
from scrapers.event import Event

NOW = datetime(2026, 11, 23, 13, 0, tzinfo=UTC)
ICS = b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//\r\nEND:VCALENDAR\r\n"


@dataclass
class Pick:
    event: Event
    why: str


def digest(to="robin@example.org"):
    ev = Event(title="Board game night", start=datetime(2026, 11, 26, 23, tzinfo=UTC), url="https://e.org/1")
    return compose_digest(
        picks=[Pick(ev, "strategy games")],
        pass_on=[],
        subscriber_email=to,
        sender="Kindred <digest@kindred.example>",
        base_url="https://kindred.example",
        secret="mail-test-secret",
        week="2026-W48",
        now=NOW,
        timezone="America/Toronto",
        ics_attachment=ICS,
    )


def plain(to, subject="hello"):
    msg = EmailMessage()
    msg["From"], msg["To"], msg["Subject"] = "digest@kindred.example", to, subject
    msg.set_content("hi")
    return msg


class Recorder:
    """aiosmtpd handler: records deliveries; scripted replies for RCPT (per address) and DATA."""

    def __init__(self, rcpt_replies=None, data_replies=()):
        self.rcpt_replies = {k: list(v) for k, v in (rcpt_replies or {}).items()}
        self.data_replies = list(data_replies)
        self.data_calls = 0
        self.delivered = []

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        replies = self.rcpt_replies.get(address)
        if replies:
            return replies.pop(0)
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.data_calls += 1
        if self.data_replies:
            return self.data_replies.pop(0)
        self.delivered.append(
            {
                "from": envelope.mail_from,
                "to": list(envelope.rcpt_tos),
                "message": email.message_from_bytes(envelope.original_content, policy=email.policy.default),
                "tls": session.ssl is not None or server.transport.get_extra_info("ssl_object") is not None,
                "authenticated": bool(session.authenticated),
            }
        )
        return "250 OK delivered"


def free_port(host="127.0.0.1"):
    with socket.socket() as s:
        s.bind((host, 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def smtp_server(handler, host="127.0.0.1", **kwargs):
    controller = Controller(handler, hostname=host, port=free_port(host), **kwargs)
    controller.start()
    try:
        yield controller
    finally:
        controller.stop()


class Sleeps(list):
    def __call__(self, seconds):
        self.append(seconds)


def sender_for(controller, sleeps=None, **kw):
    kw.setdefault("retries", 3)
    kw.setdefault("timeout", 5)
    return SmtpSender.from_url(
        f"smtp://{controller.hostname}:{controller.port}",
        env={},
        sleep=Sleeps() if sleeps is None else sleeps,
        backoff=0.01,
        **kw,
    )


def test_delivers_the_digest_with_all_parts():
    handler = Recorder()
    sleeps = Sleeps()
    with smtp_server(handler) as server:
        sender_for(server, sleeps).send(digest())
    assert sleeps == []
    [got] = handler.delivered
    assert got["from"] == "digest@kindred.example" and got["to"] == ["robin@example.org"]
    msg = got["message"]
    assert msg.get_content_type() == "multipart/mixed"
    assert [p.get_content_type() for p in msg.walk()] == [
        "multipart/mixed", "multipart/alternative", "text/plain", "text/html", "text/calendar"
    ]  # fmt: skip
    assert "Board game night" in msg.get_body(("plain",)).get_content()
    assert "Board game night" in msg.get_body(("html",)).get_content()
    assert msg["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert str(msg["List-Unsubscribe"]).startswith("<https://kindred.example/unsubscribe/")
    assert [p for p in msg.walk()][-1].get_payload(decode=True) == ICS


def test_451_once_then_accepted_is_one_delivery_after_one_retry():
    handler = Recorder(data_replies=["451 4.3.0 try again later"])
    sleeps = Sleeps()
    with smtp_server(handler) as server:
        sender_for(server, sleeps).send(digest())
    assert len(handler.delivered) == 1
    assert handler.data_calls == 2
    assert sleeps == [0.01]


def test_550_for_one_address_while_another_is_delivered():
    handler = Recorder(rcpt_replies={"gone@example.org": ["550 5.1.1 no such user"] * 9})
    sleeps = Sleeps()
    with smtp_server(handler) as server:
        sender = sender_for(server, sleeps)
        with pytest.raises(
            PermanentDeliveryError, match=r"gone@example\.org.*550 5\.1\.1 no such user"
        ) as err:
            sender.send(digest("gone@example.org"))
        sender.send(digest("robin@example.org"))
    assert err.value.refused.keys() == {"gone@example.org"}
    assert sleeps == []  # a permanent refusal is not retried
    assert [d["to"] for d in handler.delivered] == [["robin@example.org"]]


def test_one_message_two_recipients_one_refused_delivers_to_the_other_once():
    handler = Recorder(rcpt_replies={"gone@example.org": ["550 5.1.1 no such user"] * 9})
    with smtp_server(handler) as server, pytest.raises(PermanentDeliveryError) as err:
        sender_for(server).send(plain("robin@example.org, gone@example.org"))
    assert "robin@example.org" not in str(err.value)
    assert err.value.delivered == ["robin@example.org"]
    assert [d["to"] for d in handler.delivered] == [["robin@example.org"]]


def test_greylisted_recipient_is_retried_alone_so_nobody_gets_it_twice():
    handler = Recorder(rcpt_replies={"grey@example.org": ["450 4.2.0 greylisted, come back later"]})
    sleeps = Sleeps()
    with smtp_server(handler) as server:
        sender_for(server, sleeps).send(plain("robin@example.org, grey@example.org"))
    assert [d["to"] for d in handler.delivered] == [["robin@example.org"], ["grey@example.org"]]
    assert sleeps == [0.01]


def test_permanent_data_refusal_is_not_retried():
    handler = Recorder(data_replies=["552 5.3.4 message too big"] * 5)
    sleeps = Sleeps()
    with smtp_server(handler) as server, pytest.raises(PermanentDeliveryError, match="552"):
        sender_for(server, sleeps).send(digest())
    assert handler.data_calls == 1 and sleeps == []


def test_persistent_4xx_gives_transient_error_after_retries():
    handler = Recorder(data_replies=["421 4.3.2 shutting down"] * 10)
    sleeps = Sleeps()
    with smtp_server(handler) as server, pytest.raises(TransientDeliveryError, match="421") as err:
        sender_for(server, sleeps, retries=2).send(digest())
    assert handler.data_calls == 3 and sleeps == [0.01, 0.02]
    assert err.value.pending == ["robin@example.org"]


def test_connection_refused_gives_transient_error_naming_the_address():
    port = free_port()  # nothing listens there any more
    sleeps = Sleeps()
    sender = SmtpSender.from_url(f"smtp://127.0.0.1:{port}", env={}, sleep=sleeps, backoff=0.01, retries=3)
    with pytest.raises(TransientDeliveryError) as err:
        sender.send(digest())
    message = str(err.value)
    assert "robin@example.org" in message and f"smtp://127.0.0.1:{port}" in message
    assert "after 4 attempts" in message and "ConnectionRefusedError" in message
    assert sleeps == [0.01, 0.02, 0.04]
    assert isinstance(err.value, KindredError)


class _RawHandler(socketserver.BaseRequestHandler):
    def handle(self):
        self.server.connections += 1
        if self.server.silent:
            self.request.recv(1)  # say nothing until the client gives up


@contextlib.contextmanager
def raw_server(*, silent):
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), _RawHandler)
    server.daemon_threads = True
    server.connections, server.silent = 0, silent
    thread = threading.Thread(target=server.serve_forever, args=(0.02,), daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


@pytest.mark.parametrize(("silent", "problem"), [(False, "SMTPServerDisconnected"), (True, "timed out")])
def test_dropped_or_silent_server_is_retried_then_transient(silent, problem):
    sleeps = Sleeps()
    with raw_server(silent=silent) as server:
        port = server.server_address[1]
        sender = SmtpSender.from_url(
            f"smtp://127.0.0.1:{port}", env={}, sleep=sleeps, backoff=0.01, retries=1, timeout=0.2
        )
        with pytest.raises(TransientDeliveryError, match=problem):
            sender.send(digest())
    assert server.connections == 2 and sleeps == [0.01]


@pytest.fixture(scope="module")
def tls_files(tmp_path_factory):
    if not shutil.which("openssl"):
        pytest.skip("needs the openssl command to make a test certificate")
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
         "-keyout", str(key), "-out", str(cert), "-days", "2", "-subj", "/CN=localhost",
         "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost"],
        check=True, capture_output=True,
    )  # fmt: skip
    server_ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    server_ctx.load_cert_chain(cert, key)
    return server_ctx, ssl.create_default_context(cafile=str(cert))


def check_login(server, session, envelope, mechanism, auth_data):
    ok = (auth_data.login, auth_data.password) == (b"digest", b"pa55 word")
    return AuthResult(success=ok, handled=False)  # handled=False: let aiosmtpd send the 535 reply


CREDS = {"KINDRED_SMTP_USER": "digest", "KINDRED_SMTP_PASSWORD": "pa55 word"}


def test_starttls_is_used_when_offered_and_env_credentials_log_in(tls_files):
    server_ctx, client_ctx = tls_files
    handler = Recorder()
    kw = dict(tls_context=server_ctx, require_starttls=True, authenticator=check_login, auth_required=True)
    with smtp_server(handler, **kw) as server:
        url = f"smtp://127.0.0.1:{server.port}"
        SmtpSender.from_url(url, env=CREDS, ssl_context=client_ctx, retries=0).send(digest())
    [got] = handler.delivered
    assert got["tls"] and got["authenticated"]


@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")
def test_smtps_with_credentials_in_the_url(tls_files):
    server_ctx, client_ctx = tls_files
    handler = Recorder()
    # aiosmtpd only counts STARTTLS as TLS for AUTH, so it must be told that implicit TLS is fine too.
    kw = dict(ssl_context=server_ctx, authenticator=check_login, auth_required=True, auth_require_tls=False)
    with smtp_server(handler, **kw) as server:
        url = f"smtps://digest:pa55%20word@127.0.0.1:{server.port}"
        SmtpSender.from_url(url, env={}, ssl_context=client_ctx, retries=0, timeout=3).send(digest())
    [got] = handler.delivered
    assert got["tls"] and got["authenticated"]


def test_wrong_password_is_a_config_error_not_retried(tls_files):
    server_ctx, client_ctx = tls_files
    handler = Recorder()
    sleeps = Sleeps()
    kw = dict(tls_context=server_ctx, require_starttls=True, authenticator=check_login, auth_required=True)
    with smtp_server(handler, **kw) as server:
        url = f"smtp://127.0.0.1:{server.port}"
        env = {**CREDS, "KINDRED_SMTP_PASSWORD": "wrong"}
        sender = SmtpSender.from_url(url, env=env, ssl_context=client_ctx, sleep=sleeps, timeout=3)
        with pytest.raises(MailConfigError, match="KINDRED_SMTP_PASSWORD") as err:
            sender.send(digest())
    assert "wrong" not in str(err.value)
    assert handler.delivered == [] and sleeps == []


def test_untrusted_certificate_is_a_config_error(tls_files):
    server_ctx, _ = tls_files
    with smtp_server(Recorder(), tls_context=server_ctx) as server:
        sender = SmtpSender.from_url(f"smtp://127.0.0.1:{server.port}", env={}, sleep=Sleeps())
        with pytest.raises(MailConfigError, match="TLS with smtp://127.0.0.1"):
            sender.send(digest())


def test_plain_smtp_is_refused_for_a_non_local_server():
    handler = Recorder()
    try:
        ctx = smtp_server(handler, host="127.0.0.2")
        server = ctx.__enter__()
    except OSError:
        pytest.skip("127.0.0.2 is not routable here")
    try:
        with pytest.raises(MailConfigError, match="does not offer STARTTLS"):
            sender_for(server).send(digest())
    finally:
        ctx.__exit__(None, None, None)
    assert handler.delivered == []


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("smtp://mail.example.org", ("mail.example.org", 587, False, "env-user", "env-pw")),
        ("smtps://mail.example.org", ("mail.example.org", 465, True, "env-user", "env-pw")),
        ("SMTP://127.0.0.1:2525", ("127.0.0.1", 2525, False, "env-user", "env-pw")),
        ("smtp://me%40x.org:p%3Ass@[::1]:25", ("::1", 25, False, "me@x.org", "p:ss")),
    ],
)
def test_from_url(url, expected):
    s = SmtpSender.from_url(url, env={"KINDRED_SMTP_USER": "env-user", "KINDRED_SMTP_PASSWORD": "env-pw"})
    assert (s.host, s.port, s.use_ssl, s.username, s.password) == expected
    assert s.password not in repr(s)


@pytest.mark.parametrize(
    "url", ["http://mail.example.org", "mail.example.org:25", "smtp://", "smtp://u:secretpw@h:99999", ""]
)
def test_bad_smtp_url_is_one_clear_error_without_the_password(url):
    with pytest.raises(MailConfigError, match="KINDRED_SMTP_URL") as err:
        SmtpSender.from_url(url, env={})
    assert "secretpw" not in str(err.value)


def test_message_without_recipient_is_a_programming_error():
    msg = plain("robin@example.org")
    del msg["To"]
    with pytest.raises(ValueError, match="no recipients"):
        SmtpSender.from_url("smtp://127.0.0.1:1", env={}).send(msg)


def test_outbox_writes_one_eml_per_recipient_and_week(tmp_path):
    outbox = OutboxSender(tmp_path / "outbox")
    outbox.send(digest("robin@example.org"))
    outbox.send(digest("sam+kindred@example.org"))
    outbox.send(digest("robin@example.org"))  # a re-send replaces, never duplicates
    files = sorted(p.name for p in (tmp_path / "outbox").iterdir())
    assert files == ["2026-W48_robin@example.org.eml", "2026-W48_sam+kindred@example.org.eml"]
    parsed = email.message_from_bytes(
        (tmp_path / "outbox" / files[0]).read_bytes(), policy=email.policy.default
    )
    assert parsed["To"] == "robin@example.org"
    assert parsed["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert [p.get_content_type() for p in parsed.iter_parts()] == ["multipart/alternative", "text/calendar"]


def test_outbox_names_are_safe_and_fall_back_to_the_date_week(tmp_path):
    msg = plain("../../etc/passwd@example.org")
    msg["Date"] = "Wed, 02 Dec 2026 10:00:00 +0000"
    outbox = OutboxSender(tmp_path)
    outbox.send(msg)
    [written] = list(tmp_path.iterdir())
    assert written.name == "2026-W49__.._etc_passwd@example.org.eml"
    assert written.parent == tmp_path


def test_outbox_that_cannot_be_written_is_a_clear_error(tmp_path):
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("a file where the outbox should be")
    with pytest.raises(MailConfigError, match="--outbox"):
        OutboxSender(blocker).send(digest())
    assert blocker.read_text() == "a file where the outbox should be"
    assert [p.name for p in tmp_path.iterdir()] == ["not-a-dir"]
