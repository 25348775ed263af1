"""What both senders share: the envelope of a message and the errors of sending it.

>>> from email.message import EmailMessage
>>> msg = EmailMessage()
>>> msg["From"], msg["To"], msg["Cc"] = "kindred@example.org", "Ana <ana@example.org>", "ana@example.org"
>>> envelope(msg)
('kindred@example.org', ['ana@example.org'])
"""

from __future__ import annotations

from email.message import Message
from email.utils import getaddresses

from scrapers.errors import KindredError


class MailConfigError(KindredError):
    """Mail cannot be sent with these settings (bad URL, no TLS, wrong login, unwritable outbox)."""


class DeliveryError(KindredError):
    """A message did not reach some recipients.

    Attributes
    ----------
    delivered : list of str
        Recipients the server accepted (never retried).
    refused : dict
        Recipient -> server reply, for permanent refusals.
    pending : list of str
        Recipients still undelivered after transient failures.
    """

    def __init__(self, message: str, *, delivered=(), refused=None, pending=()) -> None:
        super().__init__(message)
        self.delivered = list(delivered)
        self.refused = dict(refused or {})
        self.pending = list(pending)


class PermanentDeliveryError(DeliveryError):
    """The server refused the message for good (5xx); retrying will not help."""


class UncertainDeliveryError(DeliveryError):
    """The whole message was handed to the server, but its answer never came (the connection dropped
    or timed out after the data): it may well have been delivered, so it is never sent again
    automatically."""


class TransientDeliveryError(DeliveryError):
    """Delivery kept failing for reasons that may pass (4xx, connection trouble); try again later."""


def envelope(msg: Message, *, need_sender: bool = True) -> tuple[str, list[str]]:
    """The envelope sender and the deduplicated To/Cc/Bcc recipients of ``msg``."""
    from_addr = next(
        (a for _, a in getaddresses(msg.get_all("Sender", []) + msg.get_all("From", [])) if a), ""
    )
    fields = [v for name in ("To", "Cc", "Bcc") for v in msg.get_all(name, [])]
    recipients = list(dict.fromkeys(a for _, a in getaddresses(fields) if a))
    if not recipients:
        raise ValueError("the message has no recipients (To, Cc or Bcc)")
    if need_sender and not from_addr:
        raise ValueError("the message has no From address")
    return from_addr, recipients
