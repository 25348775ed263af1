"""Batch scoring gives exactly what scoring one person at a time gives."""

from __future__ import annotations

from datetime import datetime, timezone

import numpy as np
import pytest

from recommender.passions.statement import split_passions
from recommender.ranking.batch import rank_many, score_many
from recommender.ranking.ranking import Ranking
from recommender.store.event_store import Store
from recommender.store.snapshot import load_snapshot

NOW = datetime(2026, 11, 22, 12, tzinfo=timezone.utc)
PEOPLE = [
    "board games and long hikes",
    "live jazz, salsa dancing",
    "I love pottery",
    "networking with founders and investors",
    "volunteering in community gardens and birdwatching",
    "qwertyuiop",  # matches nothing
    "film festivals, theatre, comedy and trivia nights",
]


@pytest.fixture(scope="module")
def ranker(tmp_path_factory):
    store = Store(f"sqlite:///{tmp_path_factory.mktemp('db') / 'k.db'}")
    load_snapshot(store, now=NOW)
    return Ranking(store.events()).ranker


def picks_of(picks):
    return [(p.event.id, p.score, p.passion, p.why, p.breakdown) for p in picks]


@pytest.mark.parametrize("chunk", [1, 3, 128])
def test_batch_rankings_equal_one_at_a_time(ranker, chunk):
    rng = np.random.default_rng(0)
    masks = [rng.random(len(ranker.events_)) < 0.7 for _ in PEOPLE]
    batch = list(rank_many(ranker, PEOPLE, limit=8, mask=lambda i: masks[i], chunk=chunk))
    one_by_one = [ranker.rank(split_passions(t), limit=8, mask=m) for t, m in zip(PEOPLE, masks, strict=True)]
    assert [picks_of(b) for b in batch] == [picks_of(o) for o in one_by_one]
    assert sum(map(len, batch)) > 30


def test_batch_text_scores_equal_single_products(ranker):
    for passions, scores in score_many(ranker, PEOPLE, chunk=4):
        alone = ranker.score(passions)
        np.testing.assert_array_equal(scores.text, alone.text)
        np.testing.assert_array_equal(scores.final, alone.final)


def test_a_person_with_no_passion_gets_nothing_and_the_rest_carry_on(ranker):
    errors = []
    texts = ["live jazz", "and, or", "pottery"]
    got = list(rank_many(ranker, texts, on_error=lambda i, exc: errors.append((i, str(exc)))))
    assert [bool(g) for g in got] == [True, False, True]
    assert [i for i, _ in errors] == [1] and "name what you love" in errors[0][1]
    assert [p.event.id for p in got[2]] == [p.event.id for p in ranker.rank(["pottery"])]
