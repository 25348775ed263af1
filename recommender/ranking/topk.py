"""The top of a ranking: every passion gets a place (:func:`spread`), and best-first order without
sorting every match (:class:`BestFirst`: ``argpartition`` for the first few, more on demand).

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

from collections.abc import Callable, Hashable, Sequence
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from recommender.passions.expansion import Expansion


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


def passion_shares(expansions: Sequence[Expansion], unmatched: float) -> list[float]:
    """How much of the list each passion gets: a passion that names no known hobby ("join outdoor
    classes", "total geek") gets ``unmatched`` of a share while another passion names one."""
    if not any(e.hobbies for e in expansions):
        return [1.0] * len(expansions)
    return [1.0 if e.hobbies else unmatched for e in expansions]


def spread(
    final: np.ndarray,
    share: np.ndarray,
    allowed: np.ndarray,
    *,
    limit: int,
    cover: int,
    key: Callable[[int], Hashable],
) -> list[tuple[int, int]]:
    """``(event, passion)`` pairs, best first: events by their score summed over the passions
    (``final`` rows, weighted by ``share``), except that every passion with a full share that matches
    something gets a place in the first ``cover`` entries; only ``allowed`` events, one per ``key``.

    >>> final = np.array([[0.9, 0.8, 0.7, 0.0], [0.0, 0.0, 0.0, 0.2]])
    >>> spread(final, np.ones(2), np.ones(4, bool), limit=2, cover=2, key=lambda i: i)
    [(0, 0), (3, 1)]
    """
    combined = share @ final
    order = BestFirst(combined, np.flatnonzero(allowed & (combined > 0)), first=2 * limit)
    queues = [
        BestFirst(row, np.flatnonzero(allowed & (row > 0)), first=limit) if share[p] >= 1 else []
        for p, row in enumerate(final)
    ]
    uncovered = {p for p, q in enumerate(queues) if q}
    picked: list[tuple[int, int]] = []
    listed: set[int] = set()
    seen: set[Hashable] = set()
    cover = min(limit, cover)
    while len(picked) < limit and (order or uncovered):
        uncovered = {q for q in uncovered if queues[q]}  # a queue spent on repeats of one series
        if uncovered and (cover - len(picked) <= len(uncovered) or not order):
            p = min(uncovered, key=lambda q: -final[q, queues[q][0]])
            while queues[p] and queues[p][0] in listed:
                queues[p].pop(0)
            if not queues[p]:
                uncovered.discard(p)
                continue
            i = queues[p].pop(0)
        else:
            i = order.pop(0)
            if i in listed:
                continue
            p = int(final[:, i].argmax())  # the passion it serves best (first of equals)
        listed.add(i)
        if key(i) not in seen:
            seen.add(key(i))
            picked.append((i, p))
            uncovered.discard(p)
    return picked
