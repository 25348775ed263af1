"""Kindred's side of the index benchmarks, run in a fresh process by ``make bench``.

``python -m benchmarks.kindred_index build URL``: fit and save the index of the store at URL (as
the first ``kindred query`` after a change does) and print JSON. ``latency URL STATEMENTS.json``:
load the saved index and time ranking each statement in process (the part of ``kindred query``
that grows with the store, with the store opened as that command opens it), as JSON.
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
    from benchmarks.procs import per_call
    from recommender.ranking.saved_index import load_or_fit
    from recommender.store.event_store import Store
    from recommender.store.sqlite_reader import open_reader

    # the store opened as `kindred query` opens it: a plain SQLite reader when it can answer
    ranking = load_or_fit(open_reader(url) or Store(url)).ranking
    with open(statements_file, encoding="utf-8") as fh:
        statements = json.load(fh)
    print(json.dumps(per_call(lambda statement: ranking.rank(statement, limit=10), statements)))


if __name__ == "__main__":
    command, *args = sys.argv[1:]
    {"build": build, "latency": latency}[command](*args)
