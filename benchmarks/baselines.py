"""The peers ``make bench`` times Kindred against, as bare scripts that import nothing of Kindred.

``python -m benchmarks.baselines rank-bm25 EVENTS.jsonld QUERY``: load the listings, build
``rank_bm25.BM25Okapi`` over their titles and descriptions, print the best ten titles (what a
bare script answering the query costs, whole process).
``python -m benchmarks.baselines bm25s-build TEXTS.jsonl DIR``: tokenise and index the texts with
bm25s and save the index in DIR. ``bm25s-query DIR QUERY``: load that index memory-mapped and print
the best ten titles. ``bm25s-latency DIR STATEMENTS.json``: in-process query latency of a loaded
index, as JSON. ``floor``: Python, NumPy and ten rows read with sqlite3 (``python -m
benchmarks.baselines floor DB``), the least a query process can cost.
"""

from __future__ import annotations

import json
import re
import sys
import time


def _tokens(text: str) -> list[str]:
    return re.findall(r"\w+", text.lower())


def rank_bm25_query(events_file: str, query: str) -> None:
    import numpy as np
    from rank_bm25 import BM25Okapi

    with open(events_file, encoding="utf-8") as fh:
        items = json.load(fh)
    texts = [f"{item.get('name') or ''}\n{item.get('description') or ''}" for item in items]
    scores = BM25Okapi([_tokens(t) for t in texts]).get_scores(_tokens(query))
    for i in np.argsort(-scores)[:10]:
        print(items[int(i)].get("name"))


def _bm25s():
    import bm25s

    return bm25s


def bm25s_build(texts_file: str, folder: str) -> None:
    bm25s = _bm25s()
    titles, texts = [], []
    with open(texts_file, encoding="utf-8") as fh:
        for line in fh:
            title, text = json.loads(line)
            titles.append(title)
            texts.append(text)
    t = time.perf_counter()
    retriever = bm25s.BM25()
    retriever.index(bm25s.tokenize(texts, stopwords="en", show_progress=False), show_progress=False)
    retriever.save(folder)
    with open(f"{folder}/titles.json", "w", encoding="utf-8") as fh:
        json.dump(titles, fh)
    print(json.dumps({"build_s": time.perf_counter() - t, "docs": len(texts)}))


def bm25s_query(folder: str, query: str) -> None:
    bm25s = _bm25s()
    retriever = bm25s.BM25.load(folder, mmap=True)
    with open(f"{folder}/titles.json", encoding="utf-8") as fh:
        titles = json.load(fh)
    tokens = bm25s.tokenize([query], stopwords="en", return_ids=False, show_progress=False)
    docs, _ = retriever.retrieve(tokens, k=min(10, len(titles)), show_progress=False)
    for i in docs[0]:
        print(titles[int(i)])


def bm25s_latency(folder: str, statements_file: str) -> None:
    from benchmarks.procs import per_call

    bm25s = _bm25s()
    retriever = bm25s.BM25.load(folder, mmap=True)
    with open(statements_file, encoding="utf-8") as fh:
        statements = json.load(fh)

    def query(statement: str) -> None:
        tokens = bm25s.tokenize([statement], stopwords="en", return_ids=False, show_progress=False)
        retriever.retrieve(tokens, k=10, show_progress=False)

    print(json.dumps(per_call(query, statements)))


def floor(db: str) -> None:
    import sqlite3

    import numpy as np  # noqa: F401 - the floor includes importing it

    for row in sqlite3.connect(db).execute("SELECT title FROM events LIMIT 10"):
        print(row[0])


if __name__ == "__main__":
    command, *args = sys.argv[1:]
    {
        "rank-bm25": rank_bm25_query,
        "bm25s-build": bm25s_build,
        "bm25s-query": bm25s_query,
        "bm25s-latency": bm25s_latency,
        "floor": floor,
    }[command](*args)
