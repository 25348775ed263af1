"""Kindred's side of the index benchmarks, run in a fresh process by ``make bench``.

``python -m benchmarks.kindred_index build URL``: fit and save the index of the store at URL (as
the first ``kindred query`` after a change does) and print JSON. ``latency URL STATEMENTS.json``:
load the saved index and time ranking each statement in process (the part of ``kindred query``
that grows with the store), as JSON.
"""

from __future__ import annotations

import json
import sys
import time


def build(url: str) -> None:
    from recommender.ranking.saved_index import load_or_fit
    from recommender.store.event_store import Store

    t = time.perf_counter()
    loaded = load_or_fit(Store(url))
    print(json.dumps({"fit_s": time.perf_counter() - t, "reused": loaded.reused, "events": len(loaded.ids)}))


def latency(url: str, statements_file: str) -> None:
    import numpy as np

    from recommender.ranking.saved_index import load_or_fit
    from recommender.store.event_store import Store

    ranking = load_or_fit(Store(url)).ranking
    with open(statements_file, encoding="utf-8") as fh:
        statements = json.load(fh)
    times = []
    for statement in statements:
        t = time.perf_counter()
        ranking.rank(statement, limit=10)
        times.append(time.perf_counter() - t)
    ms = np.array(times[1:] or times) * 1000  # the first query pages the index in
    print(json.dumps({"n": len(ms), "p50_ms": float(np.median(ms)), "p95_ms": float(np.percentile(ms, 95))}))


if __name__ == "__main__":
    command, *args = sys.argv[1:]
    {"build": build, "latency": latency}[command](*args)
