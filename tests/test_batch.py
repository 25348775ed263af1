"""Batch scoring and the lazy top-k give exactly what one-at-a-time scoring and a full sort give."""

from __future__ import annotations

from datetime import datetime, timezone

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from recommender.batch import rank_many, score_many
from recommender.embedded import load_snapshot
from recommender.passions import split_passions
from recommender.query import Ranking
from recommender.store import Store
from recommender.topk import BestFirst

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


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.sampled_from([0.0, 0.1, 0.25, 0.5, 0.75, 1.0]), min_size=0, max_size=60),
    st.integers(1, 10),
)
def test_best_first_is_the_full_sort(values, first):
    row = np.array(values, float)
    idx = np.flatnonzero(row > 0)
    q = BestFirst(row, idx, first=first)
    got = [q.pop(0) for _ in range(len(q))]
    assert got == list(idx[np.lexsort((idx, -row[idx]))])
    assert not q
