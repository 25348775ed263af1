"""A ranking over the events of one window, ranking them exactly as the whole ranking would.

A digest or a calendar feed only ever offers events of its window (the next 14 days, a week ago
to four weeks ahead): a few thousand of a store's hundred thousand. :func:`within` cuts a
:class:`~recommender.ranking.ranking.Ranking` down to those rows, so every per-event array a
ranking computes (text scores, gates, formats, business and ties, feedback) is that much shorter.
Each event's arithmetic is the same as in the whole ranking (the same row, the same idf, the same
order of sums), the events keep their relative order (so ties break the same way), and likes and
dismissals of events outside the window still move it (their centroid comes from the whole
ranking). So for any mask inside the window, ``within(r, w).rank(...)`` gives the picks, scores and
explanations of ``r.rank(...)`` — the batch digest's test checks it over thousands of people.

>>> from datetime import datetime, timezone
>>> from recommender.ranking.ranking import Ranking
>>> from scrapers.event import Event
>>> t = datetime(2026, 5, 1, 18, tzinfo=timezone.utc)
>>> whole = Ranking([Event(title="Chess club", start=t, id="a"),
...                  Event(title="Chess café", start=t.replace(month=7), id="b")])
>>> (lo, hi), mask = whole.window(t, t.replace(day=2))
>>> part = within(whole, mask)
>>> [p.event.id for p in part.rank("chess")], [p.event.id for p in whole.rank("chess", mask=mask)]
(['a'], ['a'])
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import numpy as np

from recommender.ranking.index_arrays import prefetch
from recommender.ranking.ranker import PassionRanker
from recommender.ranking.ranking import Ranking
from scrapers.event import Event

KEEP = 4  # window rankings kept per ranking: a sliding window's bounds change now and then


def window_ranking(ranking: Ranking, start: datetime, end: datetime) -> tuple[Ranking, np.ndarray]:
    """The ranking of the events starting in ``[start, end)`` (:func:`within`), and their mask in
    ``ranking``; kept with ``ranking`` per window (by the window's bounds, see
    :meth:`Ranking.window`), so a digest run or a server cuts each window once. With no event in
    the window, the whole ranking comes back (its answers say so)."""
    bounds, mask = ranking.window(start, end)
    if not mask.any():
        return ranking, mask
    kept: dict = ranking.__dict__.setdefault("_window_rankings", {})
    part = kept.get(bounds)
    if part is None:
        part = within(ranking, mask)
        if len(kept) >= KEEP:
            kept.pop(next(iter(kept)), None)  # the oldest; threads may race here, harmlessly
        kept[bounds] = part
    return part, mask


def within(ranking: Ranking, mask: np.ndarray) -> Ranking:
    """The ranking of the events where ``mask`` is true (see the module docstring)."""
    rows = np.flatnonzero(mask)
    ranker = _WindowRanker(ranking.ranker, rows)
    ids = [ranking.ids[int(i)] for i in rows]
    return Ranking(ranker.events_, ranker=ranker, columns=ranking.columns.take(rows), ids=ids)


class _Subset(Sequence[Event]):
    """``events[rows[i]]`` for each ``i``: the window's events, read through the whole ranking's."""

    def __init__(self, events: Sequence[Event], rows: np.ndarray, ids: Sequence[str]):
        self._events, self._rows, self.ids = events, rows, ids

    def __len__(self) -> int:
        return len(self._rows)

    def __getitem__(self, i):
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(len(self)))]
        return self._events[int(self._rows[i])]

    def prefetch(self, indices: Sequence[int]) -> None:
        prefetch(self._events, [self._rows[i] for i in indices])


class _WindowRanker(PassionRanker):
    """A fitted :class:`PassionRanker` over some rows of another (its ``whole``)."""

    def __init__(self, whole: PassionRanker, rows: np.ndarray):
        super().__init__(**whole.get_params())
        self.whole, self.window_rows = whole, rows
        for name in ("vocabulary_", "idf_", "terms_", "expander_", "formats_"):
            setattr(self, name, getattr(whole, name))
        self.rows_ = whole._rows()[rows]  # row slices of the whole's rows, built once per ranking
        self.matrix_ = self.rows_.tocsc()
        self.business_, self.ties_, self.series_ = (
            whole.business_[rows],
            whole.ties_[rows],
            whole.series_[rows],
        )
        whole_ids = getattr(whole.events_, "ids", None)
        whole_ids = [e.id for e in whole.events_] if whole_ids is None else whole_ids
        self.events_ = _Subset(whole.events_, rows, [whole_ids[int(i)] for i in rows])

    # likes and dismissals anywhere in the whole ranking count, as they do there
    def _centroid(self, event_ids) -> np.ndarray | None:
        return self.whole._centroid(event_ids)

    def _liked_rows(self, feedback) -> list[int]:
        return self.whole._liked_rows(feedback)

    def _most_like(self, i: int, liked_rows: list[int]) -> str:
        return self.whole._most_like(int(self.window_rows[i]), liked_rows)
