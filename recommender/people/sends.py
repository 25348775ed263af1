"""The ledger of digests sent: one row per subscriber and ISO week, claimed before sending.

A claim is a row with a unique (subscriber, week) key, so two runs at once cannot both send; it is
marked ``handing_over`` right before the message itself goes to the mail server, then finished with
the outcome (``ok``, ``refused``, ``failed``, or ``uncertain`` when the server took the message but
its answer was lost) or released when there was nothing to send. A ``failed`` row, or a ``sending``
claim older than :data:`STALE_CLAIM` (a run that crashed before sending), may be claimed again; an
``uncertain`` one, or a ``handing_over`` one a crashed run left behind, only when asked
(``retry_uncertain``): a person never gets a week's digest twice by accident.

>>> from datetime import UTC, datetime
>>> from recommender.people.subscribers import add_subscriber
>>> from recommender.store.event_store import Store
>>> store, now = Store("sqlite://"), datetime(2026, 11, 23, tzinfo=UTC)
>>> sub = add_subscriber(store, "sam@example.org", passions="pottery", now=now)
>>> claim_week(store, sub.id, "2026-W48", now), claim_week(store, sub.id, "2026-W48", now)
(True, False)
>>> finish_week(store, sub.id, "2026-W48", now, "ok", carried={"ev-1": "pick"})
>>> sent_event_ids(store, sub.id)
{'ev-1'}
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError

from recommender.core.times import utc_naive
from recommender.people.tables import Send, SentEvent
from recommender.store.event_store import Store

STALE_CLAIM = timedelta(hours=1)


def claim_week(
    store: Store, subscriber_id: int, week: str, now: datetime, *, retry_uncertain: bool = False
) -> bool:
    """Take the (subscriber, week) slot; False if it is done, maybe done, or someone else holds it."""
    stamp = utc_naive(now)
    with store.session() as session:
        try:
            with session.begin():
                session.add(Send(subscriber_id=subscriber_id, week=week, sent_at=stamp, status="sending"))
            return True
        except IntegrityError:
            pass
        retry = (Send.status == "failed") | (
            (Send.status == "sending") & (Send.sent_at < stamp - STALE_CLAIM)
        )
        if retry_uncertain:
            retry = (
                retry
                | (Send.status == "uncertain")
                | ((Send.status == "handing_over") & (Send.sent_at < stamp - STALE_CLAIM))
            )
        with session.begin():
            result = session.execute(
                update(Send)
                .where(Send.subscriber_id == subscriber_id, Send.week == week, retry)
                .values(status="sending", sent_at=stamp, error=None)
            )
            return result.rowcount == 1


def mark_handover(store: Store, subscriber_id: int, week: str) -> None:
    """Record that the message is about to go to the server: from now on it may be delivered."""
    with store.session() as session, session.begin():
        session.execute(
            update(Send)
            .where(Send.subscriber_id == subscriber_id, Send.week == week, Send.status == "sending")
            .values(status="handing_over")
        )


def release_week(store: Store, subscriber_id: int, week: str) -> None:
    """Give the slot back (nothing was sent), so a later run may send."""
    with store.session() as session, session.begin():
        session.execute(
            delete(Send).where(
                Send.subscriber_id == subscriber_id,
                Send.week == week,
                Send.status.in_(("sending", "handing_over")),
            )
        )


def finish_week(
    store: Store,
    subscriber_id: int,
    week: str,
    now: datetime,
    status: str,
    *,
    error: str | None = None,
    message_id: str | None = None,
    carried: dict[str, str] | None = None,
) -> None:
    """Record the outcome; for a delivery, together with the events it ``carried`` (event id ->
    ``pick`` or ``pass_on``), in one transaction."""
    with store.session() as session, session.begin():
        session.execute(
            update(Send)
            .where(Send.subscriber_id == subscriber_id, Send.week == week)
            .values(status=status, sent_at=utc_naive(now), error=error, message_id=message_id)
        )
        for event_id, role in (carried or {}).items():
            session.merge(SentEvent(subscriber_id=subscriber_id, event_id=event_id, week=week, role=role))


def sent_event_ids(store: Store, subscriber_id: int, *, besides_week: str | None = None) -> set[str]:
    """Every event ever sent to the subscriber (a digest never repeats one), except those of
    ``besides_week`` (the week being sent again)."""
    query = select(SentEvent.event_id).where(SentEvent.subscriber_id == subscriber_id)
    if besides_week is not None:
        query = query.where(SentEvent.week != besides_week)
    with store.session() as session:
        return set(session.scalars(query))
