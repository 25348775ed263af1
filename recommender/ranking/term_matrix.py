"""The events × terms TF-IDF matrix, read by columns: the three reads a query makes, on the plain
compressed-column arrays (``data``, ``indices``, ``indptr``), so a query needs no SciPy.

A fitted ranker holds a SciPy ``csc_matrix``; a saved index is opened as :class:`ColumnArrays` over
its memory-mapped arrays. Both have those three arrays, and the functions here read either.

>>> import numpy as np
>>> m = ColumnArrays(np.array([1.0, 2.0, 3.0]), np.array([0, 2, 1]), np.array([0, 2, 3]), (3, 2))
>>> m.toarray().tolist()
[[1.0, 0.0], [0.0, 3.0], [2.0, 0.0]]
>>> weighted_sum(m, np.array([0, 1]), np.array([1.0, 10.0])).tolist()
[1.0, 30.0, 2.0]
>>> rows_with_any(m, [1]).tolist(), row_values(m, 2, np.array([1, 0])).tolist()
([False, True, False], [0.0, 2.0])
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class ColumnArrays:
    """A compressed-column matrix as its arrays (canonical: row indices sorted within a column)."""

    data: np.ndarray
    indices: np.ndarray
    indptr: np.ndarray
    shape: tuple[int, int]

    def scipy(self):
        """The same matrix as a SciPy ``csc_matrix`` (for row access: feedback, windows)."""
        from scipy.sparse import csc_matrix

        return csc_matrix((self.data, self.indices, self.indptr), shape=self.shape)

    def tocsr(self):
        return self.scipy().tocsr()

    def toarray(self) -> np.ndarray:
        return self.scipy().toarray()


Entries = tuple[np.ndarray, np.ndarray, np.ndarray]


def entries(matrix, cols: Sequence[int]) -> Entries:
    """The stored entries of ``cols``, column after column: their rows, values and column number
    (the position in ``cols``)."""
    indptr, cols = matrix.indptr, np.asarray(cols, dtype=np.int64)
    starts = np.asarray(indptr[cols], dtype=np.int64)
    lengths = np.asarray(indptr[cols + 1], dtype=np.int64) - starts
    total = int(lengths.sum())
    # positions start..start+length of each column, laid end to end
    offsets = np.repeat(starts - np.concatenate(([0], np.cumsum(lengths)[:-1])), lengths)
    where = np.arange(total, dtype=np.int64) + offsets
    return matrix.indices[where], matrix.data[where], np.repeat(np.arange(len(cols)), lengths)


def weighted_sum(matrix, cols: np.ndarray, vals: np.ndarray) -> np.ndarray:
    """``matrix[:, cols] @ vals``: each row's entries in ``cols`` times their weights, summed (in
    the order SciPy sums them, so the floats are the same)."""
    return weighted_sums(matrix, [(cols, vals)])[0]


def weighted_sums(matrix, queries: Sequence[tuple[np.ndarray, np.ndarray]]) -> np.ndarray:
    """:func:`weighted_sum` of each ``(cols, vals)`` query, one row per query, summed in one pass
    (the same floats: each row's bins add its entries in the same order)."""
    n = matrix.shape[0]
    parts = [entries(matrix, cols) + (vals, q) for q, (cols, vals) in enumerate(queries) if len(cols)]
    if not parts or not any(len(rows) for rows, *_ in parts):  # bincount of nothing counts in integers
        return np.zeros((len(queries), n))
    rows = np.concatenate([rows + q * n for rows, _, _, _, q in parts])
    weights = np.concatenate([data * vals[owner] for _, data, owner, vals, _ in parts])
    return np.bincount(rows, weights=weights, minlength=len(queries) * n).reshape(len(queries), n)


def rows_with_any(matrix, cols: Sequence[int]) -> np.ndarray:
    """Which rows hold an entry in any of ``cols`` (TF-IDF entries are positive)."""
    out = np.zeros(matrix.shape[0], dtype=bool)
    out[entries(matrix, cols)[0]] = True
    return out


def row_values(matrix, i: int, cols: np.ndarray, read: Entries | None = None) -> np.ndarray:
    """``matrix[i, cols]`` as a flat array (0 where row ``i`` holds nothing in a column);
    ``read``: :func:`entries` of ``cols``, when a caller reads several rows of the same columns."""
    rows, data, owner = read if read is not None else entries(matrix, cols)
    out = np.zeros(len(cols), dtype=matrix.data.dtype)
    hit = rows == i
    out[owner[hit]] = data[hit]
    return out
