"""Sign-ups from the web page, with double opt-in: nobody gets a digest before opening the
confirmation link sent to their address.

A sign-up is stored as asked (:class:`~recommender.people.tables.SignUp`) and, for an address Kindred
does not know yet, as a subscriber still unconfirmed (who gets no digest). Confirming applies what
was asked: a new subscriber is confirmed, a confirmed one gets the new interests, and someone who
unsubscribed is subscribed again (only ever by their own confirmation, which is recorded; a link
older than their unsubscribe never does it).

Confirmation emails are rate-limited, in the store: per client (:data:`PER_CLIENT`, refused with
:class:`SignUpLimited`) and per address (:data:`PER_ADDRESS`, a day's and a week's: past them no
email is sent, and the answer is the same, so the page never tells whether an address is known).

>>> from datetime import UTC, datetime
>>> from recommender.store.event_store import Store
>>> from recommender.people.subscribers import list_subscribers
>>> store, now = Store("sqlite://"), datetime(2026, 11, 23, 9, tzinfo=UTC)
>>> signup = request_signup(store, "robin@example.org", {"passions": "pottery"}, client="1.2.3.4", now=now)
>>> list_subscribers(store, active_only=True)
[]
>>> sub = confirm_signup(store, signup.id, now=now)
>>> [s.email for s in list_subscribers(store, active_only=True)]
['robin@example.org']
"""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from recommender.core.times import utc_naive
from recommender.people.rate_limit import Limit
from recommender.people.subscribers import SubscriberError, apply_changes, validate_email
from recommender.people.tables import SignUp, Subscriber, ensure_tables
from recommender.store.event_store import Store
from recommender.store.tables import Meta

PER_CLIENT = Limit("signup-client", 10, timedelta(hours=1))
PREVIEWS = Limit("preview-client", 300, timedelta(hours=1))  # each ranks the whole store
PER_ADDRESS = (
    Limit("signup-address", 3, timedelta(days=1)),
    Limit("signup-address-week", 5, timedelta(days=7)),
)
RENEWABLE = timedelta(days=30)  # a sign-up this old can still get a new link; older ones are forgotten
FIELDS = ("name", "passions", "near", "within_km", "mode", "timezone")
_DEFAULTS = {"mode": "any", "timezone": "UTC", "day": "mon", "hour": 8}


class SignUpLimited(SubscriberError):
    """Too many sign-ups from one client: try again later."""


class SignUpExpired(SubscriberError):
    """The sign-up cannot be confirmed any more (gone, or older than an unsubscribe)."""


def validate_details(details: dict) -> dict:
    """What a person asked for, checked and normalised as a subscriber's settings are, or
    :class:`~recommender.people.subscribers.SubscriberError` saying what to fix.

    >>> validate_details({"passions": " pottery ", "near": (43.65, -79.38), "within_km": 10, "name": ""})
    {'name': None, 'passions': 'pottery', 'near': [43.65, -79.38], 'within_km': 10.0, 'mode': 'any', \
'timezone': 'UTC'}
    """
    unknown = set(details) - set(FIELDS)
    if unknown:
        raise ValueError(f"unknown sign-up fields {sorted(unknown)}")
    probe = Subscriber(friends=[], **{k: v for k, v in _DEFAULTS.items()})
    apply_changes(probe, {"name": None, "near": None, "within_km": None, "passions": ""} | details)
    return {
        "name": probe.name,
        "passions": probe.passions,
        "near": list(probe.near) if probe.near else None,
        "within_km": None if probe.within_km is None else float(probe.within_km),
        "mode": probe.mode,
        "timezone": probe.timezone,
    }


def request_signup(store: Store, email: str, details: dict, *, client: str, now: datetime) -> SignUp | None:
    """Record a sign-up and return it (its confirmation email is to be sent), or None when this
    address has had :data:`PER_ADDRESS` confirmation emails already (send nothing, say the same).

    Raises :class:`SubscriberError` for bad details and :class:`SignUpLimited` past
    :data:`PER_CLIENT`; nothing is stored then.
    """
    email = validate_email(email)
    details = validate_details(details)
    ensure_tables(store)
    if not PER_CLIENT.take(store, client, now):
        raise SignUpLimited("too many sign-ups from here in the last hour; please try again later")
    if not _address_may_get_mail(store, email, now):
        return None
    with store.session() as session:
        try:  # the same new address signed up twice at once: one of them adds it
            with session.begin():
                if session.scalar(select(Subscriber.id).where(Subscriber.email == email)) is None:
                    pending = Subscriber(email=email, created_at=utc_naive(now), friends=[], **_DEFAULTS)
                    apply_changes(pending, _as_changes(details))
                    session.add(pending)
        except IntegrityError:
            pass
        with session.begin():
            signup = SignUp(email=email, details=details, client=_hash(client), requested_at=utc_naive(now))
            session.add(signup)
            _forget_stale(session, now)
    return signup


def renew_signup(store: Store, email: str, *, client: str, now: datetime) -> SignUp | None:
    """The latest sign-up of ``email`` still waiting for confirmation (at most :data:`RENEWABLE` old),
    for a new link to be sent, or None (nothing waiting, or :data:`PER_ADDRESS` reached).
    :class:`SignUpLimited` past :data:`PER_CLIENT`. Says nothing else about the address."""
    try:
        email = validate_email(email)
    except SubscriberError:
        return None
    ensure_tables(store)
    if not PER_CLIENT.take(store, client, now):
        raise SignUpLimited("too many requests from here in the last hour; please try again later")
    with store.session() as session:
        signup = session.scalar(
            select(SignUp)
            .where(
                SignUp.email == email,
                SignUp.confirmed_at.is_(None),
                SignUp.requested_at >= utc_naive(now - RENEWABLE),
            )
            .order_by(SignUp.requested_at.desc(), SignUp.id.desc())
            .limit(1)
        )
    if signup is None or not _address_may_get_mail(store, email, now):
        return None
    return signup


def get_signup(store: Store, signup_id: int) -> SignUp | None:
    ensure_tables(store)
    with store.session() as session:
        return session.get(SignUp, signup_id)


def confirm_signup(store: Store, signup_id: int, *, now: datetime) -> Subscriber:
    """Apply sign-up ``signup_id`` and confirm its subscriber (idempotent: confirming again changes
    nothing). :class:`SignUpExpired` when the sign-up is gone, or was made before the address
    unsubscribed (an old link must not undo a later unsubscribe)."""
    ensure_tables(store)
    with store.session() as session, session.begin():
        signup = session.get(SignUp, signup_id, with_for_update=True)  # a double click confirms once
        if signup is None:
            raise SignUpExpired("this sign-up is no longer waiting; sign up again")
        sub = session.scalar(select(Subscriber).where(Subscriber.email == signup.email))
        if sub is None:  # removed by the operator meanwhile
            raise SignUpExpired("this sign-up is no longer waiting; sign up again")
        if signup.confirmed_at is not None:
            return sub
        if sub.unsubscribed_at is not None and sub.unsubscribed_at >= signup.requested_at:
            raise SignUpExpired(
                "this address unsubscribed after this link was sent; sign up again to subscribe again"
            )
        if sub.unsubscribed_at is not None:
            session.merge(Meta(key=f"resubscribed:{sub.id}", value=now.isoformat()))
        apply_changes(sub, _as_changes(signup.details))
        sub.unsubscribed_at = None
        sub.confirmed_at = sub.confirmed_at or utc_naive(now)
        signup.confirmed_at = utc_naive(now)
        return sub


def _address_may_get_mail(store: Store, email: str, now: datetime) -> bool:
    """Whether one more confirmation email may go to ``email`` (taking a slot of each limit)."""
    return all(limit.take(store, email, now) for limit in PER_ADDRESS)


def _forget_stale(session, now: datetime) -> None:
    """Forget sign-ups older than :data:`RENEWABLE`, and the addresses that never confirmed one:
    what someone typed in for an address that never said yes is not kept."""
    cutoff = utc_naive(now - RENEWABLE)
    session.execute(delete(SignUp).where(SignUp.requested_at < cutoff))
    never = select(SignUp.email).where(SignUp.requested_at >= cutoff)
    session.execute(
        delete(Subscriber).where(
            Subscriber.confirmed_at.is_(None), Subscriber.created_at < cutoff, Subscriber.email.not_in(never)
        )
    )


def _as_changes(details: dict) -> dict:
    near = details.get("near")
    return dict(details, near=tuple(near) if near else None)


def _hash(text: str) -> str:
    return hashlib.sha256(str(text).encode()).hexdigest()
