"""The batch digest path gives every person exactly what one-at-a-time ranking gives them."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from types import SimpleNamespace

import pytest

from benchmarks.corpus import Pool, synthetic_events
from benchmarks.people import synthetic_subscribers
from recommender.digest.batch import Person, choose_many
from recommender.digest.choice import choose_digest, start_of_week
from recommender.ranking.feedback import Feedback
from recommender.ranking.saved_index import load_or_fit
from recommender.store.event_store import Store

MONDAY = date(2026, 3, 2)
NOW = datetime(2026, 3, 1, tzinfo=UTC)


@pytest.fixture(scope="module")
def ranking(tmp_path_factory):
    """2,000 synthetic listings over two months, stored and ranked from the saved index."""
    folder = tmp_path_factory.mktemp("batch")
    rng = random.Random(3)
    events = [
        replace(e, start=(start := NOW + timedelta(minutes=30 * rng.randrange(2 * 24 * 60))), end=start)
        for e in synthetic_events(Pool.load(), 2_000, seed=13)
    ]
    store = Store(f"sqlite:///{folder / 'k.db'}")
    store.upsert(events, now=NOW)
    return load_or_fit(store, cache_dir=folder / "cache").ranking


def people(ranking, n: int, seed: int) -> list[Person]:
    """``n`` generated subscribers, their weeks starting at Monday 00:00 in their own zones (or one
    week later), with likes, dismissals and sent events among that window's listings."""
    _, mask = ranking.window(NOW, NOW + timedelta(days=21))
    window = [ranking.ids[int(k)] for k in mask.nonzero()[0]]
    out = []
    for k, p in enumerate(synthetic_subscribers(n, window, seed=seed)):
        moment = start_of_week(MONDAY + timedelta(weeks=k % 2), p["timezone"])
        sub = SimpleNamespace(**{key: p[key] for key in ("passions", "near", "within_km", "mode", "friends")})
        feedback = Feedback(frozenset(p["likes"]), frozenset(p["dismissed"]))
        out.append(Person(sub, moment, frozenset(p["sent"]) | feedback.dismissed, feedback))
    return out


def one_at_a_time(ranking, person: Person):
    return choose_digest(
        ranking, person.subscriber, now=person.moment, exclude=person.exclude, feedback=person.feedback
    )


def assert_same(ranking, group: list[Person]) -> list:
    batch = choose_many(ranking, group)
    for person, got in zip(group, batch, strict=True):
        assert got == one_at_a_time(ranking, person), person.subscriber.passions
    return batch


def test_batch_picks_equal_one_at_a_time_picks(ranking):
    batch = assert_same(ranking, people(ranking, 300, seed=5))
    assert sum(bool(c.picks) for c in batch) > 150 and sum(bool(c.pass_on) for c in batch) > 30


@pytest.mark.slow  # a few thousand people, each also ranked one at a time against every listing
def test_batch_picks_equal_one_at_a_time_picks_for_thousands(ranking):
    group = people(ranking, 3_000, seed=17)
    batch = assert_same(ranking, group)
    assert sum(bool(c.picks) for c in batch) > 1_500
    # the generated people exercise what the ranking does: likes, dismissals, "not this", friends
    assert sum(bool(p.feedback.likes) for p in group) > 1_000
    assert sum(bool(p.feedback.dismissed) for p in group) > 1_000
    assert sum(", but not" in p.subscriber.passions for p in group) > 100
    assert sum(len(c.pass_on) for c in batch) > 500
