"""Subscribers of the weekly digest, what was sent to them, and their feedback — in the event store.

The tables are in :mod:`recommender.people.tables`. Times are stored as naive UTC, like the events.

Examples
--------
>>> from recommender.store.event_store import Store
>>> store = Store("sqlite://")
>>> sub = add_subscriber(store, "Sam@Example.org", passions="pottery and jazz", friends=["Ana: chess"])
>>> sub.email, sub.friends
('sam@example.org', [{'name': 'Ana', 'loves': 'chess'}])
>>> validate_timezone("Mars/Olympus")
Traceback (most recent call last):
...
recommender.people.subscribers.SubscriberError: unknown time zone 'Mars/Olympus'; use an IANA name such as \
America/Toronto or Europe/Berlin
"""

from __future__ import annotations

import re
from datetime import datetime, timezone
from email.utils import parseaddr

from sqlalchemy import delete, select

from recommender.core.times import utc_naive
from recommender.passions.statement import split_passions
from recommender.people.tables import Send, SentEvent, SignUp, Subscriber, SubscriberFeedback, ensure_tables
from recommender.ranking.filters import MODES
from recommender.store.event_store import Store
from recommender.store.tables import Meta
from scrapers.errors import KindredError
from scrapers.zones import get_zone

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
FEEDBACK_KINDS = ("dismiss", "like")
MAX_PASSIONS = 2000  # characters: a statement, not a document
MAX_FRIENDS = 20
MAX_NAME = 100
MAX_WITHIN_KM = 20_000  # half way round the Earth
# Who gets the weekly digest: confirmed (by the sign-up link, or added by the operator) and not
# unsubscribed. The one definition, used by every query for digest recipients.
GETS_DIGEST = Subscriber.unsubscribed_at.is_(None) & Subscriber.confirmed_at.is_not(None)
# Deliberately plain: one @, no spaces or angle brackets, a dotted domain of letters, digits and hyphens.
_EMAIL = re.compile(
    r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$"
)  # noqa: E501


class SubscriberError(KindredError):
    """A subscriber's details are invalid, or the subscriber does not exist (or already does)."""


def validate_email(address: str) -> str:
    """The address, trimmed and lower-cased, or :class:`SubscriberError`.

    >>> validate_email(" Robin@Example.ORG ")
    'robin@example.org'
    """
    text = (address or "").strip()
    name, parsed = parseaddr(text)
    if name or parsed != text or len(text) > 254 or not _EMAIL.match(text):
        raise SubscriberError(f"{address!r} is not an email address; write it like sam@example.org")
    return text.lower()


def validate_timezone(name: str) -> str:
    try:
        get_zone(name)
    except ValueError:
        raise SubscriberError(
            f"unknown time zone {name!r}; use an IANA name such as America/Toronto or Europe/Berlin"
        ) from None
    return name


def parse_friend(text: str) -> dict:
    """``"Sam: pottery, jazz"`` -> ``{"name": "Sam", "loves": "pottery, jazz"}``.

    >>> parse_friend("Sam: pottery, jazz")
    {'name': 'Sam', 'loves': 'pottery, jazz'}
    """
    name, sep, loves = (text or "").partition(":")
    if not sep or not name.strip() or not loves.strip():
        raise SubscriberError(f'friend {text!r} should be NAME: WHAT THEY LOVE, e.g. "Sam: pottery, jazz"')
    return {"name": " ".join(name.split()), "loves": " ".join(loves.split())}


def validate_name(name: str | None) -> str | None:
    """A person's name as they would be greeted, trimmed (None when empty), or :class:`SubscriberError`.

    >>> validate_name("  Robin   Díaz "), validate_name("")
    ('Robin Díaz', None)
    """
    text = " ".join(str(name or "").split())
    if len(text) > MAX_NAME or any(not c.isprintable() for c in text) or any(c in text for c in "<>@"):
        raise SubscriberError(
            f"write the name as you would like to be greeted, in at most {MAX_NAME} letters"
        )
    return text or None


def apply_changes(sub: Subscriber, changes: dict) -> None:
    """Check ``changes`` (passions, place, mode, zone, schedule, friends, name) and set them on ``sub``,
    or :class:`SubscriberError` saying what to fix; ``None`` leaves a field alone (not near/within)."""
    if "name" in changes:
        sub.name = validate_name(changes["name"])
    if "passions" in changes:
        if not (changes["passions"] or "").strip():
            raise SubscriberError('passions cannot be empty; say what you love, e.g. "pottery and jazz"')
        if len(changes["passions"]) > MAX_PASSIONS:
            raise SubscriberError(
                f"passions are {len(changes['passions'])} characters long; say what you love in at most "
                f"{MAX_PASSIONS}"
            )
        split_passions(changes["passions"])  # PassionError if nothing is left to match on
        sub.passions = changes["passions"].strip()
    if "near" in changes or "within_km" in changes:
        near = changes.get("near", sub.near)
        within = changes.get("within_km", sub.within_km)
        if (near is None) != (within is None):
            raise SubscriberError("--near and --within go together, e.g. --near 43.65,-79.38 --within 10")
        if within is not None and not 0 < within <= MAX_WITHIN_KM:  # NaN fails this too
            raise SubscriberError(f"--within must be more than 0 km and at most {MAX_WITHIN_KM:,} km")
        sub.near_lat, sub.near_lon = near if near else (None, None)
        sub.within_km = within
    if changes.get("mode") is not None:
        if changes["mode"] not in MODES:
            raise SubscriberError(f"unknown mode {changes['mode']!r}; use one of {', '.join(MODES)}")
        sub.mode = changes["mode"]
    if changes.get("timezone") is not None:
        sub.timezone = validate_timezone(changes["timezone"])
    if changes.get("day") is not None:
        day = changes["day"].strip().lower()[:3]
        if day not in DAYS:
            raise SubscriberError(f"unknown day {changes['day']!r}; use one of {', '.join(DAYS)}")
        sub.day = day
    if changes.get("hour") is not None:
        if not 0 <= int(changes["hour"]) <= 23:
            raise SubscriberError(f"hour {changes['hour']!r} is not 0..23")
        sub.hour = int(changes["hour"])
    if changes.get("friends") is not None:
        if len(changes["friends"]) > MAX_FRIENDS:
            raise SubscriberError(f"at most {MAX_FRIENDS} friends to pass events on to")
        sub.friends = [f if isinstance(f, dict) else parse_friend(f) for f in changes["friends"]]


def add_subscriber(
    store: Store,
    email: str,
    *,
    passions: str,
    now: datetime | None = None,
    resubscribe: bool = False,
    **changes,
):
    """Add a subscriber (the operator vouches that they asked: they count as confirmed, and a sign-up
    still waiting for its confirmation is confirmed). Someone who unsubscribed is subscribed again
    only with ``resubscribe`` (their own, explicit choice), which is recorded; otherwise their
    unsubscribe stands."""
    email = validate_email(email)
    ensure_tables(store)
    moment = now or datetime.now(timezone.utc)
    with store.session() as session, session.begin():
        sub = session.scalar(select(Subscriber).where(Subscriber.email == email))
        if sub is not None and sub.active and sub.confirmed:
            raise SubscriberError(
                f"{email} is already subscribed; change it with `kindred users edit {email}`"
            )
        if sub is not None and not sub.active and not resubscribe:
            raise SubscriberError(
                f"{email} unsubscribed on {sub.unsubscribed_at:%Y-%m-%d}; subscribe them again only if "
                "they asked to be, with --resubscribe"
            )
        if sub is not None and not sub.active:
            session.merge(Meta(key=f"resubscribed:{sub.id}", value=moment.isoformat()))
        if sub is None:
            sub = Subscriber(email=email, created_at=utc_naive(moment), friends=[])
            session.add(sub)
        sub.unsubscribed_at = None
        sub.confirmed_at = sub.confirmed_at or utc_naive(moment)
        apply_changes(
            sub, {"passions": passions, "mode": "any", "timezone": "UTC", "day": "mon", "hour": 8} | changes
        )
    return sub


def edit_subscriber(store: Store, email: str, **changes) -> Subscriber:
    """Change the given fields (``None`` values are left alone, except ``near``/``within_km``)."""
    ensure_tables(store)
    with store.session() as session, session.begin():
        sub = _get(session, email)
        apply_changes(sub, changes)
    return sub


def get_subscriber(store: Store, email: str) -> Subscriber:
    ensure_tables(store)
    with store.session() as session:
        return _get(session, email)


def find_subscriber(store: Store, email: str) -> Subscriber | None:
    ensure_tables(store)
    with store.session() as session:
        return session.scalar(select(Subscriber).where(Subscriber.email == email.strip().lower()))


def token_subscriber(store: Store, data) -> Subscriber | None:
    """The subscriber a verified link token (:class:`~recommender.core.signing.TokenData`) acts for:
    by number in opaque tokens, by address in the others; None when they are gone."""
    ensure_tables(store)
    with store.session() as session:
        if data.subscriber_id is not None:
            return session.get(Subscriber, data.subscriber_id)
        return session.scalar(select(Subscriber).where(Subscriber.email == data.email))


def list_subscribers(store: Store, *, active_only: bool = False) -> list[Subscriber]:
    """Every subscriber, or with ``active_only`` those who get the digest (:data:`GETS_DIGEST`:
    confirmed and not unsubscribed)."""
    ensure_tables(store)
    query = select(Subscriber).order_by(Subscriber.email)
    if active_only:
        query = query.where(GETS_DIGEST)
    with store.session() as session:
        return list(session.scalars(query))


def remove_subscriber(store: Store, email: str) -> None:
    """Delete a subscriber and everything recorded about them."""
    ensure_tables(store)
    with store.session() as session, session.begin():
        sub = _get(session, email)
        for table in (Send, SentEvent, SubscriberFeedback):
            session.query(table).filter(table.subscriber_id == sub.id).delete()
        session.execute(delete(SignUp).where(SignUp.email == sub.email))
        session.delete(sub)


def unsubscribe(store: Store, email: str, *, now: datetime) -> bool:
    """Mark ``email`` unsubscribed; True if this call changed anything (idempotent)."""
    ensure_tables(store)
    with store.session() as session, session.begin():
        sub = session.scalar(select(Subscriber).where(Subscriber.email == email.strip().lower()))
        if sub is None or not sub.active:
            return False
        sub.unsubscribed_at = utc_naive(now)
        return True


def record_feedback(store: Store, email: str, event_id: str, kind: str, *, now: datetime) -> bool:
    """Store a dismiss/like once (a like undoes a dismiss and the other way round); True if new."""
    with store.session() as session, session.begin():
        sub = _get(session, email)
        return toggle_feedback(
            session, SubscriberFeedback, kind=kind, now=now, subscriber_id=sub.id, event_id=event_id
        )


def toggle_feedback(session, model, *, kind: str, now: datetime, **key) -> bool:
    """Add ``kind`` (like/dismiss) for ``key`` in the feedback table ``model`` once, removing the
    opposite kind; True if it was new. Shared by subscribers and local profiles."""
    if kind not in FEEDBACK_KINDS:
        raise ValueError(f"feedback kind must be one of {FEEDBACK_KINDS}")
    opposite = next(k for k in FEEDBACK_KINDS if k != kind)
    session.execute(delete(model).filter_by(**key, kind=opposite))
    if session.scalar(select(model.id).filter_by(**key, kind=kind)):
        return False
    session.add(model(**key, kind=kind, at=utc_naive(now)))
    return True


def feedback_ids(store: Store, subscriber_id: int, kind: str) -> set[str]:
    with store.session() as session:
        query = select(SubscriberFeedback.event_id).where(
            SubscriberFeedback.subscriber_id == subscriber_id, SubscriberFeedback.kind == kind
        )
        return set(session.scalars(query))


def _get(session, email: str) -> Subscriber:
    try:
        key = validate_email(email)
    except SubscriberError:
        key = (email or "").strip().lower()
    sub = session.scalar(select(Subscriber).where(Subscriber.email == key))
    if sub is None:
        raise SubscriberError(f"no subscriber {email!r}; see `kindred users list`")
    return sub
