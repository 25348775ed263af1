"""Deliver composed emails: over SMTP with retries, or into an outbox directory of ``.eml`` files.

Both senders (:class:`SmtpSender` here, :class:`~recommender.mail.outbox.OutboxSender`) have one method,
``send(msg) -> None``, so the digest does not care which it has.

:class:`SmtpSender` retries what may pass (4xx replies, dropped or refused connections, timeouts)
with exponential backoff, and never re-sends to a recipient the server has already accepted. Once
the whole message has been handed over (after DATA), a missing answer is not retried: it raises
:class:`UncertainDeliveryError`, since the server may have delivered it. Used as a context manager,
one connection carries every message of a run.
It raises :class:`PermanentDeliveryError` for what will not pass (5xx, e.g. 550 no such user) and
:class:`TransientDeliveryError` once retries are used up; both name the addresses concerned.

Examples
--------
>>> sender = SmtpSender.from_url("smtp://127.0.0.1:2525", env={})
>>> (sender.host, sender.port, sender.use_ssl, sender.username)
('127.0.0.1', 2525, False, None)
>>> SmtpSender.from_url("smtps://digest:p%40ss@mail.example.org", env={}).password
'p@ss'
"""

from __future__ import annotations

import contextlib
import os
import smtplib
import ssl
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from email.message import EmailMessage
from urllib.parse import unquote, urlsplit

from recommender.core.redact import redact_url
from recommender.mail.connection import Smtp, Smtps, oserror_text, permanent, reply_text
from recommender.mail.message import (
    MailConfigError,
    PermanentDeliveryError,
    TransientDeliveryError,
    UncertainDeliveryError,
    envelope,
)

_LOCAL_HOSTS = {"localhost", "127.0.0.1", "::1"}


@dataclass
class SmtpSender:
    """Send through an SMTP server, with STARTTLS (``smtp://``) or implicit TLS (``smtps://``).

    Plain, unencrypted SMTP is only used with ``localhost``/``127.0.0.1``/``::1``; any other
    ``smtp://`` server must offer STARTTLS.

    Parameters
    ----------
    host, port : str, int
        The server.
    use_ssl : bool
        Implicit TLS from the first byte (``smtps://``).
    username, password : str, optional
        Login, if the server needs one.
    retries : int
        Extra attempts after the first for transient failures.
    backoff : float
        Seconds before the first retry; doubled each time, capped at ``max_backoff``.
    sleep : callable
        Waits between attempts (inject a fake in tests).
    ssl_context : ssl.SSLContext, optional
        Certificate checks; the system's default context when ``None``.
    """

    host: str
    port: int
    use_ssl: bool = False
    username: str | None = None
    password: str | None = field(default=None, repr=False)
    timeout: float = 30.0
    retries: int = 3
    backoff: float = 2.0
    max_backoff: float = 60.0
    sleep: Callable[[float], None] = time.sleep
    ssl_context: ssl.SSLContext | None = None
    local_hostname: str | None = None
    _keep: bool = field(default=False, init=False, repr=False)
    _conn: smtplib.SMTP | None = field(default=None, init=False, repr=False)

    @classmethod
    def from_url(cls, url: str, *, env: Mapping[str, str] | None = None, **options) -> SmtpSender:
        """Build a sender from ``smtp://[user:password@]host[:port]`` or ``smtps://…``.

        Without credentials in the URL, ``KINDRED_SMTP_USER`` / ``KINDRED_SMTP_PASSWORD`` from
        ``env`` (default ``os.environ``) are used. Default ports: 587 (smtp), 465 (smtps).

        >>> SmtpSender.from_url("smtps://mail.example.org", env={"KINDRED_SMTP_USER": "me",
        ...                     "KINDRED_SMTP_PASSWORD": "pw"}).port
        465
        """
        env = os.environ if env is None else env
        hint = "set KINDRED_SMTP_URL to e.g. smtp://mail.example.org:587 or smtps://mail.example.org:465"
        parts = urlsplit((url or "").strip())
        scheme = parts.scheme.lower()
        if scheme not in ("smtp", "smtps") or not parts.hostname:
            raise MailConfigError(f"not an SMTP URL: {redact_url(url)!r}; {hint}")
        try:
            port = parts.port or (465 if scheme == "smtps" else 587)
        except ValueError:
            raise MailConfigError(f"bad port in SMTP URL {redact_url(url)!r}; {hint}") from None
        if parts.username is not None:
            username, password = unquote(parts.username), unquote(parts.password or "")
        else:
            username = env.get("KINDRED_SMTP_USER") or None
            password = env.get("KINDRED_SMTP_PASSWORD") or None
        return cls(
            host=parts.hostname,
            port=port,
            use_ssl=scheme == "smtps",
            username=username,
            password=password,
            **options,
        )

    @property
    def address(self) -> str:
        """The server as a URL without credentials, for messages."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{'smtps' if self.use_ssl else 'smtp'}://{host}:{self.port}"

    def __enter__(self) -> SmtpSender:
        self._keep = True
        return self

    def __exit__(self, *exc_info) -> None:
        self._keep = False
        self._drop(quit=True)

    def send(self, msg: EmailMessage, *, before_data: Callable[[], None] | None = None) -> None:
        """Deliver ``msg`` to its To/Cc/Bcc recipients, retrying transient failures.

        ``before_data`` is called right before the message itself is transmitted (after the server
        accepted the recipients), so the caller can record that it may be delivered from then on.

        Raises
        ------
        PermanentDeliveryError
            Some recipients were refused for good (the others were delivered).
        TransientDeliveryError
            Some recipients could not be reached after all retries.
        UncertainDeliveryError
            The message was handed over but the server's answer never came (not retried).
        MailConfigError
            The settings cannot work (no STARTTLS on a remote server, login refused, bad TLS).
        """
        from_addr, recipients = envelope(msg)
        pending, delivered, refused = list(recipients), [], {}
        last_problem = "no attempt was made"
        attempts = 0
        while pending and attempts <= self.retries:
            if attempts:
                self.sleep(min(self.backoff * 2 ** (attempts - 1), self.max_backoff))
            attempts += 1
            try:
                rejected = self._attempt(msg, from_addr, pending, before_data)
            except UncertainDeliveryError as exc:
                exc.delivered = delivered + exc.delivered
                raise
            except smtplib.SMTPResponseException as exc:
                last_problem = reply_text(exc.smtp_code, exc.smtp_error)
                if permanent(exc.smtp_code):
                    refused.update(dict.fromkeys(pending, last_problem))
                    pending = []
                continue
            except OSError as exc:  # refused/reset/timed out/dropped (SMTPServerDisconnected is one)
                last_problem = oserror_text(exc)
                continue
            delivered += [a for a in pending if a not in rejected]
            pending = []
            for address, (code, text) in rejected.items():
                last_problem = reply_text(code, text)
                if permanent(code):
                    refused[address] = last_problem
                else:
                    pending.append(address)
        if pending:
            raise TransientDeliveryError(
                f"could not deliver to {', '.join(pending)} via {self.address} after {attempts} "
                f"attempts (last: {last_problem}); it was not sent - check that the mail server is "
                "up and KINDRED_SMTP_URL is right, then run the digest again",
                delivered=delivered,
                refused=refused,
                pending=pending,
            )
        if refused:
            details = "; ".join(f"{a}: {why}" for a, why in refused.items())
            raise PermanentDeliveryError(
                f"the mail server refused {', '.join(refused)} for good ({details}); "
                "check the address and fix or remove that subscriber",
                delivered=delivered,
                refused=refused,
            )

    def _attempt(self, msg: EmailMessage, from_addr: str, to_addrs: list[str], before_data) -> dict:
        """One transaction; returns ``{recipient: (code, reply)}`` of those refused."""
        with self._session() as smtp:
            smtp.before_data, smtp.handed_over = before_data, False
            try:
                return smtp.send_message(msg, from_addr, to_addrs)
            except smtplib.SMTPRecipientsRefused as exc:
                return exc.recipients
            except smtplib.SMTPNotSupportedError as exc:  # e.g. the address needs SMTPUTF8
                raise smtplib.SMTPResponseException(550, str(exc).encode()) from exc
            except smtplib.SMTPResponseException:
                raise  # the server answered: delivered or not, it is known
            except OSError as exc:  # dropped or timed out (SMTPServerDisconnected is one)
                if not smtp.handed_over:
                    raise
                detail = oserror_text(exc)
                raise UncertainDeliveryError(
                    f"{self.address} took the whole message for {', '.join(to_addrs)} but never "
                    f"confirmed it ({detail}); it may have been delivered, so it is not sent again - "
                    "check the mail server's log",
                    pending=to_addrs,
                ) from None

    @contextlib.contextmanager
    def _session(self) -> Iterator[smtplib.SMTP]:
        """A ready connection: the kept one (inside ``with sender:``) or a new one."""
        if self._conn is not None:
            try:
                yield self._conn
            except BaseException:
                self._drop(quit=False)  # mid-transaction trouble: never reuse that connection
                raise
            return
        smtp = self._connect()
        try:
            yield smtp
        except BaseException:
            self._close(smtp, quit=False)
            raise
        if self._keep:
            self._conn = smtp
        else:
            self._close(smtp, quit=True)

    def _drop(self, *, quit: bool) -> None:
        conn, self._conn = self._conn, None
        if conn is not None:
            self._close(conn, quit=quit)

    @staticmethod
    def _close(smtp: smtplib.SMTP, *, quit: bool) -> None:
        try:
            if quit:
                smtp.quit()
            else:
                smtp.close()
        except (smtplib.SMTPException, OSError):
            smtp.close()

    def _connect(self) -> smtplib.SMTP:
        context = self.ssl_context or ssl.create_default_context()
        try:
            if self.use_ssl:
                smtp = Smtps(self.host, self.port, self.local_hostname, timeout=self.timeout, context=context)
            else:
                smtp = Smtp(self.host, self.port, self.local_hostname, timeout=self.timeout)
        except ssl.SSLError as exc:
            raise self._tls_failed(exc) from exc
        try:
            smtp.ehlo_or_helo_if_needed()
            if not self.use_ssl:
                if smtp.has_extn("starttls"):
                    try:
                        smtp.starttls(context=context)
                    except ssl.SSLError as exc:  # handshake: wrong certificate, host or protocol
                        raise self._tls_failed(exc) from exc
                elif self.host.lower() not in _LOCAL_HOSTS:
                    raise MailConfigError(
                        f"{self.address} does not offer STARTTLS, and mail is only sent unencrypted to "
                        "localhost; use smtps:// or a server that supports STARTTLS"
                    )
            if self.username:
                smtp.login(self.username, self.password or "")
            return smtp
        except smtplib.SMTPAuthenticationError as exc:
            self._close(smtp, quit=True)
            if not permanent(exc.smtp_code):
                raise
            raise MailConfigError(
                f"{self.address} refused the login for {self.username!r} "
                f"({reply_text(exc.smtp_code, exc.smtp_error)}); check KINDRED_SMTP_USER and "
                "KINDRED_SMTP_PASSWORD"
            ) from None
        except smtplib.SMTPNotSupportedError as exc:
            self._close(smtp, quit=True)
            raise MailConfigError(f"{self.address} cannot do what was asked ({exc}); check the URL") from None
        except BaseException:
            self._close(smtp, quit=False)
            raise

    def _tls_failed(self, exc: ssl.SSLError) -> MailConfigError:
        return MailConfigError(
            f"TLS with {self.address} failed ({exc.reason or exc}); check the host name and port "
            "(465 for smtps://, 587 for smtp:// with STARTTLS)"
        )
