"""One benchmark measurement per call, run in a fresh process per corpus size (so peak memory is its own).

``python -m benchmarks.measure SIZE OUT.json [--queries N] [--subscribers N] [--baselines] [--db PATH]``
builds a synthetic corpus of SIZE events, fits Kindred's index, times single queries, the two baselines
and batch digest scoring, optionally writes the corpus to a SQLite store for whole-process timing, and
writes the figures to OUT.json.
"""

from __future__ import annotations

import argparse
import json
import re
import resource
import time
from datetime import datetime, timedelta, timezone

import numpy as np

from benchmarks.corpus import Pool, passion_statements, synthetic_events

NOW = datetime(2026, 6, 1, tzinfo=timezone.utc)


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _stats(seconds: list[float]) -> dict:
    ms = np.array(seconds) * 1000
    return {"n": len(ms), "p50_ms": float(np.median(ms)), "p95_ms": float(np.percentile(ms, 95))}


def _timed(fn, items) -> list[float]:
    out = []
    for item in items:
        t = time.perf_counter()
        fn(item)
        out.append(time.perf_counter() - t)
    return out


def kindred_queries(ranker, statements: list[str]) -> dict:
    from recommender.passions.statement import split_passions

    ranker.rank(split_passions(statements[0]))  # warm caches (stemmer, expander)
    return _stats(_timed(lambda s: ranker.rank(split_passions(s), limit=10), statements))


def bm25_queries(texts: list[str], statements: list[str]) -> dict:
    from rank_bm25 import BM25Okapi

    tokens = lambda text: re.findall(r"\w+", text.lower())  # noqa: E731 - the evaluation's baseline
    t = time.perf_counter()
    bm25 = BM25Okapi([tokens(x) for x in texts])
    build = time.perf_counter() - t

    def one(statement: str) -> None:
        scores = bm25.get_scores(tokens(statement))
        np.argpartition(-scores, min(10, len(scores) - 1))[:10]

    return {**_stats(_timed(one, statements)), "build_s": build}


def naive_queries(texts: list[str], statements: list[str]) -> dict:
    """Plain TF-IDF refitted for every query, as a query did before the persisted index."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    def one(statement: str) -> None:
        vec = TfidfVectorizer()
        matrix = vec.fit_transform(texts)
        scores = (matrix @ vec.transform([statement]).T).toarray().ravel()
        np.argpartition(-scores, min(10, len(scores) - 1))[:10]

    return _stats(_timed(one, statements))


def batch_digest(ranker, events, n_subscribers: int) -> dict:
    from recommender.passions.statement import split_passions
    from recommender.ranking.batch import rank_many
    from recommender.ranking.event_columns import EventColumns
    from recommender.ranking.filters import EventFilter

    people = passion_statements(n_subscribers, seed=23)
    window = EventColumns.from_events(events).mask(EventFilter(start=NOW, end=NOW + timedelta(days=14)))
    t = time.perf_counter()
    picks = list(rank_many(ranker, people, limit=6, mask=lambda i: window))
    total = time.perf_counter() - t
    sample = people[: min(200, n_subscribers)]
    t = time.perf_counter()
    alone = [ranker.rank(split_passions(p), limit=6, mask=window) for p in sample]
    one_by_one = (time.perf_counter() - t) / len(sample)
    same = all([x.event.id for x in a] == [x.event.id for x in b] for a, b in zip(alone, picks, strict=False))
    return {
        "subscribers": n_subscribers,
        "events_in_window": int(window.sum()),
        "total_s": total,
        "per_subscriber_ms": 1000 * total / n_subscribers,
        "one_at_a_time_ms": 1000 * one_by_one,
        "same_as_one_at_a_time": same,
        "with_picks": sum(bool(p) for p in picks),
    }


def write_store(events, path: str) -> None:
    """The corpus as a Kindred SQLite store (bulk insert; the same rows ``Store.upsert`` writes)."""
    from sqlalchemy import insert

    from recommender.store.event_store import Store
    from recommender.store.tables import EventRow, content_hash, fill_row

    store = Store(f"sqlite:///{path}")
    stamp = NOW.replace(tzinfo=None)
    rows = []
    for ev in events:
        row = EventRow(id=ev.id, first_seen=stamp, last_seen=stamp, updated_at=stamp)
        fill_row(row, ev, content_hash(ev))
        rows.append({c.key: getattr(row, c.key) for c in EventRow.__mapper__.column_attrs})
    with store.session() as session, session.begin():
        for lo in range(0, len(rows), 20_000):
            session.execute(insert(EventRow), rows[lo : lo + 20_000])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("size", type=int)
    parser.add_argument("out")
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--baseline-queries", type=int, default=30)
    parser.add_argument("--naive-queries", type=int, default=3)
    parser.add_argument("--subscribers", type=int, default=0)
    parser.add_argument("--db", default=None)
    args = parser.parse_args()

    from recommender.ranking.event_features import event_text
    from recommender.ranking.ranker import PassionRanker

    result: dict = {"size": args.size}
    t = time.perf_counter()
    events = list(synthetic_events(Pool.load(), args.size))
    result["corpus_s"], result["corpus_peak_mb"] = time.perf_counter() - t, _peak_mb()
    t = time.perf_counter()
    ranker = PassionRanker().fit(events)
    result["build_s"], result["build_peak_mb"] = time.perf_counter() - t, _peak_mb()
    result["matrix"] = {"terms": ranker.matrix_.shape[1], "nnz": int(ranker.matrix_.nnz)}
    statements = passion_statements(args.queries)
    result["kindred"] = kindred_queries(ranker, statements)
    texts = [event_text(e) for e in events]
    if args.baseline_queries:
        result["bm25"] = bm25_queries(texts, statements[: args.baseline_queries])
    if args.naive_queries:
        result["naive"] = naive_queries(texts, statements[: args.naive_queries])
    if args.subscribers:
        result["batch"] = batch_digest(ranker, events, args.subscribers)
    if args.db:
        t = time.perf_counter()
        write_store(events, args.db)
        result["store_write_s"] = time.perf_counter() - t
    result["peak_mb"] = _peak_mb()
    with open(args.out, "w") as fh:
        json.dump(result, fh, indent=1)


if __name__ == "__main__":
    main()
