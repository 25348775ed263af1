"""The email that confirms a sign-up (double opt-in): what was asked for, and one signed link.

Nothing is sent to the address but this until its link is opened; the link expires after
:data:`CONFIRM_MAX_AGE`. The same email goes out whether or not the address is already subscribed,
so the sign-up page never has to say.

>>> from datetime import UTC, datetime
>>> msg = compose_confirmation(
...     email="robin@example.org", details={"name": "Robin", "passions": "pottery", "near": None,
...     "within_km": None, "mode": "any"}, confirm_url="https://kindred.example/subscribe/confirm/t.s",
...     sender="Kindred <kindred@kindred.example>", now=datetime(2026, 11, 23, 9, tzinfo=UTC))
>>> msg["Subject"], msg["X-Kindred-Purpose"]
('Confirm your Kindred sign-up', 'confirm')
>>> "https://kindred.example/subscribe/confirm/t.s" in msg.get_body(("plain",)).get_content()
True
"""

from __future__ import annotations

from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid, parseaddr

from recommender.core.signing import make_token
from recommender.digest.compose import TEMPLATES, DigestError, base_url_of

CONFIRM_MAX_AGE = timedelta(hours=48)
MODES_SAID = {"any": "in person or online", "in-person": "in person", "online": "online"}


def compose_confirmation(
    *, email: str, details: dict, confirm_url: str, sender: str, now: datetime
) -> EmailMessage:
    """The confirmation email for a sign-up of ``email`` asking for ``details`` (see
    :func:`recommender.people.signups.validate_details`), whose link is ``confirm_url``."""
    sender_address = parseaddr(sender)[1]
    if "@" not in sender_address:
        raise DigestError(f"sender {sender!r} is not an email address: set KINDRED_FROM to one")
    where = None
    if details.get("near") and details.get("within_km"):
        lat, lon = details["near"]
        where = f"within {details['within_km']:g} km of {lat:g},{lon:g}"
    context = {
        "name": details.get("name"),
        "passions": details["passions"],
        "where": where,
        "mode": MODES_SAID.get(details.get("mode") or "any", "in person or online"),
        "confirm_url": confirm_url,
        "hours": int(CONFIRM_MAX_AGE.total_seconds() // 3600),
        "email": email,
    }
    msg = EmailMessage()
    msg["From"] = sender
    msg["To"] = email
    msg["Subject"] = "Confirm your Kindred sign-up"
    msg["Date"] = format_datetime(now)
    msg["Message-ID"] = make_msgid(idstring="confirm", domain=sender_address.rpartition("@")[2])
    msg["X-Kindred-Purpose"] = "confirm"
    msg["Auto-Submitted"] = "auto-generated"
    msg.set_content(TEMPLATES.get_template("confirm.txt.j2").render(context))
    msg.add_alternative(TEMPLATES.get_template("confirm.html.j2").render(context), subtype="html")
    return msg


def confirm_url(base_url: str, secret: str, signup_id: int, *, now: datetime) -> str:
    """The signed link that confirms sign-up ``signup_id`` (issued ``now``; see :data:`CONFIRM_MAX_AGE`).

    >>> from datetime import UTC, datetime
    >>> confirm_url("https://k.example/", "s3cret", 7, now=datetime(2026, 11, 23, tzinfo=UTC))[:36]
    'https://k.example/subscribe/confirm/'
    """
    token = make_token(secret, signup_id, "confirm", issued=now)
    return f"{base_url_of(base_url)}/subscribe/confirm/{token}"


def send_confirmation(sender, settings, signup, *, now: datetime) -> None:
    """Send ``signup``'s confirmation email with ``sender`` (SMTP or outbox, as the digest)."""
    msg = compose_confirmation(
        email=signup.email,
        details=signup.details,
        confirm_url=confirm_url(settings.base_url, settings.secret, signup.id, now=now),
        sender=settings.sender,
        now=now,
    )
    with sender:
        sender.send(msg)
