"""Ranking on small named corpora: properties a person would check by eye."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from recommender.passions.statement import PassionError, split_passions
from recommender.ranking.estimator import NotFittedError
from recommender.ranking.ranker import PassionRanker
from scrapers.event import Event

T = datetime(2026, 5, 1, 18, tzinfo=timezone.utc)

OUTDOORS_AND_MORE = [
    Event(title="Sunday hike on the Bruce Trail", start=T, description="A 12 km hike with a lunch stop."),
    Event(
        title="Beginner hiking group: ravine trails", start=T + timedelta(days=1), description="Easy pace."
    ),
    Event(title="Speed networking breakfast", start=T, description="Meet local business owners, swap cards."),
    Event(title="Jazz at the Rex", start=T, description="Live jazz quartet, two sets."),
    Event(title="Pottery wheel taster", start=T, description="Throw your first bowl in clay."),
    Event(title="Board game cafe night", start=T, description="Catan, Ticket to Ride and more."),
]


@pytest.fixture
def ranker():
    return PassionRanker().fit(OUTDOORS_AND_MORE)


def test_hiking_passion_ranks_hiking_events_first(ranker):
    picks = ranker.rank(["hiking"])
    assert {p.event.title for p in picks[:2]} == {
        "Sunday hike on the Bruce Trail",
        "Beginner hiking group: ravine trails",
    }
    assert all("hik" in " ".join(p.why) for p in picks[:2])


def test_every_pick_says_why_and_which_passion(ranker):
    picks = ranker.rank(["live jazz", "pottery"])
    assert picks and all(p.why and p.passion in ("live jazz", "pottery") for p in picks)
    assert {p.event.title for p in picks} == {"Jazz at the Rex", "Pottery wheel taster"}


def test_unrelated_passion_matches_nothing(ranker):
    assert ranker.rank(["underwater basket weaving"]) == []


def test_mask_and_limit(ranker):
    mask = [e.title != "Sunday hike on the Bruce Trail" for e in OUTDOORS_AND_MORE]
    picks = ranker.rank(["hiking"], mask=mask, limit=1)
    assert [p.event.title for p in picks] == ["Beginner hiking group: ravine trails"]


def test_no_passions_is_an_error(ranker):
    with pytest.raises(PassionError):
        ranker.rank([])


def test_unfitted_ranker_raises():
    with pytest.raises(NotFittedError):
        PassionRanker().rank(["hiking"])


@pytest.mark.parametrize(
    "text,expected",
    [
        ("board games, hiking and live jazz", ["board games", "hiking", "live jazz"]),
        ("I love salsa dancing\nI'm into pottery", ["salsa dancing", "pottery"]),
        ("Dungeons & Dragons; trail running", ["Dungeons & Dragons", "trail running"]),
        ("hiking, Hiking", ["hiking"]),
    ],
)
def test_split_passions(text, expected):
    assert split_passions(text) == expected


@pytest.mark.parametrize("text", ["", "   ", "I love and", ", ; ,"])
def test_empty_passions_are_an_error(text):
    with pytest.raises(PassionError, match="no passion found"):
        split_passions(text)


def test_the_centroid_of_liked_events_is_scipys_mean_bit_for_bit():
    import random

    import numpy as np

    from benchmarks.corpus import Pool, synthetic_events

    ranker = PassionRanker().fit(list(synthetic_events(Pool.load(), 400, seed=3)))
    ids = [e.id for e in ranker.events_]
    rng = random.Random(5)
    for _ in range(300):
        liked = rng.sample(ids, rng.randint(1, 12))
        want = np.asarray(ranker._rows()[ranker._rows_of(liked)].mean(axis=0)).ravel()
        got = ranker._centroid(liked)
        assert got.dtype == want.dtype and np.array_equal(got, want)
        assert np.array_equal(np.signbit(got), np.signbit(want))
    assert ranker._centroid(["not fitted"]) is None
