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

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import bindparam, delete, insert, select, update
from sqlalchemy.exc import IntegrityError

from recommender.core.times import utc_naive
from recommender.people.tables import Send, SentEvent
from recommender.store.event_store import Store

STALE_CLAIM = timedelta(hours=1)
_IN_CHUNK = 500  # ids per IN (...) list


@dataclass(frozen=True)
class Finish:
    """The outcome of one (subscriber, week) claim, for :func:`finish_weeks`."""

    subscriber_id: int
    week: str
    status: str
    error: str | None = None
    message_id: str | None = None
    carried: dict[str, str] = field(default_factory=dict)  # event id -> pick or pass_on


def _retryable(stamp: datetime, retry_uncertain: bool):
    """Which claimed rows may be claimed again (see the module docstring)."""
    retry = (Send.status == "failed") | ((Send.status == "sending") & (Send.sent_at < stamp - STALE_CLAIM))
    if retry_uncertain:
        retry = (
            retry
            | (Send.status == "uncertain")
            | ((Send.status == "handing_over") & (Send.sent_at < stamp - STALE_CLAIM))
        )
    return retry


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
        with session.begin():
            return _reclaim(session, subscriber_id, week, stamp, retry_uncertain)


def _reclaim(session, subscriber_id: int, week: str, stamp: datetime, retry_uncertain: bool) -> bool:
    """Claim an existing row again if it may be (see :func:`_retryable`)."""
    result = session.execute(
        update(Send)
        .where(Send.subscriber_id == subscriber_id, Send.week == week, _retryable(stamp, retry_uncertain))
        .values(status="sending", sent_at=stamp, error=None)
    )
    return result.rowcount == 1


def claim_weeks(
    store: Store, claims: Sequence[tuple[int, str]], now: datetime, *, retry_uncertain: bool = False
) -> set[tuple[int, str]]:
    """:func:`claim_week` for many (subscriber, week) slots in one transaction; the ones taken.
    When another run claims one of them meanwhile, each is claimed on its own instead."""
    stamp = utc_naive(now)
    wanted = list(dict.fromkeys(claims))
    ids = {subscriber_id for subscriber_id, _ in wanted}
    try:
        with store.session() as session, session.begin():
            query = select(Send.subscriber_id, Send.week).where(Send.subscriber_id.in_(ids))
            existing = set(session.execute(query).all())
            fresh = [c for c in wanted if c not in existing]
            if fresh:
                rows = [
                    {"subscriber_id": i, "week": w, "sent_at": stamp, "status": "sending"} for i, w in fresh
                ]
                session.execute(insert(Send), rows)
            again = [c for c in wanted if c in existing]
            return set(fresh) | {c for c in again if _reclaim(session, *c, stamp, retry_uncertain)}
    except IntegrityError:  # a racing run inserted one of them first: one at a time settles who has what
        return {c for c in wanted if claim_week(store, *c, now, retry_uncertain=retry_uncertain)}


def mark_handover(store: Store, subscriber_id: int, week: str) -> None:
    """Record that the message is about to go to the server: from now on it may be delivered."""
    with store.engine.begin() as connection:  # one short statement per message: no ORM session
        connection.execute(
            update(Send)
            .where(Send.subscriber_id == subscriber_id, Send.week == week, Send.status == "sending")
            .values(status="handing_over")
        )


def release_week(store: Store, subscriber_id: int, week: str) -> None:
    """Give the slot back (nothing was sent), so a later run may send."""
    release_weeks(store, [(subscriber_id, week)])


def release_weeks(store: Store, slots: Sequence[tuple[int, str]]) -> None:
    """:func:`release_week` for many slots, in one transaction."""
    if not slots:
        return
    sends = Send.__table__.c
    given_back = delete(Send.__table__).where(
        sends.subscriber_id == bindparam("b_id"),
        sends.week == bindparam("b_week"),
        (sends.status == "sending") | (sends.status == "handing_over"),  # IN () cannot be executemany'd
    )
    with store.session() as session, session.begin():  # one statement, many rows
        session.connection().execute(given_back, [{"b_id": i, "b_week": w} for i, w in slots])


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
    finish_weeks(store, [Finish(subscriber_id, week, status, error, message_id, dict(carried or {}))], now)


def finish_weeks(store: Store, finished: Sequence[Finish], now: datetime) -> None:
    """Record many outcomes (each as :func:`finish_week` would) in one transaction."""
    if not finished:
        return
    stamp = utc_naive(now)
    sends, events = Send.__table__.c, SentEvent.__table__.c
    outcome = (
        update(Send.__table__)
        .where(sends.subscriber_id == bindparam("b_id"), sends.week == bindparam("b_week"))
        .values(status=bindparam("b_status"), sent_at=stamp, error=bindparam("b_error"),
                message_id=bindparam("b_message"))
    )  # fmt: skip
    # an event sent again in a re-sent week keeps one row, now of this week
    resent = delete(SentEvent.__table__).where(
        events.subscriber_id == bindparam("b_id"), events.event_id == bindparam("b_event")
    )
    carried = [(f, e, role) for f in finished for e, role in f.carried.items()]
    with store.session() as session, session.begin():  # one statement of each kind, many rows
        connection = session.connection()
        connection.execute(outcome, [
            {"b_id": f.subscriber_id, "b_week": f.week, "b_status": f.status, "b_error": f.error,
             "b_message": f.message_id}
            for f in finished
        ])  # fmt: skip
        if carried:
            connection.execute(resent, [{"b_id": f.subscriber_id, "b_event": e} for f, e, _ in carried])
            connection.execute(
                insert(SentEvent.__table__),
                [
                    {"subscriber_id": f.subscriber_id, "event_id": e, "week": f.week, "role": r}
                    for f, e, r in carried
                ],
            )


def sent_event_ids(store: Store, subscriber_id: int, *, besides_week: str | None = None) -> set[str]:
    """Every event ever sent to the subscriber (a digest never repeats one), except those of
    ``besides_week`` (the week being sent again)."""
    return sent_event_ids_of(store, {subscriber_id: besides_week})[subscriber_id]


def sent_event_ids_of(store: Store, besides: dict[int, str | None]) -> dict[int, set[str]]:
    """:func:`sent_event_ids` for many subscribers (id -> the week to leave out), in one query."""
    out: dict[int, set[str]] = {subscriber_id: set() for subscriber_id in besides}
    query = select(SentEvent.subscriber_id, SentEvent.event_id, SentEvent.week)
    with store.session() as session:
        for lo in range(0, len(out), _IN_CHUNK):
            part = list(out)[lo : lo + _IN_CHUNK]
            for subscriber_id, event_id, week in session.execute(
                query.where(SentEvent.subscriber_id.in_(part))
            ):
                if week != besides[subscriber_id]:
                    out[subscriber_id].add(event_id)
    return out
