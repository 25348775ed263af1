"""The list order of ranking/topk.py on any scores: never a crash, one entry per key, within the limit."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from recommender.ranking.topk import spread


@settings(max_examples=300, deadline=None)
@given(
    passions=st.integers(1, 4),
    events=st.integers(1, 30),
    series=st.integers(1, 5),
    limit=st.integers(1, 12),
    cover=st.integers(0, 12),
    seed=st.integers(0, 2**32 - 1),
    sparse=st.floats(0, 1),
)
def test_spread_on_any_scores_gives_distinct_series_within_the_limit(
    passions, events, series, limit, cover, seed, sparse
):
    rng = np.random.default_rng(seed)
    final = rng.random((passions, events)) * (rng.random((passions, events)) > sparse)
    share = rng.choice([1.0, 0.5], size=passions)
    allowed = rng.random(events) > 0.2
    keys = rng.integers(0, series, size=events)  # many listings of a few series: repeats collapse
    picked = spread(final, share, allowed, limit=limit, cover=cover, key=lambda i: int(keys[i]))
    assert len(picked) <= limit
    assert len({int(keys[i]) for i, _ in picked}) == len(picked)
    assert all(allowed[i] and final[p, i] > 0 or (share @ final)[i] > 0 for i, p in picked)
