"""Deliver composed emails: over SMTP with retries, or into an outbox directory of ``.eml`` files.

Both senders (:class:`SmtpSender` here, :class:`~recommender.mail.outbox.OutboxSender`) have one method,
``send(msg) -> None``, so the digest does not care which it has.

:class:`SmtpSender` retries what may pass (4xx replies, dropped or refused connections, timeouts)
with exponential backoff, and never re-sends to a recipient the server has already accepted.
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
import re
import smtplib
import ssl
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from email.message import EmailMessage
from urllib.parse import unquote, urlsplit

from recommender.mail.message import (
    MailConfigError,
    PermanentDeliveryError,
    TransientDeliveryError,
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
            raise MailConfigError(f"not an SMTP URL: {_redact(url)!r}; {hint}")
        try:
            port = parts.port or (465 if scheme == "smtps" else 587)
        except ValueError:
            raise MailConfigError(f"bad port in SMTP URL {_redact(url)!r}; {hint}") from None
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

    def send(self, msg: EmailMessage) -> None:
        """Deliver ``msg`` to its To/Cc/Bcc recipients, retrying transient failures.

        Raises
        ------
        PermanentDeliveryError
            Some recipients were refused for good (the others were delivered).
        TransientDeliveryError
            Some recipients could not be reached after all retries.
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
                rejected = self._attempt(msg, from_addr, pending)
            except smtplib.SMTPResponseException as exc:
                last_problem = _reply(exc.smtp_code, exc.smtp_error)
                if _permanent(exc.smtp_code):
                    refused.update(dict.fromkeys(pending, last_problem))
                    pending = []
                continue
            except OSError as exc:  # refused/reset/timed out/dropped (SMTPServerDisconnected is one)
                last_problem = _oserror(exc)
                continue
            delivered += [a for a in pending if a not in rejected]
            pending = []
            for address, (code, text) in rejected.items():
                last_problem = _reply(code, text)
                if _permanent(code):
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

    def _attempt(self, msg: EmailMessage, from_addr: str, to_addrs: list[str]) -> dict:
        """One connection, one transaction; returns ``{recipient: (code, reply)}`` of those refused."""
        with self._session() as smtp:
            try:
                return smtp.send_message(msg, from_addr, to_addrs)
            except smtplib.SMTPRecipientsRefused as exc:
                return exc.recipients
            except smtplib.SMTPNotSupportedError as exc:  # e.g. the address needs SMTPUTF8
                raise smtplib.SMTPResponseException(550, str(exc).encode()) from exc

    @contextlib.contextmanager
    def _session(self) -> Iterator[smtplib.SMTP]:
        context = self.ssl_context or ssl.create_default_context()
        try:
            if self.use_ssl:
                smtp = smtplib.SMTP_SSL(
                    self.host, self.port, self.local_hostname, timeout=self.timeout, context=context
                )
            else:
                smtp = smtplib.SMTP(self.host, self.port, self.local_hostname, timeout=self.timeout)
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
            yield smtp
        except smtplib.SMTPAuthenticationError as exc:
            if not _permanent(exc.smtp_code):
                raise
            raise MailConfigError(
                f"{self.address} refused the login for {self.username!r} "
                f"({_reply(exc.smtp_code, exc.smtp_error)}); check KINDRED_SMTP_USER and "
                "KINDRED_SMTP_PASSWORD"
            ) from None
        except smtplib.SMTPNotSupportedError as exc:
            raise MailConfigError(f"{self.address} cannot do what was asked ({exc}); check the URL") from None
        finally:
            try:
                smtp.quit()
            except (smtplib.SMTPException, OSError):
                smtp.close()

    def _tls_failed(self, exc: ssl.SSLError) -> MailConfigError:
        return MailConfigError(
            f"TLS with {self.address} failed ({exc.reason or exc}); check the host name and port "
            "(465 for smtps://, 587 for smtp:// with STARTTLS)"
        )


def _permanent(code: int) -> bool:
    return 500 <= code < 600


def _reply(code: int, text: bytes | str) -> str:
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    return f"{code} {' '.join(str(text).split())}".strip()


def _oserror(exc: OSError) -> str:
    if isinstance(exc, TimeoutError):
        return "timed out"
    detail = exc.strerror or str(exc)
    return f"{type(exc).__name__}: {detail}" if detail else type(exc).__name__


def _redact(url: str | None) -> str:
    return re.sub(r"//[^@/]*@", "//***@", url or "")
