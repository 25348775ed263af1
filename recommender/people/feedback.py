"""What a person told Kindred about events: "more like this" (like) and "not interested" (dismiss).

A subscriber's feedback (from the email links or ``kindred like/dismiss --user EMAIL``) lives in
the subscribers' ``feedback`` table; the feedback of whoever runs ``kindred query`` without
``--user`` lives under the ``default`` profile. The ranker moves a person's passions toward what
they liked and away from what they dismissed (Rocchio), and never suggests a dismissed event again.

Examples
--------
>>> from datetime import datetime, timezone
>>> from recommender.store.event_store import Store
>>> from scrapers.event import Event
>>> now = datetime(2026, 5, 1, tzinfo=timezone.utc)
>>> store = Store("sqlite://")
>>> _ = store.upsert([Event(title="Pottery wheel night", start=now)], now=now)
>>> event_id = store.events()[0].id
>>> record(store, event_id, "dismiss", now=now)
True
>>> record(store, event_id, "dismiss", now=now)  # already recorded: nothing changes
False
>>> load(store).dismissed == {event_id}
True
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import delete, select

from recommender.people.profile_feedback import DEFAULT_PROFILE, as_feedback
from recommender.people.subscribers import (
    FEEDBACK_KINDS,
    get_subscriber,
    record_feedback,
    toggle_feedback,
)
from recommender.people.tables import ProfileFeedback, SubscriberFeedback, ensure_tables
from recommender.ranking.feedback import Feedback
from recommender.store.event_store import Store
from scrapers.errors import KindredError


class FeedbackError(KindredError):
    """Feedback that cannot be recorded (unknown event, unknown subscriber, bad kind)."""


def record(store: Store, event_id: str, kind: str, *, user: str | None = None, now: datetime) -> bool:
    """Record a like or dismiss of ``event_id`` for ``user`` (a subscriber's email) or the default
    profile; True if it was new. Liking undoes an earlier dismiss and the other way round."""
    if kind not in FEEDBACK_KINDS:
        raise FeedbackError(f"feedback must be one of {', '.join(FEEDBACK_KINDS)}, not {kind!r}")
    if store.get(event_id) is None:
        raise FeedbackError(f"no event {event_id!r} in the store; `kindred query` shows event ids")
    if user:
        ensure_tables(store)
        return record_feedback(store, user, event_id, kind, now=now)
    ensure_tables(store)
    with store.session() as session, session.begin():
        return toggle_feedback(
            session, ProfileFeedback, kind=kind, now=now, profile=DEFAULT_PROFILE, event_id=event_id
        )


def of_subscriber(store: Store, subscriber_id: int) -> Feedback:
    """The likes and dismissals of the subscriber with id ``subscriber_id``."""
    return of_subscribers(store, [subscriber_id])[subscriber_id]


def of_subscribers(store: Store, subscriber_ids: Iterable[int]) -> dict[int, Feedback]:
    """:func:`of_subscriber` for many subscribers, in one query per 500."""
    rows: dict[int, list[tuple[str, str]]] = {i: [] for i in subscriber_ids}
    wanted = list(rows)
    query = select(SubscriberFeedback.subscriber_id, SubscriberFeedback.event_id, SubscriberFeedback.kind)
    with store.session() as session:
        for lo in range(0, len(wanted), 500):
            part = query.where(SubscriberFeedback.subscriber_id.in_(wanted[lo : lo + 500]))
            for subscriber_id, event_id, kind in session.execute(part):
                rows[subscriber_id].append((event_id, kind))
    return {i: as_feedback(r) for i, r in rows.items()}


def load(store: Store, user: str | None = None) -> Feedback:
    """The likes and dismissals of ``user`` (a subscriber's email) or of the default profile."""
    if user:
        ensure_tables(store)
        return of_subscriber(store, get_subscriber(store, user).id)
    ensure_tables(store)
    with store.session() as session:
        rows = session.execute(
            select(ProfileFeedback.event_id, ProfileFeedback.kind).filter_by(profile=DEFAULT_PROFILE)
        ).all()
    return as_feedback(rows)


def _rows(store: Store, user: str | None):
    """The feedback table and the condition that picks ``user``'s (or the default profile's) rows."""
    ensure_tables(store)
    if user:
        sub = get_subscriber(store, user)
        return SubscriberFeedback, SubscriberFeedback.subscriber_id == sub.id
    return ProfileFeedback, ProfileFeedback.profile == DEFAULT_PROFILE


def listed(store: Store, kind: str, *, user: str | None = None) -> list[tuple[str, datetime]]:
    """``(event id, when)`` of every ``kind`` (like/dismiss) of ``user`` or the default profile,
    newest first."""
    model, who = _rows(store, user)
    with store.session() as session:
        query = select(model.event_id, model.at).where(who, model.kind == kind).order_by(model.at.desc())
        return [(event_id, at) for event_id, at in session.execute(query)]


def undo(store: Store, event_id: str, kind: str, *, user: str | None = None) -> bool:
    """Forget a like or dismiss of ``event_id``; True if there was one.

    >>> from datetime import UTC, datetime
    >>> from recommender.store.event_store import Store
    >>> from scrapers.event import Event
    >>> store, now = Store("sqlite://"), datetime(2026, 5, 1, tzinfo=UTC)
    >>> _ = store.upsert([Event(title="Quiz night", start=now, id="ev-1")], now=now)
    >>> record(store, "ev-1", "dismiss", now=now)
    True
    >>> undo(store, "ev-1", "dismiss"), undo(store, "ev-1", "dismiss")
    (True, False)
    """
    model, who = _rows(store, user)
    with store.session() as session, session.begin():
        gone = session.execute(delete(model).where(who, model.kind == kind, model.event_id == event_id))
        return bool(gone.rowcount)
