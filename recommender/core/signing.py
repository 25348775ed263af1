"""Signed, URL-safe tokens for the links in an email that act for a subscriber.

A token says *who* (the subscriber's email), *what* (one of :data:`ACTIONS`), optionally *which event*,
and *when* it was issued. It is signed with HMAC-SHA256 under ``KINDRED_SECRET``, so a link cannot be
forged or pointed at someone else, and it expires (60 days by default) so old emails stop acting.

The token is two base64url segments joined by a dot: the JSON payload and the signature over that
segment's exact text. Both segments use only ``A-Z a-z 0-9 - _``, so a token can sit in a URL path.

Examples
--------
>>> from datetime import UTC, datetime, timedelta
>>> issued = datetime(2026, 11, 23, 8, tzinfo=UTC)
>>> token = make_token("s3cret", "sam@example.org", "dismiss", event_id="ev-1", issued=issued)
>>> data = verify_token("s3cret", token, action="dismiss", now=issued + timedelta(days=3))
>>> (data.email, data.action, data.event_id)
('sam@example.org', 'dismiss', 'ev-1')
>>> verify_token("other", token, action="dismiss", now=issued)
Traceback (most recent call last):
...
recommender.core.signing.TokenError: this link is not valid (it was changed or not made by this Kindred); \
open the link from your latest email, or ask for a new one
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from scrapers.errors import KindredError

ACTIONS = ("unsubscribe", "dismiss", "more_like", "preferences", "calendar", "confirm")
DEFAULT_MAX_AGE = timedelta(days=60)

# Keys are derived per purpose so the same KINDRED_SECRET can sign other things without overlap.
_KEY_LABEL = b"kindred/link-token/v1"
_MAX_TOKEN_LENGTH = 2048


class TokenError(KindredError):
    """A link token is forged, garbled, expired or meant for another action."""


class SecretMissingError(KindredError):
    """No signing secret is configured (``KINDRED_SECRET``)."""


@dataclass(frozen=True)
class TokenData:
    """What a verified token says.

    Attributes
    ----------
    email : str or None
        The subscriber the link acts for, in tokens that name them by address (digest links);
        None in opaque tokens.
    action : str
        One of :data:`ACTIONS`.
    event_id : str or None
        The event the link is about (``dismiss``, ``more_like``, ``calendar``), else ``None``.
    issued : datetime
        When the token was made (UTC, whole seconds).
    subscriber_id : int or None
        The subscriber, in opaque tokens (calendar feeds): their number, which says nothing of them;
        in a ``confirm`` token, the number of the sign-up it confirms.
    """

    email: str | None
    action: str
    event_id: str | None
    issued: datetime
    subscriber_id: int | None = None


def make_token(
    secret: str, email: str | int, action: str, *, event_id: str | None = None, issued: datetime
) -> str:
    """Sign a token that lets a link do ``action`` for ``email``, or for the subscriber numbered
    ``email`` when it is an ``int`` (an opaque token: the URL carries nothing about the person).

    Parameters
    ----------
    secret : str
        The signing secret (``KINDRED_SECRET``); must not be empty.
    email : str
        The subscriber's address.
    action : str
        One of :data:`ACTIONS`.
    event_id : str, optional
        The event the action is about.
    issued : datetime
        Timezone-aware time of issue (inject it; the digest passes its "now").

    Returns
    -------
    str
        A URL-safe token.

    Examples
    --------
    >>> from datetime import UTC, datetime
    >>> t = make_token("k", "a@b.c", "unsubscribe", issued=datetime(2026, 1, 1, tzinfo=UTC))
    >>> set(t) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.")
    True
    """
    key = _key(secret)
    if action not in ACTIONS:
        raise ValueError(f"unknown token action {action!r}; expected one of {', '.join(ACTIONS)}")
    opaque = isinstance(email, int) and not isinstance(email, bool)
    if not opaque and (not isinstance(email, str) or not email.strip()):
        raise ValueError("a token needs the subscriber's email address or number")
    if not isinstance(issued, datetime) or issued.tzinfo is None:
        raise ValueError(f"issued must be a timezone-aware datetime, got {issued!r}")
    payload = {"a": action, "s" if opaque else "e": email, "t": int(issued.timestamp())}
    if event_id is not None:
        payload["v"] = event_id
    body = _b64encode(json.dumps(payload, separators=(",", ":"), ensure_ascii=False).encode("utf-8"))
    return f"{body}.{_sign(key, body)}"


def verify_token(
    secret: str | Sequence[str],
    token: str,
    *,
    action: str,
    now: datetime,
    max_age: timedelta = DEFAULT_MAX_AGE,
) -> TokenData:
    """Check ``token`` and return what it says, or raise :class:`TokenError`.

    Parameters
    ----------
    secret : str or sequence of str
        The signing secret, or the current one followed by earlier ones (``KINDRED_OLD_SECRETS``):
        links signed before a rotation keep working.
    token : str
        The token from the link.
    action : str
        The action the link is being used for; a token made for another action is refused.
    now : datetime
        Timezone-aware current time (injected).
    max_age : timedelta
        How long a token stays good.

    Returns
    -------
    TokenData

    Raises
    ------
    TokenError
        The token is forged, garbled, expired or for another action.
    SecretMissingError
        ``secret`` is empty.

    Examples
    --------
    >>> from datetime import UTC, datetime, timedelta
    >>> t0 = datetime(2026, 1, 1, tzinfo=UTC)
    >>> tok = make_token("k", "a@b.c", "unsubscribe", issued=t0)
    >>> verify_token("k", tok, action="unsubscribe", now=t0 + timedelta(days=61))
    Traceback (most recent call last):
    ...
    recommender.core.signing.TokenError: this link has expired (it is 61 days old; links last 60 days); \
use the links in your latest email
    """
    secrets = [secret] if isinstance(secret, str) or secret is None else list(secret)
    keys = [_key(s) for s in secrets[:1]] + [_key(s) for s in secrets[1:] if s]
    if action not in ACTIONS:
        raise ValueError(f"unknown token action {action!r}; expected one of {', '.join(ACTIONS)}")
    if now.tzinfo is None:
        raise ValueError(f"now must be a timezone-aware datetime, got {now!r}")
    data = _decode_any(keys, token)
    if data.action != action:
        raise TokenError(
            f"this link is for '{data.action}', not '{action}'; open the matching link from your email"
        )
    age = now - data.issued
    if age > max_age:
        raise TokenError(
            f"this link has expired (it is {age.days} days old; links last {max_age.days} days); "
            "use the links in your latest email"
        )
    return data


def _decode_any(keys: list[bytes], token: object) -> TokenData:
    """The token's data under the first key that signed it (the current secret, then older ones)."""
    for key in keys[:-1]:
        try:
            return _decode(key, token)
        except TokenError:
            continue
    return _decode(keys[-1], token)


def _decode(key: bytes, token: object) -> TokenData:
    forged = TokenError(
        "this link is not valid (it was changed or not made by this Kindred); "
        "open the link from your latest email, or ask for a new one"
    )
    if not isinstance(token, str) or len(token) > _MAX_TOKEN_LENGTH or token.count(".") != 1:
        raise forged
    body, signature = token.split(".")
    try:
        expected = _sign(key, body)
    except UnicodeEncodeError:
        raise forged from None
    # Compare the signature's text, not its decoded bytes: every character of the token counts.
    if not hmac.compare_digest(expected.encode("ascii"), signature.encode("utf-8", "replace")):
        raise forged
    # The signature is ours, so the payload is what make_token wrote; still, fail closed.
    try:
        payload = json.loads(_b64decode(body))
        number = payload.get("s")
        if number is not None and (not isinstance(number, int) or isinstance(number, bool)):
            raise TypeError("expected a subscriber number")
        data = TokenData(
            email=None if number is not None else _expect_str(payload["e"]),
            action=_expect_str(payload["a"]),
            event_id=None if payload.get("v") is None else _expect_str(payload["v"]),
            issued=datetime.fromtimestamp(payload["t"], UTC),
            subscriber_id=number,
        )
    except (ValueError, KeyError, TypeError, OverflowError, OSError, binascii.Error):
        raise forged from None
    return data


def _expect_str(value: object) -> str:
    if not isinstance(value, str):
        raise TypeError("expected a string")
    return value


def require_secret(secret: str | None) -> str:
    """``secret`` if it can sign links, else :class:`SecretMissingError` saying how to set one.

    >>> require_secret("s3cret")
    's3cret'
    """
    _key(secret)
    return secret


def _key(secret: str | None) -> bytes:
    if not secret or not str(secret).strip():
        raise SecretMissingError(
            "no signing secret: set KINDRED_SECRET to a long random string "
            '(e.g. python -c "import secrets; print(secrets.token_urlsafe(32))")'
        )
    return hmac.new(secret.encode("utf-8"), _KEY_LABEL, hashlib.sha256).digest()


def _sign(key: bytes, body: str) -> str:
    return _b64encode(hmac.new(key, body.encode("ascii"), hashlib.sha256).digest())


def _b64encode(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def _b64decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
