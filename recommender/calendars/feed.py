"""A subscriber's personal calendar feed: their current picks at an unguessable signed URL.

The feed URL is ``<KINDRED_BASE_URL>/calendar/<token>.ics``. The token is a
:mod:`recommender.core.signing` token for the ``calendar`` action (so no digest link works as a feed and
the other way round), issued at the subscriber's *feed epoch*: the time they subscribed, or the last
time their feed was revoked with :func:`revoke_feed`. A token is good only while its issue time equals
the current epoch, so the URL stays the same from email to email, never expires, and dies when revoked.

The feed holds what the subscriber's passions pick from the events starting between
:data:`PAST_DAYS` days ago (so what they went to does not vanish at once) and :data:`AHEAD_DAYS` days
ahead, under their distance and mode settings, without events they dismissed; at most :data:`LIMIT`.
Cancelled events that match stay in the feed, marked ``STATUS:CANCELLED``. Someone who unsubscribed
gets a valid, empty calendar whose name and description say so.

Examples
--------
>>> from datetime import UTC, datetime
>>> from recommender.store.event_store import Store
>>> from recommender.people.subscribers import add_subscriber
>>> store, now = Store("sqlite://"), datetime(2026, 11, 23, tzinfo=UTC)
>>> _ = add_subscriber(store, "sam@example.org", passions="pottery", now=now)
>>> token = feed_token(store, "k", "sam@example.org")
>>> subscriber_for_token(store, "k", token, now=now).email
'sam@example.org'
>>> revoke_feed(store, "sam@example.org", now=now)
>>> subscriber_for_token(store, "k", token, now=now)  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
recommender.calendars.feed.FeedNotFoundError: ... calendar feed; use the calendar link in your latest email
"""

from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from importlib.metadata import version
from pathlib import Path
from typing import TYPE_CHECKING

from recommender.calendars.ics import Revision, build_calendar
from recommender.core.signing import TokenError, make_token, verify_token
from recommender.people.feedback import of_subscriber
from recommender.people.subscriber_filter import subscriber_filter
from recommender.people.subscribers import get_subscriber, token_subscriber
from recommender.people.tables import Subscriber
from recommender.ranking.feedback import Feedback
from recommender.ranking.picks import why_line
from recommender.store.event_store import Store
from scrapers.errors import KindredError
from scrapers.event import Event

if TYPE_CHECKING:
    import numpy as np

    from recommender.ranking.saved_index import CurrentRanking, Loaded

PAST_DAYS = 7
AHEAD_DAYS = 28
LIMIT = 30
REFRESH = timedelta(hours=6)
# Feed tokens do not expire (a calendar app keeps using the URL for years); they are revoked instead.
_NEVER = timedelta(days=365 * 200)


class FeedNotFoundError(KindredError):
    """The feed token is forged, garbled, revoked or for someone who no longer exists."""


@dataclass(frozen=True)
class Feed:
    """A rendered feed: the ``.ics`` bytes, a strong ETag (quoted) and when this content first appeared."""

    body: bytes
    etag: str
    last_modified: datetime


def feed_epoch(store: Store, sub: Subscriber) -> int:
    """The issue time (Unix seconds) that a valid feed token for ``sub`` carries."""
    return _epoch(sub, store.get_meta(f"calendar_epoch:{sub.id}"))


def _epoch(sub: Subscriber, revoked: str | None) -> int:
    created = int(sub.created_at.replace(tzinfo=UTC).timestamp())
    return max(created, int(revoked or 0))


def feed_token(store: Store, secret: str, email: str) -> str:
    """The (stable) token of ``email``'s feed."""
    sub = get_subscriber(store, email)
    return feed_tokens(store, secret, [sub])[sub.id]


def feed_tokens(store: Store, secret: str, subs: Sequence[Subscriber]) -> dict[int, str]:
    """The feed token of each of ``subs`` (by id), reading their feed epochs in one query."""
    revoked = store.get_metas([f"calendar_epoch:{sub.id}" for sub in subs])
    tokens = {}
    for sub in subs:
        issued = datetime.fromtimestamp(_epoch(sub, revoked.get(f"calendar_epoch:{sub.id}")), UTC)
        tokens[sub.id] = make_token(secret, sub.id, "calendar", issued=issued)  # opaque: names no one
    return tokens


def feed_url(base_url: str, token: str) -> str:
    """``https://host/calendar/<token>.ics``.

    >>> feed_url("https://kindred.example/", "abc.def")
    'https://kindred.example/calendar/abc.def.ics'
    """
    return f"{base_url.strip().rstrip('/')}/calendar/{token}.ics"


def webcal_url(url: str) -> str:
    """The same address with the ``webcal://`` scheme, which opens a calendar app's "subscribe".

    >>> webcal_url("https://kindred.example/calendar/t.ics")
    'webcal://kindred.example/calendar/t.ics'
    """
    return "webcal://" + url.split("://", 1)[1]


def revoke_feed(store: Store, email: str, *, now: datetime) -> None:
    """Make every earlier feed URL of ``email`` stop working (a new one comes with the next email)."""
    sub = get_subscriber(store, email)
    epoch = max(int(now.timestamp()), feed_epoch(store, sub) + 1)
    store.set_meta(f"calendar_epoch:{sub.id}", str(epoch))


def subscriber_for_token(
    store: Store, secret: str | Sequence[str], token: str, *, now: datetime
) -> Subscriber:
    """The subscriber whose current feed token is ``token``, else :class:`FeedNotFoundError`;
    ``secret`` may be the current secret followed by earlier ones."""
    missing = FeedNotFoundError("no such calendar feed; use the calendar link in your latest email")
    if token.endswith(".ics"):
        token = token[: -len(".ics")]
    try:
        data = verify_token(secret, token, action="calendar", now=now, max_age=_NEVER)
    except TokenError:
        raise missing from None
    sub = token_subscriber(store, data)  # feeds made before opaque tokens name the address
    if sub is None or data.event_id is not None or int(data.issued.timestamp()) != feed_epoch(store, sub):
        raise missing
    return sub


@dataclass(frozen=True)
class FeedState:
    """What ``sub``'s feed at ``now`` is made of, found without ranking or loading any event: the
    ranking, the window's events, their feedback, and the ETag those name (see :func:`feed_state`)."""

    loaded: Loaded | None  # None when the store holds no events
    window: np.ndarray | None  # mask: the events starting in the feed's window
    between: tuple[datetime, datetime]  # that window
    feedback: Feedback
    etag: str  # quoted, strong: the same inputs always render the same bytes


def feed_state(
    store: Store, sub: Subscriber, *, now: datetime, current: CurrentRanking | None = None
) -> FeedState:
    """The inputs of ``sub``'s feed at ``now`` and their ETag: the store's index key, what of ``sub``
    the feed shows, their likes and dismissals, and which events the window holds. A request whose
    validators match this ETag is answered 304 without ranking anything."""
    if current is None:
        from recommender.ranking.saved_index import CurrentRanking  # the ranker is slow to import

        current = CurrentRanking(store)
    between = (now - timedelta(days=PAST_DAYS), now + timedelta(days=AHEAD_DAYS))
    if store.count():
        loaded = current.get()
        key = loaded.key
        bounds, window = loaded.ranking.window(*between)
    else:  # no events at all: nothing to rank (and no index to fit)
        loaded, key, bounds, window = None, f"empty {store.last_change()}", (0, 0), None
    feedback = of_subscriber(store, sub.id)
    about = [sub.id, sub.email, sub.passions, sub.near, sub.within_km, sub.mode, sub.active]
    about += [
        str(sub.unsubscribed_at),
        str(sub.created_at),
        sorted(feedback.likes),
        sorted(feedback.dismissed),
    ]
    inputs = json.dumps([_RENDER_KEY(), key, bounds, about], default=str)
    return FeedState(
        loaded, window, between, feedback, '"' + hashlib.sha256(inputs.encode()).hexdigest()[:32] + '"'
    )


@functools.cache
def _RENDER_KEY() -> str:  # noqa: N802 - a constant, computed once: the code that turns entries into bytes
    here = Path(__file__).resolve().parent
    h = hashlib.sha256(version("icalendar").encode())
    for name in ("feed.py", "ics.py"):
        h.update((here / name).read_bytes())
    return h.hexdigest()


def feed_entries(
    store: Store, sub: Subscriber, *, now: datetime, state: FeedState | None = None
) -> list[tuple[Event, str]]:
    """``(event, why)`` for the events in ``sub``'s feed at ``now``, best first."""
    state = state or feed_state(store, sub, now=now)
    if not sub.active or state.loaded is None:
        return []
    from recommender.ranking.window import window_ranking

    if not state.window.any():
        return []
    part, _ = window_ranking(state.loaded.ranking, *state.between)  # ranks as the whole ranking does
    flt = subscriber_filter(
        sub, start=None, end=None, exclude=state.feedback.dismissed, include_cancelled=True
    )
    mask = part.mask(flt)
    if not mask.any():
        return []
    picks = part.rank(sub.passions, limit=LIMIT, mask=mask, feedback=state.feedback)
    return [(p.event, why_line(p.passion, p.why)) for p in picks if p.score > 0]


def revisions_for(store: Store, events: list[Event]) -> dict[str, Revision]:
    """:class:`Revision` of each stored event among ``events``."""
    return {key: Revision(*times) for key, times in store.revisions(e.id for e in events).items()}


def feed_body(store: Store, sub: Subscriber, *, now: datetime, state: FeedState | None = None) -> bytes:
    """``sub``'s feed at ``now`` as ``.ics`` bytes (the same for the same :class:`FeedState`)."""
    entries = feed_entries(store, sub, now=now, state=state)
    revisions = revisions_for(store, [e for e, _ in entries])
    if sub.active:
        name = f"Kindred: {_short(sub.passions)}"
        about = (
            f"Events matching what you love ({_short(sub.passions, 200)}), picked by Kindred and updated "
            "as listings change. Cancelled events stay, marked cancelled."
        )
    else:
        name = "Kindred (unsubscribed)"
        about = (
            f"{sub.email} unsubscribed from Kindred on {sub.unsubscribed_at:%Y-%m-%d}, so this calendar "
            "stays empty. You can remove it from your calendar app."
        )
    # DTSTAMP is the latest listing change, not the request time, so an unchanged feed is byte-identical.
    created = sub.created_at.replace(tzinfo=UTC)
    stamp = max([r.changed for r in revisions.values()] + [created])
    cal = build_calendar(entries, stamp=stamp, revisions=revisions, name=name, about=about, refresh=REFRESH)
    return cal.to_ical()


def render_feed(
    store: Store, sub: Subscriber, *, now: datetime, current: CurrentRanking | None = None
) -> Feed:
    """``sub``'s feed at ``now``. Unchanged content renders to the same bytes (and ETag)."""
    state = feed_state(store, sub, now=now, current=current)
    body = feed_body(store, sub, now=now, state=state)
    return Feed(body, state.etag, first_served(store, sub, state.etag, now))


def first_served(store: Store, sub: Subscriber, etag: str, now: datetime) -> datetime:
    """When this exact content was first served (remembered per subscriber), for Last-Modified."""
    key = f"calendar_served:{sub.id}"
    seen_etag, _, seen_at = (store.get_meta(key) or "").partition(" ")
    if seen_etag == etag and seen_at:
        return datetime.fromisoformat(seen_at)
    moment = now.astimezone(UTC).replace(microsecond=0)
    store.set_meta(key, f"{etag} {moment.isoformat()}")
    return moment


def _short(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
