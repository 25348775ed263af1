"""Rate limits kept in the store, so they hold across the web server's threads and processes.

A limit allows ``limit`` uses per key in each fixed period of ``period`` (say 3 an hour). Each use
takes one numbered *slot* of that (scope, key, period): a row whose primary key is all four, so two
requests at once can never take the same slot, on SQLite or PostgreSQL alike, and when every slot of
the period is taken the limit is reached. A use looks for a free slot from the number already taken,
so it costs a count and, unless another request took that slot meanwhile, one insert. Keys are
hashed before they are stored. Slots of periods long gone are deleted as new ones are taken.

>>> from datetime import UTC, datetime, timedelta
>>> from recommender.people.tables import ensure_tables
>>> from recommender.store.event_store import Store
>>> store, now = ensure_tables(Store("sqlite://")), datetime(2026, 11, 23, 9, tzinfo=UTC)
>>> hourly = Limit("demo", 2, timedelta(hours=1))
>>> [hourly.take(store, "sam@example.org", now) for _ in range(3)]
[True, True, False]
>>> hourly.take(store, "sam@example.org", now + timedelta(hours=1))
True
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError

from recommender.core.times import utc_naive
from recommender.people.tables import RateSlot
from recommender.store.event_store import Store

KEEP_PERIODS = 2  # slots of this many periods back are kept; older ones are deleted


@dataclass(frozen=True)
class Limit:
    """At most ``limit`` uses per key in each ``period``, counted under ``scope``."""

    scope: str
    limit: int
    period: timedelta

    def take(self, store: Store, key: str, now: datetime) -> bool:
        """Use one slot for ``key``; False (and nothing stored) when this period's are all taken."""
        period = int(now.timestamp() // self.period.total_seconds())
        who = hashlib.sha256(f"{self.scope}\0{key}".encode()).hexdigest()
        with store.session() as session:
            with session.begin():  # the slots taken so far: the next free one is usually the count
                taken = session.scalar(
                    select(func.count()).where(
                        RateSlot.scope == self.scope, RateSlot.who == who, RateSlot.period == period
                    )
                )
            for slot in range(taken, self.limit):
                try:
                    with session.begin():
                        session.add(
                            RateSlot(scope=self.scope, who=who, period=period, slot=slot, at=utc_naive(now))
                        )
                except IntegrityError:
                    continue
                with session.begin():
                    session.execute(
                        delete(RateSlot).where(
                            RateSlot.scope == self.scope, RateSlot.period < period - KEEP_PERIODS
                        )
                    )
                return True
        return False
