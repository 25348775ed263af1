"""Relevance evaluation: Kindred against plain TF-IDF and BM25 on labelled corpora.

Metrics follow the evaluation README (binary relevance, macro-averaged per corpus):

>>> ndcg_at_k(["a", "x", "b"], {"a", "b"}, 10)  # 1 + 1/log2(4) over 1 + 1/log2(3)
0.9197207891481876
>>> precision_at_k(["a", "x", "b"], {"a", "b"}, 5), recall_at_k(["a", "x"], {"a", "b"}, 50)
(0.4, 0.5)
>>> leak_at_k(["m", "a"], {"m"}, 10)
0.1
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from recommender.evaluation.corpora import LOADERS, Corpus
from recommender.evaluation.rankers import RANKERS, SEMANTIC_RANKERS
from scrapers.errors import KindredError

METRICS = ("ndcg@10", "p@5", "r@50", "leak@10")


class EvalError(KindredError):
    """The queries file or the corpora cannot be used."""


def _dedup(ranking: Sequence[str]) -> list[str]:
    seen: set[str] = set()
    return [d for d in ranking if not (d in seen or seen.add(d))]


def ndcg_at_k(ranking: Sequence[str], relevant: set[str], k: int = 10) -> float:
    gains = [1.0 if d in relevant else 0.0 for d in _dedup(ranking)[:k]]
    dcg = sum(g / math.log2(i + 2) for i, g in enumerate(gains))
    ideal = sum(1 / math.log2(i + 2) for i in range(min(len(relevant), k)))
    return dcg / ideal if ideal else 0.0


def precision_at_k(ranking: Sequence[str], relevant: set[str], k: int = 5) -> float:
    return sum(d in relevant for d in _dedup(ranking)[:k]) / k


def recall_at_k(ranking: Sequence[str], relevant: set[str], k: int = 50) -> float:
    return sum(d in relevant for d in _dedup(ranking)[:k]) / len(relevant) if relevant else 0.0


def leak_at_k(ranking: Sequence[str], business: set[str], k: int = 10) -> float:
    return sum(d in business for d in _dedup(ranking)[:k]) / k


@dataclass
class Query:
    id: str
    corpus: str
    passions: str
    relevant: list[str]
    business_ok: bool = False


def load_queries(path: Path) -> list[Query]:
    try:
        raw = json.loads(Path(path).read_text(encoding="utf-8"))
        return [
            Query(
                **{k: q[k] for k in ("id", "corpus", "passions", "relevant")},
                business_ok=bool(q.get("business_ok")),
            )
            for q in raw
        ]
    except FileNotFoundError as exc:
        raise EvalError(f"{path}: no such queries file") from exc
    except (json.JSONDecodeError, KeyError, TypeError) as exc:
        raise EvalError(
            f"{path}: not a queries file (a JSON list of {{id, corpus, passions, relevant}}): {exc}"
        ) from exc


def default_rankers() -> dict[str, Callable[[Corpus], Callable[[str], list[str]]]]:
    """Every ranker ``kindred eval`` compares by default: :data:`RANKERS`, plus the embedding model
    alone and Kindred fused with it when the semantic extra is installed."""
    from recommender.ranking.semantic import available

    if not available():
        return dict(RANKERS)
    from recommender.evaluation.semantic_rankers import SEMANTIC

    return {**RANKERS, **SEMANTIC}


def ranker_named(name: str) -> Callable[[Corpus], Callable[[str], list[str]]]:
    if name in SEMANTIC_RANKERS:
        # without the extra, loading the model says how to install it
        from recommender.evaluation.semantic_rankers import SEMANTIC

        return SEMANTIC[name]
    if name not in RANKERS:
        raise EvalError(f"unknown ranker {name!r}; known: {', '.join([*RANKERS, *SEMANTIC_RANKERS])}")
    return RANKERS[name]


def business_docs(corpus: Corpus, business_labels: dict[str, list[str]]) -> set[str]:
    marks = set(business_labels.get(corpus.name, []))
    return {d for d, labels in corpus.labels.items() if marks & set(labels)}


def run_eval(
    queries: Sequence[Query],
    data_dir: Path,
    business_labels: dict[str, list[str]],
    rankers: Sequence[str] | None = None,
) -> tuple[list[dict], dict[str, dict[str, list[str]]]]:
    """Score every ranker (default: :func:`default_rankers`) on every query; returns (rows per
    ranker × corpus, rankings per ranker)."""
    rankers = list(rankers or default_rankers())
    corpora: dict[str, Corpus] = {}
    for name in sorted({q.corpus for q in queries}):
        if name not in LOADERS:
            raise EvalError(f"unknown corpus {name!r}; known: {', '.join(LOADERS)}")
        try:
            corpora[name] = LOADERS[name](Path(data_dir))
        except FileNotFoundError as exc:
            raise EvalError(
                f"corpus {name!r} not found under {data_dir} ({exc.filename}); pass --data-dir"
            ) from exc
    business = {name: business_docs(corpus, business_labels) for name, corpus in corpora.items()}
    relevant_sets = {
        q.id: {d for d in corpora[q.corpus].labels if corpora[q.corpus].relevant(d, set(q.relevant))}
        for q in queries
    }
    rows, rankings = [], {}
    for ranker in rankers:
        runners = {name: ranker_named(ranker)(corpus) for name, corpus in corpora.items()}
        rankings[ranker] = {q.id: runners[q.corpus](q.passions) for q in queries}
        per_query: dict[str, list[dict]] = {}
        for q in queries:
            relevant = relevant_sets[q.id]
            got = rankings[ranker][q.id]
            scores = {
                "ndcg@10": ndcg_at_k(got, relevant),
                "p@5": precision_at_k(got, relevant),
                "r@50": recall_at_k(got, relevant),
            }
            if business_labels.get(q.corpus) and not q.business_ok:
                scores["leak@10"] = leak_at_k(got, business[q.corpus])
            per_query.setdefault(q.corpus, []).append(scores)
            per_query.setdefault("all", []).append(scores)
        for corpus_name in [*sorted(corpora), "all"]:
            results = per_query[corpus_name]
            row = {"ranker": ranker, "corpus": corpus_name, "n": len(results)}
            for metric in METRICS:
                values = [r[metric] for r in results if metric in r]
                row[metric] = round(sum(values) / len(values), 3) if values else None
            rows.append(row)
    return rows, rankings
