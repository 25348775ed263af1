"""The column reads a query makes without SciPy give SciPy's own answers, to the last bit."""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st
from scipy.sparse import random as sparse_random

from recommender.ranking.term_matrix import (
    ColumnArrays,
    row_values,
    rows_with_any,
    weighted_sum,
    weighted_sums,
)


@st.composite
def matrices_and_columns(draw):
    n_rows, n_cols = draw(st.integers(1, 40)), draw(st.integers(1, 30))
    density = draw(st.floats(0.0, 0.6))
    seed = draw(st.integers(0, 2**32 - 1))
    m = sparse_random(n_rows, n_cols, density=density, format="csc", dtype=np.float32, random_state=seed)
    m.data += np.float32(0.01)  # TF-IDF entries are positive
    cols = draw(st.lists(st.integers(0, n_cols - 1), unique=True, max_size=n_cols))
    vals = np.array(draw(st.lists(st.floats(-3, 3), min_size=len(cols), max_size=len(cols))), dtype=float)
    return m, np.array(cols, dtype=int), vals


def _arrays(m) -> ColumnArrays:
    return ColumnArrays(m.data, m.indices, m.indptr, m.shape)


@given(matrices_and_columns())
def test_weighted_sum_is_scipys_product_bit_for_bit(case):
    m, cols, vals = case
    expected = np.asarray(m[:, cols] @ vals).ravel() if len(cols) else np.zeros(m.shape[0])
    got = weighted_sum(_arrays(m), cols, vals)
    assert got.dtype == expected.dtype and got.tobytes() == expected.tobytes()
    assert weighted_sum(m, cols, vals).tobytes() == expected.tobytes()  # a SciPy matrix reads the same


@given(matrices_and_columns())
def test_rows_with_any_and_row_values_match_scipy(case):
    m, cols, _ = case
    expected_any = np.asarray(m[:, cols].sum(axis=1)).ravel() > 0
    assert rows_with_any(_arrays(m), cols).tolist() == expected_any.tolist()
    for i in range(m.shape[0]):
        expected = m[i, cols].toarray().ravel()
        got = row_values(_arrays(m), i, cols)
        assert got.dtype == expected.dtype and got.tolist() == expected.tolist()


def test_column_arrays_give_scipy_rows_for_feedback():
    m = sparse_random(5, 4, density=0.5, format="csc", dtype=np.float32, random_state=3)
    assert (_arrays(m).tocsr() != m.tocsr()).nnz == 0


@given(st.lists(matrices_and_columns(), min_size=1, max_size=4))
def test_weighted_sums_are_each_querys_weighted_sum_bit_for_bit(cases):
    m = cases[0][0]
    queries = [(cols[cols < m.shape[1]], vals[cols < m.shape[1]]) for _, cols, vals in cases]
    got = weighted_sums(_arrays(m), queries)
    assert got.shape == (len(queries), m.shape[0]) and got.dtype == np.float64
    for row, (cols, vals) in zip(got, queries, strict=True):
        assert row.tobytes() == weighted_sum(_arrays(m), cols, vals).astype(np.float64).tobytes()
