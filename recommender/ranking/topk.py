"""Best-first event order without sorting every match: ``argpartition`` for the first few, more on demand.

:class:`BestFirst` yields event indices by descending score, ties by ascending index — exactly the
order of ``idx[np.lexsort((idx, -row[idx]))]`` — but sorts only the top ``first`` candidates, and
the next (four times as many) only if a consumer gets that far (e.g. after skipping duplicates).
It quacks like the lists the ranker pops from: ``bool(q)``, ``q[0]``, ``q.pop(0)``.

>>> import numpy as np
>>> row = np.array([0.1, 0.9, 0.0, 0.9, 0.5, 0.7])
>>> q = BestFirst(row, np.flatnonzero(row > 0), first=2)
>>> [q.pop(0) for _ in range(5)], bool(q)
([1, 3, 5, 4, 0], False)
"""

from __future__ import annotations

import numpy as np


class BestFirst:
    """Indices ``idx`` ordered by ``-row[i]`` then ``i``, sorted lazily in growing blocks."""

    def __init__(self, row: np.ndarray, idx: np.ndarray, *, first: int = 16):
        self._row, self._rest, self._step = row, idx, max(1, first)
        self._items: list[int] = []  # the current block, best last (so pop() is cheap)
        self._fill()

    def _fill(self) -> None:
        idx = self._rest
        if len(idx) > self._step:
            vals = self._row[idx]
            cut = len(vals) - self._step
            kth = np.partition(vals, cut)[cut]  # the step-th largest; keep every tie with it
            top, self._rest = idx[vals >= kth], idx[vals < kth]
        else:
            top, self._rest = idx, idx[:0]
        self._items = top[np.lexsort((top, -self._row[top]))][::-1].tolist()
        self._step *= 4

    def __bool__(self) -> bool:
        return bool(self._items) or len(self._rest) > 0

    def __len__(self) -> int:
        return len(self._items) + len(self._rest)

    def __getitem__(self, i: int) -> int:
        if i != 0:
            raise IndexError("BestFirst only shows its head")
        if not self._items:
            self._fill()
        return self._items[-1]

    def pop(self, i: int = 0) -> int:
        if i != 0:
            raise IndexError("BestFirst only pops its head")
        if not self._items:
            if not len(self._rest):
                raise IndexError("pop from an empty BestFirst")
            self._fill()
        return self._items.pop()
