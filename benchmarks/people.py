"""Synthetic subscribers for the digest benchmark and the batch-digest equality test.

Each has passions in people's words (sometimes with something they do not want), a place and
distance or none, an attendance mode, a time zone, 0–2 friends, and likes, dismissals and events
already sent taken from ``event_ids`` (pass the events of the digest's window, so they matter).

>>> ids = ["ev-1", "ev-2", "ev-3"]
>>> people = list(synthetic_subscribers(3, ids, seed=2))
>>> len({p["email"] for p in people}), people == list(synthetic_subscribers(3, ids, seed=2))
(3, True)
"""

from __future__ import annotations

import random
from collections.abc import Iterator, Sequence
from datetime import datetime, timezone

from benchmarks.corpus import passion_statements

TORONTO = (43.6532, -79.3832)
ZONES = ("America/Toronto", "America/Toronto", "America/Toronto", "UTC", "Europe/London")
NOT_WANTED = (", but not networking mixers", " and no karaoke", ", except team sports", "")


def synthetic_subscribers(n: int, event_ids: Sequence[str], *, seed: int = 29) -> Iterator[dict]:
    """``n`` subscribers as dicts: ``email``, ``passions``, ``near``, ``within_km``, ``mode``,
    ``timezone``, ``friends``, ``likes``, ``dismissed``, ``sent``."""
    rng = random.Random(seed)
    statements = [s for s in passion_statements(2 * n + 20, seed=seed) if _names_a_passion(s)]
    for i in range(n):
        near = None
        if rng.random() < 0.6:
            near = (TORONTO[0] + rng.uniform(-0.05, 0.05), TORONTO[1] + rng.uniform(-0.05, 0.05))
        likes = _some(rng, event_ids, 3)
        yield {
            "email": f"person{i}@example.org",
            "passions": statements[i] + (rng.choice(NOT_WANTED) if rng.random() < 0.3 else ""),
            "near": near,
            "within_km": rng.choice((2.0, 5.0, 10.0, 25.0)) if near else None,
            "mode": rng.choice(("any",) * 7 + ("in-person",) * 2 + ("online",)),
            "timezone": rng.choice(ZONES),
            "friends": [
                {"name": f"Friend {i}-{k}", "loves": statements[n + rng.randrange(n + 10)]}
                for k in range(rng.choice((0, 0, 0, 1, 1, 2)))
            ],
            "likes": likes,
            "dismissed": _some(rng, [e for e in event_ids if e not in likes], 3),  # a like undoes a dismissal
            "sent": _some(rng, event_ids, 4),
        }


def _names_a_passion(statement: str) -> bool:
    """False for the few lexicon phrases read as "not this" ("no buy year ..."): nothing left to love."""
    from recommender.passions.statement import PassionError, split_statement

    try:
        return bool(split_statement(statement)[0])
    except PassionError:
        return False


def _some(rng: random.Random, ids: Sequence[str], most: int) -> list[str]:
    k = min(len(ids), rng.choice([0] * most + list(range(1, most + 1))))
    return rng.sample(list(ids), k)


def write_subscribers(store, people: Sequence[dict], *, now: datetime, sent_week: str = "2020-W01") -> None:
    """``people`` as rows of ``store`` (bulk inserts; the rows ``kindred users add``, the feedback
    links and an earlier week's digest would write)."""
    from sqlalchemy import insert, select

    from recommender.people.tables import Send, SentEvent, Subscriber, SubscriberFeedback, ensure_tables

    ensure_tables(store)
    stamp = now.astimezone(timezone.utc).replace(tzinfo=None)
    rows = [
        {
            "email": p["email"], "passions": p["passions"], "mode": p["mode"], "timezone": p["timezone"],
            "near_lat": p["near"][0] if p["near"] else None, "near_lon": p["near"][1] if p["near"] else None,
            "within_km": p["within_km"], "friends": p["friends"], "created_at": stamp, "confirmed_at": stamp,
        }
        for p in people
    ]  # fmt: skip
    with store.session() as session, session.begin():
        session.execute(insert(Subscriber), rows)
        ids = dict(session.execute(select(Subscriber.email, Subscriber.id)).all())
        feedback = [
            {"subscriber_id": ids[p["email"]], "event_id": e, "kind": kind, "at": stamp}
            for p in people
            for kind, key in (("like", "likes"), ("dismiss", "dismissed"))
            for e in p[key]
        ]
        sent = [
            {"subscriber_id": ids[p["email"]], "event_id": e, "week": sent_week, "role": "pick"}
            for p in people
            for e in p["sent"]
        ]
        sends = [
            {"subscriber_id": ids[p["email"]], "week": sent_week, "sent_at": stamp, "status": "ok"}
            for p in people
            if p["sent"]
        ]
        for table, batch in ((SubscriberFeedback, feedback), (SentEvent, sent), (Send, sends)):
            if batch:
                session.execute(insert(table), batch)
