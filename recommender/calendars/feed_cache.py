"""Calendar feeds for a long-running server: the ranking kept in memory, bodies kept by ETag.

A calendar app re-fetches its feed every few hours, mostly to find it unchanged. :class:`FeedCache`
answers that cheaply: :meth:`FeedCache.state` needs the store's change token, the subscriber's
feedback and the window's bounds, never a ranking or an event (see
:func:`~recommender.calendars.feed.feed_state`); the ETag it gives decides a 304. Only a changed
feed is ranked and rendered, and its bytes are kept (by ETag) for the next client that asks.

>>> from datetime import UTC, datetime
>>> from recommender.people.subscribers import add_subscriber
>>> from recommender.store.event_store import Store
>>> store, now = Store("sqlite://"), datetime(2026, 11, 23, tzinfo=UTC)
>>> sub = add_subscriber(store, "sam@example.org", passions="pottery", now=now)
>>> feeds = FeedCache(store)
>>> state = feeds.state(sub, now=now)
>>> feeds.body(sub, now=now, state=state) is feeds.body(sub, now=now, state=state)
True
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from datetime import datetime

from recommender.calendars.feed import FeedState, feed_body, feed_state
from recommender.people.tables import Subscriber
from recommender.store.event_store import Store

BODIES = 512  # rendered feeds kept (a feed is a few tens of kB)


class FeedCache:
    """Feed states and bodies of ``store``'s subscribers, for one server process."""

    def __init__(self, store: Store, *, bodies: int = BODIES):
        from recommender.ranking.saved_index import CurrentRanking  # the ranker is slow to import

        self.store = store
        self.current = CurrentRanking(store)
        self._bodies: OrderedDict[str, bytes] = OrderedDict()
        self._size = bodies
        self._lock = threading.Lock()

    def state(self, sub: Subscriber, *, now: datetime) -> FeedState:
        """What ``sub``'s feed at ``now`` is made of, and its ETag (no ranking)."""
        return feed_state(self.store, sub, now=now, current=self.current)

    def body(self, sub: Subscriber, *, now: datetime, state: FeedState) -> bytes:
        """The ``.ics`` bytes for ``state``: rendered once per ETag while it stays in the cache."""
        with self._lock:
            body = self._bodies.get(state.etag)
            if body is not None:
                self._bodies.move_to_end(state.etag)
                return body
        body = feed_body(self.store, sub, now=now, state=state)
        with self._lock:
            self._bodies[state.etag] = body
            while len(self._bodies) > self._size:
                self._bodies.popitem(last=False)
        return body
