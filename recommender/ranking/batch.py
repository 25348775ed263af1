"""Scoring many people at once: one sparse matrix product per chunk of people instead of one per passion.

Every person's passions become query vectors (see :meth:`PassionRanker.plan`); a chunk of them is
stacked into one sparse matrix ``Q`` and multiplied with the event matrix (``Q @ Xᵀ``), which gives the
same text scores as scoring each passion alone. Each person's ranking is then the ranker's own
:meth:`~recommender.ranking.ranker.PassionRanker.rank` over those scores, so results match
``ranker.rank(passions)`` person by person (the tests check it).

Examples
--------
>>> from datetime import datetime, timezone
>>> from recommender.ranking.ranker import PassionRanker
>>> from scrapers.event import Event
>>> t = datetime(2026, 5, 1, 18, tzinfo=timezone.utc)
>>> ranker = PassionRanker().fit([Event(title="Chess club", start=t), Event(title="Jazz jam", start=t)])
>>> [[p.event.title for p in picks] for picks in rank_many(ranker, ["chess", "live jazz", "chess, jazz"])]
[['Chess club'], ['Jazz jam'], ['Chess club', 'Jazz jam']]
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence

import numpy as np
from scipy.sparse import csr_matrix

from recommender.passions.statement import PassionError, split_passions
from recommender.ranking.picks import Pick, Scores
from recommender.ranking.ranker import PassionRanker

CHUNK = 128  # people per product: the dense block is CHUNK × passions × events floats


def score_many(
    ranker: PassionRanker, passion_texts: Sequence[str], *, chunk: int = CHUNK
) -> Iterator[tuple[list[str], Scores] | tuple[PassionError, None]]:
    """For each text (one person's passions, in their words): its passions and ranker scores, or
    ``(PassionError, None)`` when the text names no passion (the others are scored all the same)."""
    events_by_term = ranker.matrix_.T.tocsr()  # terms × events
    for lo in range(0, len(passion_texts), chunk):
        people, plans = [], []
        for text in passion_texts[lo : lo + chunk]:
            try:
                passions = split_passions(text)
                plans.append(ranker.plan(passions))
                people.append(passions)
            except PassionError as exc:
                plans.append(([], []))
                people.append(exc)
        queries = [q for _, qs in plans for q in qs]
        indptr = np.cumsum([0] + [len(cols) for cols, _ in queries])
        cols = np.concatenate([c for c, _ in queries]) if queries else np.zeros(0, int)
        vals = np.concatenate([v for _, v in queries]) if queries else np.zeros(0)
        stacked = csr_matrix((vals, cols, indptr), shape=(len(queries), events_by_term.shape[0]))
        text = (stacked @ events_by_term).toarray()
        row = 0
        for passions, plan in zip(people, plans, strict=True):
            if isinstance(passions, PassionError):
                yield passions, None
                continue
            n = len(plan[1])
            yield passions, ranker.score(passions, plan=plan, text=text[row : row + n])
            row += n


def rank_many(
    ranker: PassionRanker,
    passion_texts: Sequence[str],
    *,
    limit: int = 10,
    mask: Callable[[int], np.ndarray | None] | None = None,
    chunk: int = CHUNK,
    on_error: Callable[[int, PassionError], None] | None = None,
) -> Iterator[list[Pick]]:
    """``ranker.rank(passions, limit=limit, mask=mask(i))`` for each text ``i``, scored in batches.

    A text that names no passion gets ``[]`` and, if given, ``on_error(i, error)``; the rest carry on."""
    for i, (passions, scores) in enumerate(score_many(ranker, passion_texts, chunk=chunk)):
        if scores is None:
            if on_error:
                on_error(i, passions)
            yield []
            continue
        yield ranker.rank(passions, limit=limit, mask=mask(i) if mask else None, scores=scores)
